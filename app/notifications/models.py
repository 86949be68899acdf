"""Notifications (the bell), deliveries (the exactly-once e-mail ledger) and preferences."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.models import Event
from app.extensions import Model, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow


class Kind(StrEnum):
    ITEM_ASSIGNED = "item_assigned"
    ITEM_DUE_SOON = "item_due_soon"
    ITEM_OVERDUE = "item_overdue"
    ITEM_ESCALATED = "item_escalated"          # overdue item, told to the unit's head and protocol
    SUBMISSION_RECEIVED = "submission_received"  # told to the lead unit's reviewers
    SUBMISSION_ACCEPTED = "submission_accepted"
    SUBMISSION_RETURNED = "submission_returned"
    SPOKESPERSON_ASSIGNED = "spokesperson_assigned"
    NOTE_SUBMITTED = "note_submitted"          # told to those who may approve it
    NOTE_APPROVED = "note_approved"
    NOTE_RETURNED = "note_returned"
    EVENT_RESCHEDULED = "event_rescheduled"
    EVENT_CANCELLED = "event_cancelled"
    EVENT_CHANGED = "event_changed"            # venue or status of an event less than 48 h away
    TRAINING_NOMINATED = "training_nominated"  # a unit nominated the person for a training course
    CASE_SENSITIVE = "case_sensitive"          # a sensitive monitoring case, told to steering at once
    CASE_DUE_SOON = "case_due_soon"            # a monitoring clock ends soon
    CASE_OVERDUE = "case_overdue"              # a monitoring clock has run out
    CASE_ESCALATED = "case_escalated"          # still overdue: told to the steering committee
    CASE_TO_APPROVE = "case_to_approve"        # a response waits for approval
    CASE_FOLLOW_UP = "case_follow_up"          # the outlet has not corrected yet
    STANDING_ALERT = "standing_alert"          # an oversight alert (DOMAIN.md), to those it concerns
    DIGEST = "digest"                          # daily e-mail only; never in the bell


KIND_LABELS = {
    Kind.ITEM_ASSIGNED: _l("New task"),
    Kind.ITEM_DUE_SOON: _l("Task due soon"),
    Kind.ITEM_OVERDUE: _l("Task overdue"),
    Kind.ITEM_ESCALATED: _l("Overdue task escalated"),
    Kind.SUBMISSION_RECEIVED: _l("Submission to review"),
    Kind.SUBMISSION_ACCEPTED: _l("Submission accepted"),
    Kind.SUBMISSION_RETURNED: _l("Submission returned"),
    Kind.SPOKESPERSON_ASSIGNED: _l("Spokesperson assignment"),
    Kind.NOTE_SUBMITTED: _l("Briefing note to approve"),
    Kind.NOTE_APPROVED: _l("Briefing note approved"),
    Kind.NOTE_RETURNED: _l("Briefing note returned"),
    Kind.EVENT_RESCHEDULED: _l("Event rescheduled"),
    Kind.EVENT_CANCELLED: _l("Event cancelled"),
    Kind.EVENT_CHANGED: _l("Event changed at short notice"),
    Kind.TRAINING_NOMINATED: _l("Training nomination"),
    Kind.CASE_SENSITIVE: _l("Sensitive monitoring case"),
    Kind.CASE_DUE_SOON: _l("Monitoring case due soon"),
    Kind.CASE_OVERDUE: _l("Monitoring case overdue"),
    Kind.CASE_ESCALATED: _l("Monitoring case escalated"),
    Kind.CASE_TO_APPROVE: _l("Response to approve"),
    Kind.CASE_FOLLOW_UP: _l("Correction to follow up"),
    Kind.DIGEST: _l("Daily digest"),
}


class Mode(StrEnum):
    EMAIL = "email"      # every notification also by e-mail, at once
    DIGEST = "digest"    # one e-mail a day at the digest time
    IN_APP = "in_app"    # the bell only (overdue items and urgent changes are still e-mailed)


MODE_LABELS = {
    Mode.EMAIL: _l("E-mail for each notification"),
    Mode.DIGEST: _l("One daily digest e-mail"),
    Mode.IN_APP: _l("In the app only"),
}


class DeliveryStatus(StrEnum):
    PENDING = "pending"        # waiting for `reminders send`
    SENDING = "sending"        # claimed by a run that is talking to the SMTP server
    SENT = "sent"
    LOGGED = "logged"          # no MAIL_SERVER: written to the log instead
    FAILED = "failed"          # retried after next_attempt_at
    GAVE_UP = "gave_up"        # failed too often; shown on the admin page
    DIGEST = "digest"          # waiting for the recipient's daily digest
    IN_DIGEST = "in_digest"    # sent as part of digest ``digest_id``
    IN_APP = "in_app"          # the recipient wants no e-mail for this kind
    WITHDRAWN = "withdrawn"    # the event was cancelled before it went out
    EMPTY = "empty"            # a digest with nothing in it: no e-mail


DELIVERY_STATUS_LABELS = {
    DeliveryStatus.PENDING: _l("Pending"),
    DeliveryStatus.SENDING: _l("Sending"),
    DeliveryStatus.SENT: _l("Sent"),
    DeliveryStatus.LOGGED: _l("Written to the log"),
    DeliveryStatus.FAILED: _l("Failed, will retry"),
    DeliveryStatus.GAVE_UP: _l("Failed, gave up"),
    DeliveryStatus.DIGEST: _l("Waiting for the digest"),
    DeliveryStatus.IN_DIGEST: _l("Sent in a digest"),
    DeliveryStatus.IN_APP: _l("In the app only"),
    DeliveryStatus.WITHDRAWN: _l("Withdrawn"),
    DeliveryStatus.EMPTY: _l("Nothing to send"),
}

# Statuses that `reminders send` still has to act on.
SENDABLE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class Notification(Model):
    """One line in a person's bell. Text is rendered from ``params`` in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, length=30))
    object_type: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[int]
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                                 index=True)
    url: Mapped[str] = mapped_column(sa.String(300), default="")
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a cancelled event makes the reminder pointless; hidden from the bell.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()
    event: Mapped[Event | None] = relationship()


