"""Clash checks: venue, host and delegation-member overlaps, and public holidays.

A clash is a warning, not an error: the services raise ``ClashesFound`` unless
the user confirmed with a reason (kept as a ClashOverride).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa

from app.auth.models import User
from app.events.models import (
    Delegation,
    DelegationMember,
    Event,
    ProgrammeItem,
    Venue,
    event_hosts,
    programme_item_hosts,
)
from app.events.validation import TEXT_MAX, check_length
from app.extensions import db


@dataclass(frozen=True)
class Clash:
    kind: str  # venue | host | member | holiday
    other_event_id: int | None = None
    subject: str = ""  # venue name, host name, member name or holiday name
    day: date | None = None


@dataclass
class Planned:
    """What is about to be saved: an event or a programme item, not necessarily flushed."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue_id: int | None = None
    host_ids: set[int] = field(default_factory=set)
    member_names: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    event_id: int | None = None  # excluded from the overlap checks
    check_holidays: bool = True


class ClashesFound(Exception):
    def __init__(self, clashes: list[Clash]):
        super().__init__(f"{len(clashes)} clash(es)")
        self.clashes = clashes


def clear_clashes(planned: Planned, override_reason: str) -> tuple[list[Clash], str]:
    """The clashes of ``planned`` and the cleaned reason.

    Raises ClashesFound unless the user confirmed with a reason.
    """
    clashes = find_clashes(planned)
    reason = check_length(override_reason, TEXT_MAX, "override_reason")
    if clashes and not reason:
        raise ClashesFound(clashes)
    return clashes, reason


@dataclass(frozen=True)
class Engagement:
    """A person hosts an event, or one item of its programme, at that time."""

    user_id: int
    event_id: int
    item_id: int | None  # the programme item, or None for the event itself
    starts_at: datetime
    ends_at: datetime


def host_engagements(user_ids, starts_at: datetime, ends_at: datetime,
                     exclude_event_id: int | None = None) -> list[Engagement]:
    """What any of ``user_ids`` hosts that takes place and overlaps [starts_at, ends_at).

    Events and programme items; ``exclude_event_id``'s own event and items are left out.

    One query, whatever the number of people: event clash checks and spokesperson
    double-booking both use it.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return []
    events = (sa.select(event_hosts.c.user_id, Event.id, sa.null().label("item_id"),
                        Event.starts_at, Event.ends_at)
              .join(Event, Event.id == event_hosts.c.event_id)
              .where(event_hosts.c.user_id.in_(ids), Event.takes_place_clause(),
                     Event.starts_at < ends_at, Event.ends_at > starts_at))
    items = (sa.select(programme_item_hosts.c.user_id, ProgrammeItem.event_id, ProgrammeItem.id,
                       ProgrammeItem.starts_at, ProgrammeItem.ends_at)
             .join(ProgrammeItem, ProgrammeItem.id == programme_item_hosts.c.item_id)
             .join(Event, Event.id == ProgrammeItem.event_id)
             .where(programme_item_hosts.c.user_id.in_(ids), Event.takes_place_clause(),
                    ProgrammeItem.starts_at < ends_at, ProgrammeItem.ends_at > starts_at))
    if exclude_event_id is not None:
        events = events.where(Event.id != exclude_event_id)
        items = items.where(ProgrammeItem.event_id != exclude_event_id)
    return [Engagement(*row) for row in db.session.execute(sa.union_all(events, items))]


def _overlapping_events(planned: Planned):
    query = sa.select(Event.id).where(Event.starts_at < planned.ends_at,
                                      Event.ends_at > planned.starts_at,
                                      Event.takes_place_clause())
    if planned.event_id is not None:
        query = query.where(Event.id != planned.event_id)
    return query


def _overlapping_items(planned: Planned):
    query = (sa.select(ProgrammeItem.id).join(Event, Event.id == ProgrammeItem.event_id)
             .where(ProgrammeItem.starts_at < planned.ends_at,
                    ProgrammeItem.ends_at > planned.starts_at,
                    Event.takes_place_clause()))
    if planned.event_id is not None:
        query = query.where(ProgrammeItem.event_id != planned.event_id)
    return query


def find_clashes(planned: Planned) -> list[Clash]:
    """Every clash of ``planned`` with other events, their programmes, and holidays."""
    found: list[Clash] = []
    events = _overlapping_events(planned).subquery()
    if planned.venue_id:
        items = _overlapping_items(planned).subquery()
        venue = db.session.get(Venue, planned.venue_id)
        name = venue.name if venue else ""
        ids = set(db.session.scalars(
            sa.select(Event.id).where(Event.id.in_(sa.select(events)),
                                      Event.venue_id == planned.venue_id)))
        ids |= set(db.session.scalars(
            sa.select(ProgrammeItem.event_id).where(ProgrammeItem.id.in_(sa.select(items)),
                                                    ProgrammeItem.venue_id == planned.venue_id)))
        found += [Clash("venue", i, name) for i in sorted(ids)]
    if planned.host_ids:
        hosted = {(e.event_id, e.user_id) for e in host_engagements(
            planned.host_ids, planned.starts_at, planned.ends_at, planned.event_id)}
        host_names = dict(db.session.execute(sa.select(User.id, User.name).where(
            User.id.in_({user_id for _event, user_id in hosted}))).all()) if hosted else {}
        found += [Clash("host", i, name) for i, name in sorted(
            {(event_id, host_names[user_id]) for event_id, user_id in hosted})]
    names = {n.strip().lower() for n in planned.member_names if n.strip()}
    if names:
        rows = set(db.session.execute(
            sa.select(Delegation.event_id, DelegationMember.name)
            .join(DelegationMember, DelegationMember.delegation_id == Delegation.id)
            .where(Delegation.event_id.in_(sa.select(events)),
                   sa.func.lower(DelegationMember.name).in_(names))))
        found += [Clash("member", i, name) for i, name in sorted(rows)]
    if planned.check_holidays:
        found += holiday_clashes(planned)
    return found


def holiday_clashes(planned: Planned) -> list[Clash]:
    """Public holidays of Vietnam and the partner countries on the event's local days."""
    zone = ZoneInfo(planned.timezone)
    first = planned.starts_at.astimezone(zone).date()
    # An end at local midnight (all-day events) does not touch the next day.
    last = (planned.ends_at.astimezone(zone) - timedelta(microseconds=1)).date()
    last = max(first, min(last, first + timedelta(days=366)))
    clashes = []
    for country in ["VN", *sorted(planned.countries - {"VN"})]:
        for day, name in holidays_between(country, first, last):
            clashes.append(Clash("holiday", None, f"{country}:{name}", day))
    return clashes


def holidays_between(country: str, first: date, last: date) -> list[tuple[date, str]]:
    table = _holiday_table(country, tuple(range(first.year, last.year + 1)))
    if table is None:
        return []
    return sorted((d, n) for d, n in table.items() if first <= d <= last)


@lru_cache(maxsize=64)
def _holiday_table(country: str, years: tuple[int, ...]):
    """English names; the page translates the country, the holiday name stays as the package has it."""
    try:
        return holidays.country_holidays(country, years=years, language="en_US")
    except NotImplementedError:  # a country the package does not know: no holiday check
        return None


def holiday_name(country: str, day: date, locale: str) -> str:
    """The holiday's name in the user's language when the package has it, else English."""
    try:
        cls = holidays.country_holidays(country, years=day.year)
        language = locale if locale in cls.supported_languages else "en_US"
        return holidays.country_holidays(country, years=day.year, language=language).get(day, "")
    except NotImplementedError:
        return ""
