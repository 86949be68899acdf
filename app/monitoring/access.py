"""Who may see and work on monitoring cases. Services call these; templates only mirror them.

A sensitive case is visible only to the steering committee, admins, the members of the
units concerned (lead and others) and the people who may speak for those units today
(their spokespeople, ``roster.is_eligible``); everyone else is told it does not exist
(404) and never meets it in a list, count, search or notification.
"""
import sqlalchemy as sa

from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied
from app.monitoring.models import MonitoringCase, case_units
from app.spokespeople.roster import spoken_for_statement, units_spoken_for
from app.timeutil import utcnow

SEE_ALL_ROLES = (Role.ADMIN, Role.STEERING)
# Those of a unit concerned who work on its cases (besides the unit's head).
WORKER_ROLES = (Role.FOCAL, Role.LIAISON, Role.SPOKESPERSON)


def _insider_units(user) -> set[int]:
    """Units whose sensitive cases ``user`` may see: their own, and those they speak for today."""
    units = set(units_spoken_for(user, utcnow()))
    if user.unit_id is not None:
        units.add(user.unit_id)
    return units


def insider_unit_clause(column, user, at) -> sa.ColumnElement[bool]:
    """SQL: ``column`` (a unit id) is one of ``_insider_units(user)`` at ``at``, in the same query."""
    parts = []
    if user.unit_id is not None:
        parts.append(column == user.unit_id)
    if getattr(user, "id", None) is not None:
        parts.append(column.in_(spoken_for_statement(user.id, at)))
    return sa.or_(*parts) if parts else sa.false()


def can_view(user, case: MonitoringCase) -> bool:
    """Every active user sees non-sensitive cases; sensitive ones only insiders."""
    if not is_active_user(user):
        return False
    if not case.is_sensitive or has_role(user, *SEE_ALL_ROLES):
        return True
    return bool(case.unit_ids & _insider_units(user))


def visible_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``MonitoringCase`` equivalent to ``can_view``."""
    if not is_active_user(user):
        return sa.false()
    if has_role(user, *SEE_ALL_ROLES):
        return sa.true()
    units = sorted(_insider_units(user))
    if not units:
        return MonitoringCase.is_sensitive.is_(False)
    return sa.or_(MonitoringCase.is_sensitive.is_(False),
                  MonitoringCase.lead_unit_id.in_(units),
                  sa.select(case_units.c.case_id)
                  .where(case_units.c.case_id == MonitoringCase.id, case_units.c.unit_id.in_(units))
                  .exists())


def require_view(user, case: MonitoringCase | None) -> MonitoringCase:
    if case is None or not can_view(user, case):
        raise NotVisible()
    return case


def can_record(user) -> bool:
    """Any staff member records a report."""
    return is_active_user(user)


def _works_for(user, unit_id: int | None) -> bool:
    return belongs_to(user, unit_id) and (has_role(user, *WORKER_ROLES) or bool(user.is_unit_head))


def can_verify(user, case: MonitoringCase) -> bool:
    """The lead unit verifies (its focal points, liaisons, spokespeople, head); steering and admins too."""
    if not can_view(user, case):
        return False
    return has_role(user, *SEE_ALL_ROLES) or _works_for(user, case.lead_unit_id)


def can_work(user, case: MonitoringCase) -> bool:
    """Move the case on: the lead unit's workers, steering and admins."""
    return can_verify(user, case)


def require_work(user, case: MonitoringCase) -> None:
    require_view(user, case)
    if not can_work(user, case):
        raise PermissionDenied()