class Delivery(Model):
    """The ledger of what each person was told: one row per (recipient, object, step).

    The row is inserted (claimed) before any e-mail is sent; the unique key
    makes a second run, on any host, find it taken and skip it.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("object_type", "object_id", "step", "recipient_id",
                            name="uq_deliveries_key"),
        sa.Index("ix_deliveries_status_next", "status", "next_attempt_at"),
        sa.Index("ix_deliveries_recipient_status", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    object_type: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[int]
    step: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[Kind] = mapped_column(enum_type(Kind, length=30))
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                                 index=True)
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus, length=30),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    digest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deliveries.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()
    notification: Mapped[Notification | None] = relationship()
    event: Mapped[Event | None] = relationship()

    @property
    def can_retry(self) -> bool:
        """Failed or given up: an administrator may send it again."""
        return self.status in (DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP)


class NotificationPreference(Model):
    """How a person wants to hear about things; no row means e-mail and the app's time zone."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    mode: Mapped[Mode] = mapped_column(enum_type(Mode, length=30), default=Mode.EMAIL)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="")  # "" = APP_TIMEZONE
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutletMailing(Model):
    """The ledger of e-mails to invited press outlets: one row per (briefing, outlet, step).

    Steps: ``invite@<sequence>``, ``update@<sequence>`` (the briefing moved), ``cancel`` and
    ``release`` (the press release, once its embargo has passed). Claimed by ``reminders
    send`` before sending, like ``Delivery``, so that no outlet hears anything twice.
    """

    __tablename__ = "outlet_mailings"
    __table_args__ = (
        sa.UniqueConstraint("briefing_id", "outlet_id", "step", name="uq_outlet_mailings_key"),
        sa.Index("ix_outlet_mailings_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(sa.ForeignKey("briefings.id", ondelete="CASCADE"))
    outlet_id: Mapped[int] = mapped_column(sa.ForeignKey("press_outlets.id", ondelete="CASCADE"),
                                           index=True)
    step: Mapped[str] = mapped_column(sa.String(60))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus, length=30),
                                                   default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
