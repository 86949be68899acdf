"""The soak's simulated users (bench/soak.py starts locust with this file; not part of make test).

A realistic mix against the hosts behind nginx: people log in and read the event list, the
calendar and event pages; protocol staff edit events with the lock (a 409 is a correct
answer, not an error); focal points provide information with files; calendar clients fetch
feeds with and without If-None-Match. Each request goes to either host. Every successful save is written to SOAK_SAVES so
that bench/soak.py can check that no edit was lost.
"""
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

from tools.http_forms import form_fields, multipart

PLAN = json.loads(open(os.environ["SOAK_PLAN"]).read())  # noqa: SIM115  (read once)
SAVES = os.environ["SOAK_SAVES"]
_lock = threading.Lock()
PDF = b"%PDF-1.4\n" + b"soak " * 4000


def at(path: str) -> str:
    """Either host (its own nginx and gunicorn): sessions, locks and files must not care."""
    return random.choice(PLAN["hosts"]) + path


def _said(page: str) -> str:
    """The messages a refused form showed (flash and field errors), for the failure report."""
    found = re.findall(r'class="(?:flash[^"]*|error[^"]*)"[^>]*>(.*?)</', page, re.S)
    return " | ".join(" ".join(text.split()) for text in found)[:200]


def _log_in(user: HttpUser, email: str) -> None:
    page = user.client.get(at("/login"), name="login (form)").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    with user.client.post(at("/login"), data={"csrf_token": token, "email": email, "password": "demo"},
                          name="login", allow_redirects=False, catch_response=True) as answer:
        if answer.status_code != 302:
            answer.failure(f"login of {email}: {answer.status_code} {_said(answer.text)}")


class Reader(HttpUser):
    """Anyone at work: lists, calendar, event pages."""

    weight = 5
    wait_time = between(1, 3)

    def on_start(self):
        _log_in(self, random.choice(PLAN["readers"]))

    @task(4)
    def event_list(self):
        self.client.get(at("/events/"), name="event list")

    @task(2)
    def calendar(self):
        self.client.get(at("/calendar?view=month"), name="calendar month")

    @task(4)
    def event_page(self):
        self.client.get(at(f"/events/{random.choice(PLAN['events'])}"), name="event page")

    @task(1)
    def log_in_again(self):
        self.client.cookies.clear()
        _log_in(self, random.choice(PLAN["readers"]))


class Editor(HttpUser):
    """Protocol staff: edit an event with the lock; record every save that succeeded."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        _log_in(self, random.choice(PLAN["editors"]))

    @task
    def edit(self):
        event_id = random.choice(PLAN["contended"])
        path = f"/events/{event_id}/edit"
        page = self.client.get(at(path), name="edit form")
        fields = form_fields(page.content, path)
        title = f"Soak {random.getrandbits(40):010x}"
        fields = [(k, title if k == "title_vi" else v) for k, v in fields]
        fields += [("override", "y"), ("override_reason", "soak")]
        with self.client.post(at(path), data=fields, name="edit save", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code == 302:
                with _lock, open(SAVES, "a") as out:
                    out.write(json.dumps({"event": event_id, "title": title}) + "\n")
            elif answer.status_code == 409:
                answer.success()  # someone saved first: the form shows their changes
            else:
                answer.failure(f"save answered {answer.status_code}")


class Provider(HttpUser):
    """A focal point provides information with a file."""

    weight = 1
    wait_time = between(3, 6)

    def on_start(self):
        _log_in(self, PLAN["provider"])

    @task
    def submit(self):
        item = random.choice(PLAN["items"])
        path = f"/checklists/items/{item}"
        page = self.client.get(at(path), name="item page")
        if f'{path}/submit"'.encode() not in page.content:
            return  # submitted or accepted meanwhile: nothing to provide any more
        fields = [(k, "Soak" if k == "text" else v) for k, v in form_fields(page.content, f"{path}/submit")]
        body, content_type = multipart(fields, [("attachments", "soak.pdf", PDF)])
        with self.client.post(at(f"{path}/submit"), data=body, headers={"Content-Type": content_type},
                              name="submission with file", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code in (302, 409):
                answer.success()  # 409: the item moved on meanwhile (another submission)
            else:
                answer.failure(f"submission answered {answer.status_code} {_said(answer.text)}")


class CalendarClient(HttpUser):
    """A subscribed calendar: polls its feed, mostly with the ETag it has."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        self.token = random.choice(PLAN["tokens"])
        self.etag = None

    @task
    def poll(self):
        headers = {"If-None-Match": self.etag} if self.etag and random.random() < 0.7 else {}
        name = "feed (If-None-Match)" if headers else "feed (full)"
        with self.client.get(at(f"/feeds/{self.token}.ics"), headers=headers, name=name,
                             catch_response=True) as answer:
            if answer.status_code in (200, 304):
                self.etag = answer.headers.get("ETag", self.etag)
                answer.success()
            else:
                answer.failure(f"feed answered {answer.status_code}")
