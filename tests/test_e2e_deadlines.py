"""Issue 12 "Done when", end to end in a real browser.

A focal point creates a unit feed with deadlines; the fetched .ics holds the unit's open
items at their due times; the lead unit accepts one submission and the next fetch no longer
holds that deadline; the protocol officer moves the event and the next fetch shows the
moved deadlines with a higher SEQUENCE; the Atom feed lists those changes.
"""
import urllib.request
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.checklists import work
from app.checklists.models import OPEN_STATUSES, ChecklistItem
from app.checklists.services import sync_checklist
from app.config import TestConfig
from app.events.history import save_changes, snapshot
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit
from tests.fixtures_feeds import parse_three

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"


def _live_app(database_url: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    return create_app(Config)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def _items(body: bytes) -> dict:
    return {str(c["UID"]): c for c in parse_three(body).walk("VEVENT")
            if str(c["UID"]).startswith("item-")}


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_focal_point_unit_feed_follows_acceptance_and_reschedule(live_server, page):
    app = _live_app(live_server.database_url)
    with app.app_context():
        lead = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-ngoai-vu"))
        focal = _user("focal@demo.example")
        start = utcnow().replace(microsecond=0, second=0, minute=0) + timedelta(days=20)
        event = Event(title_vi="Đón đoàn tỉnh Attapeu thăm và làm việc",
                      title_en="Attapeu delegation visit", kind=EventKind.DELEGATION_IN,
                      status=EventStatus.PLANNED, visibility=Visibility.INTERNAL,
                      starts_at=start, ends_at=start + timedelta(hours=3), lead_unit=lead,
                      coordinating_units=[db.session.get(Unit, focal.unit_id)])
        db.session.add(event)
        db.session.flush()
        sync_checklist(event)
        db.session.commit()
        event_id, unit_id = event.id, focal.unit_id

    page.goto(live_server + "/login")
    page.fill("input[name=email]", "focal@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.goto(live_server + "/feeds/new")
    page.fill("input[name=name]", "Lịch chung của đơn vị")
    page.check("input[name=for_unit]")
    page.select_option("select[name=detail]", "full")
    page.click("[data-testid=save-feed]")
    url = page.locator("[data-testid=feed-url]").input_value()
    atom_url = page.locator("[data-testid=feed-atom]").input_value()
    assert atom_url == url.removesuffix(".ics") + ".atom"
    page.goto(live_server + "/feeds/")
    assert "Lịch dùng chung của" in page.locator("table.feeds").inner_text()

    with app.app_context():
        open_items = {f"item-{i.id}@127.0.0.1": i.due_at for i in db.session.scalars(
            sa.select(ChecklistItem).where(ChecklistItem.event_id == event_id,
                                           ChecklistItem.unit_id == unit_id,
                                           ChecklistItem.status.in_(OPEN_STATUSES)))}
    assert open_items
    first = _items(_get(url))
    assert {uid: first[uid]["DTSTART"].dt for uid in open_items} == open_items

    # The unit provides its information; the lead unit (protocol) accepts it.
    with app.app_context():
        item = db.session.scalar(sa.select(ChecklistItem).where(
            ChecklistItem.event_id == event_id, ChecklistItem.unit_id == unit_id,
            ChecklistItem.requires_submission.is_(True)))
        work.submit(_user("focal@demo.example"), item, "Danh sách cán bộ tham dự", [],
                    item.version)
        db.session.commit()
        work.accept(_user("protocol@demo.example"), item, "Đã nhận", item.version)
        db.session.commit()
        accepted = f"item-{item.id}@127.0.0.1"
    second = _items(_get(url))
    assert accepted not in second
    assert set(second) >= set(open_items) - {accepted}

    # The protocol officer moves the event by two days.
    with app.app_context():
        event = db.session.get(Event, event_id)
        old = snapshot(event)
        event.starts_at += timedelta(days=2)
        event.ends_at += timedelta(days=2)
        save_changes(_user("protocol@demo.example"), event, old, event.version)
        db.session.commit()
        due = {f"item-{i.id}@127.0.0.1": i.due_at for i in db.session.scalars(
            sa.select(ChecklistItem).where(ChecklistItem.event_id == event_id))}
        db.engine.dispose()
    third = _items(_get(url))
    assert set(third) == set(second)
    ours = [uid for uid in third if uid in due]  # the unit's items of this event
    moved = [uid for uid in ours if third[uid]["DTSTART"].dt != second[uid]["DTSTART"].dt]
    assert moved  # (calendar or working days from the start: some land on other weekdays)
    for uid in ours:
        entry = third[uid]
        assert entry["DTSTART"].dt == due[uid], uid
        if uid in moved:
            assert entry["DTSTART"].dt > second[uid]["DTSTART"].dt, uid
            assert entry["SEQUENCE"] > second[uid]["SEQUENCE"], uid

    kinds = [e.find(f"{ATOM}category").get("term")
             for e in ET.fromstring(_get(atom_url)).findall(f"{ATOM}entry")]
    assert "moved" in kinds
    assert "deadline_moved" in kinds
    assert "new_deadline" in kinds
