"""RFC 9457 problem details (``application/problem+json``) for every API error.

Titles, details and field errors are in the caller's language: ``Accept-Language`` names it
(``app.i18n.select_locale``). The schema library's own messages are translated here.
"""
from flask import Response, current_app, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors import (  # noqa: F401  (problem: re-exported for the API's modules)
    PROBLEM_DETAILS,
    PROBLEM_TYPE,
    NotVisible,
    PermissionDenied,
    ValidationFailed,
    problem,
)
from app.extensions import db
from app.i18n import _, _l
from app.logs import redact

MEDIA_TYPE = PROBLEM_TYPE

# The messages marshmallow and webargs give without parameters, translated by lookup (the ones
# with parameters are replaced where the schemas declare their validators, app/api/schemas.py).
LIBRARY_MESSAGES = (
    _l("Missing data for required field."), _l("Field may not be null."), _l("Invalid value."),
    _l("Invalid type."), _l("Not a valid list."), _l("Not a valid string."),
    _l("Not a valid utf-8 string."), _l("Not a valid number."), _l("Number too large."),
    _l("Not a valid integer."), _l("Not a valid boolean."), _l("Not a valid date."),
    _l("Not a valid time."), _l("Not a valid datetime."), _l("Not a valid mapping type."),
    _l("Unknown field."), _l("Invalid input type."), _l("Invalid JSON body."),
    _l("Not a valid period of time."), _l("Not a valid URL."),
)


class Refused(Exception):
    """A request answered with a problem before or instead of the service (409, 412, 428...)."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


def field_errors(messages, prefix: str = "") -> list[dict]:
    """The nested errors of webargs, ``{location: {field: [message]}}``, as ``[{"field", "message"}]``."""
    found: list[dict] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "form", "files", "headers") and not prefix:
                found += field_errors(value, "")
            else:
                found += field_errors(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list | tuple):
        for message in messages:
            found += field_errors(message, prefix)
    else:
        found.append({"field": prefix or None, "message": _(str(messages))})
    return found


def _http_error(error: HTTPException):
    db.session.rollback()
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    if "messages" in data or "errors" in data:
        errors = field_errors(data.get("errors") or data.get("messages"))
        return problem(422 if status in (400, 422) else status,
                       _("Some fields are not valid."), errors=errors)
    headers = dict(data.get("headers") or {})
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(allowed)
    return problem(status, data.get("message"), headers=headers)


def _csrf(_error):
    db.session.rollback()
    return problem(400, _("A browser session's change needs its CSRF token (X-CSRFToken); "
                          "scripts use a personal token instead."))


def _validation_failed(error: ValidationFailed):
    db.session.rollback()
    return problem(422, error.message, errors=[{"field": error.field, "message": error.message}])


def _denied(_error):
    db.session.rollback()
    return problem(403, str(PROBLEM_DETAILS[403]))


def _not_visible(_error):
    db.session.rollback()
    return problem(404, str(PROBLEM_DETAILS[404]))


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    db.session.rollback()
    current_app.logger.exception("Unhandled API error on %s %s", request.method,
                                 redact(request.path))
    return problem(500)


def register(blueprint) -> None:
    """Problem responses for whatever the blueprint's views raise."""
    blueprint.register_error_handler(Refused, lambda error: error.response)
    blueprint.register_error_handler(HTTPException, _http_error)
    blueprint.register_error_handler(CSRFError, _csrf)
    blueprint.register_error_handler(ValidationFailed, _validation_failed)
    blueprint.register_error_handler(PermissionDenied, _denied)
    blueprint.register_error_handler(NotVisible, _not_visible)
    blueprint.register_error_handler(Exception, _unexpected)
