"""Monitoring cases (vụ việc): a press or social-media report, its workflow, files and timeline."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.models import Event
from app.extensions import Model, db, enum_type
from app.i18n import _l
from app.press.models import PressOutlet
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


class CaseStatus(StrEnum):
    NEW = "new"
    VERIFYING = "verifying"
    DRAFTED = "drafted"                  # a response is drafted
    APPROVED = "approved"                # the response is approved
    RESPONDED = "responded"              # the response was given
    CORRECTION_REQUESTED = "correction"  # a correction was requested from the outlet
    CLOSED = "closed"
    NO_ACTION = "no_action"              # closed without a response, with a reason


CASE_STATUS_LABELS = {
    CaseStatus.NEW: _l("New"),
    CaseStatus.VERIFYING: _l("Verifying"),
    CaseStatus.DRAFTED: _l("Response drafted"),
    CaseStatus.APPROVED: _l("Response approved"),
    CaseStatus.RESPONDED: _l("Responded"),
    CaseStatus.CORRECTION_REQUESTED: _l("Correction requested"),
    CaseStatus.CLOSED: _l("Closed"),
    CaseStatus.NO_ACTION: _l("No action needed"),
}

FINISHED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.NO_ACTION})
# The verification clock runs in these states until the verification is recorded.
VERIFY_CLOCK_STATUSES = frozenset({CaseStatus.NEW, CaseStatus.VERIFYING})
# The response clock runs until the response is given (or no action is needed).
RESPOND_CLOCK_STATUSES = frozenset({CaseStatus.NEW, CaseStatus.VERIFYING, CaseStatus.DRAFTED,
                                    CaseStatus.APPROVED})


class Classification(StrEnum):
    ACCURATE = "accurate"
    ONE_SIDED = "one_sided"
    INCOMPLETE = "incomplete"
    UNTRUE = "untrue"
    HOSTILE = "hostile"


CLASSIFICATION_LABELS = {
    Classification.ACCURATE: _l("Accurate"),
    Classification.ONE_SIDED: _l("One-sided"),
    Classification.INCOMPLETE: _l("Incomplete"),
    Classification.UNTRUE: _l("Untrue"),
    Classification.HOSTILE: _l("Hostile"),
}


class Origin(StrEnum):
    """Which response clock applies."""

    MONITORED = "monitored"          # found by monitoring: an ad-hoc statement (rule 5)
    PRESS_REQUEST = "press_request"  # a press agency's written question or forwarded complaint (rule 10)


ORIGIN_LABELS = {
    Origin.MONITORED: _l("Found by monitoring (ad-hoc statement)"),
    Origin.PRESS_REQUEST: _l("Written question or forwarded complaint of a press agency"),
}


class ResponseForm(StrEnum):
    """The six forms of informing the press (Decree 09/2017 Art. 4, DOMAIN.md rule 4)."""

    PRESS_CONFERENCE = "press_conference"
    PORTAL_STATEMENT = "portal_statement"        # on the portal or official social media
    INTERVIEW = "interview"                      # statement or interview
    WRITTEN_ANSWER = "written_answer"            # press release, or written answer by letter/e-mail
    BRIEFING = "briefing"                        # press briefing
    CORRECTION_REQUEST = "correction_request"    # written request for a response or correction


RESPONSE_FORM_LABELS = {
    ResponseForm.PRESS_CONFERENCE: _l("Press conference"),
    ResponseForm.PORTAL_STATEMENT: _l("Statement on the portal or official social media"),
    ResponseForm.INTERVIEW: _l("Statement or interview"),
    ResponseForm.WRITTEN_ANSWER: _l("Press release or written answer by letter or e-mail"),
    ResponseForm.BRIEFING: _l("Press briefing"),
    ResponseForm.CORRECTION_REQUEST: _l("Written request for a response or correction"),
}


class VersionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


VERSION_STATUS_LABELS = {
    VersionStatus.DRAFT: _l("Draft"),
    VersionStatus.SUBMITTED: _l("Waiting for approval"),
    VersionStatus.APPROVED: _l("Approved"),
    VersionStatus.RETURNED: _l("Returned"),
}


case_units = sa.Table(
    "monitoring_case_units", db.metadata,
    sa.Column("case_id", sa.ForeignKey("monitoring_cases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), primary_key=True, index=True),
)


class MonitoringCase(Model):
    """One report in the press or on social media and what the province did about it."""

    __tablename__ = "monitoring_cases"
    __table_args__ = (
        sa.Index("ix_monitoring_cases_status_created", "status", "created_at"),
        # The lead unit's cases by state: the log's unit filter, and the clocks in feeds
        # (running ones, and those closed "no action needed" lately).
        sa.Index("ix_monitoring_cases_lead_unit_status", "lead_unit_id", "status", "closed_at"),
        sa.Index("ix_monitoring_cases_outlet", "outlet_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where: an outlet of the directory, or a platform and account.
    outlet_id: Mapped[int | None] = mapped_column(sa.ForeignKey("press_outlets.id"))
    platform: Mapped[str] = mapped_column(sa.String(100), default="")
    account: Mapped[str] = mapped_column(sa.String(200), default="")
    url: Mapped[str] = mapped_column(sa.String(2000))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    headline: Mapped[str] = mapped_column(sa.String(500))
    excerpt: Mapped[str] = mapped_column(sa.Text, default="")
    topic: Mapped[str] = mapped_column(sa.String(200), default="")
    area: Mapped[str] = mapped_column(sa.String(200), default="")
    lead_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"),
                                                 index=True)
    classification: Mapped[Classification] = mapped_column(enum_type(Classification))
    origin: Mapped[Origin] = mapped_column(enum_type(Origin), default=Origin.MONITORED)
    reach: Mapped[int | None]
    is_sensitive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus), default=CaseStatus.NEW)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The clocks, fixed from the settings when the case is recorded.
    verify_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    respond_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    findings: Mapped[str] = mapped_column(sa.Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    no_action_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The response: its form, who spoke (eligible on that day), when, where it can be read.
    response_form: Mapped[ResponseForm | None] = mapped_column(enum_type(ResponseForm, length=30))
    speaker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    response_link: Mapped[str] = mapped_column(sa.String(2000), default="")
    briefing_id: Mapped[int | None] = mapped_column(sa.ForeignKey("briefings.id", ondelete="SET NULL"))
    latest_version: Mapped[int] = mapped_column(default=0)  # number of the newest response text
    # The correction request (Press Law Art. 42) and the outlet's correction.
    false_content: Mapped[str] = mapped_column(sa.Text, default="")
    corrected_content: Mapped[str] = mapped_column(sa.Text, default="")
    signatory: Mapped[str] = mapped_column(sa.String(300), default="")
    correction_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_link: Mapped[str] = mapped_column(sa.String(2000), default="")
    correction_removed: Mapped[bool] = mapped_column(default=False)
    # Optimistic locking, as for events: an action based on an older page is refused.
    version: Mapped[int] = mapped_column(default=1)

    outlet: Mapped[PressOutlet | None] = relationship()
    lead_unit: Mapped[Unit] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=case_units, order_by=Unit.name_vi)
    event: Mapped[Event | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    speaker: Mapped[User | None] = relationship(foreign_keys=[speaker_id])
    attachments: Mapped[list["CaseAttachment"]] = relationship(
        back_populates="case", order_by="CaseAttachment.id", passive_deletes=True)
    steps: Mapped[list["CaseStep"]] = relationship(
        back_populates="case", order_by="CaseStep.id", passive_deletes=True)
    versions: Mapped[list["ResponseVersion"]] = relationship(
        back_populates="case", order_by="ResponseVersion.number", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_ids(self) -> set[int]:
        """The lead unit and the other units concerned."""
        return {self.lead_unit_id, *(u.id for u in self.units)}

    @property
    def source(self) -> str:
        if self.outlet is not None:
            return self.outlet.name
        return f"{self.platform}: {self.account}" if self.account else self.platform

    def due_at(self) -> datetime | None:
        """The deadline of the clock running now (verification first, then the response)."""
        if self.status in VERIFY_CLOCK_STATUSES and self.verified_at is None:
            return min(self.verify_due_at, self.respond_due_at)
        if self.status in RESPOND_CLOCK_STATUSES:
            return self.respond_due_at
        if self.status is CaseStatus.CORRECTION_REQUESTED and self.correction_published_at is None:
            return self.correction_follow_up_at
        return None

    def clock(self) -> str:
        """Which clock runs now: "verify", "respond", "correction" or ""."""
        if self.status in VERIFY_CLOCK_STATUSES and self.verified_at is None \
                and self.verify_due_at <= self.respond_due_at:
            return "verify"
        if self.status in RESPOND_CLOCK_STATUSES:
            return "respond"
        if self.status is CaseStatus.CORRECTION_REQUESTED and self.correction_published_at is None:
            return "correction"
        return ""

    def is_overdue(self, now: datetime) -> bool:
        """A clock that still runs has passed its deadline."""
        due = self.due_at()
        return due is not None and due < now

    @classmethod
    def overdue_clause(cls, now: datetime) -> sa.ColumnElement[bool]:
        """SQL twin of ``is_overdue``."""
        return sa.or_(
            sa.and_(cls.status.in_(VERIFY_CLOCK_STATUSES), cls.verified_at.is_(None),
                    cls.verify_due_at < now),
            sa.and_(cls.status.in_(RESPOND_CLOCK_STATUSES), cls.respond_due_at < now),
            sa.and_(cls.status == CaseStatus.CORRECTION_REQUESTED,
                    cls.correction_published_at.is_(None), cls.correction_follow_up_at < now))

    @property
    def latest(self) -> "ResponseVersion | None":
        return self.versions[-1] if self.versions else None


class CaseAttachment(Model):
    """A screenshot or document of the report, checked like checklist attachments, kept in app.storage."""

    __tablename__ = "monitoring_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitoring_cases.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    storage_key: Mapped[str] = mapped_column(sa.String(250), unique=True)  # in app.storage
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[MonitoringCase] = relationship(back_populates="attachments")


class StepAction(StrEnum):
    RECORDED = "recorded"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    RESPONDED = "responded"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECORDED = "correction_recorded"
    NO_ACTION = "no_action"
    CLOSED = "closed"
    REOPENED = "reopened"


STEP_ACTION_LABELS = {
    StepAction.RECORDED: _l("Recorded"),
    StepAction.VERIFYING: _l("Verification started"),
    StepAction.VERIFIED: _l("Verified"),
    StepAction.DRAFTED: _l("Response text saved"),
    StepAction.SUBMITTED: _l("Submitted for approval"),
    StepAction.APPROVED: _l("Response approved"),
    StepAction.RETURNED: _l("Response returned with comments"),
    StepAction.RESPONDED: _l("Response given"),
    StepAction.CORRECTION_REQUESTED: _l("Correction requested from the outlet"),
    StepAction.CORRECTION_RECORDED: _l("Outlet's correction recorded"),
    StepAction.NO_ACTION: _l("No action needed"),
    StepAction.CLOSED: _l("Closed"),
    StepAction.REOPENED: _l("Reopened"),
}


class CaseStep(Model):
    """The timeline of a case: who did what, when; the case's version after the step."""

    __tablename__ = "monitoring_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitoring_cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str] = mapped_column(sa.String(20), default="")
    to_status: Mapped[str] = mapped_column(sa.String(20), default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    case: Mapped[MonitoringCase] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()


class ResponseVersion(Model):
    """One saved text of the case's response; every save is a new version (diffable)."""

    __tablename__ = "monitoring_response_versions"
    __table_args__ = (sa.UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("monitoring_cases.id", ondelete="CASCADE"))
    number: Mapped[int]
    form: Mapped[ResponseForm] = mapped_column(enum_type(ResponseForm, length=30))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[VersionStatus] = mapped_column(enum_type(VersionStatus), default=VersionStatus.DRAFT)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[MonitoringCase] = relationship(back_populates="versions")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
