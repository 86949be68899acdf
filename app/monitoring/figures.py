"""Per-unit figures of the monitoring log, for the oversight dashboard and the periodic report.

``unit_figures(period_start, period_end, user)`` counts the cases recorded in
[period_start, period_end) that ``user`` may see (``access.visible_clause``: a sensitive case
counts only for its circle), grouped by lead unit:

- ``cases``: recorded; ``verified`` / ``responded``: how many have that step;
- ``median_verify_hours`` / ``median_respond_hours``: from recording to the verification /
  to the response given (None when there is none);
- ``decided``: cases whose outcome against the clocks is known at ``now`` (verified or
  responded or closed without action, or a clock that has run out);
- ``within_deadline_pct``: of those, the share where every clock that applied was met
  (verified by ``verify_due_at``, and responded — or closed without action — by
  ``respond_due_at``); None when nothing is decided.
"""
from dataclasses import dataclass
from datetime import datetime
from statistics import median

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.monitoring import access
from app.monitoring.models import CaseStatus, MonitoringCase, Origin
from app.timeutil import utcnow
from app.units.models import Unit


@dataclass
class UnitFigures:
    unit: Unit
    cases: int = 0
    verified: int = 0
    responded: int = 0
    median_verify_hours: float | None = None
    median_respond_hours: float | None = None
    decided: int = 0
    within_deadline: int = 0

    @property
    def within_deadline_pct(self) -> float | None:
        return round(100 * self.within_deadline / self.decided, 1) if self.decided else None


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def outcome(case: MonitoringCase, now: datetime) -> bool | None:
    """True if every clock was met, False if one was missed, None if not yet known."""
    verify_met = case.verified_at is not None and case.verified_at <= case.verify_due_at
    if case.verified_at is None and case.status is not CaseStatus.NO_ACTION and case.verify_due_at < now:
        return False
    answered = case.responded_at or (case.closed_at if case.status is CaseStatus.NO_ACTION else None)
    if answered is not None:
        verified_ok = verify_met or case.status is CaseStatus.NO_ACTION and case.verified_at is None \
            and answered <= case.verify_due_at
        return bool(verified_ok and answered <= case.respond_due_at)
    if case.respond_due_at < now:
        return False
    return None


def unit_figures(period_start: datetime, period_end: datetime, user,
                 now: datetime | None = None, origin: Origin | None = None) -> list[UnitFigures]:
    """The figures per lead unit (units with cases only), by unit name.

    ``origin``: only the cases of that origin (``Origin.PRESS_REQUEST``: rule 10's questions
    and forwarded complaints).
    """
    now = now or utcnow()
    conditions = [access.visible_clause(user), MonitoringCase.created_at >= period_start,
                  MonitoringCase.created_at < period_end]
    if origin is not None:
        conditions.append(MonitoringCase.origin == origin)
    cases = db.session.scalars(
        sa.select(MonitoringCase).options(selectinload(MonitoringCase.lead_unit))
        .where(*conditions).order_by(MonitoringCase.id)).all()
    by_unit: dict[int, tuple[UnitFigures, list[float], list[float]]] = {}
    for case in cases:
        figures, verify_hours, respond_hours = by_unit.setdefault(
            case.lead_unit_id, (UnitFigures(case.lead_unit), [], []))
        figures.cases += 1
        if case.verified_at is not None:
            figures.verified += 1
            verify_hours.append(_hours(case.created_at, case.verified_at))
        if case.responded_at is not None:
            figures.responded += 1
            respond_hours.append(_hours(case.created_at, case.responded_at))
        result = outcome(case, now)
        if result is not None:
            figures.decided += 1
            figures.within_deadline += result
    rows = []
    for figures, verify_hours, respond_hours in by_unit.values():
        figures.median_verify_hours = round(median(verify_hours), 1) if verify_hours else None
        figures.median_respond_hours = round(median(respond_hours), 1) if respond_hours else None
        rows.append(figures)
    return sorted(rows, key=lambda f: f.unit.name_vi)
