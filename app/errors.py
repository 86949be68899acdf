"""Domain exceptions the services raise, and the error pages they turn into."""
from flask import Flask, Response, flash, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.i18n import _, _l
from app.logs import redact

API_PATH = "/api/"  # every error under it is a problem (RFC 9457), even before the API's views
PROBLEM_TYPE = "application/problem+json"

PROBLEM_TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    412: _l("The resource has changed"),
    413: _l("Request too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    428: _l("If-Match required"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}

PROBLEM_DETAILS = {
    403: _l("You may not do this."),
    404: _l("There is nothing here, or you may not see it."),
}


class PermissionDenied(Exception):
    """The user may see the object but not do this to it; answered with 403."""


class NotVisible(Exception):
    """The user may not know the object exists; answered with 404, like a missing one."""


class ValidationFailed(Exception):
    """Input broke a domain rule. ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyDone(Exception):
    """A form that creates something was sent again (``app.idempotency``).

    Nothing is created; the user is sent to ``url``, where the first sending's result is.
    """

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _already_done(error: AlreadyDone):
    db.session.rollback()
    flash(_("This form had already been sent: here is what it created."), "info")
    return redirect(error.url)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def problem(status: int, detail: str | None = None, *, errors: list[dict] | None = None,
            headers: dict | None = None, **extra) -> Response:
    """An RFC 9457 problem (``application/problem+json``) in the request's language.

    ``extra`` members are added as they are (RFC 9457 3.2).
    """
    body: dict = {"type": "about:blank", "title": str(PROBLEM_TITLES.get(status, _("Error"))),
                  "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _render(code: int, reason: str | None = None, headers: dict | None = None):
    db.session.rollback()  # nothing half-written survives an error
    if request.path.startswith(API_PATH):  # a URL the API's views never saw (bad id, no route)
        detail = PROBLEM_DETAILS.get(code)
        return problem(code, str(detail) if detail else None, headers=headers)
    if _wants_json():
        return {"error": code, "reason": reason or ""}, code
    return render_template("errors/error.html", code=code, reason=reason), code


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(PermissionDenied, lambda e: _render(403))
    app.register_error_handler(NotVisible, lambda e: _render(404))
    app.register_error_handler(CSRFError, lambda e: _render(400, "csrf"))
    app.register_error_handler(AlreadyDone, _already_done)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        allowed = getattr(error, "valid_methods", None)
        return _render(error.code or 500,
                       headers={"Allow": ", ".join(allowed)} if error.code == 405 and allowed
                       else None)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, redact(request.path))
        return _render(500)
