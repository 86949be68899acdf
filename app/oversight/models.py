"""The periodic implementation report and its narrative, kept as versions."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.models import EventKind
from app.extensions import Model, enum_type
from app.spokespeople.models import NOTE_STATUS_LABELS, NoteStatus
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit

# The same workflow and words as briefing notes: draft → submitted → approved or returned.
ReportStatus = NoteStatus
REPORT_STATUS_LABELS = NOTE_STATUS_LABELS


class Report(Model):
    """The report on the plan's implementation for one period (one report per period)."""

    __tablename__ = "oversight_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_label: Mapped[str] = mapped_column(sa.String(32), unique=True)   # "2026-Q4", …
    period_start: Mapped[date]
    period_end: Mapped[date]
    number: Mapped[str] = mapped_column(sa.String(60), default="")          # số hiệu, "25-BC/BTGDVTU"
    status: Mapped[ReportStatus] = mapped_column(enum_type(ReportStatus), default=ReportStatus.DRAFT)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Optimistic lock: a submit, approval or return based on an older page is refused.
    lock_version: Mapped[int] = mapped_column(default=1)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    texts: Mapped[list["ReportText"]] = relationship(
        back_populates="report", cascade="all, delete-orphan",
        order_by="(ReportText.section, ReportText.number)")

    __mapper_args__ = {"version_id_col": lock_version}


class ReportText(Model):
    """One version of one section's narrative; a save adds a version, none is changed."""

    __tablename__ = "oversight_report_texts"
    __table_args__ = (sa.UniqueConstraint("report_id", "section", "number",
                                          name="uq_oversight_report_texts_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("oversight_reports.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(sa.String(10))    # "II.1" … "II.5", "III"
    number: Mapped[int]                                     # 1, 2, … per section
    text: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="texts")
    author: Mapped[User | None] = relationship()


class RosterNotice(Model):
    """The press authority was told in writing of a unit's spokesperson list (rule 3)."""

    __tablename__ = "oversight_roster_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(100), default="")   # the letter's number
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()


class RollupMonth(Model):
    """A month of the rollups (``rollup``): fresh while ``rolled`` equals ``generation``."""

    __tablename__ = "oversight_rollup_months"

    month: Mapped[str] = mapped_column(sa.String(80), primary_key=True)   # "Asia/Ho_Chi_Minh:2026-03"
    generation: Mapped[int] = mapped_column(default=0)    # + 1 at every write touching the month
    rolled: Mapped[int | None]                             # the generation the counts were made at


class ItemCount(Model):
    """Checklist items due in a month, per owing unit and kind of event (a rollup)."""

    __tablename__ = "oversight_item_counts"

    month: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind), primary_key=True)
    due: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[int] = mapped_column(default=0)
    done_late: Mapped[int] = mapped_column(default=0)
    # on_time, done_late and awaiting count regular items only; short-notice items (generated
    # after their rule's due time had passed) are counted apart, in short_notice.
    awaiting: Mapped[int] = mapped_column(default=0)      # open or returned: overdue once past due
    short_notice: Mapped[int] = mapped_column(default=0)


class EventCount(Model):
    """Events held that started in a month, per lead unit and kind (a rollup)."""

    __tablename__ = "oversight_event_counts"

    month: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind), primary_key=True)
    held: Mapped[int] = mapped_column(default=0)
    briefed: Mapped[int] = mapped_column(default=0)


class MedianCache(Model):
    """Medians of a scope, with the generations of the months they were computed from."""

    __tablename__ = "oversight_median_cache"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    signature: Mapped[str] = mapped_column(sa.Text, default="")
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class AlertOccurrence(Model):
    """One occurrence of a standing alert, the subject of its notices (told once per person).

    ``key`` names the occurrence (e.g. ``roster_changed:12:2026-11-19T02:00:00+00:00``): the
    same alert found again by a later run, or by another host at the same time, is the same
    row, so the delivery ledger's unique key makes each person hear of it once.
    """

    __tablename__ = "oversight_alert_occurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    code: Mapped[str] = mapped_column(sa.String(30))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(   # the monitoring case of an answer clock
        sa.ForeignKey("monitoring_cases.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
