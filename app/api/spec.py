"""The API's frame: flask-smorest, authentication, CSRF, throttling and problem responses.

flask-smorest generates the OpenAPI 3.1 document from the marshmallow schemas. The caller is
a personal token or the browser's session. Every API blueprint is made by ``blueprint()`` and registered by ``register(app)``.
"""
import functools

from flask import Flask, current_app, g, request
from flask_login import current_user
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from flask_smorest.utils import prepare_response

from app.api import problems, tokens
from app.api.schemas import ProblemSchema
from app.extensions import csrf, db, login_manager
from app.i18n import _
from app.timeutil import utcnow

PREFIX = "/api/v1"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

CONFIG = {
    "API_TITLE": "Briefing Desk",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": (
            "Events, delegations, briefings, checklists, assignments and calendar feeds of "
            "Briefing Desk. Authenticate with a personal token (`Authorization: Bearer bd_…`, "
            "created on your Account → API tokens page); a read token may only GET. Writes "
            "need `If-Match` with the ETag of the last GET (428 without it, 412 when stale). "
            "Errors are RFC 9457 problem details in the language of `Accept-Language`.")},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    },
}


class Api(SmorestApi):
    """flask-smorest, with errors as problem+json answered by the API's own blueprints."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """The app's own error pages stay; API blueprints register ``problems``."""

    def _register_responses(self):
        import http

        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


BLUEPRINTS: list[Blueprint] = []


def blueprint(name: str, description: str) -> Blueprint:
    """An API blueprint under /api/v1 with the API's authentication and problem responses."""
    bp = Blueprint(f"api_{name}", __name__, url_prefix=PREFIX, description=description)
    bp.before_request(authenticate_request)
    problems.register(bp)
    BLUEPRINTS.append(bp)
    return bp


def authenticate_request():
    """Who calls: a bearer token (no CSRF: no browser sends it by itself), else the session.

    A session's writes need the CSRF token like any form. A refused or throttled token is
    answered here, before the view.
    """
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        now = utcnow()
        try:
            bearer = tokens.authenticate(header[7:].strip(), now)
            tokens.count_request(bearer.token_id, now)
        except tokens.TokenRefused:
            db.session.rollback()
            return problems.problem(401, _("This token is unknown, revoked or expired, or its "
                                           "owner's account is deactivated."),
                                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        except tokens.Throttled as exc:
            db.session.commit()
            return problems.problem(429, _("Too many requests with this token: wait %(n)d "
                                           "seconds.", n=exc.retry_after),
                                    headers={"Retry-After": str(exc.retry_after)})
        db.session.commit()
        login_manager._update_request_context_with_user(bearer.user)
        g.api_bearer = bearer
        if request.method not in SAFE_METHODS and not bearer.may_write():
            return problems.problem(403, _("This token may only read."))
        return None
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        return None
    return problems.problem(401, _("Send a personal API token: Authorization: Bearer <token>."),
                            headers={"WWW-Authenticate": "Bearer"})


def register(app: Flask) -> None:
    """Mount the API: its blueprints, the OpenAPI document and the documentation page."""
    from app.api import delegations, events, monitoring, training, work  # noqa: F401  (views)

    for key, value in CONFIG.items():
        app.config.setdefault(key, value)
    api = Api(app)  # one per app (tests build several)
    for bp in BLUEPRINTS:
        csrf.exempt(bp)  # checked in authenticate_request, for sessions only
        api.register_blueprint(bp)
    # The API answers 401 itself instead of sending visitors to the login page.
    names = tuple(f"{bp.name}." for bp in BLUEPRINTS) + ("api-docs.",)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(names):
            app.view_functions[endpoint] = _public(view)


def _public(view):
    """The view, marked as reachable without a session (bound methods take no attributes)."""
    @functools.wraps(view)
    def answer(*args, **kwargs):
        return view(*args, **kwargs)

    answer.is_public = True  # type: ignore[attr-defined]
    return answer
