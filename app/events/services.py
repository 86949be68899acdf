"""Event rules: create, edit and change the status of events.

Every function takes the acting user and checks permissions through
``app.events.access``; they flush, never commit. Saving an event writes an
EventChange row, bumps the iCalendar sequence when time, place, status or
title change, and sends ``event_saved`` after flushing (``app.events.history``).
Delegations and programmes are in ``delegations``, venues in ``venues``, the checks of
user input in ``validation``.
"""
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from app.errors import PermissionDenied, ValidationFailed
from app.events import access, release, reschedule
from app.events.clashes import Clash, Planned, clear_clashes
from app.events.delegations import default_direction
from app.events.history import (
    check_version,
    diff,
    record,
    save_changes,
    snapshot,
)
from app.events.models import (
    DELEGATION_KINDS,
    NOT_TAKING_PLACE,
    TRANSITIONS,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Visibility,
)
from app.events.signals import event_saved
from app.events.validation import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    check_choice,
    check_country,
    check_length,
    check_timezone,
    check_unit,
    check_users,
    check_venue,
    event_times,
)
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow

# Clashes are checked again only when one of these changes (an edited description does not
# repeat warnings already overridden).
CLASH_FIELDS = {"starts_at", "ends_at", "venue_id", "host_ids", "country"}


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
    # None: unchanged (the edit form of someone who may not change it has it disabled).
    is_sensitive: bool | None = False
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
    # A sensitive event's details reach calendar feeds by themselves at this local time (in
    # ``timezone``), unless steering releases it earlier; None: no embargo.
    embargo_local: datetime | None = None
    keep_embargo: bool = False  # the edit form of someone who may not change it (disabled field)


def data_of(event: Event, **changes) -> EventData:
    """The event as it is, as a save's input, with ``changes`` applied.

    For programs that change a few fields (the API's PATCH, a calendar's re-import): the rest
    stays, the sensitivity and the embargo included (``is_sensitive=None``, ``keep_embargo``).
    """
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    if event.all_day:
        end = end - timedelta(days=1)
    fields: dict[str, Any] = {
        "title_vi": event.title_vi, "title_en": event.title_en,
        "description_vi": event.description_vi, "description_en": event.description_en,
        "internal_notes": event.internal_notes, "kind": event.kind.value,
        "visibility": event.visibility.value, "is_sensitive": None, "timezone": event.timezone,
        "all_day": event.all_day, "start_date": start.date(), "end_date": end.date(),
        "start_time": None if event.all_day else start.time().replace(tzinfo=None),
        "end_time": None if event.all_day else end.time().replace(tzinfo=None),
        "venue_id": event.venue_id, "location": event.location,
        "lead_unit_id": event.lead_unit_id,
        "coordinating_unit_ids": sorted(u.id for u in event.coordinating_units),
        "host_ids": sorted(u.id for u in event.hosts),
        "country": event.delegation.country if event.delegation else "",
        "locality": event.delegation.locality if event.delegation else "",
        "keep_embargo": True}
    fields.update(changes)
    return EventData(**fields)


def _apply(event: Event, data: EventData) -> None:
    zone = check_timezone(data.timezone)
    title_vi = check_length(data.title_vi, TITLE_MAX, "title_vi")
    if not title_vi:
        raise ValidationFailed(_("Enter a Vietnamese title."), "title_vi")
    kind = check_choice(EventKind, data.kind, "kind")
    visibility = check_choice(Visibility, data.visibility, "visibility")
    starts_at, ends_at = event_times(data, zone)
    lead = check_unit(data.lead_unit_id, "lead_unit_id")
    coordinating = [check_unit(i, "coordinating_unit_ids")
                    for i in sorted(set(data.coordinating_unit_ids or [])) if i != lead.id]
    venue = check_venue(data.venue_id)
    hosts = check_users(data.host_ids, "host_ids")
    event.title_vi = title_vi
    event.title_en = check_length(data.title_en, TITLE_MAX, "title_en")
    event.description_vi = check_length(data.description_vi, TEXT_MAX, "description_vi")
    event.description_en = check_length(data.description_en, TEXT_MAX, "description_en")
    event.internal_notes = check_length(data.internal_notes, TEXT_MAX, "internal_notes")
    event.location = check_length(data.location, TITLE_MAX, "location")
    event.kind, event.visibility = kind, visibility
    event.timezone, event.all_day = zone, bool(data.all_day)
    event.starts_at, event.ends_at = starts_at, ends_at
    event.venue = venue
    event.venue_id = venue.id if venue else None
    event.lead_unit, event.lead_unit_id = lead, lead.id
    event.coordinating_units = coordinating
    event.hosts = hosts
    embargo = (data.embargo_local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
               if data.embargo_local else None)
    if not data.keep_embargo and embargo != event.embargo_until:
        if embargo is not None and not (event.is_sensitive or data.is_sensitive):
            raise ValidationFailed(_("An embargo applies only to a sensitive event: a non-sensitive "
                                     "one is published at once."), "embargo_until")
        event.embargo_until = embargo
    _apply_partner(event, data)


