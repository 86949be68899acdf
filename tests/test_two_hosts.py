"""Two app hosts, one PostgreSQL database: what one host does, the other sees at once.

Two gunicorn servers with their own instance folders (feed caches) share the database and
keep files in it (STORAGE_BACKEND=db). Skipped on SQLite, which is one machine's file.
"""
import os
import re
import secrets
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.checklists import work
from app.checklists.models import ChecklistItem, ItemStatus
from app.config import TestConfig
from app.events.models import Event, EventStatus
from app.extensions import db
from app.feeds.models import DetailLevel
from app.feeds.services import issue_token_for
from app.notifications.models import Delivery, OutletMailing
from app.timeutil import utcnow
from tests.helpers import ROOT, HttpSession, free_port, start_gunicorn, stop
from tools.http_forms import form_fields, multipart

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="two hosts share one PostgreSQL database: set TEST_DATABASE_URL (.ci/run does)")


class Counting:
    """aiosmtpd handler: every message received, by recipient."""

    def __init__(self):
        self.messages: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        with self.lock:
            self.messages += [(to, envelope.content.decode("utf-8", "replace")) for to in envelope.rcpt_tos]
        return "250 OK"


@pytest.fixture(scope="module")
def hosts(make_database, tmp_path_factory):
    root = tmp_path_factory.mktemp("two-hosts")
    url = make_database("hosts")
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "setup",
                        "STORAGE_BACKEND": "db", "FEED_CACHE_DIR": str(root / "setup-cache"),
                        "PASSWORD_HASH_METHOD": TestConfig.PASSWORD_HASH_METHOD})
    s = SimpleNamespace(setup=setup, root=root)
    with setup.app_context():
        upgrade()
        loaded = setup.test_cli_runner().invoke(args=["demo", "load", "--password", "demo"])
        assert loaded.exit_code == 0, loaded.output
        _feed, s.token = issue_token_for("admin@demo.example", DetailLevel.FULL)
        now = utcnow()
        s.event_id = db.session.scalar(
            sa.select(Event.id).where(Event.starts_at > now, Event.status == EventStatus.PLANNED)
            .order_by(Event.starts_at, Event.id).limit(1))
        focal = db.session.scalar(sa.select(User).where(User.email == "focal@demo.example"))
        items = db.session.scalars(sa.select(ChecklistItem).where(
            ChecklistItem.status == ItemStatus.OPEN).order_by(ChecklistItem.id)).all()
        s.item_id = next(i.id for i in items if work.can_work_on(focal, i))
        db.session.commit()
        db.engine.dispose()
    s.env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
             "FLASK_APP": "app", "FLASK_DEBUG": "0", "STORAGE_BACKEND": "db",
             # Four failures of one account from one address lock it there: counted in the
             # database, so two failures on each host are enough.
             "LOGIN_HARD_LOCK_FAILURES": "4", "LOGIN_MAX_FAILURES_PER_ACCOUNT": "10"}
    servers, logs = [], []
    try:
        for name in ("a", "b"):
            (root / name).mkdir()
            log = open(root / f"{name}.log", "w")  # noqa: SIM115  (closed below)
            logs.append(log)
            servers.append(start_gunicorn({**s.env, "INSTANCE_PATH": str(root / name)}, log))
        s.a, s.b = (base for _p, base in servers)
        yield s
    finally:
        for process, _base in servers:
            stop(process)
        for log in logs:
            log.close()


def _session(base: str, email: str = "admin@demo.example") -> HttpSession:
    client = HttpSession(base)
    client.log_in(email, "demo")
    return client


def _feed(base: str, token: str):
    status, headers, body = HttpSession(base).request(f"/feeds/{token}.ics")
    assert status == 200
    return headers["ETag"], body


def _edit(client: HttpSession, event_id: int, title: str, fields=None):
    fields = fields if fields is not None else form_fields(
        client.request(f"/events/{event_id}/edit")[2], f"/events/{event_id}/edit")
    fields = [(k, title if k == "title_vi" else v) for k, v in fields]
    fields.append(("override_reason", "Kiểm thử hai máy chủ"))
    return client.request(f"/events/{event_id}/edit", fields)


