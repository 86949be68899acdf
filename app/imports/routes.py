"""Import pages: /events/import (spreadsheet: template, preview, commit)."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app.events import access
from app.i18n import _, ngettext
from app.imports import services, sheet
from app.imports.forms import CommitForm, UploadForm
from app.web import apply_and_flash

bp = Blueprint("imports", __name__, url_prefix="/events/import")


def _require_importer() -> None:
    if not access.can_create_events(current_user):
        abort(403)


@bp.route("/", methods=["GET", "POST"])
def upload():
    """Upload a CSV or XLSX file; the answer is the preview of every row."""
    _require_importer()
    form = UploadForm()
    if form.validate_on_submit():
        stored = apply_and_flash(lambda: services.keep_upload(current_user, form.file.data),
                                 form=form)
        if stored:
            return redirect(url_for(".preview", upload_id=stored.result.id))
    return render_template("imports/upload.html", form=form, columns=sheet.COLUMNS,
                           max_rows=sheet.MAX_ROWS)


@bp.get("/template.xlsx")
def template():
    _require_importer()
    return Response(sheet.template_xlsx(), mimetype="application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-nhap-su-kien.xlsx"'})


@bp.get("/<int:upload_id>")
def preview(upload_id: int):
    _require_importer()
    stored = services.own_upload(current_user, upload_id)
    result = sheet.preview(current_user, stored.filename, stored.content,
                           current_app.config["APP_TIMEZONE"])
    return render_template("imports/preview.html", result=result, upload=stored,
                           form=CommitForm())


@bp.post("/<int:upload_id>/commit")
def commit(upload_id: int):
    _require_importer()
    form = CommitForm()
    if not form.validate_on_submit():
        return redirect(url_for(".preview", upload_id=upload_id))
    done = apply_and_flash(
        lambda: services.commit_upload(current_user, upload_id,
                                       current_app.config["APP_TIMEZONE"]),
        lambda created: ngettext("%(num)d event imported.", "%(num)d events imported.",
                                 len(created)))
    if not done:
        return redirect(url_for(".preview", upload_id=upload_id))
    if not done.result:
        flash(_("Every row had been imported before: nothing was created."), "info")
    return redirect(url_for("events.index") + "?from=")
