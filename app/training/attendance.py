"""Attendance per session, evaluations and certificates of completion.

The organiser (``services.can_manage``) keeps attendance: present, absent or excused for each
accepted nominee at each session, from the phone page or from the printed sign-in sheet.
Participants evaluate the course once it has started and they attended a session; reports
show the answers without names. A certificate (.docx) goes to whoever completed the course
(``records.completes``) once it is over.
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.auth.permissions import belongs_to, is_active_user
from app.errors import PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import ProgrammeItem
from app.events.validation import TEXT_MAX, check_length
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from app.training import services
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingCourse,
    TrainingEvaluation,
    TrainingNomination,
)
from app.training.records import completes

RATING_FIELDS = ("content", "trainers", "organisation", "usefulness")


def participants(course: TrainingCourse) -> list[TrainingNomination]:
    """Accepted nominees, by unit then name: the sign-in sheet's and the attendance page's rows."""
    return sorted((n for n in course.nominations if n.status is NominationStatus.ACCEPTED),
                  key=lambda n: (n.unit.name_vi, n.user.name))


def session_of(course: TrainingCourse, session_id: int) -> ProgrammeItem:
    session = next((s for s in course.event.programme if s.id == session_id), None)
    if session is None:
        raise ValidationFailed(_("Unknown session."))
    return session


def marks(course: TrainingCourse) -> dict[tuple[int, int], AttendanceStatus]:
    """(nomination id, session id) -> status, for the whole course."""
    ids = [n.id for n in course.nominations] or [0]
    rows = db.session.execute(sa.select(TrainingAttendance.nomination_id, TrainingAttendance.session_id,
                                        TrainingAttendance.status)
                              .where(TrainingAttendance.nomination_id.in_(ids)))
    return {(r.nomination_id, r.session_id): r.status for r in rows}


def record_attendance(actor, course: TrainingCourse, session_id: int,
                      statuses: dict[int, str], now: datetime | None = None) -> int:
    """Set the status of each nominee (nomination id -> status) at one session; returns how many.

    Only accepted nominees of this course can be marked: anyone else is refused by name.
    """
    services.require_manage(actor, course.event)
    if not course.event.takes_place:
        raise ValidationFailed(_("The course does not take place."))
    session = session_of(course, session_id)
    accepted = {n.id: n for n in participants(course)}
    everyone = {n.id: n for n in course.nominations}
    existing = {a.nomination_id: a for a in db.session.scalars(
        sa.select(TrainingAttendance).where(TrainingAttendance.session_id == session.id))}
    changed = 0
    for nomination_id, value in sorted(statuses.items()):
        nomination = accepted.get(nomination_id)
        if nomination is None:
            other = everyone.get(nomination_id)
            if other is not None:
                raise ValidationFailed(_("%(name)s has not accepted the nomination: attendance is kept "
                                         "for accepted nominees only.", name=other.user.name))
            raise ValidationFailed(_("This person is not nominated for the course: attendance is "
                                     "kept for nominees only."))
        try:
            status = AttendanceStatus(value)
        except ValueError:
            raise ValidationFailed(_("Choose present, absent or excused.")) from None
        row = existing.get(nomination_id)
        if row is None:
            db.session.add(TrainingAttendance(nomination_id=nomination_id, session_id=session.id,
                                              status=status, recorded_by_id=actor.id,
                                              recorded_at=now or utcnow()))
            changed += 1
        elif row.status is not status:
            row.status, row.recorded_by_id, row.recorded_at = status, actor.id, now or utcnow()
            changed += 1
    db.session.flush()
    return changed


def present_count(course: TrainingCourse, nomination: TrainingNomination) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(TrainingAttendance).where(
        TrainingAttendance.nomination_id == nomination.id,
        TrainingAttendance.status == AttendanceStatus.PRESENT)) or 0


def has_completed(course: TrainingCourse, nomination: TrainingNomination) -> bool:
    return (nomination.status is NominationStatus.ACCEPTED and course.event.takes_place
            and completes(present_count(course, nomination), len(course.event.programme)))


# --- evaluations ----------------------------------------------------------------------------

def evaluation_of(nomination: TrainingNomination) -> TrainingEvaluation | None:
    return db.session.scalar(sa.select(TrainingEvaluation).where(
        TrainingEvaluation.nomination_id == nomination.id))


def can_evaluate(user, nomination: TrainingNomination | None, now: datetime | None = None) -> bool:
    """The participant, once the course started and they were present at a session, once."""
    if nomination is None or not is_active_user(user) or nomination.user_id != user.id:
        return False
    course = nomination.course
    return (nomination.status is NominationStatus.ACCEPTED
            and (now or utcnow()) >= course.event.starts_at
            and present_count(course, nomination) > 0 and evaluation_of(nomination) is None)


@dataclass
class EvaluationData:
    content: int | None
    trainers: int | None
    organisation: int | None
    usefulness: int | None
    comments: str = ""


def submit_evaluation(actor, course: TrainingCourse, data: EvaluationData,
                      now: datetime | None = None) -> TrainingEvaluation:
    access.require_view(actor, course.event)
    nomination = next((n for n in course.nominations if n.user_id == getattr(actor, "id", None)), None)
    if nomination is None or nomination.status is not NominationStatus.ACCEPTED:
        raise PermissionDenied()
    if evaluation_of(nomination) is not None:
        raise ValidationFailed(_("You have already evaluated this course."))
    if not can_evaluate(actor, nomination, now):
        raise ValidationFailed(_("The evaluation opens once the course has started and you "
                                 "attended a session."))
    ratings = {}
    for name in RATING_FIELDS:
        value = getattr(data, name)
        if value is None or not 1 <= value <= 5:
            raise ValidationFailed(_("Give a rating from 1 to 5."), name)
        ratings[name] = value
    evaluation = TrainingEvaluation(course_id=course.id, nomination_id=nomination.id,
                                    comments=check_length(data.comments, TEXT_MAX, "comments"),
                                    submitted_at=now or utcnow(), **ratings)
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


@dataclass
class EvaluationReport:
    """Averages and comments, without names (comments in the order of the ratings' ids)."""

    count: int
    averages: dict[str, float]
    comments: list[str]


def evaluation_report(user, course: TrainingCourse) -> EvaluationReport:
    services.require_manage(user, course.event)
    rows = list(db.session.scalars(sa.select(TrainingEvaluation).where(
        TrainingEvaluation.course_id == course.id).order_by(TrainingEvaluation.id)))
    averages = {name: round(sum(getattr(r, name) for r in rows) / len(rows), 1) if rows else 0.0
                for name in RATING_FIELDS}
    return EvaluationReport(len(rows), averages, sorted(r.comments for r in rows if r.comments))


# --- certificates -----------------------------------------------------------------------------

def can_download_certificate(user, nomination: TrainingNomination, now: datetime | None = None) -> bool:
    """The participant, their unit's head or focal point, and the organiser; once the course is over."""
    course = nomination.course
    if not access.can_view(user, course.event) or (now or utcnow()) < course.event.ends_at:
        return False
    allowed = (getattr(user, "id", None) == nomination.user_id or services.can_manage(user, course.event)
               or (services.is_nominator(user) and belongs_to(user, nomination.unit_id)))
    return allowed and has_completed(course, nomination)


def require_certificate(user, nomination: TrainingNomination, now: datetime | None = None) -> None:
    access.require_view(user, nomination.course.event)
    if not can_download_certificate(user, nomination, now):
        raise PermissionDenied()
