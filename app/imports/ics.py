"""A partner's calendar (.ics) into an event's programme.

Each VEVENT becomes a programme item of the chosen event, through
``events.delegations.add_programme_item``. UIDs are remembered per event
(``imported_programme_items``): importing again adds what is new, replaces what changed
(remove and add, as on the event page) and reports the UIDs that are no longer in the file,
leaving their items for a person to remove. Times: a TZID is converted from its zone, UTC
stays UTC, a floating time is read in the event's own zone; an all-day entry spans the day.
A malformed file is refused with the line at fault, and nothing is imported.
"""
import hashlib
import ipaddress
import re
import socket
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar
from icalendar.prop import vDDDTypes

from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access, delegations, services
from app.events.models import Event
from app.extensions import db
from app.i18n import _
from app.imports.models import ImportedEvent, ImportedProgrammeItem
from app.inputs import strip_controls

MAX_BYTES = 2 * 1024 * 1024
FETCH_TIMEOUT = 10  # seconds
MAX_ENTRIES = 500


@dataclass
class Entry:
    uid: str
    line: int
    summary: str
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime
    description: str = ""
    all_day: bool = False  # DTSTART is a date

    @property
    def fingerprint(self) -> str:
        raw = "|".join([self.summary, self.location, self.starts_at.isoformat(),
                        self.ends_at.isoformat()])
        return hashlib.sha256(raw.encode()).hexdigest()[:40]


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)  # UIDs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # remembered UIDs missing from the file


def fetch(url: str) -> bytes:
    """GET an http(s) URL with a timeout and a size limit (never a loopback or link-local host)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(_("Give an http:// or https:// address."), "url")
    try:
        addresses = {str(info[4][0]).split("%")[0]
                     for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError):
        raise ValidationFailed(_("This address cannot be reached."), "url") from None
    if any(ipaddress.ip_address(a).is_loopback or ipaddress.ip_address(a).is_link_local
           for a in addresses):
        raise ValidationFailed(_("This address cannot be reached."), "url")
    request = urllib.request.Request(url, headers={"User-Agent": "Briefing Desk calendar import"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            content = response.read(MAX_BYTES + 1)
    except (OSError, ValueError):
        raise ValidationFailed(_("The calendar could not be fetched from this address."),
                               "url") from None
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The calendar is larger than %(n)d MB.",
                                 n=MAX_BYTES // 1024 // 1024), "url")
    return content


def _unfolded(text: str) -> list[tuple[int, str]]:
    """Content lines with the number of the line each starts on (RFC 5545 3.1 unfolding)."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


_NAME = re.compile(r"[A-Za-z0-9-]+")


def _malformed(number: int, why: str) -> ValidationFailed:
    return ValidationFailed(_("Line %(n)d of the calendar: %(why)s", n=number, why=why), "ics")


def check_syntax(text: str) -> list[tuple[int, str]]:
    """Refuse what would break parsing, naming the line; returns the unfolded lines."""
    lines = _unfolded(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise _malformed(lines[0][0] if lines else 1, _("a calendar starts with BEGIN:VCALENDAR."))
    stack: list[str] = []
    for number, line in lines:
        name, colon, value = line.partition(":")
        if not colon or not _NAME.fullmatch(name.split(";", 1)[0]):
            raise _malformed(number, _("\"%(text)s\" is not a NAME:value line.", text=line[:60]))
        key = name.split(";", 1)[0].upper()
        if key == "BEGIN":
            stack.append(value.strip().upper())
        elif key == "END":
            if not stack or stack[-1] != value.strip().upper():
                raise _malformed(number, _("END:%(name)s without its BEGIN.", name=value[:30]))
            stack.pop()
        elif key in ("DTSTART", "DTEND") and stack and stack[-1] == "VEVENT":
            try:
                vDDDTypes.from_ical(value.strip())
            except ValueError:
                raise _malformed(number, _("\"%(value)s\" is not a date or time.",
                                           value=value[:40])) from None
    if stack:
        raise _malformed(lines[-1][0], _("BEGIN:%(name)s is never closed.", name=stack[-1][:30]))
    return lines


def _moment(value, zone: ZoneInfo, end: bool = False) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating: the event's own zone
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)
    if isinstance(value, date):  # all day
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)
    raise ValueError("not a date")


