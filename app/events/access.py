"""Who may see and change events. Services call these; templates only mirror them.

A confidential event is visible only to its lead and coordinating units, the
steering committee and admins; everyone else is told it does not exist (404).
"""
import sqlalchemy as sa

from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied
from app.events.models import Event, Visibility, event_coordinating_units

SEE_ALL_ROLES = (Role.ADMIN, Role.STEERING)
EDIT_ANY_ROLES = (Role.ADMIN, Role.PROTOCOL)


def is_insider(user, event: Event) -> bool:
    """Steering and admins, and the members of the event's lead and coordinating units."""
    if has_role(user, *SEE_ALL_ROLES):
        return True
    return is_active_user(user) and user.unit_id is not None and user.unit_id in event.unit_ids


def insider_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``Event`` equivalent to ``is_insider``."""
    if has_role(user, *SEE_ALL_ROLES):
        return sa.true()
    if not is_active_user(user) or user.unit_id is None:
        return sa.false()
    # Correlated EXISTS (a primary-key probe per row), not IN (SELECT ...): SQLite would
    # materialise every event the unit ever coordinated, on each use.
    return sa.or_(Event.lead_unit_id == user.unit_id,
                  sa.select(event_coordinating_units.c.event_id)
                  .where(event_coordinating_units.c.event_id == Event.id,
                         event_coordinating_units.c.unit_id == user.unit_id)
                  .exists())


def can_view(user, event: Event) -> bool:
    """Visitors see public, non-sensitive events.

    Users every event but the confidential ones of which they are not insiders.
    """
    if not is_active_user(user):
        return event.visibility is Visibility.PUBLIC and not event.is_sensitive
    return event.visibility is not Visibility.CONFIDENTIAL or is_insider(user, event)


class _UnitMember:
    """Anyone who belongs to a unit and holds no role: what membership alone grants."""

    is_authenticated = True
    active = True
    roles: frozenset = frozenset()
    id = None
    is_unit_head = False

    def __init__(self, unit_id: int | None):
        self.unit_id = unit_id


def unit_member(unit_id: int | None) -> _UnitMember:
    """A reader standing for the unit itself (no role): a unit's shared calendar sees this."""
    return _UnitMember(unit_id)


def unit_may_view(unit_id: int | None, event: Event) -> bool:
    """Whether belonging to the unit is enough to view ``event``.

    ``can_view`` for a member holding no role. Work given to a whole unit (a checklist item)
    goes only to such units: every one of its focal points and its head can then open it.
    """
    return can_view(_UnitMember(unit_id), event)


def require_view(user, event: Event | None) -> Event:
    """Return the event, or raise NotVisible as if it did not exist."""
    if event is None or not can_view(user, event):
        raise NotVisible()
    return event


def visible_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``Event`` equivalent to ``can_view`` (for lists, calendars and feeds)."""
    if not is_active_user(user):
        return sa.and_(Event.visibility == Visibility.PUBLIC, Event.is_sensitive.is_(False))
    if has_role(user, *SEE_ALL_ROLES):
        return sa.true()
    return sa.or_(Event.visibility != Visibility.CONFIDENTIAL, insider_clause(user))


# What an event shows only to those who read its full detail: the press-safe rule, the same on
# the event's page, in the API and in calendar feeds (names of its history's fields).
PRESS_SAFE_HIDDEN_FIELDS = frozenset({
    "delegation.member", "delegation.interpreters", "delegation.languages",
    "delegation.arrival_at", "delegation.departure_at", "delegation.border_gate",
    "delegation.logistics", "internal_notes"})


def sees_full_detail(user) -> bool:
    """Whether ``user`` reads events in full detail, or only what the press-safe feed shows.

    Press-safe: visitors and accounts that hold only the viewer role (guests, journalists) see
    an event without its delegation's members, interpreters, languages, arrival and departure,
    border gate, security and logistics, and without its programme's hosts. Everyone else
    (working roles, a unit's own reader) reads full detail; internal notes, security and
    logistics are still only for those who may edit the event (``can_edit``).
    """
    if not is_active_user(user):
        return False
    return not (Role.VIEWER in user.roles and user.roles <= {Role.VIEWER})


def can_edit(user, event: Event) -> bool:
    """Protocol and admin edit any event; a focal point edits those their unit leads."""
    if not can_view(user, event):
        return False
    if has_role(user, *EDIT_ANY_ROLES):
        return True
    return has_role(user, Role.FOCAL) and belongs_to(user, event.lead_unit_id)


def edit_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``Event`` equivalent to ``can_edit``, for events already ``visible_clause``."""
    if not is_active_user(user):
        return sa.false()
    if has_role(user, *EDIT_ANY_ROLES):
        return sa.true()
    if has_role(user, Role.FOCAL) and user.unit_id is not None:
        return Event.lead_unit_id == user.unit_id
    return sa.false()


def can_create_events(user) -> bool:
    """Whether the user may create events at all (for some lead unit)."""
    return has_role(user, *EDIT_ANY_ROLES, Role.FOCAL)


def can_create_for(user, lead_unit_id: int | None) -> bool:
    """Protocol and admin create events for any unit; a focal point for their own unit."""
    if has_role(user, *EDIT_ANY_ROLES):
        return True
    return has_role(user, Role.FOCAL) and belongs_to(user, lead_unit_id)


def require_edit(user, event: Event) -> None:
    require_view(user, event)
    if not can_edit(user, event):
        raise PermissionDenied()