def _apply_partner(event: Event, data: EventData) -> None:
    """Delegation kinds carry the partner country and locality given on the event form."""
    country = check_country(data.country)
    locality = check_length(data.locality, SHORT_MAX, "locality")
    if event.kind not in DELEGATION_KINDS or not country:
        return
    if event.delegation is None:
        event.delegation = Delegation(direction=default_direction(event.kind), country=country,
                                      locality=locality)
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


def check_event_data(actor, data: EventData) -> None:
    """The checks ``create_event`` makes, without saving (an import's preview).

    Raises PermissionDenied or ValidationFailed as ``create_event`` would; clashes are not
    looked for.
    """
    check_unit(data.lead_unit_id, "lead_unit_id")
    if not access.can_create_for(actor, data.lead_unit_id):
        raise PermissionDenied()
    with db.session.no_autoflush:
        _apply(Event(), data)


def create_event(actor, data: EventData) -> Event:
    """Create an event in draft; raises ClashesFound unless ``data.override_reason`` is given."""
    check_unit(data.lead_unit_id, "lead_unit_id")  # "unknown unit" before "not yours"
    if not access.can_create_for(actor, data.lead_unit_id):
        raise PermissionDenied()
    # Whoever creates the event classifies it (DOMAIN.md (b), T-30d: the lead unit enters
    # its sensitivity); changing that later is the steering committee's (release.classify).
    event = Event(status=EventStatus.DRAFT, organiser_id=getattr(actor, "id", None),
                  created_at=utcnow(), updated_at=utcnow(), version=1, sequence=0,
                  status_reason="", is_sensitive=bool(data.is_sensitive))
    with db.session.no_autoflush:
        _apply(event, data)
        clashes, reason = clear_clashes(_planned(event), data.override_reason)
    db.session.add(event)
    db.session.flush()
    changes = diff({}, snapshot(event))
    record(actor, event, changes, clashes=clashes, reason=reason)
    db.session.flush()
    event_saved.send(event, actor=actor, changes=changes, created=True)
    return event


def update_event(actor, event: Event, data: EventData, expected_version,
                 keep: Collection[str] | None = frozenset()) -> dict:
    """Apply the form to ``event``; returns the changes ({} when nothing changed).

    When the start moves, whatever follows the event (programme, arrival and departure, proposed
    briefings: ``app.events.reschedule``) moves by the same offset, except the keys in ``keep``.
    ``keep=None`` asks first: RescheduleNeeded, with the list, when anything would move.
    """
    access.require_edit(actor, event)
    check_version(event, expected_version)
    check_unit(data.lead_unit_id, "lead_unit_id")
    if data.lead_unit_id != event.lead_unit_id and not access.can_create_for(actor, data.lead_unit_id):
        raise PermissionDenied()
    old = snapshot(event)
    carry = None
    with db.session.no_autoflush:
        _apply(event, data)
        if event.embargo_until != old["embargo_until"] and not release.can_release(actor, event):
            # The embargo releases a sensitive event by itself: steering's decision, like the flag.
            raise PermissionDenied()
        if data.is_sensitive is not None:
            release.classify(actor, event, data.is_sensitive)
        clashes: list[Clash] = []
        reason = ""
        offset = event.starts_at - old["starts_at"]
        if offset:
            if keep is None:
                items = reschedule.preview(event, offset)
                if items:
                    raise reschedule.RescheduleNeeded(reschedule.Preview(
                        event.starts_at, event.ends_at, event.timezone, offset, items))
            kept = frozenset(keep or ())
            clashes, reason = reschedule.recheck(event, _planned(event), offset, kept,
                                                 data.override_reason)
            carry = partial(reschedule.carry, actor, event, offset, kept)
        elif CLASH_FIELDS & diff(old, snapshot(event)).keys():
            clashes, reason = clear_clashes(_planned(event), data.override_reason)
    return save_changes(actor, event, old, expected_version, clashes=clashes, reason=reason,
                        carry=carry)


def reschedule_preview(actor, event: Event, data: EventData) -> reschedule.Preview:
    """What ``update_event`` with ``data`` would move, without changing anything."""
    access.require_edit(actor, event)
    starts_at, ends_at = event_times(data, check_timezone(data.timezone))
    offset = starts_at - event.starts_at
    with db.session.no_autoflush:
        items = reschedule.preview(event, offset) if offset else []
    return reschedule.Preview(starts_at, ends_at, check_timezone(data.timezone), offset, items)


def change_status(actor, event: Event, status, reason: str, expected_version) -> dict:
    """Move along TRANSITIONS; postponing and cancelling need a reason, which is kept."""
    access.require_edit(actor, event)
    check_version(event, expected_version)
    new = check_choice(EventStatus, status, "status")
    if new not in TRANSITIONS[event.status]:
        raise ValidationFailed(_("An event cannot go from %(old)s to %(new)s.",
                                 old=status_label(event.status), new=status_label(new)), "status")
    reason = check_length(reason, TEXT_MAX, "reason")
    if new in NOT_TAKING_PLACE and not reason:
        raise ValidationFailed(_("Give the reason for postponing or cancelling."), "reason")
    old = snapshot(event)
    event.status = new
    event.status_reason = reason
    event.status_changed_at = utcnow()
    return save_changes(actor, event, old, expected_version, note=reason)


def status_label(status) -> str:
    from app.events.models import EVENT_STATUS_LABELS

    return str(EVENT_STATUS_LABELS[EventStatus(status)])
