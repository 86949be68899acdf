"""Domain exceptions the services raise, and the error pages they turn into."""
from flask import Flask, flash, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.i18n import _
from app.logs import redact


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


def _render(code: int, reason: str | None = None):
    db.session.rollback()  # nothing half-written survives an error
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
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, redact(request.path))
        return _render(500)
