"""The oversight's month rollups: the figures read from them equal the figures of the raw tables.

Each test fills the rollups (a first read), changes the data the way a service would (a
flush, or a bulk statement), and compares the figures read again with those computed after
the rollups are thrown away (so from the items, events and briefings themselves).
"""
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus
from app.events.models import EventKind
from app.extensions import db
from app.oversight import rollup, services
from app.oversight.models import EventCount, ItemCount, MedianCache, RollupMonth
from app.press.models import Briefing, BriefingStatus
from tests.fixtures_oversight import OVERSIGHT_NOW, at
from tests.helpers import log_in

ZONE = "Asia/Ho_Chi_Minh"


def scope(**query):
    return services.make_scope(zone=ZONE, now=OVERSIGHT_NOW, **(query or {"period": "2026"}))


def figures(found):
    table = services.table(found)
    return (table.cells, table.units, table.kinds, table.total, services.trend(found))


def from_raw_tables(found):
    for model in (ItemCount, EventCount, MedianCache, RollupMonth):
        db.session.execute(sa.delete(model))
    return figures(found)


def rolled_months() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RollupMonth)
                             .where(RollupMonth.rolled == RollupMonth.generation)) or 0


def test_whole_months_come_from_the_rollup_and_equal_the_raw_figures(oversight_world):
    year = scope()
    first = figures(year)
    assert rolled_months() == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemCount)) > 0
    assert figures(year) == first == from_raw_tables(year)
    total = first[3]
    assert (total.events_held, total.briefed_before, total.items_due, total.on_time, total.late,
            total.overdue_now) == (4, 2, 5, 1, 3, 2)


def test_item_changes_are_followed(oversight_world):
    w = oversight_world
    year = scope()
    figures(year)
    w.overdue.due_at = at(10, 25)               # from the current month to a rolled-up one
    w.on_time.completed_at = at(10, 2)          # now done late
    w.not_yet.status = ItemStatus.NOT_NEEDED    # leaves the figures
    db.session.flush()
    changed = figures(year)
    assert changed == from_raw_tables(year)
    total = changed[3]
    assert (total.items_due, total.on_time, total.late, total.overdue_now) == (4, 0, 4, 2)


def test_short_notice_items_are_rolled_up_apart_from_late_work(short_notice_items):
    """The rollup counts short-notice items in their own column; a change of the flag is followed."""
    w = short_notice_items
    year = scope()
    first = figures(year)
    assert first == from_raw_tables(year)
    figures(year)
    october = db.session.scalars(sa.select(ItemCount).where(ItemCount.month == f"{ZONE}:2026-10")).all()
    assert {(row.unit_id, row.short_notice, row.on_time, row.done_late) for row in october} == {
        (w.good.id, 1, 1, 0), (w.bad.id, 1, 0, 0)}
    total = first[3]
    assert (total.items_due, total.on_time, total.late, total.overdue_now, total.short_notice) == (8, 1, 3, 2, 3)
    assert figures(year) == first
    w.short_done_late.short_notice = False       # a rolled-up month: now late work
    db.session.flush()
    changed = figures(year)
    assert changed == from_raw_tables(year)
    assert (changed[3].late, changed[3].short_notice) == (4, 2)


def test_event_kind_briefing_and_submission_changes_are_followed(oversight_world):
    w = oversight_world
    year = scope()
    before = figures(year)
    w.briefed.kind = EventKind.CULTURAL         # its event and its items move to another kind
    db.session.add(Briefing(event=w.unbriefed, title_vi="Họp báo trước", starts_at=at(11, 1),
                            ends_at=at(11, 1, 3), status=BriefingStatus.HELD))
    db.session.add(ChecklistSubmission(item_id=w.overdue.id, submitted_by_id=w.head.id,
                                       submitted_at=at(10, 20), text="…"))
    db.session.flush()
    after = figures(year)
    assert after == from_raw_tables(year)
    assert after[3].briefed_before == before[3].briefed_before + 1
    assert EventKind.CULTURAL in after[2]
    assert after[2][EventKind.CULTURAL].events_held == 2
    assert after[3].median_lead_seconds != before[3].median_lead_seconds   # a new lead time


def test_a_bulk_statement_makes_every_month_stale(oversight_world):
    year = scope()
    figures(year)
    db.session.execute(sa.update(ChecklistItem).values(status=ItemStatus.DONE,
                                                       completed_at=datetime(2026, 9, 1, tzinfo=UTC)))
    assert rolled_months() == 0
    after = figures(year)
    assert after == from_raw_tables(year)
    assert (after[3].on_time, after[3].overdue_now) == (5, 0)


def test_partial_months_and_filters_are_counted_from_the_tables(oversight_world):
    w = oversight_world
    figures(scope())
    for query in ({"start": "2026-10-15", "end": "2026-11-10"}, {"period": "2026-Q4", "unit": "u-bad"},
                  {"period": "2026", "kind": "political"}):
        found = scope(**query)
        assert figures(found) == from_raw_tables(found), query
        figures(scope())
    edges = services.table(scope(start="2026-10-15", end="2026-11-10")).total
    assert (edges.events_held, edges.items_due) == (3, 3)
    w.late.completed_at = at(11, 1) - timedelta(hours=1)   # now on time
    db.session.flush()
    found = scope(period="2026-Q4", unit="u-bad")
    assert figures(found) == from_raw_tables(found)


def test_the_page_keeps_what_it_filled(client, oversight_world):
    log_in(client, oversight_world.steering)
    assert client.get("/oversight?period=2026").status_code == 200
    db.session.remove()
    assert rolled_months() == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MedianCache)) == 1


def test_concurrent_readers_and_a_writer_agree(app, oversight_world):
    """Two requests fill the same months while a writer changes one (PostgreSQL: concurrently)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers in one file; concurrent fills are a PostgreSQL matter")
    w = oversight_world
    expected = from_raw_tables(scope())
    db.session.commit()
    barrier = threading.Barrier(3)
    results, errors = [], []

    def reader():
        try:
            with app.app_context():
                barrier.wait()
                results.append(figures(scope()))
                rollup.commit_fills()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def writer():
        try:
            with app.app_context():
                barrier.wait()
                item = db.session.get(ChecklistItem, w.not_yet.id)
                item.status = ItemStatus.NOT_NEEDED
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=f) for f in (reader, reader, writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    after = from_raw_tables(scope())
    for found in results:   # each reader saw the data before or after the write, never a mix
        assert found in (expected, after)
    assert figures(scope()) == after
