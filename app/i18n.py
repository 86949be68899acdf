"""Gettext helpers and locale selection.

Import ``_``, ``_l`` and, where one English string needs two Vietnamese meanings, ``_p``/``_lp``
(with a context) from here only.
"""
import re
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton
from flask import current_app, has_request_context, request, session
from flask_babel import (
    get_locale,
    lazy_ngettext,  # noqa: F401
    ngettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_babel import lazy_pgettext as _lp  # noqa: F401
from flask_babel import pgettext as _p  # noqa: F401  (one English string, two meanings)
from flask_login import current_user


def select_locale() -> str:
    """API calls: Accept-Language. Pages: the user's saved locale, else the session's choice, else Accept-Language, else vi."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/") and request.accept_languages:
        # A program names its language with each call (RFC 9457 errors in that language).
        return request.accept_languages.best_match(languages) or \
            current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale", "")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["APP_TIMEZONE"]


# One date style per context, from Babel (CLDR): four-digit years, never seconds, English
# dates day month year (British English data, since American English puts the month first).
# "short" in tables and lists (5/12/2026, 05/12/2026), "medium" on pages (5 thg 12, 2026 /
# 5 Dec 2026), "long" in e-mails and letters, "full" with the weekday. The language's own
# pattern for the style, unless it writes a two-digit year (Vietnamese "short" is d/M/yy):
# then the style's skeleton, which Babel fills with the language's four-digit form.
DATE_SKELETONS = {"short": "yMMdd", "medium": "yMMMd", "long": "yMMMMd", "full": "yMMMMEEEEd"}
_TWO_DIGIT_YEAR = re.compile(r"(?<!y)yy(?!y)")


def formatting_locale(locale=None) -> str:
    name = str(locale or get_locale() or "vi")
    return "en_GB" if name.split("_")[0] == "en" else name


def format_day(day, style: str = "medium", locale=None, zone: str | None = None) -> str:
    """A date, or an aware datetime's date in ``zone`` (default APP_TIMEZONE), in ``style``.

    "" for None.
    """
    if day is None:
        return ""
    if getattr(day, "tzinfo", None) is not None:
        day = day.astimezone(ZoneInfo(zone or current_app.config["APP_TIMEZONE"])).date()
    style = style if style in DATE_SKELETONS else "medium"
    loc = formatting_locale(locale)
    if _TWO_DIGIT_YEAR.search(str(Locale.parse(loc).date_formats[style].pattern)):
        return format_skeleton(DATE_SKELETONS[style], day, locale=loc)
    return format_date(day, style, locale=loc)


def format_moment(moment, style: str = "short", zone: str | None = None, locale=None) -> str:
    """An instant in ``zone`` (default APP_TIMEZONE): "5 thg 12, 2026, 08:00"; "" for None.

    The ``style`` date, then the 24-hour time, as the event pages write a time range.
    """
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone or current_app.config["APP_TIMEZONE"]))
    return f"{format_day(moment.date(), style, locale)}, {moment:%H:%M}"
