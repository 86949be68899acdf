"""How events read on a page: times in the event's own zone, countries by name, clash texts."""
import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_timedelta, get_timezone_location
from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from app.events import reschedule
from app.events.clashes import Clash, holiday_name
from app.events.history import UNIT_FIELDS
from app.events.models import (
    DIRECTION_LABELS,
    EVENT_KIND_LABELS,
    EVENT_STATUS_LABELS,
    VISIBILITY_LABELS,
    DelegationDirection,
    EventKind,
    EventStatus,
    Visibility,
)
from app.i18n import DATE_SKELETONS, _, format_day, format_moment, formatting_locale
from app.inputs import canonical_zones, country_codes, fold
from app.units.services import names_by_id

# First in every time-zone menu: the province's own and its partners'; then every other zone.
PRIORITY_ZONES = ["Asia/Ho_Chi_Minh", "Asia/Vientiane", "Asia/Phnom_Penh", "Asia/Tokyo",
                  "Asia/Seoul"]

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
    """' (Giờ Nhật Bản)' / ' (Japan Time)' when the zone differs from the viewer's, else ''."""
    return "" if zone == viewer_zone() else f" ({zone_name(zone)})"


@lru_cache(maxsize=2048)
def _zone_name(zone: str, loc: str) -> str:
    if zone in ("UTC", "Etc/UTC"):
        return "UTC"
    try:
        return get_timezone_location(zone, locale=loc)
    except (LookupError, ValueError):
        return zone


def zone_name(zone: str | None) -> str:
    """A time zone by its name in the user's language ("Giờ Lào", "Laos Time"), never its code."""
    return _zone_name(zone, locale_name()) if zone else "—"


