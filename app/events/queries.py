"""Read-side queries: the event list, calendar days and the week schedule.

Everything goes through ``access.visible_clause`` and stays on index ranges
(``starts_at`` bounded on both sides, since no event lasts longer than
MAX_EVENT_DAYS), so pages cost the same with 200 or 20,000 events.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.events import access
from app.events.display import zone_name
from app.events.history import EDITORS_ONLY_FIELDS
from app.events.models import (
    ClashOverride,
    Delegation,
    Event,
    EventChange,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Venue,
    event_coordinating_units,
)
from app.events.validation import MAX_EVENT_DAYS, to_utc
from app.extensions import db
from app.inputs import search_words
from app.timeutil import UTCDateTime
from app.units.models import Unit

SPAN = timedelta(days=MAX_EVENT_DAYS)


@dataclass
class EventFilters:
    kind: str = ""
    status: str = ""
    unit_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""


def list_events(user, filters: EventFilters, zone: str, page: int = 1,
                page_size: int = 50, after: tuple[datetime, int] | None = None,
                load: Sequence = ()) -> tuple[Sequence[Event], bool]:
    """One page of visible events in time order, and whether another page follows.

    No total count: counting every match would grow with the history. ``after`` (the
    ``(starts_at, id)`` of the previous page's last event) seeks instead of skipping ``page``
    pages, so the last page costs what the first does (the API's cursor). ``load``: more
    loader options, for callers that show more of each event.
    """
    query = sa.select(Event).where(access.visible_clause(user))
    if filters.kind in set(EventKind):
        query = query.where(Event.kind == EventKind(filters.kind))
    if filters.status in set(EventStatus):
        query = query.where(Event.status == EventStatus(filters.status))
    if filters.unit_id:
        query = query.where(sa.or_(
            Event.lead_unit_id == filters.unit_id,
            Event.id.in_(sa.select(event_coordinating_units.c.event_id)
                         .where(event_coordinating_units.c.unit_id == filters.unit_id))))
    if filters.date_from:
        start = to_utc(filters.date_from, time(0), zone)
        query = query.where(Event.starts_at >= start - SPAN, Event.ends_at > start)
    if filters.date_to:
        query = query.where(Event.starts_at < to_utc(filters.date_to + timedelta(days=1), time(0), zone))
    words = search_words(filters.text)
    if words:
        query = query.where(matches_words(words))
    query = (query.options(joinedload(Event.lead_unit), joinedload(Event.venue),
                           joinedload(Event.delegation), *load)
             .order_by(Event.starts_at, Event.id).limit(page_size + 1))
    if after is not None:
        query = query.where(sa.tuple_(Event.starts_at, Event.id)
                            > sa.tuple_(sa.literal(after[0], UTCDateTime()), after[1]))
    else:
        query = query.offset((page - 1) * page_size)
    events = db.session.scalars(query).unique().all()
    return events[:page_size], len(events) > page_size


def matches_words(words: list[str]) -> sa.ColumnElement[bool]:
    """SQL: every folded word (``app.inputs.search_words``) occurs in the event's text.

    Or in its delegation's (partner country and locality, border gate): "doan attapeu" finds
    the delegation to Attapeu. Per word, the event is among the ids of the events whose own
    ``search_text`` holds it united with those whose delegation's does: each side a ``LIKE`` on
    an indexed column itself (never on a concatenation), so PostgreSQL can answer it from the
    columns' trigram indexes; SQLite scans both tables once per word.
    """
    matched = sa.orm.aliased(Event, name="matched_event")
    return sa.and_(sa.true(), *(Event.id.in_(sa.union(
        sa.select(matched.id).where(Event.like_word(matched.search_text, word)),
        sa.select(Delegation.event_id).where(Delegation.like_word(Delegation.search_text, word))))
        for word in words))


def lookup(user, text: str, limit: int = 10) -> list[Event]:
    """Visible events holding every word of ``text``, newest first: what event pickers offer."""
    words = search_words(text)
    if not words:
        return []
    return list(db.session.scalars(
        sa.select(Event).where(access.visible_clause(user), matches_words(words))
        .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Entry:
    """An event as a calendar cell shows it: plain columns, no ORM object."""

    id: int
    title_vi: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    all_day: bool
    status: EventStatus
    unit_vi: str
    unit_en: str
    venue: str | None
    location: str
    time_label: str = field(default="", kw_only=True)  # "08:00", "10:00 (Asia/Tokyo)", "" all day
    continued: bool = field(default=False, kw_only=True)  # began on an earlier day
    continues: bool = field(default=False, kw_only=True)  # goes on the next day

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_vi

    def unit(self, locale: str) -> str:
        return self.unit_en if locale == "en" and self.unit_en else self.unit_vi

    @property
    def place(self) -> str:
        return self.venue or self.location or "—"


@dataclass
class Day:
    day: date
    events: list[Entry] = field(default_factory=list)
    more: bool = False  # more events than shown; the agenda lists them all


def calendar_days(user, days: list[date], zone: str, per_day: int) -> list[Day]:
    """At most ``per_day`` events per local day, and whether there are more.

    Days by start; events begun before the first day show on it. An event shown on its
    first day is repeated on each following day it covers (``continued``/``continues``),
    first in the day; past ``per_day`` the day links to the rest (``more``).

    Cost does not grow with the number of events: one index seek per day, limited to
    ``per_day + 1`` rows (one LATERAL query on PostgreSQL), then the columns of the
    events shown; the repeats cost no query.
    """
    bounds = [to_utc(d, time(0), zone) for d in days] + [to_utc(days[-1] + timedelta(days=1),
                                                                 time(0), zone)]
    low, high = sa.bindparam("low", type_=UTCDateTime()), sa.bindparam("high", type_=UTCDateTime())
    seek = (sa.select(Event.id)
            .where(Event.starts_at >= low, Event.starts_at < high, access.visible_clause(user))
            .order_by(Event.starts_at).limit(per_day + 1))
    # Multi-day events that began before the grid and are still running.
    carried = seek.where(Event.ends_at > high)
    connection = db.session.connection()
    picked = [list(connection.execute(carried, {"low": bounds[0] - SPAN, "high": bounds[0]})
                   .scalars())] + [[] for _ in days[1:]]
    ranges = [(i, bounds[i], bounds[i + 1]) for i in range(len(days))]
    if connection.dialect.name == "postgresql":
        # One round trip: a LATERAL seek per day (each round trip costs more than the seek).
        table = sa.values(sa.column("i", sa.Integer), sa.column("low", UTCDateTime()),
                          sa.column("high", UTCDateTime()), name="days").data(ranges)
        per = (sa.select(Event.id, Event.starts_at)
               .where(Event.starts_at >= table.c.low, Event.starts_at < table.c.high,
                      access.visible_clause(user))
               .order_by(Event.starts_at).limit(per_day + 1).lateral("picked"))
        picks = connection.execute(sa.select(table.c.i, per.c.id).select_from(table)
                                   .join(per, sa.true()).order_by(table.c.i, per.c.starts_at))
        for index, event_id in picks:
            picked[index].append(event_id)
    else:  # SQLite answers in-process: the same compiled statement, run per day
        for index, low_at, high_at in ranges:
            picked[index] += connection.execute(seek, {"low": low_at, "high": high_at}).scalars().all()
    result = [Day(d) for d in days]
    shown: dict[int, int] = {}
    for index, ids in enumerate(picked):
        result[index].more = len(ids) > per_day
        shown.update((event_id, index) for event_id in ids[:per_day])
    if shown:
        rows: Iterable[Any] = db.session.execute(  # Any: Row types only the first 10 columns
            sa.select(Event.id, Event.title_vi, Event.title_en, Event.starts_at, Event.ends_at,
                      Event.timezone, Event.all_day, Event.status, Unit.name_vi, Unit.name_en,
                      Venue.name, Event.location)
            .join(Unit, Unit.id == Event.lead_unit_id).outerjoin(Venue, Venue.id == Event.venue_id)
            .where(Event.id.in_(shown)).order_by(Event.starts_at, Event.id))
        for row in rows:
            result[shown[row[0]]].events.append(Entry(*row, time_label=_time_label(row, zone)))
    _spread(result, bounds, per_day)
    return result


def _spread(result: list[Day], bounds: list[datetime], per_day: int) -> None:
    """Repeat each multi-day event on the following days it covers, ahead of their own."""
    if result:  # events begun before the first day go on from an earlier one
        result[0].events = [replace(e, continued=True, time_label="") if e.starts_at < bounds[0]
                            else e for e in result[0].events]
    carried: list[list[Entry]] = [[] for _ in result]
    for index, day in enumerate(result):
        for position, entry in enumerate(day.events):
            last = index
            while last + 1 < len(result) and entry.ends_at > bounds[last + 1]:
                last += 1
            if last == index:
                continue
            day.events[position] = replace(entry, continues=True)
            for later in range(index + 1, last + 1):
                carried[later].append(replace(entry, continued=True, continues=later < last,
                                              time_label=""))
    for day, repeats in zip(result, carried, strict=True):
        if repeats:
            events = repeats + day.events
            day.more = day.more or len(events) > per_day
            day.events = events[:per_day]


def _time_label(row, viewer_zone: str) -> str:
    starts_at, event_zone, all_day = row[3], row[5], row[6]
    if all_day:
        return ""
    label = starts_at.astimezone(ZoneInfo(event_zone)).strftime("%H:%M")
    return label if event_zone == viewer_zone else f"{label} ({zone_name(event_zone)})"


def week_schedule(user, monday: date, zone: str) -> list[tuple[date, list[Event]]]:
    """Every visible event of the week, listed on each local day it covers (for printing)."""
    start = to_utc(monday, time(0), zone)
    end = to_utc(monday + timedelta(days=7), time(0), zone)
    events = db.session.scalars(
        sa.select(Event).where(Event.starts_at >= start - SPAN, Event.starts_at < end,
                               Event.ends_at > start, access.visible_clause(user))
        .options(joinedload(Event.lead_unit), joinedload(Event.venue))
        .order_by(Event.starts_at, Event.id)).unique().all()
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_start = to_utc(day, time(0), zone)
        day_end = day_start + timedelta(days=1)
        days.append((day, [e for e in events if e.starts_at < day_end and e.ends_at > day_start]))
    return days


def upcoming(user, zone: str, days: int = 7, limit: int = 8) -> tuple[Sequence[Event], bool]:
    """Visible events that take place from today (local) for ``days`` days; whether more follow."""
    start = to_utc(local_today(zone), time(0), zone)
    events = db.session.scalars(
        sa.select(Event).where(Event.starts_at >= start - SPAN,
                               Event.starts_at < start + timedelta(days=days),
                               Event.ends_at > start, Event.takes_place_clause(),
                               access.visible_clause(user))
        .options(joinedload(Event.lead_unit), joinedload(Event.venue))
        .order_by(Event.starts_at, Event.id).limit(limit + 1)).unique().all()
    return events[:limit], len(events) > limit


def load_event(event_id: int) -> Event | None:
    """An event with everything its page shows, in a fixed number of queries.

    People on the page are shown by name: their roles are not loaded.
    """
    no_roles = sa.orm.lazyload(User.role_rows)
    return db.session.scalar(
        sa.select(Event).where(Event.id == event_id)
        .options(joinedload(Event.lead_unit), joinedload(Event.venue),
                 joinedload(Event.organiser).options(no_roles),
                 selectinload(Event.coordinating_units),
                 selectinload(Event.hosts).options(no_roles),
                 joinedload(Event.delegation).selectinload(Delegation.members),
                 selectinload(Event.programme).options(
                     selectinload(ProgrammeItem.hosts).options(no_roles),
                     joinedload(ProgrammeItem.venue))))


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: datetime
    user: User | None
    changes: dict  # field name -> [old, new] as text
    note: str


def history(event: Event, *, editor: bool, full_detail: bool = True, page: int = 1,
            size: int = 20) -> tuple[list[HistoryEntry], bool]:
    """One page of the event's changes, newest first, and whether older ones follow (no count).

    Fields only editors see are left out for others, those of full detail
    (``access.sees_full_detail``) for press-safe readers, who do not get a row left empty
    (nor its note).
    """
    hidden = (frozenset() if editor else EDITORS_ONLY_FIELDS) | (
        frozenset() if full_detail else access.PRESS_SAFE_HIDDEN_FIELDS)
    rows = db.session.scalars(
        sa.select(EventChange).where(EventChange.event_id == event.id)
        .options(joinedload(EventChange.user).lazyload(User.role_rows))
        .order_by(EventChange.id.desc()).limit(size + 1).offset((page - 1) * size)).all()
    entries = [HistoryEntry(row.changed_at, row.user,
                            {name: values for name, values in row.changes.items()
                             if name not in hidden}, row.note)
               for row in rows[:size]]
    return (entries if full_detail else [e for e in entries if e.changes]), len(rows) > size


def overrides(event: Event) -> Sequence[ClashOverride]:
    return db.session.scalars(
        sa.select(ClashOverride).where(ClashOverride.event_id == event.id)
        .options(joinedload(ClashOverride.user).lazyload(User.role_rows))
        .order_by(ClashOverride.id)).all()


def visible_titles(user, event_ids, locale: str) -> dict[int, str]:
    """Titles of the events the user may see, for clash warnings (others stay anonymous)."""
    ids = {i for i in event_ids if i}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Event.id, Event.title_vi, Event.title_en)
                              .where(Event.id.in_(ids), access.visible_clause(user)))
    return {i: (en if locale == "en" and en else vi) for i, vi, en in rows}


def month_grid(anchor: date) -> list[date]:
    """Six weeks from the Monday on or before the first of the month."""
    first = anchor.replace(day=1)
    start = first - timedelta(days=first.weekday())
    return [start + timedelta(days=i) for i in range(42)]


def week_days(anchor: date) -> list[date]:
    monday = anchor - timedelta(days=anchor.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def local_today(zone: str) -> date:
    from zoneinfo import ZoneInfo

    from app.timeutil import utcnow

    return utcnow().astimezone(ZoneInfo(zone)).date()

