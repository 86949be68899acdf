"""Value types of domain settings: how a stored text becomes a typed value and back.

Pure: no database, no request. ``parse`` raises :class:`InvalidValue` with a message
for the user; ``format`` writes the canonical text that is stored and shown in forms.
A type that needs the database to check a value (a unit must exist) says so with
``needs_check``; the service runs that check on save only, never on read.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, NamedTuple

from app.i18n import _, _l
from app.inputs import SPAN_DAYS


class InvalidValue(ValueError):
    """The text is not a valid value of the type; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ValueType:
    name: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    unit: Any = ""             # lazy label shown after the value ("days", "%"), or ""
    hint: Any = ""             # lazy example shown under the input
    numbers: Callable[[Any], tuple[int, ...]] | None = None  # what a setting's bounds apply to
    needs_check: str = ""      # "unit": the value must be an existing unit's slug
    maximum: int | None = None  # the largest number any setting of the type may hold


def _whole_number(text: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"-?\d{1,9}", text):
        raise InvalidValue(_("Enter a whole number, e.g. 24."))
    return int(text)


def _number_type(name: str, unit, bounds: tuple[int, int] | None = None, *,
                 maximum: int | None = None) -> ValueType:
    def parse(text: str) -> int:
        number = _whole_number(text)
        if bounds and not bounds[0] <= number <= bounds[1]:
            raise InvalidValue(_("Enter a number from %(low)d to %(high)d.",
                                 low=bounds[0], high=bounds[1]))
        return number
    return ValueType(name, parse, str, unit, numbers=lambda n: (n,), maximum=maximum)


def _day_list(text: str) -> tuple[int, ...]:
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts or not all(re.fullmatch(r"\d{1,4}", p) for p in parts):
        raise InvalidValue(_("Enter numbers of days separated by commas, e.g. 3,1."))
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _time_of_day(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:hH](\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidValue(_("Enter a time of day as HH:MM, e.g. 07:30."))
    return time(int(match[1]), int(match[2]))


class MonthDay(NamedTuple):
    """A day of the year without a year, e.g. the 15 June reporting date."""

    month: int
    day: int

    def in_year(self, year: int) -> date:
        """This day in ``year``; 29 February falls on 28 February in common years."""
        if (self.month, self.day) == (2, 29) and not _is_leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(text: str) -> tuple[MonthDay, ...]:
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    days = set()
    for part in parts:
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})", part)
        try:
            if not match:
                raise ValueError
            date(2024, int(match[2]), int(match[1]))  # a leap year: 29/02 is allowed
        except ValueError:
            raise InvalidValue(_("Enter days as DD/MM separated by commas, e.g. 15/06, 15/12.")) \
                from None
        days.add(MonthDay(int(match[2]), int(match[1])))
    if not days:
        raise InvalidValue(_("Enter days as DD/MM separated by commas, e.g. 15/06, 15/12."))
    return tuple(sorted(days))


def _text(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 500:
        raise InvalidValue(_("Enter a text of 1 to 500 characters."))
    return text


def _unit_slug(text: str) -> str:
    text = text.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", text):
        raise InvalidValue(_("Enter a unit's short name (lower-case letters, digits and hyphens)."))
    return text


INTEGER = _number_type("integer", "")
# A duration is at most the app's span of years: pages and commands add it to dates.
DAYS = _number_type("days", _l("days"), maximum=SPAN_DAYS)
HOURS = _number_type("hours", _l("hours"), maximum=SPAN_DAYS * 24)
MINUTES = _number_type("minutes", _l("minutes"), maximum=SPAN_DAYS * 24 * 60)
WORKING_DAYS = _number_type("working_days", _l("working days"), maximum=SPAN_DAYS)
PERCENT = _number_type("percent", "%", (0, 100))
MILLIMETRES = _number_type("millimetres", "mm", maximum=1000)
DAY_LIST = ValueType("day_list", _day_list, lambda v: ",".join(str(d) for d in v), _l("days"),
                     _l("Comma-separated, e.g. 3,1."), numbers=lambda v: v)
TIME_OF_DAY = ValueType("time_of_day", _time_of_day, lambda v: v.strftime("%H:%M"), "",
                        _l("HH:MM, local time."))
MONTH_DAYS = ValueType("month_days", _month_days,
                       lambda v: ", ".join(f"{d.day:02d}/{d.month:02d}" for d in v), "",
                       _l("DD/MM, comma-separated, e.g. 15/06, 15/12."))
TEXT = ValueType("text", _text, str)
UNIT_SLUG = ValueType("unit", _unit_slug, str, "", _l("The unit's short name, as on the Units page."),
                      needs_check="unit")
