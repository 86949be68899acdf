"""Events, venues, delegations and their programmes.

Times are stored in UTC (``UTCDateTime``) together with the IANA zone the
event happens in; display converts to that zone.
"""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from babel import Locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.events.vocabulary import (  # noqa: F401  (re-exported: the words live there, labels here)
    DELEGATION_KINDS,
    NOT_TAKING_PLACE,
    TRANSITIONS,
    EventKind,
    EventStatus,
    Visibility,
)
from app.extensions import Model, Searchable, db, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit

EVENT_KIND_LABELS = {
    EventKind.POLITICAL: _l("Political event"),
    EventKind.CULTURAL: _l("Cultural event"),
    EventKind.DIPLOMATIC: _l("Diplomatic event"),
    EventKind.DELEGATION_IN: _l("Incoming delegation"),
    EventKind.DELEGATION_OUT: _l("Outgoing delegation"),
    EventKind.SIGNING: _l("Cooperation signing"),
    EventKind.PROMOTION: _l("Trade and tourism promotion"),
    EventKind.TRAINING: _l("Training course"),
}

EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PLANNED: _l("Planned"),
    EventStatus.CONFIRMED: _l("Confirmed"),
    EventStatus.HELD: _l("Held"),
    EventStatus.REPORTED: _l("Reported"),
    EventStatus.POSTPONED: _l("Postponed"),
    EventStatus.CANCELLED: _l("Cancelled"),
}

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public"),
    Visibility.INTERNAL: _l("Internal"),
    Visibility.CONFIDENTIAL: _l("Confidential"),
}

event_coordinating_units = sa.Table(
    "event_coordinating_units", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), primary_key=True, index=True),
)

# Officials of the province who host or attend the event (for double-booking checks).
event_hosts = sa.Table(
    "event_hosts", db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Venue(Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class Event(Searchable, Model):
    __tablename__ = "events"
    # Internal notes are never searched: search results reach people who may not read them.
    SEARCH_FIELDS = ("title_vi", "title_en", "description_vi", "description_en", "location")
    __table_args__ = (
        sa.Index("ix_events_ends_at", "ends_at"),
        sa.Index("ix_events_venue_starts", "venue_id", "starts_at"),
        sa.Index("ix_events_lead_unit_starts", "lead_unit_id", "starts_at"),
        sa.Index("ix_events_updated_at", "updated_at"),
        # Covers the list's and calendar's range scans in (starts_at, id) order, with the
        # visibility test, without reading the rows; serves every other range on starts_at.
        sa.Index("ix_events_calendar", "starts_at", "id", "ends_at", "visibility", "lead_unit_id"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_vi: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="")
    description_vi: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    # Never shown in press-safe or public output.
    internal_notes: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind), index=True)
    status: Mapped[EventStatus] = mapped_column(enum_type(EventStatus), default=EventStatus.DRAFT,
                                                index=True)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility), default=Visibility.INTERNAL)
    is_sensitive: Mapped[bool] = mapped_column(default=False)
    # A sensitive event's details reach feeds only once released by steering or after the embargo.
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Ho_Chi_Minh")
    all_day: Mapped[bool] = mapped_column(default=False)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    # Free-text place when there is no managed venue (e.g. abroad).
    location: Mapped[str] = mapped_column(sa.String(300), default="")

    lead_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    # Optimistic locking: a save based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    # iCalendar SEQUENCE: bumped when time, place, status or title change.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue | None] = relationship()
    lead_unit: Mapped[Unit] = relationship()
    organiser: Mapped[User | None] = relationship(foreign_keys=[organiser_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])
    coordinating_units: Mapped[list[Unit]] = relationship(secondary=event_coordinating_units)
    hosts: Mapped[list[User]] = relationship(secondary=event_hosts)
    delegation: Mapped["Delegation | None"] = relationship(
        back_populates="event", cascade="all, delete-orphan", uselist=False)
    programme: Mapped[list["ProgrammeItem"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="ProgrammeItem.starts_at")

    __mapper_args__ = {"version_id_col": version}

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_vi

    @property
    def unit_ids(self) -> set[int]:
        """The lead unit and every coordinating unit."""
        return {self.lead_unit_id, *(u.id for u in self.coordinating_units)}

    @property
    def takes_place(self) -> bool:
        """Not cancelled or postponed: it occupies its venue, hosts and members."""
        return self.status not in NOT_TAKING_PLACE

    @classmethod
    def takes_place_clause(cls) -> sa.ColumnElement[bool]:
        """SQL twin of ``takes_place``."""
        return cls.status.not_in(NOT_TAKING_PLACE)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind} {self.starts_at:%Y-%m-%d}>"


