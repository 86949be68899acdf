"""What a client may send, made safe once, at the edges (no Flask, no database).

Every value that arrives in a URL, a query string or a form passes these rules before a
route or a service sees it (``app.web.Request``, ``app.web.IdConverter``, ``app.forms``):

- text: NUL and the other C0 control characters never pass; tab, LF and CR only in
  multi-line text. PostgreSQL refuses NUL, XML (so .docx) refuses every C0 control,
  and an e-mail header refuses CR and LF.
- integers are ids, counts or numbers of a version: they fit an SQL INTEGER column.
- dates lie in the years ``MIN_YEAR``..``MAX_YEAR``, so converting a local time to UTC or
  to another zone can never overflow (0001-01-01 and 9999-12-31 are refused).
- file names are display names only: no path, no control or quoting characters.
- time zones are canonical IANA names (``Asia/Ho_Chi_Minh``, ``Asia/Vientiane``, ``UTC``),
  not ``localtime``, ``Factory``, ``posixrules`` or old aliases such as ``Asia/Saigon``.
"""
import re
import unicodedata
import zoneinfo
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

# Every integer column is an SQL INTEGER: 32 bits on PostgreSQL (64 on SQLite), so ids,
# counts and version numbers a client sends must fit 32 bits, or PostgreSQL refuses the query.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# The years the app deals with: events, deadlines, authorisations, filters and feeds.
MIN_YEAR, MAX_YEAR = 2000, 2100
# Those years in days: no duration the app computes with needs more, and a longer one
# added to or taken from a date of those years could leave the calendar (year 1 to 9999).
SPAN_DAYS = (MAX_YEAR - MIN_YEAR + 1) * 366

# C0 controls except tab, LF, CR; DEL; and the two non-characters XML refuses.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# What breaks a line, for text that must stay on one (titles, names, e-mail headers).
_LINE_BREAKS = re.compile(" *[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+ *")


def strip_controls(text: str) -> str:
    """``text`` without NUL and other control characters; tab, LF and CR are kept."""
    return _CONTROLS.sub("", text)


def single_line(text: str) -> str:
    """``text`` on one line: controls removed, every run of line breaks or tabs one space."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))


# Path separators, quoting and wildcard characters, and C0/C1 controls.
_FILENAME_DROP = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]')
FILENAME_MAX = 200


def safe_filename(name: str | None, default: str = "file") -> str:
    """The name to show and offer for a client's file.

    Its last path component, NFC, without control, quoting or path characters, whitespace
    collapsed, no leading or trailing dots, at most FILENAME_MAX characters with the
    extension kept.
    """
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_FILENAME_DROP.sub("", name).split()).strip(" .")
    if len(name) > FILENAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) < 10:
            name = stem[:FILENAME_MAX - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:FILENAME_MAX]
    return name or default


def is_sql_int(number: int) -> bool:
    return INT_MIN <= number <= INT_MAX


def parse_sql_int(text: str) -> int:
    """An integer that fits an SQL INTEGER column; raises ValueError otherwise.

    Usable as ``type=`` of a werkzeug MultiDict, which turns ValueError into the default.
    """
    text = str(text).strip()
    if len(text) > 12:  # also spares int() a 5,000-digit string
        raise ValueError("integer out of range")
    number = int(text)
    if not is_sql_int(number):
        raise ValueError("integer out of range")
    return number


def in_date_range(day: date | datetime) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def parse_date(text: str | None) -> date | None:
    """A date given as YYYY-MM-DD within the app's years, else None."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if in_date_range(day) else None


def _zone_tables() -> list[Path]:
    """zone.tab and zone1970.tab of the system tz database and of the ``tzdata`` package."""
    tables = [Path(folder) / name for folder in zoneinfo.TZPATH
              for name in ("zone.tab", "zone1970.tab")]
    try:
        package = resources.files("tzdata").joinpath("zoneinfo")
        tables += [Path(str(package.joinpath(name))) for name in ("zone.tab", "zone1970.tab")]
    except ModuleNotFoundError:
        pass
    return [table for table in tables if table.is_file()]


@lru_cache(maxsize=1)
def canonical_zones() -> frozenset[str]:
    """The IANA zones of a country or region that this machine can load, plus UTC.

    From zone.tab and zone1970.tab: zone.tab keeps one zone per country (Asia/Vientiane,
    Asia/Phnom_Penh), which zone1970.tab merges into their neighbours'.
    """
    names = {"UTC"}
    for table in _zone_tables():
        for line in table.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                columns = line.split("\t")
                if len(columns) >= 3:
                    names.add(columns[2])
    return frozenset(names & zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of real countries and territories (zone.tab's first column).

    Not Babel's regions and groupings (EU, UN, 001 World, ZZ Unknown, QO Outlying Oceania).
    """
    codes: set[str] = set()
    for table in _zone_tables():
        for line in table.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                codes.update(code for code in line.split("\t")[0].split(",")
                             if len(code) == 2 and code.isalpha())
    return frozenset(codes)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded country names, in Vietnamese and English (Babel's CLDR data), to their codes."""
    from babel import Locale

    names: dict[str, str] = {}
    for locale in ("vi", "en"):
        for code, name in Locale.parse(locale).territories.items():
            if code in country_codes():
                names.setdefault(fold(name), code)
    return names


def country_code(text: str | None) -> str:
    """The code of the country a person names or gives ("Lào", "Laos", "lao", "LA"), else ""."""
    if text and len(text.strip()) == 2 and text.strip().upper() in country_codes():
        return text.strip().upper()
    return _country_names().get(fold(text), "")


def is_canonical_zone(name: str | None) -> bool:
    """The one test of a time zone a user or a form gives: a real, canonical IANA name."""
    return bool(name) and name in canonical_zones()


# Letters NFD does not split into a base letter and a mark: Vietnamese đ, and a few others.
_UNSPLIT = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae",
                          "œ": "oe", "ı": "i"})
_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str | None) -> str:
    """``text`` for matching: lower case, no accents (đ → d), words separated by one space.

    "Đoàn", "đoàn", "ĐOÀN" and "doan" all give "doan". The one rule for stored search
    columns and for the words people type, so both databases compare the same plain text.
    """
    if not text:
        return ""
    plain = unicodedata.normalize("NFD", text.translate(_UNSPLIT))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", plain.replace("_", " ")).split())


def search_words(query: str | None, limit: int = 8) -> list[str]:
    """The distinct folded words of a search box (at most ``limit``; every one must match)."""
    words: list[str] = []
    for word in fold(query).split():
        if word not in words:
            words.append(word)
    return words[:limit]
