"""Issue 12 item 3: what changed, on the feeds page and as Atom; e-mail to subscribers.

Events moved or cancelled, new deadlines and moved deadlines of what a feed shows, with
its visibility and detail rules; ``/feeds/<token>.atom`` with ETag/304; a subscriber who
chose e-mail hears once when an event of their feed is rescheduled or cancelled.
"""
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events import services as event_services
from app.events.history import save_changes, snapshot
from app.events.models import EventStatus
from app.extensions import db
from app.feeds.models import DetailLevel
from app.notifications.models import Delivery, Kind, Mode, NotificationPreference
from tests.fixtures_checklists import provide_item
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("feed_cache_dir")
ATOM = "{http://www.w3.org/2005/Atom}"


def _move(actor, event, days=2):
    old = snapshot(event)
    event.starts_at += timedelta(days=days)
    event.ends_at += timedelta(days=days)
    save_changes(actor, event, old, event.version)
    db.session.commit()


def _atom(client, token, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.application.test_client().get(f"/feeds/{token}.atom", headers=headers)


def _entries(response) -> list[tuple[str, str]]:
    root = ET.fromstring(response.data)
    return [(e.find(f"{ATOM}category").get("term"), e.find(f"{ATOM}title").text)
            for e in root.findall(f"{ATOM}entry")]


def test_atom_lists_moves_cancellations_and_deadlines(client, setting, make_feed, clock):
    # Generated before its due time (not short notice): its due time follows the event.
    clock(setting.event.starts_at - timedelta(days=40))
    item = provide_item(setting, setting.coord_a)
    _feed, token = make_feed(setting.focal_a, mine=True)
    first = _atom(client, token)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert ("new_deadline", f"Hạn nộp mới: Hạn: {item.title_vi} — {setting.event.title_vi}") \
        in _entries(first)
    assert _atom(client, token, first.headers["ETag"]).status_code == 304

    _move(setting.protocol, setting.event)
    second = _atom(client, token, first.headers["ETag"])
    assert second.status_code == 200
    kinds = [kind for kind, _title in _entries(second)]
    assert "moved" in kinds
    assert "deadline_moved" in kinds

    event_services.change_status(setting.protocol, setting.event, EventStatus.CANCELLED,
                                 "Đối tác hoãn chuyến thăm", setting.event.version)
    db.session.commit()
    assert "cancelled" in [kind for kind, _title in _entries(_atom(client, token))]


def test_atom_keeps_the_feeds_rules(client, setting, make_feed, make_user):
    provide_item(setting, setting.coord_a)
    _feed, busy = make_feed(setting.focal_a, mine=True, detail=DetailLevel.BUSY_ONLY)
    _move(setting.protocol, setting.event)
    titles = [title for _kind, title in _entries(_atom(client, busy))]
    assert titles
    assert all(setting.event.title_vi not in t for t in titles)
    outsider = make_user(Role.VIEWER, unit=setting.other)
    setting.event.visibility = "confidential"
    db.session.commit()
    _feed, hidden = make_feed(outsider)
    assert _entries(_atom(client, hidden)) == []
    assert _atom(client, "x" * 43).status_code == 404


def test_feeds_page_shows_changes_since_last_fetch(client, setting, make_feed):
    _feed, token = make_feed(setting.focal_a, mine=True)
    assert client.application.test_client().get(f"/feeds/{token}.ics").status_code == 200
    _move(setting.protocol, setting.event)
    log_in(client, setting.focal_a)
    page = client.get("/feeds/").get_data(as_text=True)
    assert "Thay đổi kể từ lần ứng dụng lịch của bạn tải về gần nhất" in page
    assert "Đã dời lịch" in page
    assert setting.event.title_vi in page


def _deliveries(user, kind):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
        Delivery.recipient_id == user.id, Delivery.kind == kind))


def test_subscribers_who_chose_email_hear_once(app, setting, make_user, make_feed):
    by_mail = make_user(Role.VIEWER, unit=setting.other)      # not a stakeholder of the event
    in_app = make_user(Role.VIEWER, unit=setting.other)
    db.session.add(NotificationPreference(user_id=in_app.id, mode=Mode.IN_APP))
    db.session.commit()
    make_feed(by_mail)
    make_feed(by_mail, name="Lịch thứ hai")
    make_feed(in_app)
    _move(setting.protocol, setting.event)
    assert _deliveries(by_mail, Kind.EVENT_RESCHEDULED) == 1
    assert _deliveries(in_app, Kind.EVENT_RESCHEDULED) == 0
    event_services.change_status(setting.protocol, setting.event, EventStatus.CANCELLED,
                                 "Hủy", setting.event.version)
    db.session.commit()
    assert _deliveries(by_mail, Kind.EVENT_CANCELLED) == 1
