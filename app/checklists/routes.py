"""Checklist pages.

My tasks, an item (submit / accept / return), an event's checklist, the steering overview and the
template admin. Thin: parse, call a service, commit.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app import idempotency
from app import storage as file_storage
from app.auth.permissions import require_admin
from app.checklists import overview as overview_service
from app.checklists import storage, templates_admin, work
from app.checklists.display import register_filters
from app.checklists.forms import (
    ANCHOR_LABELS,
    OFFSET_UNIT_LABELS,
    ReviewForm,
    SubmissionForm,
    TemplateForm,
)
from app.checklists.models import (
    CONDITION_LABELS,
    ITEM_STATUS_LABELS,
    RESPONSIBLE_ROLE_LABELS,
    STEP_ACTION_LABELS,
    TEMPLATE_PHASE_LABELS,
    ChecklistItem,
    ChecklistTemplate,
    Condition,
    ResponsibleRole,
    TemplatePhase,
)
from app.checklists.schedule import Anchor, OffsetUnit
from app.events import access
from app.events.models import EVENT_KIND_LABELS, Event, EventKind
from app.events.validation import to_utc
from app.extensions import db
from app.i18n import _
from app.inputs import parse_date, search_words
from app.press import briefed
from app.timeutil import utcnow
from app.units.services import unit_choices
from app.web import apply_and_flash, attachment_disposition, kept_args, page_number

bp = Blueprint("checklists", __name__)
register_filters(bp)

LABELS = dict(status_labels=ITEM_STATUS_LABELS, role_labels=RESPONSIBLE_ROLE_LABELS,
              step_labels=STEP_ACTION_LABELS)


# The task page's filters: the only parameters its pager carries from page to page.
TASK_FILTERS = ("show", "event", "unit", "from", "to", "q")
SUMMARY_ROWS = 10  # per group on the page without a chosen group


@bp.get("/tasks")
def tasks():
    """Every group's first rows, or one group (``show``) page by page; filters narrow both."""
    zone = current_app.config["APP_TIMEZONE"]
    due_from, due_to = parse_date(request.args.get("from")), parse_date(request.args.get("to"))
    filters = work.TaskFilters(
        event_id=request.args.get("event", type=int), unit_id=request.args.get("unit", type=int),
        due_from=to_utc(due_from, time(0), zone) if due_from else None,
        due_to=to_utc(due_to + timedelta(days=1), time(0), zone) if due_to else None,
        words=search_words(request.args.get("q", "")[:200]))
    show = request.args.get("show", "")
    show = show if show in work.TASK_VIEWS else ""
    page = page_number(request.args) if show else 1
    size = current_app.config["PAGE_SIZE"] if show else SUMMARY_ROWS
    groups = {view: work.task_page(current_user, view, filters, page=page, size=size)
              for view in ((show,) if show else work.TASK_VIEWS)}
    event = db.session.get(Event, filters.event_id) if filters.event_id else None
    # The lead unit's events without a pre-event briefing (its members see what it leads).
    unbriefed = briefed.unbriefed_events_led_by(
        current_user.unit_id if current_user.active else None, utcnow())
    return render_template("checklists/tasks.html", groups=groups, show=show, page=page,
                           args=kept_args(request.args, TASK_FILTERS),
                           event=event if event and access.can_view(current_user, event) else None,
                           units=unit_choices(), unbriefed=unbriefed, **LABELS)


def _item_page(item, form=None, review=None, status=200):
    """The item's page as the item is now.

    Its forms carry the current version (after a refused action too: the page shows the
    state the next try will act on) and keep what was typed.
    """
    form, review = form or SubmissionForm(formdata=None), review or ReviewForm(formdata=None)
    form.version.data = review.version.data = item.version
    return render_template(
        "checklists/item.html", item=item, form=form,
        review=review, actions=work.actions(current_user, item),
        max_mb=storage.max_bytes() // 2**20,
        **LABELS), status


@bp.get("/checklists/items/<int:item_id>")
def item(item_id: int):
    return _item_page(work.get_item(current_user, item_id))


@bp.post("/checklists/items/<int:item_id>/submit")
def submit(item_id: int):
    item = work.get_item(current_user, item_id)
    if (request.content_length or 0) > work.MAX_FILES * storage.max_bytes() + 2**20:
        # Refuse before parsing: a huge body would otherwise be spooled to disk first.
        form = SubmissionForm(formdata=None)
        form.form_errors.append(_("The upload is too large (at most %(n)d files of %(size)d MB).",
                                  n=work.MAX_FILES, size=storage.max_bytes() // 2**20))
        return _item_page(item, form=form, status=413)
    form = SubmissionForm()
    if not form.validate_on_submit():
        return _item_page(item, form=form, status=400)
    if not apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "submission",
            lambda: work.submit(current_user, item, form.text.data,
                                request.files.getlist(form.attachments.name), form.version.data),
            lambda submission: url_for("checklists.item", item_id=item_id)),
            _("Information submitted."), form=form):
        return _item_page(db.session.get(ChecklistItem, item_id), form=form, status=400)
    return redirect(url_for("checklists.item", item_id=item_id))


