"""Who briefs at each press briefing: suggestions, double-booking, accept and decline.

A decline PROPOSES the next candidate automatically (same role, same unit), so
the briefing never silently loses its speaker; protocol sees it on the page.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.auth.models import User
from app.auth.permissions import has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access
from app.events.clashes import host_engagements
from app.events.models import Event, ProgrammeItem
from app.events.queries import matches_words
from app.extensions import db
from app.i18n import _, format_moment
from app.press.models import Briefing, BriefingStatus
from app.spokespeople import roster
from app.spokespeople.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    SpokespersonAssignment,
)
from app.spokespeople.signals import assignment_proposed
from app.timeutil import utcnow
from app.units.models import Unit

ASSIGNER_ROLES = (Role.ADMIN, Role.PROTOCOL)
RECENT_DAYS = 90


def require_briefing(user, briefing: Briefing | None) -> Briefing:
    """The briefing, if its event is visible to ``user``; else NotVisible."""
    if briefing is None:
        raise NotVisible()
    access.require_view(user, briefing.event)
    return briefing


def active_assignments(briefing: Briefing) -> Sequence[SpokespersonAssignment]:
    return db.session.scalars(
        sa.select(SpokespersonAssignment)
        .where(SpokespersonAssignment.briefing_id == briefing.id,
               SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .order_by(SpokespersonAssignment.role, SpokespersonAssignment.id)).all()


def all_assignments(briefing: Briefing) -> Sequence[SpokespersonAssignment]:
    return db.session.scalars(
        sa.select(SpokespersonAssignment).where(SpokespersonAssignment.briefing_id == briefing.id)
        .order_by(SpokespersonAssignment.created_at, SpokespersonAssignment.id)).all()


@dataclass
class Clash:
    kind: str  # "briefing" | "event" | "programme"
    title: str
    starts_at: datetime
    ends_at: datetime

    def describe(self, person: str) -> str:
        when = format_moment(self.starts_at, "medium")
        if self.kind == "briefing":
            return _("%(name)s already briefs at “%(title)s” (%(when)s).",
                     name=person, title=self.title, when=when)
        return _("%(name)s hosts “%(title)s” at that time (%(when)s).",
                 name=person, title=self.title, when=when)


def clashes(user: User, starts_at: datetime, ends_at: datetime, viewer=None,
            ignore_briefing_id: int | None = None) -> list[Clash]:
    """Other engagements of ``user`` overlapping [starts_at, ends_at) (see ``clashes_of``)."""
    return clashes_of([user.id], starts_at, ends_at, viewer, ignore_briefing_id)[user.id]


def clashes_of(user_ids, starts_at: datetime, ends_at: datetime, viewer=None,
               ignore_briefing_id: int | None = None) -> dict[int, list[Clash]]:
    """Other engagements of each person overlapping [starts_at, ends_at), soonest first.

    Briefings where they hold an active assignment, and the events and programme items
    they host (``events.clashes.host_engagements``). Titles the viewer may not see are not
    named. A fixed number of queries, however many people.
    """
    ids = sorted(set(user_ids))
    found: dict[int, list[Clash]] = {user_id: [] for user_id in ids}
    if not ids:
        return found

    def title_for(event: Event, title: str) -> str:
        if viewer is not None and not access.can_view(viewer, event):
            return _("another engagement")
        return title

    briefings = db.session.execute(
        sa.select(SpokespersonAssignment.user_id, Briefing)
        .join(SpokespersonAssignment, SpokespersonAssignment.briefing_id == Briefing.id)
        .options(joinedload(Briefing.event).selectinload(Event.coordinating_units))
        .where(SpokespersonAssignment.user_id.in_(ids),
               SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
               Briefing.status != BriefingStatus.CANCELLED,
               Briefing.starts_at < ends_at, Briefing.ends_at > starts_at,
               Briefing.id != (ignore_briefing_id or 0))).unique().all()
    for user_id, b in briefings:
        found[user_id].append(Clash("briefing", title_for(b.event, b.title_vi), b.starts_at,
                                    b.ends_at))
    hosted = host_engagements(ids, starts_at, ends_at)
    event_ids = {h.event_id for h in hosted}
    item_ids = {h.item_id for h in hosted if h.item_id is not None}
    events = {e.id: e for e in db.session.scalars(
        sa.select(Event).where(Event.id.in_(event_ids))
        .options(selectinload(Event.coordinating_units)))} if event_ids else {}
    activities = dict(db.session.execute(
        sa.select(ProgrammeItem.id, ProgrammeItem.activity_vi)
        .where(ProgrammeItem.id.in_(item_ids))).all()) if item_ids else {}
    for h in hosted:
        event = events[h.event_id]
        if h.item_id is None:
            clash = Clash("event", title_for(event, event.title_vi), h.starts_at, h.ends_at)
        else:
            clash = Clash("programme", title_for(event, f"{event.title_vi}: {activities[h.item_id]}"),
                          h.starts_at, h.ends_at)
        found[h.user_id].append(clash)
    for user_clashes in found.values():
        user_clashes.sort(key=lambda c: c.starts_at)
    return found


def recent_briefing_counts(user_ids: list[int]) -> dict[int, int]:
    """Active or past-accepted assignments per person at briefings in the last 90 days."""
    if not user_ids:
        return {}
    now = utcnow()
    rows = db.session.execute(
        sa.select(SpokespersonAssignment.user_id, sa.func.count())
        .join(Briefing, Briefing.id == SpokespersonAssignment.briefing_id)
        .where(SpokespersonAssignment.user_id.in_(user_ids),
               SpokespersonAssignment.status == AssignmentStatus.ACCEPTED,
               Briefing.status != BriefingStatus.CANCELLED,
               Briefing.starts_at >= now - timedelta(days=RECENT_DAYS), Briefing.starts_at < now)
        .group_by(SpokespersonAssignment.user_id))
    return dict(rows.all())


@dataclass
class Candidate:
    user: User
    recent: int
    clashes: list[Clash]
    speaks_as: str = ""                       # head, designated or authorised
    matters: list[str] = field(default_factory=list)  # of the authorisations covering the day
    mismatch: bool = False                    # no matter fits the briefing's topic


    @property
    def free(self) -> bool:
        return not self.clashes


def candidates(briefing: Briefing, unit: Unit, viewer=None) -> list[Candidate]:
    """Eligible people for ``unit`` at the briefing: free first, then fewest recent briefings.

    People already on the briefing or who declined it, and those who may not view its
    event, are left out.
    """
    taken = {a.user_id for a in all_assignments(briefing)
             if a.status in ACTIVE_ASSIGNMENT_STATUSES or a.status is AssignmentStatus.DECLINED}
    people = [u for u in roster.eligible_users(unit, briefing.starts_at)
              if u.id not in taken and access.can_view(u, briefing.event)]
    counts = recent_briefing_counts([u.id for u in people])
    busy = clashes_of([u.id for u in people], briefing.starts_at, briefing.ends_at, viewer,
                      briefing.id)
    found = []
    topic = briefing_topic(briefing)
    reasons = roster.speaking_reasons(unit, briefing.starts_at, people)
    for u in people:
        why, written = reasons[u.id]
        matters = [a.matters for a in written]
        found.append(Candidate(u, counts.get(u.id, 0), busy[u.id], why, matters,
                               bool(matters) and all(roster.matters_mismatch(m, topic)
                                                     for m in matters)))
    return sorted(found, key=lambda c: (not c.free, c.recent, c.user.name, c.user.id))


def briefing_topic(briefing: Briefing) -> str:
    """What the briefing is about: its titles, purpose and its event's titles."""
    event = briefing.event
    return " ".join([briefing.title_vi, briefing.title_en, briefing.purpose, event.title_vi,
                     event.title_en])


