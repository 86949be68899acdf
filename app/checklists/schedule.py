"""Due-time arithmetic for checklist items. Pure: no Flask, no database.

An item is due ``offset`` units from the event's start or end:

* calendar or working days: the local date in the event's time zone is shifted,
  and the item is due at the end of that working day (17:00 local);
  an offset of 0 days means "at the anchor itself" (e.g. the press desk opens
  when the event starts);
* working days skip Saturdays, Sundays and Vietnamese public holidays (Tết
  included, from the ``holidays`` package);
* hours: exactly ``offset`` hours from the anchor.
"""
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_package

END_OF_WORKING_DAY = time(17, 0)


class OffsetUnit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"


class Anchor(StrEnum):
    START = "start"
    END = "end"


@lru_cache(maxsize=64)
def vietnam_holidays(year: int) -> frozenset[date]:
    """Public holidays in Viet Nam for ``year`` (Tết, 30/4, 1/5, 2/9, Hùng Kings...)."""
    return frozenset(holidays_package.country_holidays("VN", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in vietnam_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """``day`` moved by ``count`` working days (negative: backwards). 0 leaves it as is."""
    step = 1 if count > 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


@lru_cache(maxsize=128)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def due_at(anchor: datetime, offset: int, unit: OffsetUnit, tz: str,
           end_of_day: time = END_OF_WORKING_DAY) -> datetime:
    """When an item ``offset`` ``unit`` from ``anchor`` (aware) is due, as aware UTC.

    :param anchor: the event's start or end, aware.
    :param tz: the event's IANA time zone; days are counted on its calendar.
    :param end_of_day: local time a day-offset item is due at.
    """
    if anchor.tzinfo is None:
        raise ValueError("anchor must be time-zone aware")
    unit = OffsetUnit(unit)
    if unit is OffsetUnit.HOURS:
        return (anchor + timedelta(hours=offset)).astimezone(UTC)
    if offset == 0:
        return anchor.astimezone(UTC)
    zone = _zone(tz)
    local_day = anchor.astimezone(zone).date()
    if unit is OffsetUnit.WORKING_DAYS:
        day = add_working_days(local_day, offset)
    else:
        day = local_day + timedelta(days=offset)
    return datetime.combine(day, end_of_day, tzinfo=zone).astimezone(UTC)


def as_soon_as_possible(now: datetime, grace_working_days: int, tz: str,
                        end_of_day: time = END_OF_WORKING_DAY) -> datetime:
    """The due time of a short-notice item generated at ``now``, as aware UTC.

    The end of the working day ``grace_working_days`` working days after ``now``'s local day
    (0: the end of that day), never before ``now``.
    """
    zone = _zone(tz)
    day = add_working_days(now.astimezone(zone).date(), grace_working_days)
    return max(datetime.combine(day, end_of_day, tzinfo=zone).astimezone(UTC), now)