def parse(content: bytes, zone_name: str) -> list[Entry]:
    """The VEVENTs of the calendar; ValidationFailed (with the line) when it is malformed."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The calendar is larger than %(n)d MB.",
                                 n=MAX_BYTES // 1024 // 1024), "ics")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The calendar is not in UTF-8."), "ics") from None
    text = strip_controls(text)
    lines = check_syntax(text)
    begins = [number for number, line in lines if line.strip().upper() == "BEGIN:VEVENT"]
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(_("The calendar cannot be read: %(why)s", why=str(exc)[:200]),
                               "ics") from None
    zone = ZoneInfo(zone_name)
    entries: list[Entry] = []
    for index, component in enumerate(calendar.walk("VEVENT")):
        line = begins[index] if index < len(begins) else 0
        if len(entries) >= MAX_ENTRIES:
            raise _malformed(line, _("at most %(n)d entries per calendar.", n=MAX_ENTRIES))
        uid = str(component.get("UID", "")).strip()
        if not uid:
            raise _malformed(line, _("this VEVENT has no UID."))
        start = component.get("DTSTART")
        if start is None:
            raise _malformed(line, _("this VEVENT has no DTSTART."))
        try:
            starts_at = _moment(start.dt, zone)
            end = component.get("DTEND")
            if end is not None:
                ends_at = _moment(end.dt, zone)
            elif component.get("DURATION") is not None:
                ends_at = starts_at + component.decoded("DURATION")
            else:
                ends_at = starts_at + (timedelta(days=1) if not isinstance(start.dt, datetime)
                                       else timedelta(0))
        except (ValueError, TypeError, OverflowError, KeyError):
            raise _malformed(line, _("its start or end cannot be read.")) from None
        entries.append(Entry(uid=uid[:200], line=line,
                             summary=str(component.get("SUMMARY", "")).strip(),
                             location=str(component.get("LOCATION", "")).strip(),
                             description=str(component.get("DESCRIPTION", "")).strip(),
                             starts_at=starts_at, ends_at=ends_at,
                             all_day=not isinstance(start.dt, datetime)))
    if not entries:
        raise ValidationFailed(_("The calendar has no events (VEVENT)."), "ics")
    return entries


def _programme_data(entry: Entry, zone: ZoneInfo) -> delegations.ProgrammeData:
    start = entry.starts_at.astimezone(zone)
    end = entry.ends_at.astimezone(zone)
    if end.date() > start.date():  # an all-day entry, or one past midnight: to the day's end
        if end - start > timedelta(days=1) or (end.time() != time(0) and end.date() > start.date()):
            raise _malformed(entry.line, _("\"%(title)s\" lasts past its first day; a programme "
                                           "item is one day.", title=entry.summary[:80]))
        end_time = time(23, 59)
    else:
        end_time = end.time().replace(tzinfo=None)
    return delegations.ProgrammeData(
        day=start.date(), start_time=start.time().replace(tzinfo=None), end_time=end_time,
        activity_vi=entry.summary or _("(untitled)"), place=entry.location[:300],
        override_reason=_("Imported from the partner's calendar"))


def _known(event: Event) -> dict[str, ImportedProgrammeItem]:
    return {row.uid: row for row in db.session.scalars(
        sa.select(ImportedProgrammeItem).where(ImportedProgrammeItem.event_id == event.id))}


@dataclass
class PreviewRow:
    entry: Entry
    state: str  # "new", "changed" (replaced on import) or "unchanged"
    error: str | None = None


@dataclass
class ProgrammePreview:
    rows: list[PreviewRow]
    removed: list[tuple[str, str]]  # (UID, its programme item's activity, "" if already gone)

    @property
    def errors(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.error]

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if r.state != "unchanged")


def preview_programme(actor, event: Event, entries: list[Entry]) -> ProgrammePreview:
    """What an import would do, entry by entry, with each entry's error; nothing is written."""
    access.require_edit(actor, event)
    zone = ZoneInfo(event.timezone)
    known = _known(event)
    rows: list[PreviewRow] = []
    seen: set[str] = set()
    for entry in entries:
        row = known.get(entry.uid)
        state = "new" if row is None else (
            "unchanged" if row.fingerprint == entry.fingerprint else "changed")
        found = PreviewRow(entry, state)
        try:
            if entry.uid in seen:
                raise _malformed(entry.line, _("the UID %(uid)s appears twice.",
                                               uid=entry.uid[:60]))
            if state != "unchanged":
                delegations.check_programme_item(event, _programme_data(entry, zone))
        except ValidationFailed as exc:
            found.error = exc.message
        seen.add(entry.uid)
        rows.append(found)
    items = {item.id: item for item in event.programme}
    removed = [(uid, items[row.programme_item_id].activity_vi
                if row.programme_item_id in items else "")
               for uid, row in sorted(known.items()) if uid not in seen]
    return ProgrammePreview(rows, removed)


