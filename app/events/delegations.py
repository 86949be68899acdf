"""Delegations and programmes of events: partner, arrival and departure, members, items.

Every function takes the acting user, checks ``access.require_edit``, records the change
in the event's history, flushes and never commits.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time

from app.auth.models import User
from app.errors import ValidationFailed
from app.events import access
from app.events.clashes import Planned, clear_clashes
from app.events.history import describe, diff, record
from app.events.models import (
    DELEGATION_KINDS,
    Delegation,
    DelegationDirection,
    DelegationMember,
    Event,
    EventKind,
    ProgrammeItem,
    Venue,
)
from app.events.validation import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    check_choice,
    check_country,
    check_date,
    check_length,
    check_users,
    check_venue,
    to_utc,
)
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow

# Incoming delegations usually cross at the province's international border gate with Laos.
DEFAULT_BORDER_GATE = "Bờ Y"


def default_direction(kind) -> DelegationDirection:
    """An outgoing delegation goes out; incoming ones and signings come to the province."""
    return (DelegationDirection.OUTGOING if kind is EventKind.DELEGATION_OUT
            else DelegationDirection.INCOMING)


def default_border_gate(kind) -> str:
    """The border gate a new delegation's form suggests."""
    return DEFAULT_BORDER_GATE if kind is EventKind.DELEGATION_IN else ""


@dataclass
class DelegationData:
    direction: str
    country: str
    locality: str = ""
    arrival_date: date | None = None
    arrival_time: time | None = None
    departure_date: date | None = None
    departure_time: time | None = None
    border_gate: str = ""
    languages: str = ""
    interpreters: str = ""
    logistics: str = ""


def _optional_moment(day, moment, zone: str, field_name: str) -> datetime | None:
    if day is None:
        return None
    check_date(day, field_name)
    return to_utc(day, moment or time(0), zone)


def save_delegation(actor, event: Event, data: DelegationData) -> Delegation:
    """Create or update the delegation of a delegation or signing event."""
    access.require_edit(actor, event)
    if event.kind not in DELEGATION_KINDS:
        raise ValidationFailed(_("Only delegation visits and signings have a delegation."))
    direction = check_choice(DelegationDirection, data.direction, "direction")
    country = check_country(data.country)
    if not country:
        raise ValidationFailed(_("Choose the partner country."), "country")
    arrival = _optional_moment(data.arrival_date, data.arrival_time, event.timezone, "arrival_date")
    departure = _optional_moment(data.departure_date, data.departure_time, event.timezone,
                                 "departure_date")
    if arrival and departure and departure < arrival:
        raise ValidationFailed(_("The departure must be after the arrival."), "departure_date")
    delegation = event.delegation or Delegation(event_id=event.id, direction=direction,
                                                country=country)
    old = _delegation_values(delegation)
    delegation.direction, delegation.country = direction, country
    delegation.locality = check_length(data.locality, SHORT_MAX, "locality")
    delegation.arrival_at, delegation.departure_at = arrival, departure
    delegation.border_gate = check_length(data.border_gate, SHORT_MAX, "border_gate")
    delegation.languages = check_length(data.languages, SHORT_MAX, "languages")
    delegation.interpreters = check_length(data.interpreters, TEXT_MAX, "interpreters")
    delegation.logistics = check_length(data.logistics, TEXT_MAX, "logistics")
    if event.delegation is None:
        event.delegation = delegation
    db.session.flush()
    changes = diff(old, _delegation_values(delegation))
    if changes:
        record(actor, event, {f"delegation.{k}": v for k, v in changes.items()})
        db.session.flush()
    return delegation


def _delegation_values(d: Delegation) -> dict:
    return {"direction": d.direction.value if d.direction else None, "country": d.country,
            "locality": d.locality, "arrival_at": d.arrival_at, "departure_at": d.departure_at,
            "border_gate": d.border_gate, "languages": d.languages, "interpreters": d.interpreters,
            "logistics": d.logistics}


def add_member(actor, event: Event, name: str, title: str = "", is_head: bool = False,
               override_reason: str = "") -> DelegationMember:
    """Add a delegation member; warns when the same person is in an overlapping event."""
    access.require_edit(actor, event)
    if event.delegation is None:
        raise ValidationFailed(_("Save the delegation details first."))
    name = check_length(name, SHORT_MAX, "name")
    if not name:
        raise ValidationFailed(_("Enter the member's name."), "name")
    title = check_length(title, TITLE_MAX, "title")
    planned = Planned(event.starts_at, event.ends_at, event.timezone, member_names={name},
                      event_id=event.id, check_holidays=False)
    clashes, reason = clear_clashes(planned, override_reason)
    delegation = event.delegation
    if is_head:
        for member in delegation.members:
            member.is_head = False
    member = DelegationMember(name=name, title=title, is_head=bool(is_head),
                              position=len(delegation.members))
    delegation.members.append(member)
    db.session.flush()
    record(actor, event, {"delegation.member": (None, f"{name} — {title}" if title else name)},
           clashes=clashes, reason=reason)
    db.session.flush()
    return member


