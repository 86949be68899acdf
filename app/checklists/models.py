"""Checklist items: what each unit or person owes for an event, and by when."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.checklists.rules import Condition  # noqa: F401  (re-exported with its labels)
from app.checklists.schedule import Anchor, OffsetUnit
from app.events.models import Event, EventKind
from app.extensions import Model, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


class ResponsibleRole(StrEnum):
    LEAD_UNIT = "lead_unit"
    COORDINATING_UNIT = "coordinating_unit"  # one item per coordinating unit
    SPOKESPERSON = "spokesperson"
    PROTOCOL = "protocol"
    PRESS_LIAISON = "press_liaison"
    STEERING = "steering"


RESPONSIBLE_ROLE_LABELS = {
    ResponsibleRole.LEAD_UNIT: _l("Lead unit"),
    ResponsibleRole.COORDINATING_UNIT: _l("Coordinating unit"),
    ResponsibleRole.SPOKESPERSON: _l("Spokesperson"),
    ResponsibleRole.PROTOCOL: _l("Protocol"),
    ResponsibleRole.PRESS_LIAISON: _l("Press liaison"),
    ResponsibleRole.STEERING: _l("Steering committee"),
}


class ItemStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"    # waiting for the lead unit to accept or return
    RETURNED = "returned"      # sent back with a comment; open again
    DONE = "done"              # accepted, or completed when no submission is required
    NOT_NEEDED = "not_needed"  # cancelled event, removed unit, changed kind


ITEM_STATUS_LABELS = {
    ItemStatus.OPEN: _l("Open"),
    ItemStatus.SUBMITTED: _l("Submitted"),
    ItemStatus.RETURNED: _l("Returned"),
    ItemStatus.DONE: _l("Done"),
    ItemStatus.NOT_NEEDED: _l("Not needed"),
}

OPEN_STATUSES = frozenset({ItemStatus.OPEN, ItemStatus.RETURNED, ItemStatus.SUBMITTED})
# The owner still has to act: only these items can be overdue, and they get the reminders
# (a submitted item waits for the reviewer, not for its owner).
AWAITING_OWNER_STATUSES = frozenset({ItemStatus.OPEN, ItemStatus.RETURNED})


class ChecklistItem(Model):
    __tablename__ = "checklist_items"
    __table_args__ = (
        # Regeneration is idempotent: one item per event and key.
        sa.UniqueConstraint("event_id", "key", name="uq_checklist_items_event_key"),
        sa.Index("ix_checklist_items_unit_due", "unit_id", "due_at"),
        sa.Index("ix_checklist_items_user_due", "user_id", "due_at"),
        sa.Index("ix_checklist_items_status_due", "status", "due_at"),
        # The task page's groups and the dashboard's counts: a unit's (a person's) items in one
        # state, by due time; its open items, not its whole history (``work.task_counts``).
        sa.Index("ix_checklist_items_unit_status_due", "unit_id", "status", "due_at"),
        sa.Index("ix_checklist_items_user_status_due", "user_id", "status", "due_at"),
        sa.Index("ix_checklist_items_unit_completed", "unit_id", "completed_at"),
        # The oversight's lead times: the items of a period that ask for a submission.
        sa.Index("ix_checklist_items_submission_due", "requires_submission", "due_at"),
        # The task page's "done in the last 30 days" reads only the recent ones.
        sa.Index("ix_checklist_items_completed_at", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by uq_checklist_items_event_key, which starts with it.
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    # Stable identity within the event, e.g. "tpl:12" or "tpl:12:unit:7".
    key: Mapped[str] = mapped_column(sa.String(100))
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    role: Mapped[ResponsibleRole] = mapped_column(enum_type(ResponsibleRole))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))   # responsible unit
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))   # responsible person
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requires_submission: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ItemStatus] = mapped_column(enum_type(ItemStatus), default=ItemStatus.OPEN)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: moves with every change of the item's state (submitted, accepted,
    # returned, done, closed, reopened, given to another unit), so an action based on an
    # older page is refused. A due time that follows a rescheduled event does not move it:
    # nothing anyone decided on changed, and a submission's files need not be sent again.
    version: Mapped[int] = mapped_column(default=1)
    # Revision of the due time, for calendars (SEQUENCE of the item's entry in feeds): one
    # higher each time the due time moves, whatever moved it.
    sequence: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    unit: Mapped[Unit | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    # Where the item came from and the offset it was generated with: a reschedule
    # recomputes the due time from this copy, so a later template edit only reaches
    # existing items when the admin asks for it.
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("checklist_templates.id", ondelete="SET NULL"), index=True)
    offset: Mapped[int] = mapped_column(default=0)
    offset_unit: Mapped[OffsetUnit] = mapped_column(enum_type(OffsetUnit), default=OffsetUnit.CALENDAR_DAYS)
    anchor: Mapped[Anchor] = mapped_column(enum_type(Anchor), default=Anchor.START)
    legal_verified: Mapped[bool] = mapped_column(default=False)
    # Its rule's due time had already passed when it was generated (an event planned at short
    # notice): due as soon as possible, within the grace period (``rules.due_with_notice``).
    short_notice: Mapped[bool] = mapped_column(default=False)

    submissions: Mapped[list["ChecklistSubmission"]] = relationship(
        back_populates="item", order_by="ChecklistSubmission.id", passive_deletes=True)
    steps: Mapped[list["ChecklistStep"]] = relationship(
        back_populates="item", order_by="ChecklistStep.id", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi

    @property
    def awaits_owner(self) -> bool:
        """The owner still has to provide or complete it (open or returned)."""
        return self.status in AWAITING_OWNER_STATUSES

    @classmethod
    def awaits_owner_clause(cls) -> sa.ColumnElement[bool]:
        """SQL twin of ``awaits_owner``."""
        return cls.status.in_(AWAITING_OWNER_STATUSES)

    def is_overdue(self, now: datetime) -> bool:
        """Past its due time while its owner still has to act."""
        return self.awaits_owner and self.due_at < now

    @classmethod
    def overdue_clause(cls, now: datetime) -> sa.ColumnElement[bool]:
        """SQL twin of ``is_overdue``."""
        return sa.and_(cls.awaits_owner_clause(), cls.due_at < now)


class TemplatePhase(StrEnum):
    BEFORE = "before"   # due before the event starts
    DURING = "during"   # on the day(s) of the event
    AFTER = "after"     # due after the event ends


TEMPLATE_PHASE_LABELS = {
    TemplatePhase.BEFORE: _l("Before the event"),
    TemplatePhase.DURING: _l("During the event"),
    TemplatePhase.AFTER: _l("After the event"),
}


CONDITION_LABELS = {
    Condition.ALWAYS: _l("Always"),
    Condition.SENSITIVE: _l("Only sensitive events"),
    Condition.FOREIGN: _l("Only foreign-related events"),
    Condition.SENSITIVE_OR_FOREIGN: _l("Sensitive or foreign-related events"),
    Condition.ABROAD: _l("Only events held abroad"),
}


class ChecklistTemplate(Model):
    """One default task: the core set (kind NULL) or the additions for one event kind."""

    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name of a seeded row so that `flask checklists seed` never duplicates it.
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[EventKind | None] = mapped_column(enum_type(EventKind), index=True)
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    phase: Mapped[TemplatePhase] = mapped_column(enum_type(TemplatePhase), default=TemplatePhase.BEFORE)
    offset: Mapped[int] = mapped_column(default=0)
    offset_unit: Mapped[OffsetUnit] = mapped_column(enum_type(OffsetUnit), default=OffsetUnit.CALENDAR_DAYS)
    anchor: Mapped[Anchor] = mapped_column(enum_type(Anchor), default=Anchor.START)
    role: Mapped[ResponsibleRole] = mapped_column(enum_type(ResponsibleRole))
    requires_submission: Mapped[bool] = mapped_column(default=False)
    condition: Mapped[Condition] = mapped_column(enum_type(Condition), default=Condition.ALWAYS)
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_verified: Mapped[bool] = mapped_column(default=False)
    # The item means a press conference: a Briefing is proposed for the event.
    creates_briefing: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi


class TemplateChange(Model):
    """Who created or changed a checklist template, when, from what to what (the audit page)."""

    __tablename__ = "checklist_template_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_templates.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # {"field": [old, new], ...} as text; every field on creation.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    template: Mapped[ChecklistTemplate] = relationship()


class ChecklistSubmission(Model):
    """Information a unit provided for an item; reviewed by the lead unit."""

    __tablename__ = "checklist_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    is_late: Mapped[bool] = mapped_column(default=False)
    # submitted → accepted | returned
    status: Mapped[ItemStatus] = mapped_column(enum_type(ItemStatus), default=ItemStatus.SUBMITTED)

    item: Mapped[ChecklistItem] = relationship(back_populates="submissions")
    submitted_by: Mapped[User] = relationship()
    attachments: Mapped[list["SubmissionAttachment"]] = relationship(
        back_populates="submission", order_by="SubmissionAttachment.id", passive_deletes=True)


class SubmissionAttachment(Model):
    """A file stored under the instance folder (never static) with a random name."""

    __tablename__ = "checklist_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_submissions.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]

    submission: Mapped[ChecklistSubmission] = relationship(back_populates="attachments")


class StepAction(StrEnum):
    GENERATED = "generated"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    COMPLETED = "completed"
    NOT_NEEDED = "not_needed"
    REOPENED = "reopened"


STEP_ACTION_LABELS = {
    StepAction.GENERATED: _l("Generated"),
    StepAction.SUBMITTED: _l("Submitted"),
    StepAction.ACCEPTED: _l("Accepted"),
    StepAction.RETURNED: _l("Returned"),
    StepAction.COMPLETED: _l("Marked done"),
    StepAction.NOT_NEEDED: _l("Not needed"),
    StepAction.REOPENED: _l("Reopened"),
}


class ChecklistStep(Model):
    """History of an item: who did what, when, with what comment."""

    __tablename__ = "checklist_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_items.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("checklist_submissions.id", ondelete="SET NULL"))
    action: Mapped[StepAction] = mapped_column(enum_type(StepAction))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    item: Mapped[ChecklistItem] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()