def _offset(zone: str) -> str:
    offset = datetime.now(_zone(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=4)
def _zone_choices(loc: str) -> tuple[tuple[str, str], ...]:
    def label(zone: str) -> str:
        name = _zone_name(zone, loc)
        return name if name == "UTC" else f"{name} ({_offset(zone)})"
    others = sorted((z for z in canonical_zones() if z not in PRIORITY_ZONES),
                    key=lambda z: (fold(label(z)), z))
    return tuple((z, label(z)) for z in [*PRIORITY_ZONES, *others])


def zone_choices() -> list[tuple[str, str]]:
    """Every canonical zone by name, the province's and its partners' first (a form's menu)."""
    return list(_zone_choices(locale_name()))


@lru_cache(maxsize=4096)
def _date(day, fmt: str, loc: str) -> str:
    """A style of ``app.i18n.DATE_SKELETONS``, or a printed form's own pattern ("dd/MM/y")."""
    if fmt in DATE_SKELETONS:
        return format_day(day, fmt, loc)
    return format_date(day, fmt, locale=formatting_locale(loc))


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
    return format_moment(moment, "medium", viewer_zone())


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return Locale.parse(locale_name()).territories.get(code.upper(), code)


def language_names(codes: str | None) -> str:
    """"vi, en, lo" as "tiếng Việt, tiếng Anh, tiếng Lào" (Babel); unknown words stay as written."""
    names = Locale.parse(locale_name()).languages
    parts = [part.strip() for part in (codes or "").replace(";", ",").split(",") if part.strip()]
    return ", ".join(names.get(part.lower(), part) for part in parts) or "—"


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 codes named in the user's language, partners first."""
    territories = Locale.parse(locale_name()).territories
    codes = sorted((c for c in country_codes() if c in territories),
                   key=lambda c: fold(territories[c]))
    first = [(c, territories[c]) for c in PARTNER_COUNTRIES]
    return [("", "—"), *first, *[(c, territories[c]) for c in codes if c not in PARTNER_COUNTRIES]]


# How ``history.describe`` stored a moment, alone or within a text (a programme's items):
# "2026-12-10 08:00 Asia/Ho_Chi_Minh", "2026-12-10 09:00 Asia/Ho_Chi_Minh Hội đàm".
_STORED_MOMENT = re.compile(r"\b(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) ([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*)")
_ENUM_LABELS: dict[str, tuple[type, dict]] = {
    "kind": (EventKind, EVENT_KIND_LABELS), "status": (EventStatus, EVENT_STATUS_LABELS),
    "visibility": (Visibility, VISIBILITY_LABELS),
    "delegation.direction": (DelegationDirection, DIRECTION_LABELS),
}


def history_value(name: str, text: str | None) -> str:
    """A value of the event's history as words: labels, country and zone names, dates.

    History rows keep plain text written when the change was made ("delegation_in", "LA",
    "2026-12-10 08:00 Asia/Ho_Chi_Minh", a programme as "2026-12-10 09:00 Asia/Ho_Chi_Minh
    Hội đàm; …"); this reads them in the viewer's language.
    """
    if not text:
        return ""
    if name in _ENUM_LABELS:
        enum, labels = _ENUM_LABELS[name]
        try:
            return str(labels[enum(text)])
        except ValueError:
            return text
    if name in ("country", "delegation.country"):
        return country_name(text)
    if name == "timezone":
        return zone_name(text)
    return _STORED_MOMENT.sub(_stored_moment_text, text)


def _stored_moment_text(stored: re.Match) -> str:
    """A moment as history rows store it ("2026-12-10 08:00 Asia/Ho_Chi_Minh"), in words."""
    if stored.group(2) not in canonical_zones():
        return stored.group(0)
    try:
        moment = datetime.strptime(stored.group(1), "%Y-%m-%d %H:%M")
    except ValueError:
        return stored.group(0)
    return moment_text(moment.replace(tzinfo=_zone(stored.group(2))), stored.group(2))


def reader_title(item) -> str:
    """``item``'s title in the reader's language.

    A Vietnamese title standing in for a missing English one is marked ``lang="vi"``: data in
    Vietnamese, not an untranslated interface.
    """
    locale = locale_name()
    title = item.title(locale)
    if locale != "vi" and not item.title_en:
        return Markup('<span lang="vi">%s</span>') % title
    return title


def text_lang(name: str) -> str:
    """"vi" for a field whose text is Vietnamese whatever the reader's language (title_vi…)."""
    return "vi" if name.endswith("_vi") else ""


def history_values(name: str, values: list) -> tuple[str, str]:
    """A history row's (old, new) of field ``name`` as words in the viewer's language.

    Units are named as they are called now when the row kept their ids and they all still
    exist (``history.UNIT_FIELDS``); otherwise, as the row wrote them.
    """
    old, new = values[0], values[1]
    if name in UNIT_FIELDS and len(values) == 4:
        return _unit_names(values[2], old), _unit_names(values[3], new)
    return history_value(name, old), history_value(name, new)


def _unit_names(ids: list[int], written: str) -> str:
    names = names_by_id()
    if not ids or any(i not in names for i in ids):
        return written or ""
    return ", ".join(sorted(names[i] for i in ids))


def event_label(event) -> str:
    """An event as a picker names it: its title and its day ("Đón Đoàn Attapeu — 5 thg 12, 2026")."""
    return f"{event.title(locale_name())} — {_date(local(event.starts_at, event.timezone).date(), 'medium', locale_name())}"


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
             day=format_day(clash.day, "medium"),
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


def moving_label(item) -> str:
    """What follows an event in a reschedule (``reschedule.Moving``), as the preview names it."""
    kinds = {"programme": _("Programme item"), "arrival": _("Arrival"),
             "departure": _("Departure")}
    kind = kinds.get(item.kind) or _("Press conference")
    return f"{kind}: {item.label}" if item.label else kind


def misplaced_if_kept(place: str) -> str:
    """The preview's flag on an item that, kept where it is, breaks its place (``Preview.misplaced``)."""
    return {reschedule.WITHIN: _("If kept, it falls outside the event's new time"),
            reschedule.BEFORE_START: _("If kept, it falls after the event's new start"),
            reschedule.AFTER_START: _("If kept, it falls before the event's new start")}.get(place, "")


def misplaced_after_save(item, place: str) -> str:
    """The warning on save for an item kept where it was (``reschedule.kept_misplaced``)."""
    what = moving_label(item)
    if place == reschedule.BEFORE_START:
        return _("Kept where it was, %(what)s is now after the event's start: check its time.",
                 what=what)
    if place == reschedule.AFTER_START:
        return _("Kept where it was, %(what)s is now before the event's start: check its time.",
                 what=what)
    return _("Kept where it was, %(what)s is now outside the event's time: check its time.",
             what=what)