def import_into_programme(actor, event: Event, entries: list[Entry]) -> Outcome:
    """Add, replace and report, all or nothing (flushes; the caller commits or rolls back)."""
    access.require_edit(actor, event)
    zone = ZoneInfo(event.timezone)
    known = _known(event)
    outcome = Outcome()
    seen: set[str] = set()
    for entry in entries:
        if entry.uid in seen:
            raise _malformed(entry.line, _("the UID %(uid)s appears twice.", uid=entry.uid[:60]))
        seen.add(entry.uid)
        row = known.get(entry.uid)
        if row is not None and row.fingerprint == entry.fingerprint:
            outcome.unchanged.append(entry.uid)
            continue
        data = _programme_data(entry, zone)
        if row is not None and row.programme_item_id is not None:
            delegations.remove_programme_item(actor, event, row.programme_item_id)
        try:
            item = delegations.add_programme_item(actor, event, data)
        except ValidationFailed as exc:
            raise _malformed(entry.line, exc.message) from None
        if row is None:
            db.session.add(ImportedProgrammeItem(event_id=event.id, uid=entry.uid,
                                                 programme_item_id=item.id,
                                                 fingerprint=entry.fingerprint))
            outcome.created.append(entry.uid)
        else:
            row.programme_item_id, row.fingerprint = item.id, entry.fingerprint
            outcome.updated.append(entry.uid)
    outcome.removed = sorted(uid for uid in known if uid not in seen)
    db.session.flush()
    return outcome


# --- or each VEVENT as an event of its own ----------------------------------------------------

def _event_key(uid: str) -> str:
    return "ics:" + uid[:190]


def _header(content: bytes, name: str) -> str:
    """A property of the VCALENDAR itself (before its first component), or ""."""
    for _number, line in _unfolded(content.decode("utf-8-sig", "replace")):
        key, _colon, value = line.partition(":")
        key = key.split(";", 1)[0].upper()
        if key == "BEGIN" and value.strip().upper() != "VCALENDAR":
            break
        if key == name:
            return strip_controls(value).strip()
    return ""


def calendar_key(content: bytes, filename: str, url: str | None,
                 lead_unit_id: int | None) -> str:
    """Which calendar a file is, so that its next import can tell which UIDs left it.

    Fetched from an address: the address (scheme and host in lower case, no fragment, no
    trailing slash), whoever imports it. Uploaded: the calendar's own name (X-WR-CALNAME),
    else its PRODID, else the file's name, each with the chosen lead unit; a PRODID names the
    software more than the calendar, so two units' files from the same software stay apart.
    """
    if url:
        parts = urlsplit(url.strip())
        key = "url:" + urlunsplit((parts.scheme.lower(), parts.netloc.lower(),
                                   parts.path.rstrip("/"), parts.query, ""))
    else:
        name, prodid = _header(content, "X-WR-CALNAME"), _header(content, "PRODID")
        named = f"name:{name}" if name else f"prodid:{prodid}" if prodid else f"file:{filename}"
        key = f"unit:{lead_unit_id or 0}|{named}"
    if len(key) > 200:
        key = key[:130] + "#" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _event_fields(entry: Entry, zone_name: str) -> dict:
    """What a VEVENT sets on its event (a re-import changes these, and only these)."""
    zone = ZoneInfo(zone_name)
    start, end = entry.starts_at.astimezone(zone), entry.ends_at.astimezone(zone)
    if entry.all_day:
        return {"title_vi": entry.summary or _("(untitled)"), "all_day": True,
                "start_date": start.date(),
                "end_date": max(start.date(), (end - timedelta(days=1)).date()),
                "start_time": None, "end_time": None, "location": entry.location[:300],
                "description_vi": entry.description}
    return {"title_vi": entry.summary or _("(untitled)"), "all_day": False,
            "start_date": start.date(), "end_date": end.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None), "location": entry.location[:300],
            "description_vi": entry.description}


@dataclass
class EventRow:
    entry: Entry
    state: str  # "new", "changed" (updated on import) or "unchanged"
    data: services.EventData | None = None
    event: Event | None = None  # imported before under the entry's UID
    error: str | None = None
    imported: ImportedEvent | None = None  # what remembers that UID


