"""How events read on a page: times in the event's own zone, countries by name, clash texts."""
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from flask import current_app
from flask_babel import get_locale

from app.events.clashes import Clash, holiday_name
from app.i18n import _

# Offered in the time-zone field; any IANA name is accepted.
COMMON_TIMEZONES = ["Asia/Ho_Chi_Minh", "Asia/Vientiane", "Asia/Phnom_Penh", "Asia/Bangkok",
                    "Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Europe/Paris",
                    "Europe/Berlin", "America/New_York", "UTC"]

# Partner countries first in the country menu.
PARTNER_COUNTRIES = ["LA", "KH", "JP", "KR", "TH", "CN"]


def locale_name() -> str:
    return str(get_locale() or "vi")


def viewer_zone() -> str:
    return current_app.config["APP_TIMEZONE"]


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(_zone(zone))


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_suffix(zone: str) -> str:
    """' (Asia/Tokyo)' when the zone differs from the viewer's, else ''."""
    return "" if zone == viewer_zone() else f" ({zone})"


@lru_cache(maxsize=4096)
def _date(day, fmt: str, loc: str) -> str:
    return format_date(day, fmt, locale=loc)


def when(starts_at: datetime, ends_at: datetime, zone: str, all_day: bool = False) -> str:
    """'10 Dec 2026, 08:00–10:00' in the event's zone, naming the zone if it is not the viewer's."""
    loc = locale_name()
    start, end = local(starts_at, zone), local(ends_at, zone)
    if all_day:
        last = (end - timedelta(microseconds=1)).date()
        text = _date(start.date(), "medium", loc)
        if last != start.date():
            text += " – " + _date(last, "medium", loc)
        return text
    if start.date() == end.date():
        text = (f"{_date(start.date(), 'medium', loc)}, "
                f"{start.strftime('%H:%M')}–{end.strftime('%H:%M')}")
    else:
        text = (f"{_date(start.date(), 'medium', loc)} {start.strftime('%H:%M')}"
                f" – {_date(end.date(), 'medium', loc)} {end.strftime('%H:%M')}")
    return text + zone_suffix(zone)


def hour(moment: datetime, zone: str) -> str:
    """24-hour 'HH:mm', the same in Vietnamese and English (cheap: calendars call it often)."""
    return local(moment, zone).strftime("%H:%M")


def day_label(day, fmt: str = "full") -> str:
    return _date(day, fmt, locale_name())


def stamp(moment: datetime | None) -> str:
    """A moment (history, overrides) in the viewer's zone."""
    if moment is None:
        return "—"
    return format_datetime(local(moment, viewer_zone()), "short", locale=locale_name())


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return Locale.parse(locale_name()).territories.get(code.upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 codes named in the user's language, partners first."""
    territories = Locale.parse(locale_name()).territories
    codes = sorted((c for c in territories
                    if isinstance(c, str) and len(c) == 2 and c.isalpha() and c not in ("ZZ",)),
                   key=lambda c: territories[c])
    first = [(c, territories[c]) for c in PARTNER_COUNTRIES]
    return [("", "—"), *first, *[(c, territories[c]) for c in codes if c not in PARTNER_COUNTRIES]]


def clash_text(clash: Clash, titles: dict[int, str]) -> str:
    """One warning line; ``titles`` maps visible event ids to their titles."""
    other = (clash.other_event_id is not None and titles.get(clash.other_event_id)) \
        or _("another event")
    if clash.kind == "venue":
        return _("The venue %(venue)s is already booked for %(event)s at an overlapping time.",
                 venue=clash.subject, event=other)
    if clash.kind == "host":
        return _("%(person)s also hosts %(event)s at an overlapping time.",
                 person=clash.subject, event=other)
    if clash.kind == "member":
        return _("Delegation member %(person)s is also in %(event)s at an overlapping time.",
                 person=clash.subject, event=other)
    assert clash.day is not None  # a holiday clash names its day
    country, _sep, english = clash.subject.partition(":")
    name = holiday_name(country, clash.day, locale_name()) or english
    return _("%(day)s is a public holiday in %(country)s: %(holiday)s.",
             day=format_date(clash.day, "medium", locale=locale_name()),
             country=country_name(country), holiday=name)


def moment_text(moment: datetime, zone: str) -> str:
    """One instant in ``zone``: '10 Dec 2026, 08:00', naming the zone if it is not the viewer's."""
    loc = locale_name()
    start = local(moment, zone)
    return f"{_date(start.date(), 'medium', loc)}, {start.strftime('%H:%M')}{zone_suffix(zone)}"


def offset_text(offset: timedelta) -> str:
    """How far a reschedule moves an event: '5 days later', '2 hours earlier'."""
    span = format_timedelta(abs(offset), threshold=1.0, locale=locale_name())
    return _("%(span)s later", span=span) if offset > timedelta(0) else _("%(span)s earlier",
                                                                           span=span)
