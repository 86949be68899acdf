"""/admin/settings (administrators) and the `settings` commands. Thin: rules live in services."""
import click
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import require_admin
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _
from app.settings import registry, services
from app.settings.forms import FIELD_LABELS, SettingForm
from app.web import show_validation_error

bp = Blueprint("settings", __name__, url_prefix="/admin/settings", cli_group="settings")

@bp.before_request
def admins_only():
    require_admin(current_user)


@bp.get("/")
def index():
    return render_template("settings/index.html", groups=services.entries(current_user),
                           changes=services.history(current_user), field_labels=FIELD_LABELS,
                           change_words=services.change_words,
                           settings=registry.SETTINGS)


@bp.route("/<key>", methods=["GET", "POST"])
def edit(key: str):
    entry = services.entry(current_user, key)
    form = SettingForm(data={"value": entry.shown, "legal_basis": entry.legal_basis,
                             "verified": entry.verified, "note": entry.row.note if entry.row else ""}
                       if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update(current_user, key, value=form.value.data,
                            legal_basis=form.legal_basis.data or "", verified=form.verified.data,
                            note=form.note.data or "")
        except ValidationFailed as exc:
            show_validation_error(form, exc)
        else:
            db.session.commit()
            flash(_("Setting saved: %(label)s.", label=entry.definition.label), "success")
            return redirect(url_for("settings.index", _anchor=f"group-{entry.definition.group}"))
    return render_template("settings/edit.html", entry=entry, form=form,
                           changes=services.history(current_user, key), field_labels=FIELD_LABELS,
                           change_words=services.change_words,
                           settings=registry.SETTINGS)


# --- command line ---------------------------------------------------------------------------

def _describe(entry: services.Entry) -> str:
    unit = entry.definition.type.unit
    basis = f"[{'verified' if entry.verified else 'unverified'}] {entry.legal_basis}" \
        if entry.legal_basis else "-"
    stored = "" if entry.row is not None and not entry.row_is_invalid else "  (default)"
    return f"{entry.definition.key} = {entry.shown}{' ' + str(unit) if unit else ''}{stored}  {basis}"


@bp.cli.command("list")
def list_command():
    """Show every setting: value, whether the rule is verified, its legal basis."""
    for _key, _label, group_entries in services.all_entries():
        for entry in group_entries:
            click.echo(_describe(entry))


@bp.cli.command("set")
@click.argument("key")
@click.argument("value")
@click.option("--basis", default=None, help="Also set the legal basis.")
@click.option("--verified/--unverified", default=None, help="Also set the verified flag.")
@click.option("--note", default=None, help="Also set the note.")
def set_command(key: str, value: str, basis: str | None, verified: bool | None, note: str | None):
    """Set KEY to VALUE (checked like the admin page does); the change is kept in the history."""
    try:
        services.change(key, value=value, legal_basis=basis, verified=verified, note=note)
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(f"{key}: {exc.message}") from None
    db.session.commit()
    click.echo(_describe(services.entry_of(key)))


@bp.cli.command("seed")
def seed_command():
    """Store the default of every setting that has no row yet. Never overwrites. Safe to repeat."""
    added = services.seed()
    db.session.commit()
    click.echo(f"{added} settings added")
