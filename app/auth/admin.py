"""Admin pages for users: list, create, edit, deactivate. Rules live in services."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_user

from app.auth import services
from app.auth.forms import ConfirmForm, UserForm
from app.auth.models import User
from app.auth.permissions import require_admin
from app.auth.roles import ROLE_LABELS
from app.extensions import db
from app.i18n import _
from app.units.services import unit_choices
from app.web import apply_and_flash

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.before_request
def admins_only():
    require_admin(current_user)


def _form_data(form: UserForm) -> services.UserData:
    return services.UserData(
        email=form.email.data, name=form.name.data, title=form.title.data or "",
        phone=form.phone.data or "", unit_id=form.unit_id.data or None,
        roles=set(form.roles.data), locale=form.locale.data,
        is_unit_head=form.is_unit_head.data, password=form.password.data or None)


@bp.get("/")
def index():
    return render_template("admin/users.html", users=services.list_users(), role_labels=ROLE_LABELS,
                           confirm=ConfirmForm(), held=services.held_accounts())


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = UserForm()
    form.unit_id.choices = unit_choices(include_none=True)
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.create_user(current_user, _form_data(form)),
            lambda user: _("User %(name)s created.", name=user.name), form=form):
        return redirect(url_for("users.index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.unit_id.choices = unit_choices(include_none=True)
    if not form.is_submitted():
        form.roles.data = sorted(r.value for r in user.roles)
        form.unit_id.data = user.unit_id or 0
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.update_user(current_user, user, _form_data(form)),
            lambda saved: _("Changes to %(name)s saved.", name=saved.name), form=form):
        if user.id == current_user.id and form.password.data:
            login_user(user)  # a new password ended the admin's sessions: keep this one
        return redirect(url_for("users.index"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/<int:user_id>/active")
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(
            lambda: services.set_user_active(current_user, user, not user.active),
            lambda _result: _("%(name)s reactivated.", name=user.name) if user.active
            else _("%(name)s deactivated; nothing of theirs was deleted.", name=user.name))
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/password-reset")
def force_password_reset(user_id: int):
    """The user must set a new password at their next login; their sessions end now."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: services.force_password_reset(current_user, user),
                        _("%(name)s must set a new password at their next login; their "
                          "sessions have ended.", name=user.name))
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/unlock")
def unlock(user_id: int):
    """End the account's login delay and its locks: the owner may log in again at once."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: services.unlock(current_user, user),
                        _("Logins to %(name)s are unlocked.", name=user.name))
    return redirect(url_for("users.index"))
