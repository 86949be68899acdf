"""The oversight dashboard (/oversight), its charts and the lists behind its figures."""
from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.checklists.models import ITEM_STATUS_LABELS
from app.events.models import EVENT_KIND_LABELS, EVENT_STATUS_LABELS, EventKind
from app.extensions import db
from app.oversight import charts, rollup, services
from app.oversight.periods import ScopeError
from app.timeutil import utcnow
from app.units.models import Unit

bp = Blueprint("oversight", __name__)

# What a chart's image answer may do: nothing but its own inline styles (pygal writes them).
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@bp.after_app_request
def keep_rollups(response):
    """Commit the month rollups and medians a read filled (oversight pages, reports, exports)."""
    if request.method in ("GET", "HEAD") and request.blueprint in ("oversight", "reports"):
        rollup.commit_fills()
    return response


def _scope() -> services.Scope:
    args = request.args
    return services.make_scope(period=args.get("period"), start=args.get("from"), end=args.get("to"),
                               unit=args.get("unit"), kind=args.get("kind"),
                               zone=current_app.config["APP_TIMEZONE"], now=utcnow())


def _filters() -> dict:
    units = db.session.scalars(db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name_vi)).all()
    return {"units": units, "kinds": list(EventKind), "kind_labels": EVENT_KIND_LABELS,
            "args": request.args}


def _refused(error: ScopeError, template: str = "oversight/dashboard.html"):
    return render_template(template, error=error.message, data=None, **_filters()), 400


@bp.get("/oversight")
def dashboard():
    services.require_dashboard(current_user)
    try:
        scope = _scope()
    except ScopeError as error:
        return _refused(error)
    return render_template("oversight/dashboard.html", error=None,
                           data=services.dashboard(current_user, scope), **_filters())


@bp.get("/oversight/charts/<name>.svg")
def chart(name: str):
    services.require_dashboard(current_user)
    draw = charts.CHARTS.get(name)
    if draw is None:
        return Response("", status=404)
    try:
        scope = _scope()
    except ScopeError:
        return Response("", status=400)
    svg = draw(services.dashboard_figures(scope), str(get_locale() or "vi"))
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/oversight/events")
def events():
    services.require_dashboard(current_user)
    try:
        scope = _scope()
    except ScopeError as error:
        return _refused(error, "oversight/events.html")
    briefed = {"yes": True, "no": False}.get(request.args.get("briefed", ""))
    return render_template("oversight/events.html", error=None, scope=scope, briefed=briefed,
                           listing=services.events_list(current_user, scope, briefed),
                           status_labels=EVENT_STATUS_LABELS, **_filters())


@bp.get("/oversight/items")
def items():
    services.require_dashboard(current_user)
    try:
        scope = _scope()
    except ScopeError as error:
        return _refused(error, "oversight/items.html")
    state = request.args.get("state", "due")
    if state not in services.ITEM_STATES:
        state = "due"
    return render_template("oversight/items.html", error=None, scope=scope, state=state,
                           listing=services.items_list(current_user, scope, state),
                           status_labels=ITEM_STATUS_LABELS, **_filters())
