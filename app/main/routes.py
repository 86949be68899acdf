"""Dashboard, health check, the language switch and the administrators' audit log."""
import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.forms import ConfirmForm, LoginForm
from app.auth.permissions import require_admin
from app.auth.roles import ROLE_LABELS
from app.auth.routes import is_safe_next, public
from app.errors import ValidationFailed
from app.extensions import db
from app.inputs import parse_date
from app.main import audit
from app.main import search as searching

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def dashboard():
    """The dashboard; anonymous visitors get the login form here (200, not a redirect)."""
    if not current_user.is_authenticated:
        return render_template("auth/login.html", form=LoginForm(), action=url_for("auth.login"))
    return render_template("main/dashboard.html", role_labels=ROLE_LABELS)


@bp.get("/search")
def search():
    """The header's search box: events, delegations, briefings and notes the user may read."""
    query = request.args.get("q", "")[:searching.MAX_QUERY]
    only = request.args.get("in", "")
    only = only if only in searching.SECTIONS else ""
    page = max(1, min(request.args.get("page", 1, type=int), 1_000)) if only else 1
    results = searching.search(current_user, query, only=only, page=page,
                               size=current_app.config["PAGE_SIZE"] if only else 10)
    return render_template("main/search.html", query=query, only=only, page=page, results=results)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception:  # any driver error means "not ready"
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable")
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.post("/locale")
@public
def set_locale():
    """Switch the interface language; saved on the user when logged in."""
    locale = request.form.get("locale", "")
    if ConfirmForm().validate_on_submit() and locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.dashboard"))


# The audit log's filters: the only parameters its pager carries from page to page.
AUDIT_FILTERS = ("kind", "user", "from", "to")


@bp.get("/admin/audit")
def audit_log():
    """Every recorded change, newest first, with filters by kind, person and dates."""
    require_admin(current_user)
    filters = audit.AuditFilters(
        kind=request.args.get("kind", ""), user_id=request.args.get("user", type=int),
        date_from=parse_date(request.args.get("from")), date_to=parse_date(request.args.get("to")),
        zone=current_app.config["APP_TIMEZONE"])
    page = max(1, min(request.args.get("page", 1, type=int), 10_000))
    error, code = None, 200
    try:
        rows, has_next = audit.list_changes(current_user, filters, page,
                                            current_app.config["PAGE_SIZE"])
    except ValidationFailed as exc:
        rows, has_next, error, code = [], False, exc.message, 400
    args = {k: request.args[k] for k in AUDIT_FILTERS if request.args.get(k)}
    return render_template("main/audit.html", rows=rows, has_next=has_next, page=page, args=args,
                           filters=filters, kinds=audit.KINDS, people=audit.actor_choices(),
                           error=error), code
