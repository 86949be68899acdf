"""Who speaks at each press briefing."""
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import Model, Searchable, enum_type
from app.i18n import _l
from app.press.models import Briefing
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


class AssignmentRole(StrEnum):
    LEAD = "lead"
    DEPUTY = "deputy"


class AssignmentStatus(StrEnum):
    PROPOSED = "proposed"    # waiting for the person to accept
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # taken off by protocol


ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.PROPOSED: _l("Awaiting answer"),
    AssignmentStatus.ACCEPTED: _l("Accepted"),
    AssignmentStatus.DECLINED: _l("Declined"),
    AssignmentStatus.WITHDRAWN: _l("Withdrawn"),
}

ACTIVE_ASSIGNMENT_STATUSES = frozenset({AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED})


class SpokespersonAssignment(Model):
    __tablename__ = "spokesperson_assignments"
    __table_args__ = (sa.Index("ix_spokesperson_assignments_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(sa.ForeignKey("briefings.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))  # the unit spoken for
    role: Mapped[AssignmentRole] = mapped_column(enum_type(AssignmentRole))
    status: Mapped[AssignmentStatus] = mapped_column(enum_type(AssignmentStatus),
                                                     default=AssignmentStatus.PROPOSED)
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    briefing: Mapped[Briefing] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit] = relationship()
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])

    @property
    def is_active(self) -> bool:
        """Proposed or accepted: the person is on the briefing (and may be withdrawn)."""
        return self.status in ACTIVE_ASSIGNMENT_STATUSES

    @property
    def awaits_answer(self) -> bool:
        """Proposed: the person is asked to accept or decline."""
        return self.status is AssignmentStatus.PROPOSED


# --- roster: who may speak for a unit (Decree 09/2017, DOMAIN.md rule 3) ---------------

class SpokespersonDesignation(Model):
    """A unit's designated spokesperson; the directory publishes the current ones."""

    __tablename__ = "spokesperson_designations"
    __table_args__ = (
        sa.Index("ix_spokesperson_designations_unit_user", "unit_id", "user_id"),
        sa.CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))  # as printed in the directory
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    since: Mapped[date] = mapped_column(sa.Date)
    until: Mapped[date | None] = mapped_column(sa.Date)  # inclusive; None: until further notice
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship()

    def covers(self, day: date) -> bool:
        """In force on ``day``: within its window, its person and its unit active."""
        return (self.since <= day and (self.until is None or day <= self.until)
                and self.user.active and self.unit.active)

    @classmethod
    def covers_clause(cls, day: date) -> sa.ColumnElement[bool]:
        """SQL twin of ``covers``."""
        return sa.and_(cls.since <= day, sa.or_(cls.until.is_(None), cls.until >= day),
                       cls.user.has(User.active.is_(True)), cls.unit.has(Unit.active.is_(True)))

    def ended_before(self, day: date) -> bool:
        """Its last day is before ``day`` (it can no longer be ended)."""
        return self.until is not None and self.until < day


