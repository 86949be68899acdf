"""Standing alerts of the monitoring clocks (DOMAIN.md: "a 30-day answer clock is running").

For the dashboard (``monitoring/_dashboard_panel.html``) and the oversight pages. Steering and
admins see every unit's; others the cases of the units they belong to or speak for. Sensitive
cases count only for their circle (``access.visible_clause``).
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.auth.permissions import has_role, is_active_user
from app.extensions import db
from app.monitoring import access
from app.monitoring.models import (
    FINISHED_STATUSES,
    RESPOND_CLOCK_STATUSES,
    MonitoringCase,
    Origin,
    case_units,
)
from app.spokespeople.roster import units_spoken_for


@dataclass
class Alert:
    code: str  # "overdue" or "answer_clock"
    level: str  # "error" or "info"
    count: int
    case_ids: list[int] = field(default_factory=list)


def _mine(user, now: datetime) -> sa.ColumnElement[bool]:
    if has_role(user, *access.SEE_ALL_ROLES):
        return sa.true()
    units = sorted(units_spoken_for(user, now) | ({user.unit_id} if user.unit_id else set()))
    return sa.or_(MonitoringCase.lead_unit_id.in_(units),
                  sa.select(case_units.c.case_id).where(case_units.c.case_id == MonitoringCase.id,
                                                        case_units.c.unit_id.in_(units)).exists())


def standing_alerts(user, now: datetime) -> list[Alert]:
    if not is_active_user(user):
        return []
    base = sa.select(MonitoringCase.id).where(access.visible_clause(user), _mine(user, now),
                                              MonitoringCase.status.notin_(FINISHED_STATUSES))
    overdue = db.session.scalars(base.where(MonitoringCase.overdue_clause(now))
                                 .order_by(MonitoringCase.id)).all()
    answering = db.session.scalars(base.where(MonitoringCase.origin == Origin.PRESS_REQUEST,
                                              MonitoringCase.status.in_(RESPOND_CLOCK_STATUSES))
                                   .order_by(MonitoringCase.id)).all()
    alerts = []
    if overdue:
        alerts.append(Alert("overdue", "error", len(overdue), list(overdue)))
    if answering:
        alerts.append(Alert("answer_clock", "info", len(answering), list(answering)))
    return alerts


def answer_clocks(now: datetime, within: timedelta) -> list[MonitoringCase]:
    """Press agencies' questions and forwarded complaints (rule 10) due within ``within``.

    Overdue ones too, oldest deadline first: the oversight's standing alert.

    Every case, sensitive or not: whoever shows them filters with ``access.can_view``.
    """
    return list(db.session.scalars(
        sa.select(MonitoringCase).options(selectinload(MonitoringCase.lead_unit))
        .where(MonitoringCase.origin == Origin.PRESS_REQUEST,
               MonitoringCase.status.in_(RESPOND_CLOCK_STATUSES),
               MonitoringCase.respond_due_at <= now + within)
        .order_by(MonitoringCase.respond_due_at, MonitoringCase.id)))