class DelegationDirection(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


DIRECTION_LABELS = {DelegationDirection.INCOMING: _l("Incoming (to the province)"),
                    DelegationDirection.OUTGOING: _l("Outgoing (from the province)")}


class Delegation(Searchable, Model):
    """The foreign or outgoing delegation of a delegation or signing event."""

    __tablename__ = "delegations"
    # Not the members, interpreters or logistics: press-safe readers search too.
    SEARCH_FIELDS = ("country", "locality", "border_gate")

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                          unique=True)
    direction: Mapped[DelegationDirection] = mapped_column(enum_type(DelegationDirection))
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2, e.g. "LA"
    locality: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. Attapeu
    arrival_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    departure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    border_gate: Mapped[str] = mapped_column(sa.String(200), default="")  # e.g. Bờ Y
    languages: Mapped[str] = mapped_column(sa.String(200), default="")
    interpreters: Mapped[str] = mapped_column(sa.Text, default="")
    # Security and logistics: never in press-safe output.
    logistics: Mapped[str] = mapped_column(sa.Text, default="")

    event: Mapped[Event] = relationship(back_populates="delegation")
    members: Mapped[list["DelegationMember"]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan",
        order_by="(DelegationMember.is_head.desc(), DelegationMember.position)")

    @classmethod
    def extra_search_terms(cls, values) -> list[str]:
        """The partner country's names in Vietnamese and English ("Lào", "Laos")."""
        code = (values.get("country") or "").upper()
        return [Locale.parse(name).territories.get(code, "") for name in ("vi", "en")] if code else []

    @property
    def head(self) -> "DelegationMember | None":
        return next((m for m in self.members if m.is_head), None)


class DelegationMember(Model):
    __tablename__ = "delegation_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    is_head: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    delegation: Mapped[Delegation] = relationship(back_populates="members")


class ProgrammeItem(Model):
    """One item of an event's (usually a delegation's) programme."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    activity_vi: Mapped[str] = mapped_column(sa.String(500))
    activity_en: Mapped[str] = mapped_column(sa.String(500), default="")
    hosts_text: Mapped[str] = mapped_column(sa.String(500), default="")  # as printed on the programme
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="programme")
    venue: Mapped[Venue | None] = relationship()
    hosts: Mapped[list[User]] = relationship(secondary="programme_item_hosts")

    def activity(self, locale: str) -> str:
        return self.activity_en if locale == "en" and self.activity_en else self.activity_vi


programme_item_hosts = sa.Table(
    "programme_item_hosts", db.metadata,
    sa.Column("item_id", sa.ForeignKey("programme_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class EventChange(Model):
    """History: who changed which fields of an event, from what to what."""

    __tablename__ = "event_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {"field": [old, new], ...} with values rendered as strings.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="")  # e.g. a clash override reason
    # The event's version after this change: a stale form lists the rows newer than its version.
    version: Mapped[int | None]

    user: Mapped[User | None] = relationship()


class ClashOverride(Model):
    """A user saved despite clash warnings; the reason and the clashes are kept and shown."""

    __tablename__ = "event_clash_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text)
    # The warnings as shown to the user: [{"kind": ..., "message_vi": ..., "message_en": ...}]
    clashes: Mapped[list] = mapped_column(sa.JSON, default=list)

    user: Mapped[User | None] = relationship()
