"""Import pages: spreadsheets of events, and partners' calendars into programmes.

/events/import: template, upload, preview, commit. /events/<id>/programme/import: a .ics
file or its address, preview, commit.
"""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from app.errors import ValidationFailed
from app.events import access, queries
from app.events.models import EVENT_KIND_LABELS, Event, EventKind
from app.i18n import _, ngettext
from app.imports import ics, services, sheet
from app.imports.forms import (
    CalendarEventsForm,
    CalendarForm,
    CommitForm,
    EventsCommitForm,
    UploadForm,
)
from app.units.services import unit_choices
from app.web import apply_and_flash, choices

bp = Blueprint("imports", __name__)
SHEET = "/events/import"


def _require_importer() -> None:
    if not access.can_create_events(current_user):
        abort(403)


@bp.route(SHEET + "/", methods=["GET", "POST"])
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


@bp.get(SHEET + "/template.xlsx")
def template():
    _require_importer()
    return Response(sheet.template_xlsx(), mimetype="application/vnd.openxmlformats-"
                    "officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-nhap-su-kien.xlsx"'})


@bp.get(SHEET + "/<int:upload_id>")
def preview(upload_id: int):
    _require_importer()
    stored = services.own_upload(current_user, upload_id)
    result = sheet.preview(current_user, stored.filename, stored.content,
                           current_app.config["APP_TIMEZONE"])
    return render_template("imports/preview.html", result=result, upload=stored,
                           form=CommitForm())


@bp.post(SHEET + "/<int:upload_id>/commit")
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


# --- a partner's calendar into an event's programme -----------------------------------------

def _programme_event(event_id: int) -> Event:
    """The event, if the user may edit its programme (404 if unseen, 403 if read-only)."""
    event = access.require_view(current_user, queries.load_event(event_id))
    access.require_edit(current_user, event)
    return event


@bp.route("/events/<int:event_id>/programme/import", methods=["GET", "POST"])
def calendar(event_id: int):
    """Upload a partner's .ics (or give its address); the answer is the preview."""
    event = _programme_event(event_id)
    form = CalendarForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            stored = apply_and_flash(lambda: services.keep_calendar(
                current_user, form.file.data, form.url.data or ""), form=form)
            if stored:
                return redirect(url_for(".calendar_preview", event_id=event_id,
                                        upload_id=stored.result.id))
    return render_template("imports/calendar.html", event=event, form=form,
                           max_entries=ics.MAX_ENTRIES, zone=event.timezone,
                           heading=_("Import a partner's calendar"), **_programme_links(event)), \
        status


def _programme_links(event: Event) -> dict:
    return {"back_url": url_for("events.programme", event_id=event.id),
            "back_label": _("Programme") + ": " + event.title(str(get_locale())),
            "again_url": url_for(".calendar", event_id=event.id)}


@bp.get("/events/<int:event_id>/programme/import/<int:upload_id>")
def calendar_preview(event_id: int, upload_id: int):
    event = _programme_event(event_id)
    upload = services.own_upload(current_user, upload_id)
    try:
        result, problem = services.calendar_preview(current_user, event, upload_id), None
    except ValidationFailed as exc:
        result, problem = None, exc.message
    return render_template(
        "imports/calendar_preview.html", upload=upload, result=result, problem=problem,
        form=CommitForm(), zone=event.timezone, changed_label=_("Changed: will be replaced"),
        commit_url=url_for(".calendar_commit", event_id=event_id, upload_id=upload_id),
        **_programme_links(event))


@bp.post("/events/<int:event_id>/programme/import/<int:upload_id>/commit")
def calendar_commit(event_id: int, upload_id: int):
    event = _programme_event(event_id)
    form = CommitForm()
    if not form.validate_on_submit():
        return redirect(url_for(".calendar_preview", event_id=event_id, upload_id=upload_id))
    done = apply_and_flash(
        lambda: services.commit_calendar(current_user, event, upload_id),
        lambda outcome: _("Calendar imported: %(new)d added, %(changed)d updated, %(same)d "
                          "unchanged, %(removed)d no longer in the calendar.",
                          new=len(outcome.created), changed=len(outcome.updated),
                          same=len(outcome.unchanged), removed=len(outcome.removed)))
    if not done:
        return redirect(url_for(".calendar_preview", event_id=event_id, upload_id=upload_id))
    return redirect(url_for("events.programme", event_id=event_id))


# --- a partner's calendar as events of their own ----------------------------------------------

def _events_form(form: CalendarEventsForm) -> CalendarEventsForm:
    form.kind.choices = choices((k.value, EVENT_KIND_LABELS[k]) for k in EventKind)
    form.lead_unit_id.choices = [c for c in unit_choices()
                                 if access.can_create_for(current_user, c.value)]
    return form


def _events_page(**given):
    return render_template("imports/calendar.html", event=None, max_entries=ics.MAX_ENTRIES,
                           zone=current_app.config["APP_TIMEZONE"],
                           heading=_("Import a partner's calendar as events"),
                           back_url=url_for(".upload"), back_label=_("Import events"),
                           **given)


@bp.route(SHEET + "/calendar", methods=["GET", "POST"])
def calendar_events():
    """Upload a partner's .ics (or give its address) to make events of its entries."""
    _require_importer()
    form = _events_form(CalendarEventsForm())
    if not form.is_submitted() and current_user.unit_id:
        form.lead_unit_id.data = current_user.unit_id
    if not form.is_submitted():
        return _events_page(form=form)
    if form.validate():
        stored = apply_and_flash(lambda: services.keep_calendar(
            current_user, form.file.data, form.url.data or ""), form=form)
        if stored:
            return redirect(url_for(".calendar_events_preview", upload_id=stored.result.id,
                                    kind=form.kind.data, unit=form.lead_unit_id.data))
    return _events_page(form=form), 400


@bp.get(SHEET + "/calendar/<int:upload_id>")
def calendar_events_preview(upload_id: int):
    _require_importer()
    upload = services.own_upload(current_user, upload_id)
    kind, unit = request.args.get("kind", ""), request.args.get("unit", type=int)
    try:
        result, problem = services.calendar_events_preview(
            current_user, upload_id, kind, unit, current_app.config["APP_TIMEZONE"]), None
    except ValidationFailed as exc:
        result, problem = None, exc.message
    return render_template(
        "imports/calendar_preview.html", upload=upload, result=result, problem=problem,
        form=EventsCommitForm(formdata=None, kind=kind, lead_unit_id=unit or ""),
        zone=current_app.config["APP_TIMEZONE"], changed_label=_("Changed: will be updated"),
        commit_url=url_for(".calendar_events_commit", upload_id=upload_id),
        back_url=url_for(".upload"), back_label=_("Import events"),
        again_url=url_for(".calendar_events"))


@bp.post(SHEET + "/calendar/<int:upload_id>/commit")
def calendar_events_commit(upload_id: int):
    _require_importer()
    form = EventsCommitForm()
    unit = request.form.get("lead_unit_id", type=int)
    back = url_for(".calendar_events_preview", upload_id=upload_id, kind=form.kind.data,
                   unit=unit)
    if not form.validate_on_submit():
        return redirect(back)
    done = apply_and_flash(
        lambda: services.commit_calendar_events(current_user, upload_id, form.kind.data or "",
                                                unit, current_app.config["APP_TIMEZONE"]),
        lambda outcome: _("Calendar imported: %(new)d events created, %(changed)d updated, "
                          "%(same)d unchanged, %(removed)d no longer in the calendar.",
                          new=len(outcome.created), changed=len(outcome.updated),
                          same=len(outcome.unchanged), removed=len(outcome.removed)))
    if not done:
        return redirect(back)
    return redirect(url_for("events.index") + "?from=")
