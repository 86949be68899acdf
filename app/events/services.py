"""Event rules: create, edit, status changes, delegations, programmes, venues.

Every function takes the acting user and checks permissions through
``app.events.access``; they flush, never commit. Saving an event writes an
EventChange row, bumps the iCalendar sequence when time, place, status or
title change, and sends ``event_saved`` after flushing.
"""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.auth.permissions import require_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events import access
from app.events.clashes import Clash, ClashesFound, Planned, find_clashes
from app.events.models import (
    DELEGATION_KINDS,
    TRANSITIONS,
    ClashOverride,
    Delegation,
    DelegationDirection,
    DelegationMember,
    Event,
    EventChange,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Venue,
    Visibility,
)
from app.events.signals import event_saved
from app.extensions import db
from app.i18n import _
from app.inputs import MAX_YEAR, MIN_YEAR, is_canonical_zone
from app.timeutil import utcnow
from app.units.models import Unit

# Longer undertakings are entered as several events; the bound keeps calendar and clash
# queries on an index range instead of scanning the whole history.
MAX_EVENT_DAYS = 31
TITLE_MAX, TEXT_MAX, SHORT_MAX = 300, 20_000, 200

# A change of any of these makes calendar clients update their copy (iCalendar SEQUENCE).
SEQUENCE_FIELDS = {"title_vi", "title_en", "starts_at", "ends_at", "timezone", "all_day",
                   "venue_id", "location", "status"}
# Clashes are checked again only when one of these changes (an edited description does not
# repeat warnings already overridden).
CLASH_FIELDS = {"starts_at", "ends_at", "venue_id", "host_ids", "country"}


class StaleVersion(Exception):
    """The form was based on an older version; ``changes`` are the EventChange rows since."""

    def __init__(self, changes: list[EventChange]):
        super().__init__("stale version")
        self.changes = changes


@dataclass
class EventData:
    title_vi: str
    kind: str
    start_date: date
    end_date: date
    lead_unit_id: int
    title_en: str = ""
    description_vi: str = ""
    description_en: str = ""
    internal_notes: str = ""
    visibility: str = Visibility.INTERNAL.value
    is_sensitive: bool = False
    timezone: str = "Asia/Ho_Chi_Minh"
    start_time: time | None = None
    end_time: time | None = None
    all_day: bool = False
    venue_id: int | None = None
    location: str = ""
    coordinating_unit_ids: list[int] = field(default_factory=list)
    host_ids: list[int] = field(default_factory=list)
    # Partner of a delegation or signing (creates or updates the Delegation record).
    country: str = ""
    locality: str = ""
    # Given when the user confirmed the clash warnings.
    override_reason: str = ""


# --- validation ---------------------------------------------------------------------------

def check_timezone(name: str, field_name: str = "timezone") -> str:
    name = (name or "").strip()
    if not is_canonical_zone(name):
        raise ValidationFailed(_("Unknown time zone: %(zone)s.", zone=name or "—"), field_name)
    return name


def check_length(value: str, limit: int, field_name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("This text is too long (at most %(n)d characters).", n=limit),
                               field_name)
    return value


def check_date(day: date | None, field_name: str) -> date:
    if day is None:
        raise ValidationFailed(_("Enter a date."), field_name)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationFailed(_("Enter a date between the years %(a)d and %(b)d.",
                                 a=MIN_YEAR, b=MAX_YEAR), field_name)
    return day


