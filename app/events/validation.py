"""Checks of what users type about events: lengths, dates, zones, countries, referenced rows.

Each check returns the cleaned value or raises ``ValidationFailed`` naming the form field.
"""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.errors import ValidationFailed
from app.events.models import Venue
from app.extensions import db
from app.i18n import _
from app.inputs import MAX_YEAR, MIN_YEAR, country_codes, in_date_range, is_canonical_zone
from app.units.models import Unit

# Longer undertakings are entered as several events; the bound keeps calendar and clash
# queries on an index range instead of scanning the whole history.
MAX_EVENT_DAYS = 31
TITLE_MAX, TEXT_MAX, SHORT_MAX = 300, 20_000, 200


def check_timezone(name: str, field_name: str = "timezone") -> str:
    """The one check of every time zone a user gives: a canonical IANA name.

    See ``app.inputs.is_canonical_zone``: no aliases, no ``localtime``.
    """
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
    if not in_date_range(day):
        raise ValidationFailed(_("Enter a date between the years %(a)d and %(b)d.",
                                 a=MIN_YEAR, b=MAX_YEAR), field_name)
    return day


def to_utc(day: date, moment: time, zone: str) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def event_times(data, zone: str) -> tuple[datetime, datetime]:
    """UTC start and end from local dates and times; all-day events end at midnight after.

    ``data`` has ``start_date``, ``end_date``, ``start_time``, ``end_time`` and ``all_day``.
    """
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


def check_unit(unit_id: int | None, field_name: str) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), field_name)
    return unit


def check_venue(venue_id: int | None) -> Venue | None:
    if not venue_id:
        return None
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise ValidationFailed(_("Unknown venue."), "venue_id")
    return venue


def check_users(user_ids, field_name: str) -> list[User]:
    ids = sorted(set(user_ids or []))
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []
    if len(users) != len(ids):
        raise ValidationFailed(_("Unknown person."), field_name)
    return list(users)


def check_country(code: str, field_name: str = "country") -> str:
    code = (code or "").strip().upper()
    if code and code not in country_codes():
        raise ValidationFailed(_("Unknown country code: %(code)s.", code=code), field_name)
    return code


def check_choice(cls, value, field_name: str):
    try:
        return cls(value)
    except ValueError:
        raise ValidationFailed(_("Choose one of the offered values."), field_name) from None