def remove_member(actor, event: Event, member_id: int) -> None:
    access.require_edit(actor, event)
    member = db.session.get(DelegationMember, member_id)
    if member is None or event.delegation is None or member.delegation_id != event.delegation.id:
        raise ValidationFailed(_("Unknown delegation member."))
    event.delegation.members.remove(member)
    record(actor, event, {"delegation.member": (member.name, None)})
    db.session.flush()


@dataclass
class ProgrammeData:
    day: date
    start_time: time
    end_time: time
    activity_vi: str
    activity_en: str = ""
    place: str = ""
    venue_id: int | None = None
    host_ids: list[int] = field(default_factory=list)
    hosts_text: str = ""
    override_reason: str = ""


@dataclass
class CheckedItem:
    starts_at: datetime
    ends_at: datetime
    activity_vi: str
    activity_en: str
    place: str
    hosts_text: str
    venue: Venue | None
    hosts: list[User]
    clashes: list
    reason: str


def check_programme_item(event: Event, data: ProgrammeData) -> CheckedItem:
    """Every rule of a new programme item, without writing (the import's preview uses it too)."""
    check_date(data.day, "day")
    if data.start_time is None or data.end_time is None:
        raise ValidationFailed(_("Enter the start and end times."), "start_time")
    starts_at = to_utc(data.day, data.start_time, event.timezone)
    ends_at = to_utc(data.day, data.end_time, event.timezone)
    if ends_at <= starts_at:
        raise ValidationFailed(_("The end must be after the start."), "end_time")
    activity_vi = check_length(data.activity_vi, 500, "activity_vi")
    if not activity_vi:
        raise ValidationFailed(_("Describe the activity in Vietnamese."), "activity_vi")
    activity_en = check_length(data.activity_en, 500, "activity_en")
    place = check_length(data.place, TITLE_MAX, "place")
    hosts_text = check_length(data.hosts_text, 500, "hosts_text")
    venue = check_venue(data.venue_id)
    hosts = check_users(data.host_ids, "host_ids")
    planned = Planned(starts_at, ends_at, event.timezone, venue_id=venue.id if venue else None,
                      host_ids={u.id for u in hosts}, event_id=event.id, check_holidays=False)
    clashes, reason = clear_clashes(planned, data.override_reason)
    return CheckedItem(starts_at, ends_at, activity_vi, activity_en, place, hosts_text, venue,
                       hosts, clashes, reason)


def add_programme_item(actor, event: Event, data: ProgrammeData) -> ProgrammeItem:
    """Add an item in the event's zone; warns on venue and host clashes elsewhere."""
    access.require_edit(actor, event)
    checked = check_programme_item(event, data)
    starts_at, activity_vi = checked.starts_at, checked.activity_vi
    item = ProgrammeItem(event_id=event.id, starts_at=starts_at, ends_at=checked.ends_at,
                         activity_vi=activity_vi, activity_en=checked.activity_en,
                         place=checked.place, venue=checked.venue, hosts=checked.hosts,
                         hosts_text=checked.hosts_text, updated_at=utcnow())
    event.programme.append(item)
    db.session.flush()
    zone = event.timezone
    record(actor, event, {"programme": (None, f"{describe('t', starts_at, zone)} {activity_vi}")},
           clashes=checked.clashes, reason=checked.reason)
    db.session.flush()
    return item


def outside_event(event_starts: datetime, event_ends: datetime, starts_at: datetime,
                  ends_at: datetime) -> bool:
    """A programme item outside its event's time: a warning on save, not an error."""
    return starts_at < event_starts or ends_at > event_ends


def is_outside_event(item: ProgrammeItem) -> bool:
    return outside_event(item.event.starts_at, item.event.ends_at, item.starts_at, item.ends_at)


def remove_programme_item(actor, event: Event, item_id: int) -> None:
    access.require_edit(actor, event)
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.event_id != event.id:
        raise ValidationFailed(_("Unknown programme item."))
    event.programme.remove(item)
    record(actor, event, {"programme": (item.activity_vi, None)})
    db.session.flush()
