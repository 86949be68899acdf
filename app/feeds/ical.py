"""iCalendar (RFC 5545 / RFC 7986) serialization of events, briefings and programme items.

Plain functions: objects in, bytes out, no request inside (an app context is
needed only for translations). The routes, single-event downloads and e-mail
attachments all use them.

Each VEVENT is written by a small, exact writer (escaping and folding below)
rather than by ``icalendar.Component.to_ical``: a feed of 10,000 events must
build fast, and icalendar's generic machinery needs several times as long
(``make bench-feeds`` measures both). The ``icalendar`` library still builds every VTIMEZONE
(from the tz database), and the test suite checks each feed with icalendar,
vobject and the strict ``ical`` parser. Every block is a self-contained byte
string, so callers may cache blocks keyed by ``fragment_key``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import force_locale

from app.events.models import EVENT_KIND_LABELS, Event, EventKind, EventStatus, ProgrammeItem, Venue
from app.events.release import is_unreleased
from app.feeds.models import AlarmPreset, DetailLevel
from app.feeds.sources import SourceEntry
from app.i18n import _, _p
from app.press.models import Briefing, BriefingStatus

CRLF = "\r\n"
PRODID = "-//Briefing Desk//Calendar feeds 1.0//EN"
# Bump when the output format changes: it is part of every cache key and ETag.
FORMAT_VERSION = "4"
# Cancelled and postponed events stay in feeds this long after the change.
KEEP_CANCELLED_DAYS = 30

STATUS_MAP = {
    EventStatus.DRAFT: "TENTATIVE",
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.REPORTED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    # Postponed: kept TENTATIVE at its known time, with a title prefix, so that
    # clients keep the entry; re-planning gives it its new time and status.
    EventStatus.POSTPONED: "TENTATIVE",
}
BRIEFING_STATUS_MAP = {
    BriefingStatus.PROPOSED: "TENTATIVE",
    BriefingStatus.SCHEDULED: "CONFIRMED",
    BriefingStatus.HELD: "CONFIRMED",
    BriefingStatus.CANCELLED: "CANCELLED",
}


# --- text: escaping (RFC 5545 3.3.11) and folding (3.1) ---------------------------------

def escape_text(value: str) -> str:
    """TEXT value: backslash, semicolon, comma and newlines escaped; CR dropped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def param_value(value: str) -> str:
    """A quoted parameter value; DQUOTE and control characters cannot appear inside."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != '"')
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character; adds CRLF."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + CRLF
    parts, start, limit = [], 0, 75
    while len(encoded) - start > limit:
        cut = start + limit
        while encoded[cut] & 0xC0 == 0x80:  # never cut before a UTF-8 continuation byte
            cut -= 1
        parts.append(encoded[start:cut])
        start, limit = cut, 74  # continuation lines begin with a space
    parts.append(encoded[start:])
    return b"\r\n ".join(parts).decode("utf-8") + CRLF


def prop(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def text_prop(name: str, value: str) -> str:
    return fold(f"{name}:{escape_text(value)}")


# --- dates and times ---------------------------------------------------------------------

def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@lru_cache(maxsize=512)
def _zone(tzid: str) -> ZoneInfo | None:
    """The event's zone; None means write UTC ("Z") times."""
    if not tzid or tzid.upper() in ("UTC", "ETC/UTC", "Z"):
        return None
    try:
        return ZoneInfo(tzid)
    except (KeyError, ValueError):  # unknown zone name: UTC is still exact
        return None


def time_props(start: datetime, end: datetime, tzid: str, all_day: bool) -> str:
    """DTSTART/DTEND in the event's own zone, as DATE values for all-day events."""
    zone = _zone(tzid)
    if all_day:
        local = zone or UTC
        first = start.astimezone(local).date()
        last = end.astimezone(local).date()
        # DTEND of an all-day event is exclusive: the day after the last day.
        after = max(last, first) + timedelta(days=1)
        return (f"DTSTART;VALUE=DATE:{first:%Y%m%d}{CRLF}"
                f"DTEND;VALUE=DATE:{after:%Y%m%d}{CRLF}")
    if zone is None:
        return f"DTSTART:{utc_stamp(start)}{CRLF}DTEND:{utc_stamp(end)}{CRLF}"
    return (fold(f"DTSTART;TZID={tzid}:{start.astimezone(zone):%Y%m%dT%H%M%S}")
            + fold(f"DTEND;TZID={tzid}:{end.astimezone(zone):%Y%m%dT%H%M%S}"))