def matters_warning(user: User, unit: Unit, briefing: Briefing) -> str | None:
    """A warning when ``user`` speaks only by written authorisations whose matters do not fit."""
    why, written = roster.speaks_as(user, unit, briefing.starts_at)
    if why != "authorised":
        return None
    topic = briefing_topic(briefing)
    if any(not roster.matters_mismatch(a.matters, topic) for a in written):
        return None
    return _("Check the authorisation: %(name)s is authorised for “%(matters)s”, which does not "
             "seem to cover this briefing's topic.", name=user.name,
             matters="; ".join(a.matters for a in written))


def is_assigner(user) -> bool:
    """Protocol and admins assign spokespeople (to the briefings they may see)."""
    return has_role(user, *ASSIGNER_ROLES)


def default_role(briefing: Briefing) -> AssignmentRole:
    """What the assignment form proposes: a deputy once the briefing has a lead."""
    if any(a.role is AssignmentRole.LEAD for a in active_assignments(briefing)):
        return AssignmentRole.DEPUTY
    return AssignmentRole.LEAD


def first_free(candidates: list[Candidate]) -> User | None:
    """The person the assignment form preselects: the first candidate, if free."""
    return candidates[0].user if candidates and candidates[0].free else None


def can_assign(user, briefing: Briefing) -> bool:
    return is_assigner(user) and access.can_view(user, briefing.event)