class Authorisation(Model):
    """A written, time-limited authorisation by a unit's head to speak for the unit."""

    __tablename__ = "spokesperson_authorisations"
    __table_args__ = (
        sa.Index("ix_spokesperson_authorisations_user_unit", "user_id", "unit_id"),
        sa.CheckConstraint("valid_until >= valid_from", name="window_not_reversed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_number: Mapped[str] = mapped_column(sa.String(100))
    document_date: Mapped[date] = mapped_column(sa.Date)
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    valid_from: Mapped[date] = mapped_column(sa.Date)   # inclusive, in APP_TIMEZONE
    valid_until: Mapped[date] = mapped_column(sa.Date)  # inclusive, in APP_TIMEZONE
    matters: Mapped[str] = mapped_column(sa.Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    def covers(self, day: date) -> bool:
        """In force on ``day``: not revoked, within its window, its person and unit active."""
        return (self.revoked_at is None and self.valid_from <= day <= self.valid_until
                and self.user.active and self.unit.active)

    @classmethod
    def covers_clause(cls, day: date) -> sa.ColumnElement[bool]:
        """SQL twin of ``covers``."""
        return sa.and_(cls.revoked_at.is_(None), cls.valid_from <= day, cls.valid_until >= day,
                       cls.user.has(User.active.is_(True)), cls.unit.has(Unit.active.is_(True)))


# --- briefing notes -------------------------------------------------------------------

class NoteStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


NOTE_STATUS_LABELS = {
    NoteStatus.DRAFT: _l("Draft"),
    NoteStatus.SUBMITTED: _l("Submitted for approval"),
    NoteStatus.APPROVED: _l("Approved"),
    NoteStatus.RETURNED: _l("Returned with comments"),
}


class BriefingNote(Model):
    """The note spokespeople brief from; one per briefing, kept as immutable versions."""

    __tablename__ = "briefing_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(sa.ForeignKey("briefings.id", ondelete="CASCADE"),
                                             unique=True)
    # Number and status of the newest version; 0 before the first save.
    latest_number: Mapped[int] = mapped_column(default=0)
    status: Mapped[NoteStatus] = mapped_column(enum_type(NoteStatus), default=NoteStatus.DRAFT)
    approved_number: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock: two racing saves or reviews cannot both update the note.
    lock_version: Mapped[int] = mapped_column(default=1)

    briefing: Mapped[Briefing] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list["BriefingNoteVersion"]] = relationship(
        back_populates="note", cascade="all, delete-orphan",
        order_by="BriefingNoteVersion.number")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def latest(self) -> "BriefingNoteVersion | None":
        return self.versions[-1] if self.versions else None

    def version(self, number: int) -> "BriefingNoteVersion | None":
        return next((v for v in self.versions if v.number == number), None)


class BriefingNoteVersion(Searchable, Model):
    """One saved state of a note. Never updated except for its review outcome."""

    __tablename__ = "briefing_note_versions"
    SEARCH_FIELDS = ("key_messages_vi", "key_messages_en", "background_vi", "background_en",
                     "red_lines_vi", "red_lines_en")
    __table_args__ = (sa.UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("briefing_notes.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[NoteStatus] = mapped_column(enum_type(NoteStatus), default=NoteStatus.DRAFT)
    key_messages_vi: Mapped[str] = mapped_column(sa.Text, default="")
    key_messages_en: Mapped[str] = mapped_column(sa.Text, default="")
    background_vi: Mapped[str] = mapped_column(sa.Text, default="")
    background_en: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"figure": ..., "source": ...}, ...]
    figures: Mapped[list] = mapped_column(sa.JSON, default=list)
    red_lines_vi: Mapped[str] = mapped_column(sa.Text, default="")  # lines not to cross
    red_lines_en: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")

    note: Mapped[BriefingNote] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    answers: Mapped[list["NoteAnswer"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="NoteAnswer.position")


class NoteAnswer(Model):
    """An anticipated question with its answer; approved ones form the Q&A bank."""

    __tablename__ = "briefing_note_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("briefing_note_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    question_vi: Mapped[str] = mapped_column(sa.Text)
    answer_vi: Mapped[str] = mapped_column(sa.Text)
    question_en: Mapped[str] = mapped_column(sa.Text, default="")
    answer_en: Mapped[str] = mapped_column(sa.Text, default="")

    version: Mapped[BriefingNoteVersion] = relationship(back_populates="answers")


class ListNoticeEntry(Model):
    """The spokesperson list's log for the press authority (Decree 09/2017, rule 3).

    A ``changed`` row each time a designation is added or ended; a ``sent`` row when the notice
    letter with the list went to the press authority. The standing alert "spokesperson list
    changed, press authority not yet notified" stands while the newest change is after the
    newest sending (``app.spokespeople.list_notice``).
    """

    __tablename__ = "spokesperson_list_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))   # "changed" or "sent"
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
