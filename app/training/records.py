"""Who completed which course: attendance against the completion threshold.

A person completed a course when their nomination was accepted, the course took place and
they were present at ``training.completion_percent`` of its sessions (default 80 %). The
certificate, the person's training record, the "trained recently" flag and the coverage
page all ask this module.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.i18n import _l
from app.settings import define, group, setting, types
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingCourse,
    TrainingNomination,
    training_course_topics,
)

group("training", _l("Training courses"))
define("training.completion_percent",
       _l("Attendance needed to complete a course (and receive its certificate)"), types.PERCENT, 80,
       minimum=1, maximum=100,
       help=_l("Share of the course's sessions at which the person was present."))
define("training.recent_months", _l("A course counts as recent training for this many months"),
       types.INTEGER, 24, minimum=1, maximum=120,
       help=_l("Coverage counts courses completed in this window; a nomination of someone "
               "trained on the same topics within it is flagged."))


def recent_since(as_of: datetime) -> datetime:
    """The start of the recent-training window ending at ``as_of`` (months of 30.44 days)."""
    return as_of - timedelta(days=round(setting("training.recent_months") * 30.44))


@dataclass(frozen=True)
class Completion:
    nomination_id: int
    user_id: int
    course_id: int
    event_id: int
    ended_at: datetime
    present: int
    sessions: int

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.sessions) if self.sessions else 0


def completes(present: int, sessions: int) -> bool:
    """Present at enough of the sessions (the threshold is a setting)."""
    return sessions > 0 and 100 * present >= setting("training.completion_percent") * sessions


def attendance_counts(where) -> list[Completion]:
    """Present sessions and sessions of each accepted nomination matching ``where``."""
    present = (sa.select(sa.func.count()).select_from(TrainingAttendance)
               .where(TrainingAttendance.nomination_id == TrainingNomination.id,
                      TrainingAttendance.status == AttendanceStatus.PRESENT)
               .scalar_subquery())
    sessions = (sa.select(sa.func.count()).select_from(ProgrammeItem)
                .where(ProgrammeItem.event_id == Event.id).scalar_subquery())
    rows = db.session.execute(
        sa.select(TrainingNomination.id, TrainingNomination.user_id, TrainingCourse.id,
                  Event.id, Event.ends_at, present, sessions)
        .join(TrainingCourse, TrainingCourse.id == TrainingNomination.course_id)
        .join(Event, Event.id == TrainingCourse.event_id)
        .where(TrainingNomination.status == NominationStatus.ACCEPTED, Event.takes_place_clause(),
               *where)
        .order_by(Event.ends_at.desc(), TrainingNomination.id)).all()
    return [Completion(*row) for row in rows]


def completions(user_ids=None, *, since: datetime | None = None, until: datetime | None = None,
                topic_ids=None, course_id: int | None = None) -> list[Completion]:
    """Completed courses (newest first), filtered by people, end-date window, topics, course."""
    where: list[sa.ColumnElement[bool]] = []
    if user_ids is not None:
        where.append(TrainingNomination.user_id.in_(sorted(set(user_ids)) or [0]))
    if since is not None:
        where.append(Event.ends_at >= since)
    if until is not None:
        where.append(Event.ends_at <= until)
    if course_id is not None:
        where.append(TrainingCourse.id == course_id)
    if topic_ids is not None:
        where.append(sa.select(training_course_topics.c.course_id).where(
            training_course_topics.c.course_id == TrainingCourse.id,
            training_course_topics.c.topic_id.in_(sorted(set(topic_ids)) or [0])).exists())
    return [c for c in attendance_counts(where) if completes(c.present, c.sessions)]
