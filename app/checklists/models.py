"""Checklist items: what each unit or person owes for an event, and by when."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.models import Event
from app.extensions import db
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


def _enum(cls):
    return sa.Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


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


class ChecklistItem(db.Model):
    __tablename__ = "checklist_items"
    __table_args__ = (
        # Regeneration is idempotent: one item per event and key.
        sa.UniqueConstraint("event_id", "key", name="uq_checklist_items_event_key"),
        sa.Index("ix_checklist_items_unit_due", "unit_id", "due_at"),
        sa.Index("ix_checklist_items_user_due", "user_id", "due_at"),
        sa.Index("ix_checklist_items_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Stable identity within the event, e.g. "tpl:12" or "tpl:12:unit:7".
    key: Mapped[str] = mapped_column(sa.String(100))
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    role: Mapped[ResponsibleRole] = mapped_column(_enum(ResponsibleRole))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))   # responsible unit
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))   # responsible person
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requires_submission: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), default=ItemStatus.OPEN)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    unit: Mapped[Unit | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi
