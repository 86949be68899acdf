"""Reporting periods: a month, a quarter, a half-year, a year or two dates.

``parse`` turns what a URL or the command line says into a ``Period`` or raises
``ScopeError`` with a message for the user; nothing is computed for a bad period.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.i18n import _l
from app.inputs import parse_date

MAX_YEARS = 5
_PERIOD = re.compile(r"^(\d{4})(?:-(?:(Q[1-4])|(H[12])|(\d{1,2})))?$", re.IGNORECASE)


class ScopeError(ValueError):
    """A period or filter the dashboard refuses, with the reason (a lazy string)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Period:
    start: date          # first day
    end: date            # last day (inclusive)
    label: str           # "2026-Q4", "2026-H1", "2026", "2026-11" or "2026-10-01..2026-12-31"

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at midnight in ``zone``."""
        tz = ZoneInfo(zone)
        return (datetime.combine(self.start, time(0), tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz))

    @property
    def query(self) -> dict[str, str]:
        """The URL parameters that name this period."""
        if ".." in self.label:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.label}


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _steps(first: date, end: date, months: int) -> list[date]:
    days, day = [], first
    while day <= end:
        days.append(day)
        day = month_start(day, months)
    return days


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months that overlap [start, end]."""
    return _steps(month_start(start), end, 1)


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters_between(start: date, end: date) -> list[date]:
    """The first days of the quarters that overlap [start, end]."""
    return _steps(quarter_of(start), end, 3)


def quarter_label(first_day: date) -> str:
    return f"{first_day.year}-Q{(first_day.month - 1) // 3 + 1}"


def named(text: str) -> Period:
    """``2026``, ``2026-H1``, ``2026-Q4`` or ``2026-11``."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ScopeError(_l("Unknown period “%(text)s”: write 2026, 2026-H1, 2026-Q4 or 2026-11, "
                             "or give from and to dates.", text=text[:40]))
    year = int(match.group(1))
    if not 2000 <= year <= 2099:
        raise ScopeError(_l("The year must lie between 2000 and 2099."))
    quarter, half, month = match.group(2), match.group(3), match.group(4)
    if quarter:
        first, months, label = date(year, 3 * int(quarter[1]) - 2, 1), 3, f"{year}-{quarter.upper()}"
    elif half:
        first, months, label = date(year, 6 * int(half[1]) - 5, 1), 6, f"{year}-{half.upper()}"
    elif month:
        if not 1 <= int(month) <= 12:
            raise ScopeError(_l("A month is numbered 1 to 12."))
        first, months, label = date(year, int(month), 1), 1, f"{year}-{int(month):02d}"
    else:
        first, months, label = date(year, 1, 1), 12, str(year)
    return Period(first, month_start(first, months) - timedelta(days=1), label)


def between(start: date, end: date) -> Period:
    if end < start:
        raise ScopeError(_l("The period ends (%(end)s) before it starts (%(start)s).",
                             start=start.isoformat(), end=end.isoformat()))
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = date(start.year + MAX_YEARS, 3, 1)
    if end >= limit:
        raise ScopeError(_l("A period covers at most %(n)d years.", n=MAX_YEARS))
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def parse(period: str | None, start: str | None, end: str | None, today: date) -> Period:
    """The period a request or command asks for; by default the current quarter.

    ``period`` wins over dates. A missing ``from`` is the first day of ``to``'s quarter, a
    missing ``to`` is today (or ``from``'s quarter end when that is earlier).
    """
    if period:
        return named(period)
    if not start and not end:
        return named(quarter_label(quarter_of(today)))
    first, last = parse_date(start), parse_date(end)
    if start and first is None:
        raise ScopeError(_l("“%(text)s” is not a date (YYYY-MM-DD).", text=start[:40]))
    if end and last is None:
        raise ScopeError(_l("“%(text)s” is not a date (YYYY-MM-DD).", text=end[:40]))
    if first is None:
        assert last is not None
        first = quarter_of(last)
    if last is None:
        last = today if today >= first else month_start(quarter_of(first), 3) - timedelta(days=1)
    return between(first, last)
