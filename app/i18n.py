"""Gettext helpers and locale selection.

Import ``_``, ``_l`` and, where one English string needs two Vietnamese meanings, ``_p``/``_lp``
(with a context) from here only.
"""
from flask import current_app, has_request_context, request, session
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_babel import (
    lazy_ngettext,  # noqa: F401
    ngettext,  # noqa: F401
)
from flask_babel import lazy_pgettext as _lp  # noqa: F401
from flask_babel import pgettext as _p  # noqa: F401  (one English string, two meanings)
from flask_login import current_user


def select_locale() -> str:
    """The user's saved locale, else the session's choice, else Accept-Language, else vi."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale", "")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["APP_TIMEZONE"]
