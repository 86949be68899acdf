"""Login and logout. Every other page requires login unless marked ``@public``."""
from typing import TypeGuard
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import services, throttle
from app.auth.forms import ConfirmForm, LoginForm, PasswordForm
from app.i18n import _, ngettext
from app.web import apply_and_flash

bp = Blueprint("auth", __name__)


def public(view):
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


# Pages a user whose password an administrator reset may still open before setting a new one.
WHILE_RESETTING = frozenset({"auth.change_password", "auth.logout", "main.set_locale"})


def require_login_by_default():
    """Before every request: send anonymous users to /login unless the view is public.

    A user whose password reset an administrator forced goes to the password page first.
    """
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False):
        return None
    if current_user.is_authenticated:
        if services.must_change_password(current_user) and request.endpoint not in WHILE_RESETTING:
            return redirect(url_for("auth.change_password"))
        return None
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except throttle.LoginThrottled as exc:
            form.form_errors.append(ngettext(
                "Too many failed attempts. Try again in %(num)d second.",
                "Too many failed attempts. Try again in %(num)d seconds.", exc.seconds))
        except throttle.LoginLocked:
            form.form_errors.append(_("Too many failed attempts from your network address: this "
                                      "account is locked here. Ask an administrator to unlock it."))
        except services.InvalidCredentials:
            form.form_errors.append(_("Wrong e-mail address or password."))
        except services.AccountDeactivated:
            form.form_errors.append(_("This account has been deactivated. Contact an administrator."))
        else:
            login_user(user)
            if services.must_change_password(user):
                flash(_("An administrator asked you to set a new password before going on."),
                      "warning")
                return redirect(url_for("auth.change_password"))
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@public
def logout():
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if current_user.is_authenticated:  # copies of this cookie stop working too
            apply_and_flash(lambda: services.end_sessions(current_user))
        logout_user()
        flash(_("You have logged out."), "success")
        return redirect(url_for("auth.login"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """The user's own password; their other sessions end, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.change_own_password(current_user, form.current.data, form.new.data),
            _("Password changed. Your other sessions have ended."), form=form):
        login_user(current_user._get_current_object())  # this session, with the new version
        return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form)