def used_tzid(tzid: str, all_day: bool) -> str | None:
    """The TZID a block refers to (needs a VTIMEZONE), if any."""
    return None if all_day or _zone(tzid) is None else tzid


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """VTIMEZONE for ``tzid`` covering the given years, built by icalendar from the tz database."""
    from icalendar import Timezone

    component = Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1),
                                   last_date=date(last_year + 1, 1, 1))
    return component.to_ical().decode("utf-8").replace("\r\n", "\n").replace("\n", CRLF)


# --- options shared by a whole feed ------------------------------------------------------

@lru_cache(maxsize=16)
def _host_of(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "localhost"


@dataclass(frozen=True)
class FeedOptions:
    base_url: str                   # BASE_URL, for URL and the UIDs' host
    language: str = "vi"            # vi | en
    detail: DetailLevel = DetailLevel.FULL
    alarms: AlarmPreset = AlarmPreset.NONE
    name: str = ""

    @property
    def host(self) -> str:
        return _host_of(self.base_url)

    def cache_tag(self) -> str:
        """The part of a block's cache key that comes from the feed's options."""
        return f"{FORMAT_VERSION}|{self.base_url}|{self.language}|{self.alarms}"


@dataclass(frozen=True)
class Words:
    """Strings in the feed's language, looked up once per build."""
    busy: str
    cancelled: str
    postponed: str
    briefing: str
    programme: str
    delegation: str
    members: str
    interpreters: str
    logistics: str
    internal_notes: str
    reason: str
    kinds: dict
    due: str            # "Hạn" / "Due", before a deadline's item
    deadline: str       # "Hạn nộp" / "Deadline": category, and the whole title when busy-only
    event: str
    lead_unit: str
    legal_basis: str
    moved: str
    new_deadline: str
    deadline_moved: str


@lru_cache(maxsize=8)
def _words_cached(language: str, _app_id: int) -> Words:
    with force_locale(language):
        return Words(
            busy=_("External-affairs activity"),
            cancelled=_("Cancelled"), postponed=_("Postponed"),
            briefing=_("Press briefing"), programme=_("Programme"),
            delegation=_("Delegation"), members=_("Members"), interpreters=_("Interpreters"),
            logistics=_("Security and logistics"), internal_notes=_("Internal notes"),
            reason=_("Reason"),
            due=_p("calendar", "Due"), deadline=_p("calendar", "Deadline"), event=_("Event"),
            lead_unit=_("Lead unit"), legal_basis=_("Legal basis"),
            moved=_("Moved"), new_deadline=_("New deadline"), deadline_moved=_("Deadline moved"),
            kinds={kind: str(label) for kind, label in EVENT_KIND_LABELS.items()})


def words(language: str) -> Words:
    from flask import current_app

    # current_app is a proxy (typed as the Flask it stands for): key on the app behind it.
    return _words_cached(language, id(current_app._get_current_object()))  # type: ignore[attr-defined]


def effective_detail(detail: DetailLevel, event: Event, now: datetime) -> DetailLevel:
    """The detail a feed may show for one event: busy-only while it is unreleased."""
    return DetailLevel.BUSY_ONLY if is_unreleased(event, now) else detail


def _venue_text(venue: Venue | None, location: str) -> str:
    if venue is not None:
        return ", ".join(p for p in (venue.name, venue.address) if p)
    return location or ""


def _alarms(preset: AlarmPreset, summary: str, related_end: bool = False) -> str:
    """The feed's reminders; ``related_end``: before a task's DUE rather than a start."""
    triggers = {AlarmPreset.DAY: ("-P1D",), AlarmPreset.HOUR: ("-PT1H",),
                AlarmPreset.BOTH: ("-P1D", "-PT1H")}.get(preset, ())
    trigger_name = "TRIGGER;RELATED=END" if related_end else "TRIGGER"
    return "".join(
        f"BEGIN:VALARM{CRLF}ACTION:DISPLAY{CRLF}{text_prop('DESCRIPTION', summary)}"
        f"{trigger_name}:{trigger}{CRLF}END:VALARM{CRLF}" for trigger in triggers)


def _event_title(event: Event, opts: FeedOptions, w: Words, detail: DetailLevel) -> str:
    title = w.busy if detail is DetailLevel.BUSY_ONLY else event.title(opts.language)
    if event.status is EventStatus.CANCELLED:
        return f"{w.cancelled}: {title}"
    if event.status is EventStatus.POSTPONED:
        return f"{w.postponed}: {title}"
    return title


def _event_description(event: Event, opts: FeedOptions, w: Words, detail: DetailLevel,
                       internal: bool) -> str:
    """The event's description; ``internal``: with the fields only its editors see."""
    parts = [event.description(opts.language)]
    if not event.takes_place and event.status_reason:
        parts.append(f"{w.reason}: {event.status_reason}")
    delegation = event.delegation
    if delegation is not None:
        place = ", ".join(p for p in (delegation.locality, delegation.country) if p)
        parts.append(f"{w.delegation}: {place}")
        if detail is DetailLevel.FULL:
            if delegation.members:
                parts.append(f"{w.members}:\n" + "\n".join(
                    f"- {m.name}" + (f", {m.title}" if m.title else "") for m in delegation.members))
            if delegation.interpreters:
                parts.append(f"{w.interpreters}: {delegation.interpreters}")
            if internal and delegation.logistics:
                parts.append(f"{w.logistics}: {delegation.logistics}")
    if detail is DetailLevel.FULL and internal and event.internal_notes:
        parts.append(f"{w.internal_notes}: {event.internal_notes}")
    return "\n\n".join(p for p in parts if p)


def _common(uid: str, updated_at: datetime, created_at: datetime | None, sequence: int) -> str:
    # Without METHOD, DTSTAMP is the time the object last changed (RFC 5545 3.8.7.2),
    # which keeps each block identical until its source row changes.
    return (fold(f"UID:{uid}") + f"DTSTAMP:{utc_stamp(updated_at)}{CRLF}"
            + (f"CREATED:{utc_stamp(created_at)}{CRLF}" if created_at else "")
            + f"LAST-MODIFIED:{utc_stamp(updated_at)}{CRLF}SEQUENCE:{max(sequence, 0)}{CRLF}")


def event_uid(event_id: int, host: str) -> str:
    return f"event-{event_id}@{host}"


def render_event(event: Event, opts: FeedOptions, detail: DetailLevel, internal: bool = False) -> str:
    """One VEVENT for ``event`` at ``detail`` (already lowered for unreleased sensitive events).

    ``internal``: the reader may edit the event (``events.access.can_edit``), so a full
    description includes what the event page shows only to its editors (internal notes,
    the delegation's security and logistics). Everyone else gets at most press-safe detail
    of those fields, whatever the feed's detail level says.
    """
    w = words(opts.language)
    busy = detail is DetailLevel.BUSY_ONLY
    summary = _event_title(event, opts, w, detail)
    # Releasing a sensitive event changes what feeds show without a row change when
    # the embargo passes: count the release as one revision.
    sequence = event.sequence + (1 if event.is_sensitive and not busy else 0)
    out = ["BEGIN:VEVENT" + CRLF,
           _common(event_uid(event.id, opts.host), event.updated_at, event.created_at, sequence),
           time_props(event.starts_at, event.ends_at, event.timezone, event.all_day),
           text_prop("SUMMARY", summary),
           "STATUS:" + STATUS_MAP[event.status] + CRLF]
    if busy:
        out.append("CLASS:PRIVATE" + CRLF)
    else:
        description = _event_description(event, opts, w, detail, internal)
        if description:
            out.append(text_prop("DESCRIPTION", description))
        location = _venue_text(event.venue, event.location)
        if location:
            out.append(text_prop("LOCATION", location))
        out.append(prop("URL", f"{opts.base_url}/events/{event.id}"))
        out.append(text_prop("CATEGORIES", w.kinds.get(EventKind(event.kind), str(event.kind))))
        unit = event.lead_unit
        if unit is not None:
            out.append(fold(f"ORGANIZER;CN={param_value(unit.name(opts.language))}:"
                            f"mailto:noreply@{opts.host}"))
    if event.status is not EventStatus.CANCELLED:
        out.append(_alarms(opts.alarms, summary))
    out.append("END:VEVENT" + CRLF)
    return "".join(out)


def render_briefing(briefing: Briefing, opts: FeedOptions, detail: DetailLevel) -> str:
    """A press briefing as its own VEVENT, related to its event."""
    w = words(opts.language)
    if detail is DetailLevel.BUSY_ONLY:
        summary = w.busy
    else:
        summary = f"{w.briefing}: {briefing.title(opts.language)}"
    if briefing.status is BriefingStatus.CANCELLED:
        summary = f"{w.cancelled}: {summary}"
    out = ["BEGIN:VEVENT" + CRLF,
           _common(f"briefing-{briefing.id}@{opts.host}", briefing.updated_at,
                   briefing.created_at, briefing.sequence),
           time_props(briefing.starts_at, briefing.ends_at, briefing.timezone, False),
           text_prop("SUMMARY", summary),
           "STATUS:" + BRIEFING_STATUS_MAP[briefing.status] + CRLF,
           fold(f"RELATED-TO:{event_uid(briefing.event_id, opts.host)}")]
    if detail is DetailLevel.BUSY_ONLY:
        out.append("CLASS:PRIVATE" + CRLF)
    else:
        location = _venue_text(briefing.venue, briefing.location)
        if location:
            out.append(text_prop("LOCATION", location))
        out.append(prop("URL", f"{opts.base_url}/events/{briefing.event_id}"))
        out.append(text_prop("CATEGORIES", w.briefing))
    if briefing.status is not BriefingStatus.CANCELLED:
        out.append(_alarms(opts.alarms, summary))
    out.append("END:VEVENT" + CRLF)
    return "".join(out)


def render_programme_item(item: ProgrammeItem, tzid: str, opts: FeedOptions,
                          detail: DetailLevel) -> str:
    """A programme item as its own VEVENT in its event's zone, related to the event."""
    w = words(opts.language)
    busy = detail is DetailLevel.BUSY_ONLY
    summary = w.busy if busy else f"{w.programme}: {item.activity(opts.language)}"
    out = ["BEGIN:VEVENT" + CRLF,
           _common(f"programme-{item.id}@{opts.host}", item.updated_at, None, item.sequence),
           time_props(item.starts_at, item.ends_at, tzid, False),
           text_prop("SUMMARY", summary),
           fold(f"RELATED-TO:{event_uid(item.event_id, opts.host)}")]
    if busy:
        out.append("CLASS:PRIVATE" + CRLF)
    else:
        location = _venue_text(item.venue, item.place)
        if location:
            out.append(text_prop("LOCATION", location))
        if detail is DetailLevel.FULL and item.hosts_text:
            out.append(text_prop("DESCRIPTION", item.hosts_text))
        out.append(prop("URL", f"{opts.base_url}/events/{item.event_id}"))
    out.append("END:VEVENT" + CRLF)
    return "".join(out)


@dataclass(frozen=True)
class Deadline:
    """A checklist item's due time as a feed shows it, read with its event in one query."""
    id: int
    title: str                  # the item's title in the feed's language
    due_at: datetime
    sequence: int               # moves with the due time
    updated_at: datetime
    open: bool                  # still to do (open, returned or submitted)
    submitted: bool             # waiting for the lead unit's review
    legal_basis: str
    in_days: bool               # offset counted in days
    event_id: int
    event_title: str
    event_cancelled: bool
    event_updated_at: datetime
    timezone: str               # the event's zone
    lead_unit: str
    all_day: bool               # in days, and the responsible unit prefers all-day entries
    unreleased: bool            # the event is sensitive and not released: say nothing of it

    @property
    def changed_at(self) -> datetime:
        return max(self.updated_at, self.event_updated_at)


DEADLINE_MINUTES = 15


def deadline_uid(item_id: int, host: str) -> str:
    return f"item-{item_id}@{host}"


def render_deadline(item: Deadline, opts: FeedOptions, detail: DetailLevel, tasks: bool) -> str:
    """A checklist item's deadline as a calendar entry.

    A 15-minute VEVENT at its due time (all-day when the unit prefers it for offsets in
    days), or with ``tasks`` a VTODO with DUE.
    Busy-only feeds say "Hạn nộp"/"Deadline" and nothing else; a sensitive event that is not
    released is never named, related or linked (the item's own title and page still are).
    """
    w = words(opts.language)
    busy = detail is DetailLevel.BUSY_ONLY
    if busy:
        summary = w.deadline
    elif item.unreleased:
        summary = f"{w.due}: {item.title}"
    else:
        summary = f"{w.due}: {item.title} — {item.event_title}"
    url = f"{opts.base_url}/checklists/items/{item.id}"
    parts = []
    if not item.unreleased:
        parts += [f"{w.event}: {item.event_title}", f"{w.lead_unit}: {item.lead_unit}"]
    if item.legal_basis:
        parts.append(f"{w.legal_basis}: {item.legal_basis}")
    related = "" if item.unreleased else event_uid(item.event_id, opts.host)
    return _deadline_block(
        deadline_uid(item.id, opts.host), item.changed_at, item.sequence, item.due_at,
        item.timezone, item.all_day, opts, tasks, summary=summary, busy=busy,
        cancelled=item.event_cancelled, in_progress=item.submitted,
        description=[*parts, url], url=url, related=related, categories=[w.deadline])


def render_source_deadline(entry: SourceEntry, opts: FeedOptions, detail: DetailLevel,
                           tasks: bool) -> str:
    """A deadline of a registered source (``feeds.sources``), by the checklist's conventions.

    UID ``<entry.uid>@host``; busy-only feeds, and entries the source withholds from this
    feed, say only "Hạn nộp"/"Deadline".
    """
    w = words(opts.language)
    busy = detail is DetailLevel.BUSY_ONLY or entry.withheld
    summary = w.deadline if busy else f"{w.due}: {entry.title}"
    url = opts.base_url + entry.path
    return _deadline_block(
        f"{entry.uid}@{opts.host}", entry.changed_at, entry.sequence, entry.due_at,
        entry.timezone, False, opts, tasks, summary=summary, busy=busy,
        cancelled=entry.cancelled, in_progress=entry.in_progress,
        description=[*entry.details, url], url=url, related="",
        categories=[w.deadline, *([entry.category] if entry.category and not busy else [])])


def _deadline_block(uid: str, changed_at: datetime, sequence: int, due_at: datetime, tzid: str,
                    all_day: bool, opts: FeedOptions, tasks: bool, *, summary: str, busy: bool,
                    cancelled: bool, in_progress: bool, description: list[str], url: str,
                    related: str, categories: list[str]) -> str:
    """A deadline's VEVENT (15 minutes, or all-day) or VTODO (DUE): every deadline's writer.

    ``busy``: the summary only, CLASS:PRIVATE, no description, link or relation.
    """
    w = words(opts.language)
    if cancelled:
        summary = f"{w.cancelled}: {summary}"
    component = "VTODO" if tasks else "VEVENT"
    out = ["BEGIN:" + component + CRLF, _common(uid, changed_at, None, sequence)]
    zone = _zone(tzid)
    if tasks:
        if all_day:
            local = (zone or UTC)
            out.append(f"DUE;VALUE=DATE:{due_at.astimezone(local):%Y%m%d}{CRLF}")
        elif zone is None:
            out.append(f"DUE:{utc_stamp(due_at)}{CRLF}")
        else:
            out.append(fold(f"DUE;TZID={tzid}:{due_at.astimezone(zone):%Y%m%dT%H%M%S}"))
        status = ("CANCELLED" if cancelled
                  else "IN-PROCESS" if in_progress else "NEEDS-ACTION")
    else:
        out.append(time_props(due_at, due_at + timedelta(minutes=DEADLINE_MINUTES), tzid, all_day))
        status = "CANCELLED" if cancelled else "CONFIRMED"
    out.append(text_prop("SUMMARY", summary))
    out.append("STATUS:" + status + CRLF)
    if busy:
        out.append("CLASS:PRIVATE" + CRLF)
    else:
        out.append(text_prop("DESCRIPTION", "\n".join(description)))
        out.append(prop("URL", url))
        if related:
            out.append(fold(f"RELATED-TO:{related}"))
    out.append(fold("CATEGORIES:" + ",".join(escape_text(c) for c in categories)))
    if not cancelled:
        out.append(_alarms(opts.alarms, summary, related_end=tasks))
    out.append("END:" + component + CRLF)
    return "".join(out)


def calendar(blocks: list[bytes], tzids: set[str], years: tuple[int, int], opts: FeedOptions,
             name: str) -> bytes:
    """Wrap VEVENT blocks (UTF-8 bytes) into a VCALENDAR with one VTIMEZONE per zone used."""
    head = ("BEGIN:VCALENDAR" + CRLF + "VERSION:2.0" + CRLF + fold(f"PRODID:{PRODID}")
            + "CALSCALE:GREGORIAN" + CRLF
            + text_prop("NAME", name) + text_prop("X-WR-CALNAME", name)
            + "REFRESH-INTERVAL;VALUE=DURATION:PT1H" + CRLF + "X-PUBLISHED-TTL:PT1H" + CRLF)
    zones = "".join(vtimezone(tzid, *years) for tzid in sorted(tzids))
    return b"".join([(head + zones).encode("utf-8"), *blocks,
                     ("END:VCALENDAR" + CRLF).encode("ascii")])


def event_blocks(event: Event, opts: FeedOptions, now: datetime,
                 briefings: Sequence[Briefing] = (),
                 internal: bool = False) -> tuple[list[str], set[str]]:
    """The event's own VEVENT, its programme items and the given briefings, plus zones used."""
    detail = effective_detail(opts.detail, event, now)
    blocks = [render_event(event, opts, detail, internal)]
    tzids = {used_tzid(event.timezone, event.all_day)}
    for item in event.programme:
        blocks.append(render_programme_item(item, event.timezone, opts, detail))
        tzids.add(used_tzid(event.timezone, False))
    for briefing in briefings:
        blocks.append(render_briefing(briefing, opts, detail))
        tzids.add(used_tzid(briefing.timezone, False))
    return blocks, {tzid for tzid in tzids if tzid is not None}


def event_ics(event: Event, *, user, locale: str) -> bytes:
    """One event (with its programme and the briefings ``user`` may see) as a calendar file.

    Raises NotVisible when ``user`` may not open the event. Needs an app context. Internal
    fields only for those who may edit the event, press-safe detail for press-safe readers
    (``access.sees_full_detail``, as on the event's page); an unreleased sensitive event is busy-only,
    its title not even in the calendar's name.
    """
    import sqlalchemy as sa
    from flask import current_app

    from app.events.access import can_edit, require_view, sees_full_detail
    from app.extensions import db
    from app.timeutil import utcnow

    require_view(user, event)
    now = utcnow()
    opts = FeedOptions(base_url=current_app.config["BASE_URL"],
                       language=locale if locale in ("vi", "en") else "vi",
                       detail=DetailLevel.FULL if sees_full_detail(user)
                       else DetailLevel.PRESS_SAFE)
    briefings = list(db.session.scalars(
        sa.select(Briefing).where(Briefing.event_id == event.id).order_by(Briefing.starts_at)))
    texts, tzids = event_blocks(event, opts, now, briefings, internal=can_edit(user, event))
    blocks = [text.encode("utf-8") for text in texts]
    first = min([event.starts_at, *(b.starts_at for b in briefings)]).year
    last = max([event.ends_at, *(b.ends_at for b in briefings)]).year
    busy = effective_detail(opts.detail, event, now) is DetailLevel.BUSY_ONLY
    name = words(opts.language).busy if busy else event.title(opts.language)
    return calendar(blocks, tzids, (first - 1, last + 1), opts, name)


def briefing_ics(briefing: Briefing, *, locale: str) -> bytes:
    """One briefing as a calendar file for the press it was sent to (press-safe detail).

    Attached to the invitations ``reminders send`` e-mails to outlets; the same UID and
    SEQUENCE as in the feeds, so a reschedule updates the outlet's calendar entry. Needs an
    app context.
    """
    from flask import current_app

    opts = FeedOptions(base_url=current_app.config["BASE_URL"],
                       language=locale if locale in ("vi", "en") else "vi",
                       detail=DetailLevel.PRESS_SAFE)
    block = render_briefing(briefing, opts, DetailLevel.PRESS_SAFE)
    years = (briefing.starts_at.year - 1, briefing.ends_at.year + 1)
    return calendar([block.encode("utf-8")], {briefing.timezone}, years, opts,
                    briefing.title(opts.language))
