"""Who hears about what: owners of checklist items, heads of units, stakeholders of events.

Nobody hears of an event they may not open: every channel (bell, e-mail, digest,
escalation, .ics attachment) keeps only ``who_may_view`` its event, when the notice is
created and again when it is sent.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.checklists.models import OPEN_STATUSES, ChecklistItem, ItemStatus, ResponsibleRole
from app.events.access import can_view
from app.events.models import Event
from app.extensions import db

# Items without a person or unit fall to everyone holding the matching role.
ROLE_OF_RESPONSIBILITY = {
    ResponsibleRole.PROTOCOL: Role.PROTOCOL,
    ResponsibleRole.STEERING: Role.STEERING,
    ResponsibleRole.PRESS_LIAISON: Role.LIAISON,
}


@dataclass
class Directory:
    """Active users indexed for recipient look-ups; one query, built once per run."""

    by_id: dict[int, User] = field(default_factory=dict)
    focal_by_unit: dict[int, list[User]] = field(default_factory=dict)
    heads_by_unit: dict[int, list[User]] = field(default_factory=dict)
    by_role: dict[Role, list[User]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Directory":
        directory = cls()
        for user in db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)):
            directory.by_id[user.id] = user
            if user.unit_id is not None and Role.FOCAL in user.roles:
                directory.focal_by_unit.setdefault(user.unit_id, []).append(user)
            if user.unit_id is not None and user.is_unit_head:
                directory.heads_by_unit.setdefault(user.unit_id, []).append(user)
            for role in user.roles:
                directory.by_role.setdefault(role, []).append(user)
        return directory

    def item_owners(self, item) -> list[User]:
        """The person responsible, else the unit's focal points, else its head, else the role."""
        if item.user_id is not None and item.user_id in self.by_id:
            return [self.by_id[item.user_id]]
        if item.unit_id is not None:
            return self.focal_by_unit.get(item.unit_id) or self.heads_by_unit.get(item.unit_id, [])
        role = ROLE_OF_RESPONSIBILITY.get(item.role)
        return list(self.by_role.get(role, [])) if role else []

    def escalation_targets(self, item) -> list[User]:
        """The head of the responsible unit (or of the person's unit) and protocol staff."""
        unit_id = item.unit_id
        if unit_id is None and item.user_id in self.by_id:
            unit_id = self.by_id[item.user_id].unit_id
        heads = self.heads_by_unit.get(unit_id, []) if unit_id is not None else []
        return unique([*heads, *self.by_role.get(Role.PROTOCOL, [])])


    def item_reviewers(self, item) -> list[User]:
        """Who reviews what a unit provided: the lead unit's focal points and head, else protocol."""
        unit_id = item.event.lead_unit_id
        reviewers = [*self.focal_by_unit.get(unit_id, []), *self.heads_by_unit.get(unit_id, [])]
        return unique(reviewers or self.by_role.get(Role.PROTOCOL, []))

    def note_approvers(self, event: Event) -> list[User]:
        """Who may approve a briefing note (``notes.can_approve``).

        Steering for a sensitive event, else the lead unit's head and protocol.
        """
        if event.is_sensitive:
            return unique(self.by_role.get(Role.STEERING, []))
        return unique([*self.heads_by_unit.get(event.lead_unit_id, []),
                       *self.by_role.get(Role.PROTOCOL, [])])


def unique(users) -> list[User]:
    seen, result = set(), []
    for user in users:
        if user is not None and user.id not in seen and user.active:
            seen.add(user.id)
            result.append(user)
    return result


def who_may_view(users, event: Event) -> list[User]:
    """Those of ``users`` who may view ``event`` (``access.can_view``), in order, once each."""
    return [user for user in unique(users) if can_view(user, event)]


def event_stakeholders(event: Event, directory: Directory | None = None) -> list[User]:
    """The people an event concerns.

    Focal points and heads of the lead and coordinating units, owners of the event's
    unfinished items, its active spokespeople, hosts and organiser.
    """
    from app.press.models import Briefing
    from app.spokespeople.models import ACTIVE_ASSIGNMENT_STATUSES, SpokespersonAssignment

    directory = directory or Directory.load()
    users: list[User | None] = []  # unique() drops the None of an unknown id
    for unit_id in sorted(event.unit_ids):
        users += directory.focal_by_unit.get(unit_id, []) + directory.heads_by_unit.get(unit_id, [])
    items = db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == event.id,
        ChecklistItem.status.in_([*OPEN_STATUSES, ItemStatus.NOT_NEEDED])))
    for item in items:
        users += directory.item_owners(item)
    speakers = db.session.scalars(
        sa.select(SpokespersonAssignment.user_id).join(Briefing)
        .where(Briefing.event_id == event.id,
               SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)))
    users += [directory.by_id.get(user_id) for user_id in speakers]
    users += list(event.hosts) + [event.organiser]
    return unique(users)
