"""Training-course rules: details, sessions, quotas and nominations.

Every function takes the acting user, checks permissions, flushes and never commits.
Organisers are whoever may edit the course's event (``events.access.can_edit``: protocol,
admins, a focal point of the lead unit). A unit's head or focal point nominates people of
their own unit, within the unit's quota, until the deadline; nominees accept or decline.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access, delegations
from app.events import services as event_services
from app.events.models import Event, EventKind, ProgrammeItem
from app.events.validation import TEXT_MAX, check_date, check_length, check_unit, to_utc
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from app.training.models import (
    HOLDING_SEAT,
    NominationStatus,
    TargetRole,
    TrainingCourse,
    TrainingNomination,
    TrainingQuota,
    TrainingTopic,
)
from app.training.records import completions, recent_since
from app.training.signals import nomination_made

MAX_CAPACITY = 1000

# --- reading ------------------------------------------------------------------------------


def course_events(user, limit: int = 300) -> list[tuple[Event, TrainingCourse | None]]:
    """Training events the user may see, newest first, with their course details if set."""
    rows = db.session.execute(
        sa.select(Event, TrainingCourse).outerjoin(TrainingCourse, TrainingCourse.event_id == Event.id)
        .where(Event.kind == EventKind.TRAINING, access.visible_clause(user))
        .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)).all()
    return [(row[0], row[1]) for row in rows]


def get_event(user, event_id: int) -> Event:
    """The training event ``event_id`` if the user may see it (else NotVisible)."""
    event = access.require_view(user, db.session.get(Event, event_id))
    if event.kind is not EventKind.TRAINING:
        raise NotVisible()
    return event


def course_of(event: Event) -> TrainingCourse | None:
    return db.session.scalar(sa.select(TrainingCourse).where(TrainingCourse.event_id == event.id))


def get_course(user, event_id: int) -> TrainingCourse:
    """The course of training event ``event_id``; NotVisible when it has no details yet."""
    course = course_of(get_event(user, event_id))
    if course is None:
        raise NotVisible()
    return course


def sessions(course: TrainingCourse) -> list[ProgrammeItem]:
    return list(course.event.programme)


# --- permissions --------------------------------------------------------------------------

def can_create_courses(user) -> bool:
    return access.can_create_events(user)


def can_manage(user, event: Event) -> bool:
    """The organiser: whoever may edit the course's event."""
    return access.can_edit(user, event)


def require_manage(user, event: Event) -> None:
    access.require_edit(user, event)


def is_nominator(user) -> bool:
    """A unit's head or focal point: who nominates for their unit."""
    return is_active_user(user) and user.unit_id is not None and (
        bool(user.is_unit_head) or has_role(user, Role.FOCAL))


def quota_of(course: TrainingCourse, unit_id: int | None) -> TrainingQuota | None:
    return next((q for q in course.quotas if q.unit_id == unit_id), None)


def can_nominate(user, course: TrainingCourse, now: datetime | None = None) -> bool:
    """Head or focal point of a unit with seats, the course visible, nominations open."""
    return (access.can_view(user, course.event) and is_nominator(user)
            and quota_of(course, user.unit_id) is not None and is_open(course, now))


def is_open(course: TrainingCourse, now: datetime | None = None) -> bool:
    return course.event.takes_place and (now or utcnow()) <= course.nomination_deadline


def seats_held(course: TrainingCourse, unit_id: int | None = None) -> int:
    return sum(1 for n in course.nominations if n.status in HOLDING_SEAT
               and (unit_id is None or n.unit_id == unit_id))


# --- details ------------------------------------------------------------------------------

@dataclass
class DetailsData:
    capacity: int
    deadline_date: date | None
    deadline_time: time | None = None
    topic_ids: list[int] = field(default_factory=list)
    trainer_ids: list[int] = field(default_factory=list)
    outside_trainers: str = ""
    target_roles: list[str] = field(default_factory=list)


