"""Reminders and escalation of the monitoring clocks, through the notifications' ledger.

``claim_reminders(now)`` runs inside every ``reminders send`` (registered with
``notifications.guards.register_reminders``). For each case whose clock runs:

- ``monitoring.due_soon_hours`` before the deadline: the lead unit's people hear once;
- once past it: the lead unit's people and its head hear once (always e-mailed);
- ``monitoring.escalate_after_hours`` later: the steering committee hears once.

Each notice is keyed by the case, the clock and its deadline in the delivery ledger, so it
goes out once however often and on however many hosts the command runs; a deadline that
moves (a correction follow-up set again) gets its own notices.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.monitoring.access import WORKER_ROLES
from app.monitoring.models import FINISHED_STATUSES, MonitoringCase
from app.monitoring.services import case_params, case_url, steering_members
from app.notifications.models import Kind
from app.notifications.services import notify
from app.settings import setting
from app.spokespeople import roster

# A case overdue for longer than this hears nothing more (the escalation was long sent).
LOOKBACK = timedelta(days=400)


def lead_unit_people(case: MonitoringCase, now: datetime) -> list[User]:
    """The lead unit's focal points, liaisons, spokespeople and head, and who speaks for it today."""
    members = db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.unit_id == case.lead_unit_id,
        sa.or_(User.is_unit_head.is_(True), *(User.role_rows.any(role=r) for r in WORKER_ROLES)))
        .order_by(User.id))
    return [*members, *roster.eligible_users(case.lead_unit, now)]


def _heads(case: MonitoringCase) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.unit_id == case.lead_unit_id, User.is_unit_head.is_(True))))


def running_cases(now: datetime, horizon: timedelta) -> list[MonitoringCase]:
    """Unfinished cases; those whose running clock ends before ``now + horizon`` are kept."""
    rows = db.session.scalars(
        sa.select(MonitoringCase).options(selectinload(MonitoringCase.lead_unit))
        .where(MonitoringCase.status.notin_(FINISHED_STATUSES),
               MonitoringCase.created_at > now - LOOKBACK)
        .order_by(MonitoringCase.id)).all()
    return [c for c in rows if (due := c.due_at()) is not None and due <= now + horizon]


def claim_reminders(now: datetime) -> int:
    """Create the notices that are due now; returns how many were created."""
    soon = timedelta(hours=setting("monitoring.due_soon_hours"))
    escalate = timedelta(hours=setting("monitoring.escalate_after_hours"))
    created = 0
    for case in running_cases(now, soon):
        due, clock = case.due_at(), case.clock()
        assert due is not None
        key = due.strftime("%Y%m%dT%H%MZ")
        params, url = case_params(case, clock, due), case_url(case)
        if now < due:
            created += len(notify(lead_unit_people(case, now), Kind.CASE_DUE_SOON, case, event=None,
                                  step=f"due_soon:{clock}@{key}", params=params, url=url))
            continue
        kind = Kind.CASE_FOLLOW_UP if clock == "correction" else Kind.CASE_OVERDUE
        created += len(notify([*lead_unit_people(case, now), *_heads(case)], kind, case, event=None,
                              step=f"overdue:{clock}@{key}", params=params, url=url))
        if now - due >= escalate and clock != "correction":
            created += len(notify(steering_members(), Kind.CASE_ESCALATED, case, event=None,
                                  step=f"escalation:{clock}@{key}", params=params, url=url))
    return created