def to_utc(day: date, moment: time, zone: str) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def event_times(data: EventData, zone: str) -> tuple[datetime, datetime]:
    """UTC start and end from local dates and times; all-day events end at midnight after."""
    start_day = check_date(data.start_date, "start_date")
    end_day = check_date(data.end_date, "end_date")
    if data.all_day:
        starts_at = to_utc(start_day, time(0), zone)
        ends_at = to_utc(end_day + timedelta(days=1), time(0), zone)
        if end_day < start_day:
            raise ValidationFailed(_("The end must be after the start."), "end_date")
    else:
        if data.start_time is None:
            raise ValidationFailed(_("Enter a start time or mark the event as all-day."),
                                   "start_time")
        if data.end_time is None:
            raise ValidationFailed(_("Enter an end time or mark the event as all-day."), "end_time")
        starts_at = to_utc(start_day, data.start_time, zone)
        ends_at = to_utc(end_day, data.end_time, zone)
        if ends_at <= starts_at:
            raise ValidationFailed(_("The end must be after the start."), "end_time")
    if ends_at - starts_at > timedelta(days=MAX_EVENT_DAYS):
        raise ValidationFailed(_("An event may last at most %(n)d days; enter a longer undertaking "
                                 "as several events.", n=MAX_EVENT_DAYS), "end_date")
    return starts_at, ends_at


def _check_unit(unit_id: int | None, field_name: str) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), field_name)
    return unit


def _check_venue(venue_id: int | None) -> Venue | None:
    if not venue_id:
        return None
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise ValidationFailed(_("Unknown venue."), "venue_id")
    return venue


def _check_users(user_ids, field_name: str) -> list[User]:
    ids = sorted(set(user_ids or []))
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []
    if len(users) != len(ids):
        raise ValidationFailed(_("Unknown person."), field_name)
    return list(users)


def check_country(code: str, field_name: str = "country") -> str:
    from babel import Locale

    code = (code or "").strip().upper()
    if code and (len(code) != 2 or code not in Locale.parse("en").territories):
        raise ValidationFailed(_("Unknown country code: %(code)s.", code=code), field_name)
    return code


def _enum_value(cls, value, field_name: str):
    try:
        return cls(value)
    except ValueError:
        raise ValidationFailed(_("Choose one of the offered values."), field_name) from None


# --- snapshots and history ----------------------------------------------------------------

def snapshot(event: Event) -> dict:
    """The fields history and the signal compare, as plain values."""
    return {
        "title_vi": event.title_vi, "title_en": event.title_en,
        "description_vi": event.description_vi, "description_en": event.description_en,
        "internal_notes": event.internal_notes,
        "kind": event.kind.value if event.kind else None,
        "status": event.status.value if event.status else None,
        "status_reason": event.status_reason,
        "visibility": event.visibility.value if event.visibility else None,
        "is_sensitive": bool(event.is_sensitive),
        "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
        "all_day": bool(event.all_day), "venue_id": event.venue_id, "location": event.location,
        "lead_unit_id": event.lead_unit_id,
        "coordinating_unit_ids": sorted(u.id for u in event.coordinating_units),
        "host_ids": sorted(u.id for u in event.hosts),
        "country": event.delegation.country if event.delegation else "",
        "locality": event.delegation.locality if event.delegation else "",
    }


def _diff(old: dict, new: dict) -> dict:
    return {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}