def save_details(actor, event: Event, data: DetailsData) -> TrainingCourse:
    """Create or update the course details of a training event."""
    require_manage(actor, event)
    if event.kind is not EventKind.TRAINING:
        raise ValidationFailed(_("Only an event of kind training course has course details."))
    capacity = data.capacity
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(_("Enter a capacity from 1 to %(n)d.", n=MAX_CAPACITY), "capacity")
    day = check_date(data.deadline_date, "deadline_date")
    deadline = to_utc(day, data.deadline_time or time(23, 59), event.timezone)
    if deadline > event.starts_at:
        raise ValidationFailed(_("Nominations must close before the course starts."), "deadline_date")
    topic_ids = sorted(set(data.topic_ids or []))
    topics = list(db.session.scalars(sa.select(TrainingTopic).where(TrainingTopic.id.in_(topic_ids or [0]))))
    if len(topics) != len(topic_ids):
        raise ValidationFailed(_("Unknown topic."), "topic_ids")
    if not topics:
        raise ValidationFailed(_("Choose at least one topic of the curriculum."), "topic_ids")
    trainer_ids = sorted(set(data.trainer_ids or []))
    trainers = list(db.session.scalars(sa.select(User).where(User.id.in_(trainer_ids or [0]))))
    if len(trainers) != len(trainer_ids):
        raise ValidationFailed(_("Unknown person."), "trainer_ids")
    outside = "\n".join(line.strip() for line in
                        check_length(data.outside_trainers, TEXT_MAX, "outside_trainers").splitlines()
                        if line.strip())
    try:
        roles = sorted({TargetRole(r).value for r in data.target_roles or []})
    except ValueError:
        raise ValidationFailed(_("Unknown target group."), "target_roles") from None
    if not roles:
        raise ValidationFailed(_("Choose whom the course is for."), "target_roles")
    course = course_of(event)
    if course is None:
        course = TrainingCourse(event_id=event.id, event=event, created_at=utcnow())
        db.session.add(course)
    elif sum(q.seats for q in course.quotas) > capacity:
        raise ValidationFailed(_("The units' quotas add up to more than this capacity: "
                                 "lower them first."), "capacity")
    course.capacity, course.nomination_deadline = capacity, deadline
    course.topics, course.trainers = topics, trainers
    course.outside_trainers, course.target_roles = outside, roles
    db.session.flush()
    return course


@dataclass
class CourseData:
    """A new course: its event and its details."""

    event: event_services.EventData
    details: DetailsData


def create_course(actor, data: CourseData) -> TrainingCourse:
    """Create the training event (draft) and its course details in one go.

    Raises ClashesFound like ``create_event`` unless the event data carries an override reason.
    """
    data.event.kind = EventKind.TRAINING.value
    event = event_services.create_event(actor, data.event)
    return save_details(actor, event, data.details)


# --- sessions -----------------------------------------------------------------------------

@dataclass
class SessionData:
    day: date | None
    start_time: time | None
    end_time: time | None
    title_vi: str
    title_en: str = ""
    room: str = ""


def add_session(actor, course: TrainingCourse, data: SessionData) -> ProgrammeItem:
    """A session is a programme item of the course's event, within the event's dates."""
    event = course.event
    require_manage(actor, event)
    day = check_date(data.day, "day")
    if data.start_time is None or data.end_time is None:
        raise ValidationFailed(_("Enter the start and end times."), "start_time")
    # An all-day event ends at midnight after its last day.
    end = event.ends_at - timedelta(minutes=1) if event.all_day else event.ends_at
    first, last = (moment.astimezone(_zone(event)).date() for moment in (event.starts_at, end))
    if not first <= day <= last:
        raise ValidationFailed(_("A session must fall within the course's dates (%(a)s – %(b)s).",
                                 a=first.isoformat(), b=last.isoformat()), "day")
    return delegations.add_programme_item(actor, event, delegations.ProgrammeData(
        day=day, start_time=data.start_time, end_time=data.end_time,
        activity_vi=data.title_vi, activity_en=data.title_en, place=data.room))


def remove_session(actor, course: TrainingCourse, session_id: int) -> None:
    delegations.remove_programme_item(actor, course.event, session_id)


def _zone(event: Event):
    from zoneinfo import ZoneInfo

    return ZoneInfo(event.timezone)