@dataclass
class EventsPreview:
    rows: list[EventRow]
    calendar: str  # calendar_key: the UIDs not in the file are those it listed before
    # Imported before from this calendar and no longer in it (nothing is deleted: a person
    # decides): the events the user may see, with their UIDs, and a count of the others.
    removed_events: list[tuple[str, Event]] = field(default_factory=list)
    removed_hidden: int = 0
    removed_uids: list[str] = field(default_factory=list)  # every one of them

    @property
    def errors(self) -> list[EventRow]:
        return [r for r in self.rows if r.error]

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if r.state != "unchanged")


def preview_events(actor, entries: list[Entry], kind: str, lead_unit_id: int | None,
                   zone_name: str, source: str, calendar: str) -> EventsPreview:
    """Each VEVENT as a new event (or, imported before, the update of its event); no writes.

    A new event gets ``kind``, ``lead_unit_id`` and the zone; an event imported before keeps
    its own and takes the entry's title, times, place and description. ``calendar`` is the
    file's ``calendar_key``: the events imported from it before whose UID is not in the file
    are listed as removed (not deleted).
    """
    reason = _("Imported from %(file)s", file=source)
    keys = [_event_key(e.uid) for e in entries]
    known = {row.external_key: row for row in db.session.scalars(
        sa.select(ImportedEvent).where(ImportedEvent.external_key.in_(keys)))}
    rows: list[EventRow] = []
    seen: set[str] = set()
    for entry in entries:
        fields = _event_fields(entry, zone_name)
        row = EventRow(entry, "new", imported=known.get(_event_key(entry.uid)))
        event_id = row.imported.event_id if row.imported else None
        try:
            if entry.uid in seen:
                raise _malformed(entry.line, _("the UID %(uid)s appears twice.",
                                               uid=entry.uid[:60]))
            seen.add(entry.uid)
            if event_id is None:
                row.data = services.EventData(kind=kind, lead_unit_id=lead_unit_id or 0,
                                              timezone=zone_name, override_reason=reason,
                                              **fields)
                services.check_event_data(actor, row.data)
            else:
                row.event = access.require_view(actor, db.session.get(Event, event_id))
                access.require_edit(actor, row.event)
                current = services.data_of(row.event)
                row.data = services.data_of(row.event, override_reason=reason, **fields)
                changed = any(getattr(current, k) != v for k, v in fields.items())
                row.state = "changed" if changed else "unchanged"
                if row.state == "changed":
                    services.check_event_data(actor, row.data)
        except ValidationFailed as exc:
            row.error = exc.message
        except (PermissionDenied, NotVisible):
            row.error = _("You may not create or change events for this unit.")
        rows.append(row)
    preview = EventsPreview(rows, calendar)
    for uid, event in _removed_events(calendar, keys):
        preview.removed_uids.append(uid)
        if access.can_view(actor, event):
            preview.removed_events.append((uid, event))
        else:
            preview.removed_hidden += 1
    return preview


def _removed_events(calendar: str, keys: list[str]) -> list[tuple[str, Event]]:
    """The events imported before from ``calendar`` whose UID is not among ``keys``."""
    found = db.session.execute(
        sa.select(ImportedEvent.external_key, Event)
        .join(Event, Event.id == ImportedEvent.event_id)
        .where(ImportedEvent.calendar_key == calendar, ImportedEvent.external_key.notin_(keys))
        .order_by(Event.starts_at, Event.id)).all()
    return [(key.removeprefix("ics:"), event) for key, event in found]


def import_events(actor, preview: EventsPreview) -> Outcome:
    """Create and update the events of a preview without errors, all or nothing (flushes)."""
    if preview.errors:
        raise ValidationFailed(_("Correct the entries marked in the preview, then upload the "
                                 "calendar again."))
    outcome = Outcome()
    for row in preview.rows:
        assert row.data is not None
        try:
            if row.imported is not None:  # the UID now belongs to this calendar
                row.imported.calendar_key = preview.calendar
            if row.event is None:
                event = services.create_event(actor, row.data)
                db.session.add(ImportedEvent(external_key=_event_key(row.entry.uid),
                                             event_id=event.id, imported_by_id=actor.id,
                                             calendar_key=preview.calendar))
                outcome.created.append(row.entry.uid)
            elif row.state == "changed":
                services.update_event(actor, row.event, row.data, row.event.version)
                outcome.updated.append(row.entry.uid)
            else:
                outcome.unchanged.append(row.entry.uid)
        except ValidationFailed as exc:
            raise _malformed(row.entry.line, exc.message) from None
    outcome.removed = list(preview.removed_uids)
    db.session.flush()
    return outcome