def _describe(name: str, value, zone: str):
    """A history value as text, readable without the database."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") + f" {zone}"
    if name == "venue_id":
        venue = db.session.get(Venue, value)
        return venue.name if venue else str(value)
    if name == "lead_unit_id":
        unit = db.session.get(Unit, value)
        return unit.name_vi if unit else str(value)
    if name == "coordinating_unit_ids":
        return ", ".join(u.name_vi for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(value))))
    if name == "host_ids":
        return ", ".join(u.name for u in db.session.scalars(sa.select(User).where(User.id.in_(value))))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def _record(actor, event: Event, changes: dict, note: str = "") -> EventChange:
    zone = event.timezone or "UTC"
    row = EventChange(event_id=event.id, user_id=getattr(actor, "id", None),
                      changed_at=utcnow(), note=note, version=event.version,
                      changes={k: [_describe(k, old, zone), _describe(k, new, zone)]
                               for k, (old, new) in changes.items()})
    db.session.add(row)
    return row


def _keep_override(actor, event: Event, clashes: list[Clash], reason: str) -> None:
    db.session.add(ClashOverride(
        event_id=event.id, user_id=getattr(actor, "id", None), created_at=utcnow(), reason=reason,
        clashes=[{"kind": c.kind, "other_event_id": c.other_event_id, "subject": c.subject,
                  "day": c.day.isoformat() if c.day else None} for c in clashes]))


def _clear_clashes(planned: Planned, override_reason: str) -> tuple[list[Clash], str]:
    """Raise ClashesFound unless the user confirmed with a reason."""
    clashes = find_clashes(planned)
    reason = check_length(override_reason, TEXT_MAX, "override_reason")
    if clashes and not reason:
        raise ClashesFound(clashes)
    return clashes, reason


# --- events -------------------------------------------------------------------------------

def _apply(event: Event, data: EventData) -> None:
    zone = check_timezone(data.timezone)
    title_vi = check_length(data.title_vi, TITLE_MAX, "title_vi")
    if not title_vi:
        raise ValidationFailed(_("Enter a Vietnamese title."), "title_vi")
    kind = _enum_value(EventKind, data.kind, "kind")
    visibility = _enum_value(Visibility, data.visibility, "visibility")
    starts_at, ends_at = event_times(data, zone)
    lead = _check_unit(data.lead_unit_id, "lead_unit_id")
    coordinating = [_check_unit(i, "coordinating_unit_ids")
                    for i in sorted(set(data.coordinating_unit_ids or [])) if i != lead.id]
    venue = _check_venue(data.venue_id)
    hosts = _check_users(data.host_ids, "host_ids")
    event.title_vi = title_vi
    event.title_en = check_length(data.title_en, TITLE_MAX, "title_en")
    event.description_vi = check_length(data.description_vi, TEXT_MAX, "description_vi")
    event.description_en = check_length(data.description_en, TEXT_MAX, "description_en")
    event.internal_notes = check_length(data.internal_notes, TEXT_MAX, "internal_notes")
    event.location = check_length(data.location, TITLE_MAX, "location")
    event.kind, event.visibility, event.is_sensitive = kind, visibility, bool(data.is_sensitive)
    event.timezone, event.all_day = zone, bool(data.all_day)
    event.starts_at, event.ends_at = starts_at, ends_at
    event.venue = venue
    event.venue_id = venue.id if venue else None
    event.lead_unit, event.lead_unit_id = lead, lead.id
    event.coordinating_units = coordinating
    event.hosts = hosts
    _apply_partner(event, data)


def _apply_partner(event: Event, data: EventData) -> None:
    """Delegation kinds carry the partner country and locality given on the event form."""
    country = check_country(data.country)
    locality = check_length(data.locality, SHORT_MAX, "locality")
    if event.kind not in DELEGATION_KINDS or not country:
        return
    if event.delegation is None:
        direction = (DelegationDirection.OUTGOING if event.kind is EventKind.DELEGATION_OUT
                     else DelegationDirection.INCOMING)
        event.delegation = Delegation(direction=direction, country=country, locality=locality)
    else:
        event.delegation.country = country
        event.delegation.locality = locality


def _planned(event: Event) -> Planned:
    delegation = event.delegation
    return Planned(starts_at=event.starts_at, ends_at=event.ends_at, timezone=event.timezone,
                   venue_id=event.venue_id, host_ids={u.id for u in event.hosts},
                   member_names={m.name for m in delegation.members} if delegation else set(),
                   countries={delegation.country} if delegation and delegation.country else set(),
                   event_id=event.id)


def create_event(actor, data: EventData) -> Event:
    """Create an event in draft; raises ClashesFound unless ``data.override_reason`` is given."""
    _check_unit(data.lead_unit_id, "lead_unit_id")  # "unknown unit" before "not yours"
    if not access.can_create_for(actor, data.lead_unit_id):
        raise PermissionDenied()
    event = Event(status=EventStatus.DRAFT, organiser_id=getattr(actor, "id", None),
                  created_at=utcnow(), updated_at=utcnow(), version=1, sequence=0,
                  status_reason="")
    with db.session.no_autoflush:
        _apply(event, data)
        clashes, reason = _clear_clashes(_planned(event), data.override_reason)
    db.session.add(event)
    db.session.flush()
    changes = _diff({}, snapshot(event))
    _record(actor, event, changes, note=reason if clashes else "")
    if clashes:
        _keep_override(actor, event, clashes, reason)
    db.session.flush()
    event_saved.send(event, actor=actor, changes=changes, created=True)
    return event


def changes_since(event: Event, version: int) -> list[EventChange]:
    return db.session.scalars(
        sa.select(EventChange).options(selectinload(EventChange.user))
        .where(EventChange.event_id == event.id, EventChange.version > version)
        .order_by(EventChange.id)).all()


def _check_version(event: Event, expected_version) -> None:
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The form is missing its version; reload the page."),
                               "version") from None
    if expected != event.version:
        raise StaleVersion(changes_since(event, expected))


def _flush_versioned(event: Event, expected_version: int) -> None:
    """Flush, turning a racing UPDATE (another save committed meanwhile) into StaleVersion."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(Event, event.id)
        raise StaleVersion(changes_since(fresh, int(expected_version)) if fresh else []) from None


