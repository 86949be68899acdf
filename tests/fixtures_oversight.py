"""Fixtures for the oversight tests (registered by ``pytest_plugins`` in conftest.py)."""
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus, ResponsibleRole
from app.events.models import EventKind, EventStatus, Visibility
from app.extensions import db
from app.press.models import Briefing, BriefingStatus

# "Now" of the oversight tests: the fourth quarter of 2026 is under way.
OVERSIGHT_NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def oversight_world(app, make_unit, make_user, make_event, clock):
    """Three units, five events of 2026-Q4 and their checklist items (see the figures below).

    Events held: good's political (briefed by a held press conference), bad's cultural (not
    briefed), bad's confidential political (not briefed), the PPC's (briefed by a release).
    Items: good 1 on time; bad 1 done late, 2 overdue (one on the confidential event), 1 not
    yet due. Lead times: good 9 days; bad 3 and 1 days.
    """
    clock(OVERSIGHT_NOW)

    class World:
        pass

    w = World()
    w.good, w.bad = make_unit("u-good"), make_unit("u-bad")
    w.ppc, w.propaganda = make_unit("ubnd-tinh"), make_unit("ban-tgdv")
    w.propaganda_user = make_user(Role.VIEWER, unit=w.propaganda)
    w.steering = make_user(Role.STEERING, unit=w.propaganda)
    w.propaganda_head = make_user(Role.VIEWER, unit=w.propaganda, is_unit_head=True, name="Trưởng ban")
    w.head = make_user(Role.FOCAL, unit=w.bad)
    held = EventStatus.HELD
    w.briefed = make_event(lead_unit=w.good, kind=EventKind.POLITICAL, status=held, starts_at=at(10, 10),
                           title_vi="Hội nghị đối ngoại", title_en="External affairs meeting")
    w.unbriefed = make_event(lead_unit=w.bad, kind=EventKind.CULTURAL, status=held, starts_at=at(11, 5),
                             title_vi="Lễ hội văn hóa", title_en="Culture festival")
    w.secret = make_event(lead_unit=w.bad, kind=EventKind.POLITICAL, status=EventStatus.REPORTED,
                          starts_at=at(11, 10), visibility=Visibility.CONFIDENTIAL,
                          title_vi="Hội đàm kín", title_en="Closed talks")
    w.planned = make_event(lead_unit=w.good, kind=EventKind.POLITICAL, starts_at=at(12, 10))
    w.ppc_event = make_event(lead_unit=w.ppc, kind=EventKind.POLITICAL, status=held, starts_at=at(10, 20),
                             title_vi="Họp báo định kỳ quý IV", title_en="Quarterly press conference")
    db.session.add_all([
        Briefing(event=w.briefed, title_vi="Họp báo", starts_at=at(10, 5), ends_at=at(10, 5, 3),
                 status=BriefingStatus.HELD),
        Briefing(event=w.unbriefed, title_vi="Họp báo sau", starts_at=at(11, 6), ends_at=at(11, 6, 3),
                 status=BriefingStatus.HELD),  # after the start: does not count
        Briefing(event=w.ppc_event, title_vi="Thông cáo", starts_at=at(10, 18), ends_at=at(10, 18, 3),
                 status=BriefingStatus.SCHEDULED, release_vi="Thông cáo báo chí"),
        Briefing(event=w.ppc_event, title_vi="Họp báo định kỳ", starts_at=at(10, 20), ends_at=at(10, 20, 3),
                 status=BriefingStatus.HELD),
    ])

    def item(event, unit, key, due, status=ItemStatus.OPEN, completed=None, submitted=None):
        row = ChecklistItem(event=event, key=key, title_vi=f"Việc {key}", title_en=f"Task {key}",
                            role=ResponsibleRole.COORDINATING_UNIT, unit_id=unit.id, due_at=due,
                            status=status, completed_at=completed, requires_submission=True)
        db.session.add(row)
        if submitted:
            db.session.flush()
            db.session.add(ChecklistSubmission(item_id=row.id, submitted_by_id=w.head.id,
                                               submitted_at=submitted, text="…"))
            db.session.add(ChecklistSubmission(item_id=row.id, submitted_by_id=w.head.id,
                                               submitted_at=submitted + timedelta(hours=5), text="…"))
        return row

    w.on_time = item(w.briefed, w.good, "a", at(10, 1), ItemStatus.DONE, at(9, 30), submitted=at(10, 1))
    w.late = item(w.unbriefed, w.bad, "b", at(11, 1), ItemStatus.DONE, at(11, 3), submitted=at(11, 2))
    w.overdue = item(w.unbriefed, w.bad, "c", at(11, 4))
    w.not_yet = item(w.planned, w.bad, "d", at(12, 1))
    w.secret_overdue = item(w.secret, w.bad, "e", at(11, 8), ItemStatus.RETURNED, submitted=at(11, 9))
    db.session.commit()
    return w


@pytest.fixture
def short_notice_items(oversight_world):
    """Three items generated at short notice (their rule's due time had passed), on top of the world.

    good: one done before its (grace) due time, in October. bad: one done after its due time,
    in October (a month rolled up), and one overdue now, in November (the current month).
    None is on time or late: the world's figures stay, and short notice is 1 (good) + 2 (bad).
    """
    w = oversight_world

    def item(event, unit, key, due, status=ItemStatus.OPEN, completed=None):
        row = ChecklistItem(event=event, key=key, title_vi=f"Việc gấp {key}", title_en=f"Short task {key}",
                            role=ResponsibleRole.COORDINATING_UNIT, unit_id=unit.id, due_at=due,
                            status=status, completed_at=completed, short_notice=True)
        db.session.add(row)
        return row

    w.short_done = item(w.briefed, w.good, "sn-a", at(10, 5), ItemStatus.DONE, at(10, 4))
    w.short_done_late = item(w.unbriefed, w.bad, "sn-b", at(10, 20), ItemStatus.DONE, at(10, 22))
    w.short_overdue = item(w.unbriefed, w.bad, "sn-c", at(11, 3))
    db.session.commit()
    return w