def assign(actor, briefing: Briefing, user: User | None, unit: Unit | None,
           role: AssignmentRole) -> SpokespersonAssignment:
    """Propose ``user`` to brief for ``unit``; refuses ineligible or double-booked people."""
    require_briefing(actor, briefing)
    if not can_assign(actor, briefing):
        raise PermissionDenied()
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), "unit_id")
    if user is None or not user.active:
        raise ValidationFailed(_("Unknown person."), "user_id")
    if briefing.status in (BriefingStatus.CANCELLED, BriefingStatus.HELD):
        raise ValidationFailed(_("This briefing is no longer open for assignments."))
    # Serialise assignments of the same person (PostgreSQL row lock; SQLite has one writer),
    # so two officers cannot double-book them in the same instant.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    if not access.can_view(user, briefing.event):  # nobody briefs on what they may not open
        raise ValidationFailed(_("%(name)s may not see this event, so cannot brief at it.",
                                 name=user.name), "user_id")
    if not roster.is_eligible(user, unit, briefing.starts_at):
        raise ValidationFailed(roster.eligibility_reason(user, unit, briefing.starts_at), "user_id")
    current = active_assignments(briefing)
    if any(a.user_id == user.id for a in current):
        raise ValidationFailed(_("%(name)s is already assigned to this briefing.", name=user.name),
                               "user_id")
    if role is AssignmentRole.LEAD and any(a.role is AssignmentRole.LEAD for a in current):
        raise ValidationFailed(_("This briefing already has a lead spokesperson; withdraw them "
                                 "first or add a deputy."), "role")
    found = clashes(user, briefing.starts_at, briefing.ends_at, actor, briefing.id)
    if found:
        raise ValidationFailed(" ".join(c.describe(user.name) for c in found), "user_id")
    assignment = SpokespersonAssignment(briefing=briefing, user=user, unit=unit, role=role,
                                        status=AssignmentStatus.PROPOSED, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    assignment_proposed.send(assignment, actor=actor)
    return assignment


def withdraw(actor, assignment: SpokespersonAssignment) -> None:
    require_briefing(actor, assignment.briefing)
    if not can_assign(actor, assignment.briefing):
        raise PermissionDenied()
    if assignment.is_active:
        assignment.status = AssignmentStatus.WITHDRAWN
    db.session.flush()


def _require_own_active(actor, assignment: SpokespersonAssignment) -> None:
    if assignment.user_id != getattr(actor, "id", None):
        raise NotVisible()
    if not assignment.is_active:
        raise ValidationFailed(_("This assignment is no longer open."))


def accept(actor, assignment: SpokespersonAssignment) -> None:
    _require_own_active(actor, assignment)
    assignment.status = AssignmentStatus.ACCEPTED
    db.session.flush()


def decline(actor, assignment: SpokespersonAssignment, reason: str) -> SpokespersonAssignment | None:
    """Decline with a reason; proposes the next free candidate, which is returned (or None)."""
    _require_own_active(actor, assignment)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for declining."), "reason")
    assignment.status = AssignmentStatus.DECLINED
    assignment.decline_reason = reason.strip()
    db.session.flush()
    briefing = assignment.briefing
    nxt = next((c for c in candidates(briefing, assignment.unit) if c.free), None)
    if nxt is None:
        return None
    successor = SpokespersonAssignment(briefing=briefing, user=nxt.user, unit=assignment.unit,
                                       role=assignment.role, status=AssignmentStatus.PROPOSED,
                                       assigned_by_id=assignment.assigned_by_id)
    db.session.add(successor)
    db.session.flush()
    assignment_proposed.send(successor, actor=actor)
    return successor


def my_assignments(user, limit: int | None = None) -> Sequence[SpokespersonAssignment]:
    """The user's open assignments at briefings not ended yet, soonest first (``limit`` of them).

    Only those of events the user may view.
    """
    if not is_active_user(user):
        return []
    return db.session.scalars(
        sa.select(SpokespersonAssignment).join(SpokespersonAssignment.briefing)
        .join(Briefing.event)
        .options(contains_eager(SpokespersonAssignment.briefing),
                 selectinload(SpokespersonAssignment.unit))
        .where(access.visible_clause(user), SpokespersonAssignment.user_id == user.id,
               SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
               Briefing.status != BriefingStatus.CANCELLED, Briefing.ends_at >= utcnow())
        .order_by(Briefing.starts_at, SpokespersonAssignment.id).limit(limit)).all()


def upcoming_briefings(user, limit: int = 100, *, page: int = 1, unit_id: int | None = None,
                       words: list[str] | None = None, unassigned: bool = False) -> Sequence[Briefing]:
    """Briefings the user may see that have not ended, soonest first (for protocol's list).

    ``limit`` rows from ``page``: callers ask one more than they show to know whether more
    follow (no count). Narrowed to a lead unit, folded words of the briefing or its event, or
    briefings without an active spokesperson.
    """
    query = (sa.select(Briefing).join(Briefing.event)
             .where(access.visible_clause(user), Briefing.ends_at >= utcnow(),
                    Briefing.status != BriefingStatus.CANCELLED))
    if unit_id:
        query = query.where(Event.lead_unit_id == unit_id)
    if words:
        query = query.where(sa.or_(Briefing.like_all(Briefing.search_text, words),
                                   matches_words(words)))
    if unassigned:
        query = query.where(~sa.select(SpokespersonAssignment.id).where(
            SpokespersonAssignment.briefing_id == Briefing.id,
            SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)).exists())
    return db.session.scalars(query.order_by(Briefing.starts_at, Briefing.id)
                              .limit(limit).offset((page - 1) * limit)).all()