def test_an_edit_through_a_changes_the_feed_served_by_b(hosts):
    etag, body = _feed(hosts.b, hosts.token)
    assert _feed(hosts.b, hosts.token)[0] == etag  # stable while nothing changes
    title = f"Sửa qua máy A {secrets.token_hex(3)}"
    status, _h, page = _edit(_session(hosts.a), hosts.event_id, title)
    assert status == 302, page[:2000]
    new_etag, new_body = _feed(hosts.b, hosts.token)
    assert new_etag != etag
    assert title.encode() in new_body.replace(b"\r\n ", b"")
    assert title.encode() not in body


def test_a_file_uploaded_through_a_downloads_through_b(hosts):
    uploader = _session(hosts.a, "focal@demo.example")
    item_path = f"/checklists/items/{hosts.item_id}"
    fields = form_fields(uploader.request(item_path)[2], f"{item_path}/submit")
    data = b"%PDF-1.4\n" + os.urandom(700_000)  # three chunks in the database
    body, content_type = multipart([(k, v if k != "text" else "Qua máy A") for k, v in fields],
                                   [("attachments", "bao-cao.pdf", data)])
    status, _h, page = uploader.request(f"{item_path}/submit", body, {"Content-Type": content_type})
    assert status == 302, page[:2000]
    _s, _h, item_page = _session(hosts.b, "focal@demo.example").request(item_path)
    attachment = re.search(rb'href="(/checklists/attachments/\d+)"', item_page)
    assert attachment, "the item page on B lists no attachment"
    status, headers, downloaded = _session(hosts.b).request(attachment.group(1).decode())
    assert status == 200
    assert downloaded == data


def test_two_simultaneous_saves_one_wins_the_other_gets_409(hosts):
    a, b = _session(hosts.a), _session(hosts.b)
    path = f"/events/{hosts.event_id}/edit"
    forms = [form_fields(client.request(path)[2], path) for client in (a, b)]
    barrier, answers = threading.Barrier(2), {}

    def save(name, client, fields):
        barrier.wait()
        answers[name] = _edit(client, hosts.event_id, f"Bản của máy {name}", fields)

    threads = [threading.Thread(target=save, args=(n, c, f)) for n, c, f in
               (("A", a, forms[0]), ("B", b, forms[1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(answer[0] for answer in answers.values())
    assert statuses == [302, 409]
    loser = next(n for n, answer in answers.items() if answer[0] == 409)
    winner = "A" if loser == "B" else "B"
    assert f"Bản của máy {winner}".encode() in answers[loser][2]  # the changes are shown


def test_reminders_sent_from_both_hosts_at_once_go_out_once(hosts):
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = {**hosts.env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(controller.port)}
        runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "reminders", "send"],
                                 env={**env, "INSTANCE_PATH": str(hosts.root / name)}, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for name in ("a", "b")]
        outputs = [run.communicate(timeout=300)[0] for run in runs]
    finally:
        controller.stop()
    assert all(run.returncode == 0 for run in runs), outputs
    # Notices to people (the deliveries ledger) and e-mails to invited press outlets (their own
    # ledger, issue 13): each claimed once, whichever host sent it.
    sent = sum(int(m) for out in outputs for m in re.findall(r"\b(?:sent|outlet_mails) (\d+)", out))
    with hosts.setup.app_context():
        ledger = sum(db.session.scalar(sa.select(sa.func.count()).select_from(table)
                                       .where(table.status == "sent"))
                     for table in (Delivery, OutletMailing))
        db.engine.dispose()
    assert sent > 0, outputs
    assert len(handler.messages) == sent == ledger
    assert len(set(handler.messages)) == len(handler.messages)


def test_login_failures_are_counted_across_both_hosts(hosts):
    for base in (hosts.a, hosts.b, hosts.a, hosts.b):
        client = HttpSession(base)
        page = client.request("/login")[2]
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        status, _h, _b = client.request("/login", {"csrf_token": token, "email": "viewer@demo.example",
                                                   "password": "wrong"})
        assert status == 200
    client = HttpSession(hosts.a)
    page = client.request("/login")[2]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    status, _h, page = client.request("/login", {"csrf_token": token, "email": "viewer@demo.example",
                                                 "password": "demo"})
    assert status == 200  # refused although the password is right: locked at this address
    assert "bị khóa" in page.decode() or "locked" in page.decode()