def _review(item_id: int, action, success: str):
    item = work.get_item(current_user, item_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _item_page(item, review=form, status=400)
    if not apply_and_flash(lambda: action(current_user, item, form.comment.data or "",
                                          form.version.data), success, form=form):
        return _item_page(db.session.get(ChecklistItem, item_id), review=form, status=400)
    return redirect(url_for("checklists.item", item_id=item_id))


@bp.post("/checklists/items/<int:item_id>/accept")
def accept(item_id: int):
    return _review(item_id, work.accept, _("Submission accepted."))


@bp.post("/checklists/items/<int:item_id>/return")
def return_item(item_id: int):
    return _review(item_id, work.return_item, _("Submission returned with your comment."))


@bp.post("/checklists/items/<int:item_id>/complete")
def complete(item_id: int):
    return _review(item_id, work.complete, _("Item marked done."))


@bp.get("/checklists/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    found = work.attachment_for(current_user, attachment_id)
    # The stored type without parameters: Flask adds "; charset=utf-8" to text/* itself.
    response = file_storage.send(storage.key_of(found.stored_name),
                                 mimetype=found.content_type.split(";")[0].strip())
    response.headers["Content-Disposition"] = attachment_disposition(found.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/checklists/events/<int:event_id>")
def event_checklist(event_id: int):
    """The whole checklist of one event (the same panel the event page includes)."""
    event = access.require_view(current_user, db.session.get(Event, event_id))
    return render_template("checklists/event.html", event=event)


def _period() -> tuple[date, date]:
    today = utcnow().astimezone(ZoneInfo(current_app.config["APP_TIMEZONE"])).date()
    return overview_service.period(parse_date(request.args.get("from")),
                                   parse_date(request.args.get("to")), today)


@bp.get("/checklists/overview")
def overview():
    overview_service.require_overview(current_user)
    start, end = _period()
    zone = ZoneInfo(current_app.config["APP_TIMEZONE"])
    rows = overview_service.unit_overview(
        current_user, datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone))
    return render_template("checklists/overview.html", rows=rows, start=start, end=end,
                           alerts=overview_service.standing_alerts(tz=str(zone)))


# --- template admin --------------------------------------------------------------------------

def _template_data(form: TemplateForm) -> templates_admin.TemplateData:
    return templates_admin.TemplateData(
        title_vi=form.title_vi.data, title_en=form.title_en.data or "",
        kind=EventKind(form.kind.data) if form.kind.data else None,
        phase=TemplatePhase(form.phase.data), offset=form.offset.data,
        offset_unit=OffsetUnit(form.offset_unit.data), anchor=Anchor(form.anchor.data),
        role=ResponsibleRole(form.role.data), requires_submission=form.requires_submission.data,
        condition=Condition(form.condition.data), legal_basis=form.legal_basis.data or "",
        legal_verified=form.legal_verified.data, creates_briefing=form.creates_briefing.data,
        active=form.active.data)


@bp.get("/admin/checklist-templates/")
def templates():
    require_admin(current_user)
    return render_template(
        "checklists/templates.html", templates=templates_admin.list_templates(),
        kind_labels=EVENT_KIND_LABELS, unit_labels=OFFSET_UNIT_LABELS, anchor_labels=ANCHOR_LABELS,
        condition_labels=CONDITION_LABELS, phase_labels=TEMPLATE_PHASE_LABELS, **LABELS)


@bp.route("/admin/checklist-templates/new", methods=["GET", "POST"])
@bp.route("/admin/checklist-templates/<int:template_id>/edit", methods=["GET", "POST"])
def edit_template(template_id: int | None = None):
    require_admin(current_user)
    template = db.get_or_404(ChecklistTemplate, template_id) if template_id else None
    form = TemplateForm(obj=template)
    if template is not None and not form.is_submitted():
        form.kind.data = template.kind.value if template.kind else ""
    if form.validate_on_submit():
        if template is None:
            saved = apply_and_flash(
                lambda: templates_admin.create_template(current_user, _template_data(form)),
                _("Template saved."), form=form)
        else:
            refresh = form.update_open_items.data
            saved = apply_and_flash(
                lambda: templates_admin.update_template(current_user, template,
                                                        _template_data(form), refresh),
                lambda result: _("Template saved; %(n)d open items of future events updated.",
                                 n=result.updated) if refresh else _("Template saved."),
                form=form)
        if saved:
            return redirect(url_for("checklists.templates"))
    return render_template("checklists/template_form.html", form=form, template=template), \
        400 if form.is_submitted() else 200