# --- quotas -------------------------------------------------------------------------------

def set_quota(actor, course: TrainingCourse, unit_id: int | None, seats: int | None) -> TrainingQuota | None:
    """Give a unit ``seats`` on the course (0 removes its quota). Returns the quota or None."""
    require_manage(actor, course.event)
    unit = check_unit(unit_id, "unit_id")
    if seats is None or not 0 <= seats <= course.capacity:
        raise ValidationFailed(_("Enter a number of seats from 0 to the capacity (%(n)d).",
                                 n=course.capacity), "seats")
    if not access.unit_may_view(unit.id, course.event):
        raise ValidationFailed(_("This unit may not see the course (it is confidential)."), "unit_id")
    held = seats_held(course, unit.id)
    if seats < held:
        raise ValidationFailed(_("%(unit)s already holds %(n)d seats: withdraw nominations first.",
                                 unit=unit.name_vi, n=held), "seats")
    quota = quota_of(course, unit.id)
    others = sum(q.seats for q in course.quotas if q.unit_id != unit.id)
    if others + seats > course.capacity:
        raise ValidationFailed(_("The quotas would add up to %(total)d seats, more than the "
                                 "capacity of %(n)d.", total=others + seats, n=course.capacity), "seats")
    if seats == 0:
        if quota is not None:
            course.quotas.remove(quota)
        db.session.flush()
        return None
    if quota is None:
        quota = TrainingQuota(unit_id=unit.id, unit=unit, seats=seats)
        course.quotas.append(quota)
    quota.seats = seats
    db.session.flush()
    return quota


# --- nominations --------------------------------------------------------------------------

def nominee_choices(actor, course: TrainingCourse) -> list[User]:
    """Active people of the nominator's unit not already holding a seat on the course."""
    if not is_nominator(actor):
        return []
    taken = {n.user_id for n in course.nominations if n.status in HOLDING_SEAT}
    people = db.session.scalars(sa.select(User).where(User.unit_id == actor.unit_id,
                                                      User.active.is_(True)).order_by(User.name))
    return [u for u in people if u.id not in taken]


def nominate(actor, course: TrainingCourse, user_id: int | None,
             now: datetime | None = None) -> TrainingNomination:
    """The unit's head or focal point nominates a person of their unit."""
    event = course.event
    access.require_view(actor, event)
    if not is_nominator(actor):
        raise PermissionDenied()
    now = now or utcnow()
    nominee = db.session.get(User, user_id) if user_id else None
    if nominee is None or not nominee.active:
        raise ValidationFailed(_("Unknown person."), "user_id")
    if not belongs_to(nominee, actor.unit_id):
        raise ValidationFailed(_("%(name)s is not in your unit: a unit nominates its own people only.",
                                 name=nominee.name), "user_id")
    quota = quota_of(course, actor.unit_id)
    if quota is None:
        raise ValidationFailed(_("Your unit has no seats on this course."), "user_id")
    if not event.takes_place:
        raise ValidationFailed(_("The course does not take place: nominations are closed."))
    if now > course.nomination_deadline:
        raise ValidationFailed(_("Nominations closed at the deadline (%(when)s).",
                                 when=_local(course.nomination_deadline, event)))
    if not access.can_view(nominee, event):
        raise ValidationFailed(_("%(name)s may not see this course.", name=nominee.name), "user_id")
    existing = next((n for n in course.nominations if n.user_id == nominee.id), None)
    if existing is not None and existing.status in HOLDING_SEAT:
        raise ValidationFailed(_("%(name)s is already nominated.", name=nominee.name), "user_id")
    held = seats_held(course, actor.unit_id)
    if held >= quota.seats:
        raise ValidationFailed(_("Your unit's quota is full (%(n)d of %(n)d seats).", n=quota.seats),
                               "user_id")
    if seats_held(course) >= course.capacity:
        raise ValidationFailed(_("The course is full (%(n)d seats).", n=course.capacity), "user_id")
    recently = recent_training_note(nominee, course)
    nomination = existing or TrainingNomination(course=course, user=nominee)
    db.session.add(nomination)
    nomination.unit_id = actor.unit_id
    nomination.nominated_by_id, nomination.nominated_at = actor.id, now
    nomination.status, nomination.responded_at, nomination.decline_reason = (
        NominationStatus.NOMINATED, None, "")
    nomination.recently_trained = recently
    db.session.flush()
    nomination_made.send(nomination, actor=actor)
    return nomination


