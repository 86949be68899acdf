"""Deadlines that were never possible (issue 16, item 2): short-notice checklist items.

An item whose due time has already passed when it is generated for an event still ahead is due
as soon as possible, within a grace period (a setting, default 1 working day), marked "short
notice" on pages and counted apart from late work.
"""
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.checklists import short_notice
from app.checklists.models import ChecklistItem, ItemStatus
from app.checklists.rules import due_with_notice
from app.checklists.schedule import as_soon_as_possible
from app.checklists.services import sync_checklist
from app.extensions import db
from app.settings import services as settings_services
from tests.helpers import log_in

HCM = "Asia/Ho_Chi_Minh"
FRIDAY = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 10:00 in Viet Nam
NEXT_MONDAY_5PM = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


# --- the pure rule ----------------------------------------------------------------------

def test_as_soon_as_possible_is_the_end_of_the_next_working_day():
    assert as_soon_as_possible(FRIDAY, 1, HCM) == NEXT_MONDAY_5PM  # the weekend is skipped
    assert as_soon_as_possible(FRIDAY, 0, HCM) == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 19:00 local, after working hours
    assert as_soon_as_possible(evening, 0, HCM) == evening


def test_due_with_notice():
    ahead = SimpleNamespace(starts_at=FRIDAY + timedelta(days=5), timezone=HCM)
    started = SimpleNamespace(starts_at=FRIDAY - timedelta(hours=1), timezone=HCM)
    past, future = FRIDAY - timedelta(days=3), FRIDAY + timedelta(days=2)
    assert due_with_notice(ahead, past, FRIDAY, 1) == (NEXT_MONDAY_5PM, True)
    assert due_with_notice(ahead, future, FRIDAY, 1) == (future, False)
    # An event already under way or held (recorded afterwards): late is late.
    assert due_with_notice(started, past, FRIDAY, 1) == (past, False)
    # Already short notice: it keeps its due time (saving the event again does not push it).
    kept = FRIDAY + timedelta(hours=4)
    assert due_with_notice(ahead, past, FRIDAY + timedelta(days=1), 1, True, kept) == (kept, True)


# --- generation ---------------------------------------------------------------------------

def _items(event):
    return {i.key: i for i in db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == event.id))}


def test_items_already_past_are_due_as_soon_as_possible(setting, clock):
    clock(FRIDAY)  # the event is on 10/12; "enter in plan" (T-30d, 10/11) is already past
    sync_checklist(setting.event)
    db.session.commit()
    items = _items(setting.event).values()
    short = [i for i in items if i.short_notice]
    normal = [i for i in items if not i.short_notice]
    assert short
    assert normal
    assert {i.due_at for i in short} == {NEXT_MONDAY_5PM}
    assert all(i.due_at > FRIDAY for i in normal)
    assert not any(i.is_overdue(FRIDAY) for i in items)

    # Saved again on Monday: the short-notice items keep their due time...
    clock(NEXT_MONDAY_5PM - timedelta(hours=5))
    setting.event.title_vi = "Đổi tên"
    sync_checklist(setting.event)
    db.session.commit()
    assert {i.due_at for i in _items(setting.event).values() if i.short_notice} == {NEXT_MONDAY_5PM}

    # ...and a reschedule that makes their own due time possible ends the short notice.
    setting.event.starts_at += timedelta(days=60)
    setting.event.ends_at += timedelta(days=60)
    sync_checklist(setting.event)
    db.session.commit()
    assert not any(i.short_notice for i in _items(setting.event).values())


def test_the_grace_period_is_a_setting(setting, clock):
    settings_services.update(setting.admin, "checklists.short_notice_grace_working_days",
                             value="0", legal_basis="Quyết định của Ban Chỉ đạo", verified=True,
                             note="")
    db.session.commit()
    clock(FRIDAY)
    sync_checklist(setting.event)
    db.session.commit()
    assert {i.due_at for i in _items(setting.event).values() if i.short_notice} == {
        datetime(2026, 11, 20, 10, 0, tzinfo=UTC)}


# --- pages and counts ---------------------------------------------------------------------

def test_pages_mark_short_notice(client, setting, clock):
    clock(FRIDAY)
    sync_checklist(setting.event)
    db.session.commit()
    item = next(i for i in _items(setting.event).values()
                if i.short_notice and i.unit_id == setting.lead.id)
    log_in(client, setting.lead_focal)
    page = client.get(f"/checklists/items/{item.id}").get_data(as_text=True)
    assert 'data-testid="short-notice"' in page
    tasks = client.get("/tasks").get_data(as_text=True)
    assert 'data-testid="short-notice"' in tasks


def test_short_notice_is_counted_apart_from_late_work(setting, clock):
    clock(FRIDAY)
    sync_checklist(setting.event)
    db.session.commit()
    later = NEXT_MONDAY_5PM + timedelta(days=1)  # past the grace period, still open

    def count(clause):
        return db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistItem).where(
            ChecklistItem.event_id == setting.event.id, clause))

    shorts = count(short_notice.short_notice_clause())
    assert shorts > 0
    assert count(ChecklistItem.overdue_clause(later)) >= shorts  # overdue, yet...
    assert count(short_notice.late_work_clause(later)) == count(sa.and_(
        ChecklistItem.overdue_clause(later), ChecklistItem.short_notice.is_(False)))
    done = next(i for i in _items(setting.event).values() if i.short_notice)
    done.status, done.completed_at = ItemStatus.DONE, later
    db.session.commit()
    assert count(sa.and_(short_notice.late_work_clause(later),
                         ChecklistItem.id == done.id)) == 0
