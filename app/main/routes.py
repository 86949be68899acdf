"""Dashboard, health check and the language switch."""
import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.auth.forms import ConfirmForm, LoginForm
from app.auth.roles import ROLE_LABELS
from app.auth.routes import is_safe_next, public
from app.extensions import db
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