def recent_training_note(person: User, course: TrainingCourse) -> str:
    """Titles of courses on the same topics the person completed in the recent window."""
    done = completions([person.id], since=recent_since(course.event.starts_at),
                       until=course.event.starts_at, topic_ids=[t.id for t in course.topics])
    done = [c for c in done if c.course_id != course.id]
    if not done:
        return ""
    events = db.session.scalars(sa.select(Event).where(Event.id.in_([c.event_id for c in done])))
    return "; ".join(f"{e.title_vi} ({e.ends_at:%d/%m/%Y})" for e in events)


def _local(moment: datetime, event: Event) -> str:
    return moment.astimezone(_zone(event)).strftime("%d/%m/%Y %H:%M")


def get_nomination(user, nomination_id: int) -> TrainingNomination:
    nomination = db.session.get(TrainingNomination, nomination_id)
    if nomination is None:
        raise NotVisible()
    access.require_view(user, nomination.course.event)
    return nomination


def can_withdraw(user, nomination: TrainingNomination, now: datetime | None = None) -> bool:
    return (nomination.status in HOLDING_SEAT and is_nominator(user)
            and belongs_to(user, nomination.unit_id) and is_open(nomination.course, now))


def withdraw(actor, nomination: TrainingNomination, now: datetime | None = None) -> None:
    """The unit takes a nomination back before the deadline; the seat is free again."""
    access.require_view(actor, nomination.course.event)
    if not (is_nominator(actor) and belongs_to(actor, nomination.unit_id)):
        raise PermissionDenied()
    if nomination.status not in HOLDING_SEAT:
        raise ValidationFailed(_("This nomination is no longer active."))
    if not is_open(nomination.course, now):
        raise ValidationFailed(_("Nominations are closed: the nomination can no longer be withdrawn."))
    nomination.status = NominationStatus.WITHDRAWN
    db.session.flush()


def can_respond(user, nomination: TrainingNomination, now: datetime | None = None) -> bool:
    return (is_active_user(user) and nomination.user_id == user.id
            and nomination.status in HOLDING_SEAT
            and (now or utcnow()) < nomination.course.event.starts_at
            and nomination.course.event.takes_place)


def respond(actor, nomination: TrainingNomination, accept: bool, reason: str = "",
            now: datetime | None = None) -> TrainingNomination:
    """The nominee accepts or declines (an acceptance may still be turned into a decline)."""
    access.require_view(actor, nomination.course.event)
    if not is_active_user(actor) or nomination.user_id != actor.id:
        raise PermissionDenied()
    now = now or utcnow()
    if nomination.status not in HOLDING_SEAT:
        raise ValidationFailed(_("This nomination is no longer active."))
    if not nomination.course.event.takes_place or now >= nomination.course.event.starts_at:
        raise ValidationFailed(_("The course has started or does not take place: the answer can "
                                 "no longer change."))
    if accept and nomination.status is NominationStatus.ACCEPTED:
        return nomination
    nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
    nomination.decline_reason = "" if accept else check_length(reason, TEXT_MAX, "reason")
    nomination.responded_at = now
    db.session.flush()
    return nomination


def my_nominations(user) -> list[TrainingNomination]:
    """The user's nominations to courses not yet started, awaiting an answer or accepted."""
    if not is_active_user(user):
        return []
    return [n for n in db.session.scalars(
        sa.select(TrainingNomination).join(TrainingCourse).join(Event, Event.id == TrainingCourse.event_id)
        .where(TrainingNomination.user_id == user.id, TrainingNomination.status.in_(HOLDING_SEAT),
               Event.starts_at > utcnow(), access.visible_clause(user))
        .order_by(Event.starts_at))]
