from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.auth.forms import ConfirmForm
from app.auth.permissions import require_admin
from app.extensions import db
from app.i18n import _
from app.units import services
from app.units.forms import UnitForm
from app.units.models import UNIT_KIND_LABELS, Unit
from app.web import apply_and_flash

bp = Blueprint("units", __name__, url_prefix="/admin/units")


@bp.before_request
def admins_only():
    require_admin(current_user)


def _data(form: UnitForm) -> services.UnitData:
    return services.UnitData(slug=form.slug.data, name_vi=form.name_vi.data,
                             name_en=form.name_en.data, kind=form.kind.data,
                             parent_id=form.parent_id.data or None,
                             deadlines_all_day=bool(form.deadlines_all_day.data))


@bp.get("/")
def index():
    return render_template("admin/units.html", units=services.list_units(),
                           kind_labels=UNIT_KIND_LABELS, confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = UnitForm()
    form.parent_id.choices = services.unit_choices(include_none=True)
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.create_unit(current_user, _data(form)),
            lambda unit: _("Unit %(name)s created.", name=unit.name_vi), form=form):
        return redirect(url_for("units.index"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    form.parent_id.choices = [c for c in services.unit_choices(include_none=True) if c.value != unit.id]
    if not form.is_submitted():
        form.parent_id.data = unit.parent_id or 0
        form.kind.data = unit.kind.value
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.update_unit(current_user, unit, _data(form)),
            lambda saved: _("Changes to %(name)s saved.", name=saved.name_vi), form=form):
        return redirect(url_for("units.index"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/active")
def toggle_active(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: services.set_unit_active(current_user, unit, not unit.active),
                        lambda _result: _("%(name)s reactivated.", name=unit.name_vi) if unit.active
                        else _("%(name)s deactivated.", name=unit.name_vi))
    return redirect(url_for("units.index"))