def _save_changes(actor, event: Event, old: dict, expected_version, note: str = "",
                  clashes=(), reason: str = "") -> dict:
    changes = _diff(old, snapshot(event))
    if not changes:
        return {}
    if SEQUENCE_FIELDS & changes.keys():
        event.sequence = (event.sequence or 0) + 1
    event.updated_at = utcnow()  # always an UPDATE of the row, so the version moves
    _flush_versioned(event, expected_version)
    _record(actor, event, changes, note=note)
    if clashes:
        _keep_override(actor, event, list(clashes), reason)
    db.session.flush()
    event_saved.send(event, actor=actor, changes=changes, created=False)
    return changes


def update_event(actor, event: Event, data: EventData, expected_version) -> dict:
    """Apply the form to ``event``; returns the changes ({} when nothing changed)."""
    access.require_edit(actor, event)
    _check_version(event, expected_version)
    _check_unit(data.lead_unit_id, "lead_unit_id")
    if data.lead_unit_id != event.lead_unit_id and not access.can_create_for(actor, data.lead_unit_id):
        raise PermissionDenied()
    old = snapshot(event)
    with db.session.no_autoflush:
        _apply(event, data)
        clashes, reason = ([], "")
        if CLASH_FIELDS & _diff(old, snapshot(event)).keys():
            clashes, reason = _clear_clashes(_planned(event), data.override_reason)
    return _save_changes(actor, event, old, expected_version, note=reason if clashes else "",
                         clashes=clashes, reason=reason)


def change_status(actor, event: Event, status, reason: str, expected_version) -> dict:
    """Move along TRANSITIONS; postponing and cancelling need a reason, which is kept."""
    access.require_edit(actor, event)
    _check_version(event, expected_version)
    new = _enum_value(EventStatus, status, "status")
    if new not in TRANSITIONS[event.status]:
        raise ValidationFailed(_("An event cannot go from %(old)s to %(new)s.",
                                 old=status_label(event.status), new=status_label(new)), "status")
    reason = check_length(reason, TEXT_MAX, "reason")
    if new in (EventStatus.POSTPONED, EventStatus.CANCELLED) and not reason:
        raise ValidationFailed(_("Give the reason for postponing or cancelling."), "reason")
    old = snapshot(event)
    event.status = new
    event.status_reason = reason
    event.status_changed_at = utcnow()
    return _save_changes(actor, event, old, expected_version, note=reason)


def status_label(status) -> str:
    from app.events.models import EVENT_STATUS_LABELS

    return str(EVENT_STATUS_LABELS[EventStatus(status)])


