"""Forms that create something create it once.

The event, submission and feed forms carry a one-time token, claimed in the database with
what the POST creates; a second POST of the same form is sent to what the first created.
"""
import io
import re
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistSubmission, SubmissionAttachment
from app.checklists.services import sync_checklist
from app.events.models import Event
from app.extensions import db
from app.feeds.models import FeedToken
from app.idempotency import FormToken, issue, well_formed
from tests.fixtures_events import form_fields
from tests.helpers import count, log_in, nothing_written

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
ALREADY = "This form had already been sent: here is what it created."
EXPIRED = "This form has expired. Your input is kept below: send it again."


@pytest.fixture
def protocol(client, make_unit, make_user):
    unit = make_unit("so-ngoai-vu")
    user = make_user(Role.PROTOCOL, unit=unit, locale="en")
    log_in(client, user)
    return user


def token_in(page: str) -> str:
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_create_form_carries_a_fresh_token_each_time(client, protocol):
    first = token_in(client.get("/events/new").get_data(as_text=True))
    second = token_in(client.get("/events/new").get_data(as_text=True))
    assert well_formed(first)
    assert well_formed(second)
    assert first != second
    assert count(FormToken) == 0  # showing a form writes nothing


def test_an_event_form_sent_twice_creates_one_event(client, protocol):
    fields = form_fields(protocol.unit_id, form_token=token_in(
        client.get("/events/new").get_data(as_text=True)))
    first = client.post("/events/new", data=fields)
    assert first.status_code == 302
    with nothing_written():
        again = client.post("/events/new", data=fields)
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert ALREADY in client.get(again.headers["Location"]).get_data(as_text=True)
    assert count(Event) == 1
    stored = db.session.scalars(sa.select(FormToken)).one()
    assert stored.token_hash != fields["form_token"]
    assert stored.purpose == "event"
    assert stored.result_url == first.headers["Location"]


def test_a_refused_first_sending_does_not_use_the_token(client, protocol):
    fields = form_fields(protocol.unit_id)
    refused = client.post("/events/new", data={**fields, "end_time": "07:00"})
    assert refused.status_code == 200
    assert token_in(refused.get_data(as_text=True)) == \
        fields["form_token"]
    assert count(FormToken) == 0
    assert client.post("/events/new", data=fields).status_code == 302
    assert count(Event) == 1


@pytest.mark.parametrize("token", [None, "", "short", "x" * 43 + "!", "é" * 43])
def test_a_form_without_a_valid_token_is_refused_and_gets_a_fresh_one(client, protocol, token):
    fields = form_fields(protocol.unit_id, title_vi="Hội nghị giữ nguyên nội dung")
    if token is None:
        del fields["form_token"]
    else:
        fields["form_token"] = token
    with nothing_written():
        refused = client.post("/events/new", data=fields)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert EXPIRED in page
    assert "Hội nghị giữ nguyên nội dung" in page  # the input is kept
    fresh = token_in(page)
    assert well_formed(fresh)
    assert client.post("/events/new", data={**fields, "form_token": fresh}).status_code == 302


def test_another_users_token_reveals_nothing(client, protocol, make_user):
    fields = form_fields(protocol.unit_id)
    first = client.post("/events/new", data=fields)
    client.post("/logout")
    log_in(client, make_user(Role.PROTOCOL, unit=protocol.unit, locale="en"))
    with nothing_written():
        refused = client.post("/events/new", data=fields)
    assert refused.status_code == 200
    assert EXPIRED in refused.get_data(as_text=True)
    assert first.headers["Location"] not in refused.get_data(as_text=True)


def test_a_submission_sent_twice_is_stored_once(client, app, clock, setting, uploads):
    clock(NOW)
    sync_checklist(setting.event)
    db.session.commit()
    item = db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.unit_id == setting.coord_a.id, ChecklistItem.key.like("%:unit:%")))
    log_in(client, setting.focal_a)
    token = token_in(client.get(f"/checklists/items/{item.id}").get_data(as_text=True))

    def send():
        return client.post(f"/checklists/items/{item.id}/submit", content_type="multipart/form-data",
                           data={"text": "Số liệu", "version": str(item.version),
                                 "form_token": token,
                                 "attachments": [(io.BytesIO(b"%PDF-1.4 x"), "bao-cao.pdf")]})

    assert send().status_code == 302
    with nothing_written():
        again = send()
    assert again.status_code == 302
    assert again.headers["Location"].endswith(
        f"/checklists/items/{item.id}")
    assert (count(ChecklistSubmission), count(SubmissionAttachment)) == (1, 1)
    assert len(list(uploads.iterdir())) == 1


def test_a_feed_form_sent_twice_creates_one_feed(client, login):
    user = login(Role.LIAISON)
    fields = {"name": "Báo chí", "language": "vi", "detail": "press_safe", "alarms": "none",
              "days_back": "30", "days_ahead": "365", "form_token": issue()}
    assert client.post("/feeds/new", data=fields).status_code == 200  # the address, shown once
    with nothing_written():
        again = client.post("/feeds/new", data=fields)
    assert again.status_code == 302
    assert again.headers["Location"].endswith("/feeds/")
    assert count(FeedToken, FeedToken.owner_id == user.id) == 1


def test_two_sendings_at_the_same_instant_create_one_event(app, client, protocol):
    """Two workers get the same form at the same instant: one event.

    The second claim waits for the first transaction (PostgreSQL) or the single writer
    (SQLite), then finds the token taken.
    """
    fields = form_fields(protocol.unit_id)
    clients = [app.test_client() for _ in range(2)]
    for each in clients:
        log_in(each, protocol)
    ready = threading.Barrier(2)
    answers, errors = [], []

    def send(each):
        try:
            ready.wait()
            answers.append(each.post("/events/new", data=fields))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert [a.status_code for a in answers] == [302, 302]
    assert len({a.headers["Location"] for a in answers}) == 1
    db.session.expire_all()
    assert count(Event) == 1
    assert count(FormToken) == 1
