"""Issue 12 item 1 (+4, 6, 7): checklist deadlines in calendar feeds.

The open items of the owner and the owner's unit, each its own entry at its due time,
stable UID ``item-<id>@host``, SEQUENCE up when the due time moves, gone when done,
cancelled with their event, at the feed's detail level; VEVENT by default, VTODO on request.
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from app.checklists import work
from app.checklists.models import ChecklistItem, ItemStatus
from app.checklists.services import sync_checklist
from app.events.models import EventStatus
from app.extensions import db
from app.feeds import build, tokens
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken
from app.timeutil import utcnow
from tests.fixtures_checklists import provide_item
from tests.fixtures_feeds import parse_three, statements_during

pytestmark = pytest.mark.usefixtures("feed_cache_dir")


def _fetch(client, token):
    response = client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    return parse_three(response.data), response


def _entries(calendar, component="VEVENT"):
    return {str(c["UID"]): c for c in calendar.walk(component)}


def _uid(item):
    return f"item-{item.id}@localhost"


def test_mine_feed_holds_the_units_open_items_and_no_other_units(client, setting, make_feed):
    mine = provide_item(setting, setting.coord_a)
    theirs = provide_item(setting, setting.coord_b)
    _feed, token = make_feed(setting.focal_a, mine=True, alarms=AlarmPreset.DAY)
    entries = _entries(_fetch(client, token)[0])
    assert _uid(theirs) not in entries
    entry = entries[_uid(mine)]
    assert str(entry["SUMMARY"]) == f"Hạn: {mine.title_vi} — {setting.event.title_vi}"
    assert entry["DTSTART"].dt == mine.due_at
    assert entry["DTEND"].dt - entry["DTSTART"].dt == timedelta(minutes=15)
    assert str(entry["RELATED-TO"]) == f"event-{setting.event.id}@localhost"
    assert entry["CATEGORIES"].cats == ["Hạn nộp"]
    description = str(entry["DESCRIPTION"])
    assert setting.event.title_vi in description
    assert setting.lead.name_vi in description
    assert f"/checklists/items/{mine.id}" in description
    if mine.legal_basis:
        assert mine.legal_basis in description
    assert [a["TRIGGER"].dt for a in entry.walk("VALARM")] == [timedelta(days=-1)]
    # Every open item that falls to the unit, and no item of another unit.
    own = set(db.session.scalars(sa.select(ChecklistItem.id).where(
        ChecklistItem.unit_id == setting.coord_a.id,
        ChecklistItem.status == ItemStatus.OPEN)))
    assert {u for u in entries if u.startswith("item-")} == {f"item-{i}@localhost" for i in own}


def test_deadlines_follow_the_option(client, setting, make_feed):
    item = provide_item(setting, setting.coord_a)
    _feed, plain = make_feed(setting.focal_a)                     # not "mine": default off
    _feed, asked = make_feed(setting.focal_a, deadlines="on")
    _feed, refused = make_feed(setting.focal_a, mine=True, deadlines="off")
    assert _uid(item) not in _entries(_fetch(client, plain)[0])
    assert _uid(item) in _entries(_fetch(client, asked)[0])
    assert _uid(item) not in _entries(_fetch(client, refused)[0])


def test_accepted_item_leaves_and_moved_due_bumps_sequence(client, setting, make_feed, clock):
    # Generated before its due time (not short notice): its due time follows the event.
    clock(setting.event.starts_at - timedelta(days=40))
    item = provide_item(setting, setting.coord_a)
    _feed, token = make_feed(setting.focal_a, mine=True)
    before = _entries(_fetch(client, token)[0])[_uid(item)]

    # The protocol officer moves the event two days later: same UID, higher SEQUENCE.
    event = setting.event
    event.starts_at += timedelta(days=2)
    event.ends_at += timedelta(days=2)
    event.sequence += 1
    db.session.flush()
    sync_checklist(event)
    db.session.commit()
    moved = _entries(_fetch(client, token)[0])[_uid(item)]
    assert moved["DTSTART"].dt == before["DTSTART"].dt + timedelta(days=2)
    assert moved["SEQUENCE"] > before["SEQUENCE"]

    # A submission keeps it (waiting for review); the lead unit's acceptance removes it.
    db.session.refresh(item)
    work.submit(setting.focal_a, item, "Thông tin đã cung cấp", [], item.version)
    db.session.commit()
    assert _uid(item) in _entries(_fetch(client, token)[0])
    db.session.refresh(item)
    work.accept(setting.lead_focal, item, "", item.version)
    db.session.commit()
    assert _uid(item) not in _entries(_fetch(client, token)[0])


def test_cancelled_event_keeps_its_deadlines_cancelled(client, setting, make_feed):
    item = provide_item(setting, setting.coord_a)
    _feed, token = make_feed(setting.focal_a, mine=True)
    setting.event.status, setting.event.status_changed_at = EventStatus.CANCELLED, utcnow()
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    entry = _entries(_fetch(client, token)[0])[_uid(item)]
    assert str(entry["STATUS"]) == "CANCELLED"
    assert str(entry["SUMMARY"]).startswith("Đã hủy: Hạn: ")


def test_busy_only_and_unreleased_sensitive_say_nothing_of_the_event(client, setting, make_feed):
    item = provide_item(setting, setting.coord_a)
    _feed, busy = make_feed(setting.focal_a, mine=True, detail=DetailLevel.BUSY_ONLY)
    entry = _entries(_fetch(client, busy)[0])[_uid(item)]
    assert str(entry["SUMMARY"]) == "Hạn nộp"
    assert "DESCRIPTION" not in entry
    assert "RELATED-TO" not in entry

    setting.event.is_sensitive = True
    db.session.commit()
    _feed, full = make_feed(setting.focal_a, mine=True, detail=DetailLevel.FULL)
    calendar, response = _fetch(client, full)
    entry = _entries(calendar)[_uid(item)]
    assert str(entry["SUMMARY"]) == f"Hạn: {item.title_vi}"
    assert "RELATED-TO" not in entry
    assert setting.event.title_vi not in response.get_data(as_text=True).replace("\r\n ", "")


def test_vtodo_variant_in_english(client, setting, make_feed):
    item = provide_item(setting, setting.coord_a)
    _feed, token = make_feed(setting.focal_a, mine=True, tasks=True, language="en",
                             alarms=AlarmPreset.BOTH)
    calendar, _response = _fetch(client, token)
    assert _uid(item) not in _entries(calendar)
    task = _entries(calendar, "VTODO")[_uid(item)]
    assert task["DUE"].dt == item.due_at
    assert str(task["STATUS"]) == "NEEDS-ACTION"
    assert str(task["SUMMARY"]).startswith("Due: ")
    assert task["CATEGORIES"].cats == ["Deadline"]
    assert len(list(task.walk("VALARM"))) == 2


def test_all_day_when_the_unit_prefers_it(client, setting, make_feed):
    item = provide_item(setting, setting.coord_a)
    setting.coord_a.deadlines_all_day = True
    db.session.commit()
    _feed, token = make_feed(setting.focal_a, mine=True)
    entry = _entries(_fetch(client, token)[0])[_uid(item)]
    assert not hasattr(entry["DTSTART"].dt, "hour")  # a DATE


def test_deadlines_are_one_query_however_many(app, setting, make_feed, make_event):
    provide_item(setting, setting.coord_a)
    feed, _token = make_feed(setting.focal_a, mine=True)

    def count() -> int:
        spec = build.token_spec(db.session.get(FeedToken, feed.id))
        sent = statements_during(lambda: build.build_feed(spec, utcnow()))
        return len([s for s in sent if "checklist_items" in s])

    few = count()
    for _n in range(3):
        sync_checklist(make_event(lead_unit=setting.lead, coordinating_units=[setting.coord_a]))
    db.session.commit()
    assert count() == few


def test_cli_issues_a_mine_feed_with_deadlines(app, setting):
    item = provide_item(setting, setting.coord_a)
    setting.focal_a.email = "focal.a@example.com"
    db.session.commit()
    result = CliRunner().invoke(app.cli, ["feeds", "token", "focal.a@example.com", "--mine",
                                          "--deadlines"], obj=None)
    assert result.exit_code == 0, result.output
    token = result.output.strip().rsplit("/", 1)[1].removesuffix(".ics")
    feed = tokens.find_usable_feed(token, utcnow())
    assert feed.filters["mine"] is True
    assert feed.filters["deadlines"] is True
    with app.test_client() as client:
        assert _uid(item) in _entries(_fetch(client, token)[0])
