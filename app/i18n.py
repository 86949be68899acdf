"""Gettext helpers and locale selection.

Import ``_``, ``_l`` and, where one English string needs two Vietnamese meanings, ``_p``/``_lp``
(with a context) from here only.
"""
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
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


# One date style per context, from Babel skeletons: four-digit years, never seconds, English
# dates day month year (British English data, since American English puts the month first).
# "short" in tables and lists (05/12/2026), "medium" in pages and e-mails (5 thg 12, 2026 /
# 5 Dec 2026), "long" in letters and documents, "full" with the weekday.
DATE_SKELETONS = {"short": "yMMdd", "medium": "yMMMd", "long": "yMMMMd", "full": "yMMMMEEEEd"}


def formatting_locale(locale=None) -> str:
    name = str(locale or get_locale() or "vi")
    return "en_GB" if name.split("_")[0] == "en" else name


def format_day(day, style: str = "medium", locale=None) -> str:
    """A date (or a datetime's date) in ``style``; "" for None."""
    if day is None:
        return ""
    return format_skeleton(DATE_SKELETONS.get(style, DATE_SKELETONS["medium"]), day,
                           locale=formatting_locale(locale))


def format_moment(moment, style: str = "short", zone: str | None = None, locale=None) -> str:
    """An instant in ``zone`` (default APP_TIMEZONE): "5 thg 12, 2026, 08:00"; "" for None.

    The ``style`` date, then the 24-hour time, as the event pages write a time range.
    """
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone or current_app.config["APP_TIMEZONE"]))
    return f"{format_day(moment, style, locale)}, {moment:%H:%M}"
