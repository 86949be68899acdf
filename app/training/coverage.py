"""Training coverage: per unit, who of its advisers completed a recent course, and who has not.

Focal points, spokespeople and press liaisons; recent means within ``training.recent_months``
(default 24). ``unit_coverage(as_of, user)`` is the service the oversight dashboard and the periodic report
call; ``/training/coverage`` shows it.
"""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.auth.models import User, UserRole
from app.auth.permissions import has_role, is_active_user
from app.auth.roles import Role
from app.events import access
from app.events.models import Event
from app.extensions import db
from app.training.records import Completion, completions, recent_since
from app.units.models import Unit

# The people task II.5 wants trained (README, "Training courses").
COUNTED_ROLES = (Role.FOCAL, Role.SPOKESPERSON, Role.LIAISON)
SEE_ALL_ROLES = (Role.ADMIN, Role.STEERING, Role.PROTOCOL)


@dataclass
class PersonCoverage:
    user: User
    roles: list[Role]
    # Their latest completed course in the window, or None; its event only if the reader may
    # see it (None otherwise: "a course").
    latest: Completion | None = None
    course: Event | None = None

    @property
    def trained(self) -> bool:
        return self.latest is not None


@dataclass
class UnitCoverage:
    unit: Unit
    people: list[PersonCoverage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def trained(self) -> list[PersonCoverage]:
        return [p for p in self.people if p.trained]

    @property
    def untrained(self) -> list[PersonCoverage]:
        return [p for p in self.people if not p.trained]

    @property
    def percent(self) -> int:
        return round(100 * len(self.trained) / self.total) if self.total else 0

    def count(self, role: Role) -> tuple[int, int]:
        """(trained, total) of the people holding ``role``."""
        holders = [p for p in self.people if role in p.roles]
        return sum(1 for p in holders if p.trained), len(holders)


def can_see_coverage(user) -> bool:
    """Admins, steering and protocol see every unit; a unit's head or focal point their own."""
    return has_role(user, *SEE_ALL_ROLES) or (
        is_active_user(user) and user.unit_id is not None
        and (bool(user.is_unit_head) or has_role(user, Role.FOCAL)))


def unit_coverage(as_of: datetime, user) -> list[UnitCoverage]:
    """Per unit the user may see (see ``can_see_coverage``), its counted people and their training.

    A person counts when active and holding a focal-point, spokesperson or press-liaison role;
    trained when they completed a course (``records.completions``) that ended in the recent
    window before ``as_of``. Units without counted people are left out. Sorted by unit name.
    """
    if not can_see_coverage(user):
        return []
    people_query = (sa.select(User).join(UserRole, UserRole.user_id == User.id)
                    .where(User.active.is_(True), User.unit_id.is_not(None),
                           UserRole.role.in_(COUNTED_ROLES)).distinct())
    if not has_role(user, *SEE_ALL_ROLES):
        people_query = people_query.where(User.unit_id == user.unit_id)
    people = list(db.session.scalars(people_query))
    latest: dict[int, Completion] = {}
    for done in completions([p.id for p in people], since=recent_since(as_of), until=as_of):
        latest.setdefault(done.user_id, done)  # newest first
    events = {e.id: e for e in db.session.scalars(sa.select(Event).where(
        Event.id.in_(sorted({c.event_id for c in latest.values()}) or [0]),
        access.visible_clause(user)))}
    units: dict[int, UnitCoverage] = {}
    for person in sorted(people, key=lambda p: p.name):
        assert person.unit is not None
        entry = units.setdefault(person.unit_id or 0, UnitCoverage(unit=person.unit))
        found = latest.get(person.id)
        entry.people.append(PersonCoverage(
            user=person, roles=[r for r in COUNTED_ROLES if r in person.roles], latest=found,
            course=events.get(found.event_id) if found else None))
    return sorted(units.values(), key=lambda u: u.unit.name_vi)


def can_see_record(user, person: User) -> bool:
    """A person's training record: themselves, and whoever sees coverage of their unit."""
    if not is_active_user(user):
        return False
    if user.id == person.id or has_role(user, *SEE_ALL_ROLES):
        return True
    return can_see_coverage(user) and person.unit_id is not None and person.unit_id == user.unit_id


@dataclass
class RecordLine:
    completion: Completion
    event: Event | None  # None: a course the reader may not see


def training_record(user, person: User) -> list[RecordLine]:
    """The courses ``person`` completed, newest first (what ``user`` may know of them)."""
    if not can_see_record(user, person):
        return []
    done = completions([person.id])
    events = {e.id: e for e in db.session.scalars(sa.select(Event).where(
        Event.id.in_(sorted({c.event_id for c in done}) or [0]), access.visible_clause(user)))}
    return [RecordLine(c, events.get(c.event_id)) for c in done]