# --- delegations and programmes -----------------------------------------------------------

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
    access.require_edit(actor, event)
    if event.kind not in DELEGATION_KINDS:
        raise ValidationFailed(_("Only delegation visits and signings have a delegation."))
    direction = _enum_value(DelegationDirection, data.direction, "direction")
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
    changes = _diff(old, _delegation_values(delegation))
    if changes:
        _record(actor, event, {f"delegation.{k}": v for k, v in changes.items()})
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
    clashes, reason = _clear_clashes(planned, override_reason)
    delegation = event.delegation
    if is_head:
        for member in delegation.members:
            member.is_head = False
    member = DelegationMember(name=name, title=title, is_head=bool(is_head),
                              position=len(delegation.members))
    delegation.members.append(member)
    db.session.flush()
    _record(actor, event, {"delegation.member": (None, f"{name} — {title}" if title else name)},
            note=reason if clashes else "")
    if clashes:
        _keep_override(actor, event, clashes, reason)
    db.session.flush()
    return member


def remove_member(actor, event: Event, member_id: int) -> None:
    access.require_edit(actor, event)
    member = db.session.get(DelegationMember, member_id)
    if member is None or event.delegation is None or member.delegation_id != event.delegation.id:
        raise ValidationFailed(_("Unknown delegation member."))
    event.delegation.members.remove(member)
    _record(actor, event, {"delegation.member": (member.name, None)})
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


def add_programme_item(actor, event: Event, data: ProgrammeData) -> ProgrammeItem:
    """Add an item in the event's zone; warns on venue and host clashes elsewhere."""
    access.require_edit(actor, event)
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
    venue = _check_venue(data.venue_id)
    hosts = _check_users(data.host_ids, "host_ids")
    planned = Planned(starts_at, ends_at, event.timezone, venue_id=venue.id if venue else None,
                      host_ids={u.id for u in hosts}, event_id=event.id, check_holidays=False)
    clashes, reason = _clear_clashes(planned, data.override_reason)
    item = ProgrammeItem(event_id=event.id, starts_at=starts_at, ends_at=ends_at,
                         activity_vi=activity_vi,
                         activity_en=check_length(data.activity_en, 500, "activity_en"),
                         place=check_length(data.place, TITLE_MAX, "place"),
                         venue=venue, hosts=hosts,
                         hosts_text=check_length(data.hosts_text, 500, "hosts_text"),
                         updated_at=utcnow())
    event.programme.append(item)
    db.session.flush()
    zone = event.timezone
    _record(actor, event, {"programme": (None, f"{_describe('t', starts_at, zone)} {activity_vi}")},
            note=reason if clashes else "")
    if clashes:
        _keep_override(actor, event, clashes, reason)
    db.session.flush()
    return item


def remove_programme_item(actor, event: Event, item_id: int) -> None:
    access.require_edit(actor, event)
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.event_id != event.id:
        raise ValidationFailed(_("Unknown programme item."))
    event.programme.remove(item)
    _record(actor, event, {"programme": (item.activity_vi, None)})
    db.session.flush()


# --- venues -------------------------------------------------------------------------------

def list_venues(active_only: bool = False) -> list[Venue]:
    query = sa.select(Venue).order_by(Venue.name)
    if active_only:
        query = query.where(Venue.active.is_(True))
    return db.session.scalars(query).all()


def save_venue(actor, venue: Venue | None, name: str, address: str = "",
               capacity: int | None = None, active: bool = True) -> Venue:
    """Protocol staff and admins manage venues."""
    require_role(actor, Role.PROTOCOL, Role.ADMIN)
    name = check_length(name, SHORT_MAX, "name")
    if not name:
        raise ValidationFailed(_("Enter the venue's name."), "name")
    if capacity is not None and not 0 < capacity <= 100_000:
        raise ValidationFailed(_("Enter a capacity between 1 and 100,000."), "capacity")
    venue = venue or Venue()
    venue.name, venue.address = name, check_length(address, TITLE_MAX, "address")
    venue.capacity, venue.active = capacity, bool(active)
    db.session.add(venue)
    db.session.flush()
    return venue
