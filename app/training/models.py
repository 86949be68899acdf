"""Training courses: curriculum topics, course details, quotas, nominations, attendance, evaluations.

A course is an ``Event`` of kind ``training``; ``TrainingCourse`` holds what only a course
has. Its sessions are the event's ``ProgrammeItem`` rows (date, time, room), so calendars
and feeds show them like any programme.
"""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.models import Event, ProgrammeItem
from app.extensions import Model, db, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


class TargetRole(StrEnum):
    """Whom a course is meant for (task II.5): the people who advise on external information."""

    FOCAL = "focal"
    SPOKESPERSON = "spokesperson"
    LIAISON = "liaison"
    UNIT_HEAD = "unit_head"


TARGET_ROLE_LABELS = {
    TargetRole.FOCAL: _l("Focal points"),
    TargetRole.SPOKESPERSON: _l("Spokespeople"),
    TargetRole.LIAISON: _l("Press liaisons"),
    TargetRole.UNIT_HEAD: _l("Unit leaders"),
}


class NominationStatus(StrEnum):
    NOMINATED = "nominated"   # waiting for the nominee's answer
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"   # taken back by the unit before the deadline


NOMINATION_STATUS_LABELS = {
    NominationStatus.NOMINATED: _l("Awaiting answer"),
    NominationStatus.ACCEPTED: _l("Accepted"),
    NominationStatus.DECLINED: _l("Declined"),
    NominationStatus.WITHDRAWN: _l("Withdrawn"),
}

# Nominations that hold a seat of the unit's quota.
HOLDING_SEAT = (NominationStatus.NOMINATED, NominationStatus.ACCEPTED)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
}


class TrainingTopic(Model):
    """A curriculum topic: a list kept as data (seeded; administrators add more)."""

    __tablename__ = "training_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi


training_course_topics = sa.Table(
    "training_course_topics", db.metadata,
    sa.Column("course_id", sa.ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("training_topics.id"), primary_key=True, index=True),
)

# Trainers who are users of the app; outside trainers are names in ``outside_trainers``.
training_course_trainers = sa.Table(
    "training_course_trainers", db.metadata,
    sa.Column("course_id", sa.ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class TrainingCourse(Model):
    """What a training event has beyond an event: topics, trainers, capacity, quotas."""

    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    capacity: Mapped[int] = mapped_column(default=30)
    # TargetRole values, e.g. ["focal", "spokesperson"].
    target_roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    # One name per line ("TS. Nguyễn Văn A, Học viện Báo chí và Tuyên truyền").
    outside_trainers: Mapped[str] = mapped_column(sa.Text, default="")
    # Nominations close at this moment.
    nomination_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    topics: Mapped[list[TrainingTopic]] = relationship(secondary=training_course_topics,
                                                       order_by=TrainingTopic.position)
    trainers: Mapped[list[User]] = relationship(secondary=training_course_trainers,
                                                order_by=User.name)
    quotas: Mapped[list["TrainingQuota"]] = relationship(
        back_populates="course", cascade="all, delete-orphan")
    nominations: Mapped[list["TrainingNomination"]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="TrainingNomination.id")

    @property
    def target_role_set(self) -> set[TargetRole]:
        return {TargetRole(r) for r in self.target_roles or [] if r in TargetRole._value2member_map_}

    @property
    def outside_trainer_names(self) -> list[str]:
        return [line.strip() for line in (self.outside_trainers or "").splitlines() if line.strip()]


class TrainingQuota(Model):
    """Seats a unit may fill with its nominations."""

    __tablename__ = "training_quotas"
    __table_args__ = (sa.UniqueConstraint("course_id", "unit_id", name="uq_training_quotas_course_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    seats: Mapped[int] = mapped_column(default=1)

    course: Mapped[TrainingCourse] = relationship(back_populates="quotas")
    unit: Mapped[Unit] = relationship()


class TrainingNomination(Model):
    """A person a unit sends to a course, and their answer."""

    __tablename__ = "training_nominations"
    __table_args__ = (sa.UniqueConstraint("course_id", "user_id", name="uq_training_nominations_course_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    nominated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[NominationStatus] = mapped_column(enum_type(NominationStatus),
                                                     default=NominationStatus.NOMINATED)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Already completed a course on one of the same topics in the recent window when nominated:
    # the titles of those courses, for the unit and the organiser to see ("" when none).
    recently_trained: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[TrainingCourse] = relationship(back_populates="nominations")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit] = relationship()
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    attendance: Mapped[list["TrainingAttendance"]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan")


class TrainingAttendance(Model):
    """Whether a nominee was at one session (a programme item of the course's event)."""

    __tablename__ = "training_attendance"
    __table_args__ = (sa.UniqueConstraint("nomination_id", "session_id",
                                          name="uq_training_attendance_nomination_session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_nominations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_items.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[TrainingNomination] = relationship(back_populates="attendance")
    session: Mapped[ProgrammeItem] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class TrainingEvaluation(Model):
    """A participant's evaluation of a course: ratings 1–5 and comments.

    Linked to the nomination only so that each participant evaluates once; reports show
    the answers without names.
    """

    __tablename__ = "training_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("training_courses.id", ondelete="CASCADE"),
                                           index=True)
    nomination_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_nominations.id", ondelete="CASCADE"), unique=True)
    content: Mapped[int]
    trainers: Mapped[int]
    organisation: Mapped[int]
    usefulness: Mapped[int]
    comments: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[TrainingCourse] = relationship()
    nomination: Mapped[TrainingNomination] = relationship()
