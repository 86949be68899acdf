"""Press briefings (họp báo) of events."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.events.models import Event, Venue, Visibility
from app.extensions import Model, db, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow


class BriefingStatus(StrEnum):
    PROPOSED = "proposed"    # suggested by the checklist, not yet agreed
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


BRIEFING_STATUS_LABELS = {
    BriefingStatus.PROPOSED: _l("Proposed"),
    BriefingStatus.SCHEDULED: _l("Scheduled"),
    BriefingStatus.HELD: _l("Held"),
    BriefingStatus.CANCELLED: _l("Cancelled"),
}


class OutletScope(StrEnum):
    DOMESTIC = "domestic"
    FOREIGN = "foreign"


OUTLET_SCOPE_LABELS = {
    OutletScope.DOMESTIC: _l("Domestic"),
    OutletScope.FOREIGN: _l("Foreign"),
}


class PressOutlet(Model):
    """A newspaper, broadcaster or agency the province invites to its briefings."""

    __tablename__ = "press_outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    scope: Mapped[OutletScope] = mapped_column(enum_type(OutletScope), default=OutletScope.DOMESTIC)
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    languages: Mapped[str] = mapped_column(sa.String(100), default="vi")
    active: Mapped[bool] = mapped_column(default=True)


briefing_outlets = sa.Table(
    "briefing_outlets", db.metadata,
    sa.Column("briefing_id", sa.ForeignKey("briefings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("outlet_id", sa.ForeignKey("press_outlets.id"), primary_key=True, index=True),
)


class Briefing(Model):
    """A press conference about an event; visible to whoever may see the event."""

    __tablename__ = "briefings"
    __table_args__ = (
        sa.Index("ix_briefings_starts_at", "starts_at"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        # At most one briefing proposed per checklist template and event.
        sa.UniqueConstraint("event_id", "checklist_key", name="uq_briefings_event_checklist_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Ho_Chi_Minh")
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[BriefingStatus] = mapped_column(enum_type(BriefingStatus),
                                                   default=BriefingStatus.PROPOSED)
    # PUBLIC briefings of public, non-sensitive events appear in the public feed.
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility), default=Visibility.INTERNAL)
    version: Mapped[int] = mapped_column(default=1)
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Key of the checklist item that proposed it ("tpl:<id>"); NULL when made by hand.
    checklist_key: Mapped[str | None] = mapped_column(sa.String(100))
    # For the written notice to the press authority (Press Law Art. 41(3)).
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    chair: Mapped[str] = mapped_column(sa.String(300), default="")
    # Press release; hidden outside the event's units until the embargo ends.
    release_vi: Mapped[str] = mapped_column(sa.Text, default="")
    release_en: Mapped[str] = mapped_column(sa.Text, default="")
    release_embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    venue: Mapped[Venue | None] = relationship()
    outlets: Mapped[list[PressOutlet]] = relationship(secondary=briefing_outlets,
                                                      order_by=PressOutlet.name)

    __mapper_args__ = {"version_id_col": version}

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi
