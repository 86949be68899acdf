"""The monitoring log (/monitoring/), a case's page, recording a case and moving it on."""
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from app import idempotency
from app.checklists import storage
from app.extensions import db
from app.i18n import _
from app.monitoring import access, services
from app.monitoring.forms import CaseForm, StepForm, VerifyForm
from app.monitoring.models import (
    CASE_STATUS_LABELS,
    CLASSIFICATION_LABELS,
    ORIGIN_LABELS,
    STEP_ACTION_LABELS,
    Classification,
    MonitoringCase,
    Origin,
)
from app.timeutil import utcnow
from app.web import apply_and_flash, attachment_disposition, choices

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

LABELS = {"status_labels": CASE_STATUS_LABELS, "classification_labels": CLASSIFICATION_LABELS,
          "origin_labels": ORIGIN_LABELS, "step_labels": STEP_ACTION_LABELS}


@bp.get("/")
def index():
    filters = services.Filters.parse(request.args)
    page = request.args.get("page", 1, type=int) or 1
    now = utcnow()
    cases, has_next, total = services.list_cases(current_user, filters, page=page, now=now)
    return render_template("monitoring/list.html", cases=cases, filters=filters, page=page,
                           has_next=has_next, total=total, args=filters.args(), now=now,
                           units=services.units(), outlets=services.outlets(),
                           can_record=access.can_record(current_user), **LABELS)


def _fill_choices(form: CaseForm) -> None:
    locale = str(getattr(current_user, "locale", "vi") or "vi")
    units = services.units()
    form.outlet_id.choices = choices([(0, "—")] + [(o.id, o.name) for o in services.outlets()])
    form.lead_unit_id.choices = choices([(u.id, u.name(locale)) for u in units])
    form.unit_ids.choices = choices([(u.id, u.name(locale)) for u in units])
    zone = current_app.config["APP_TIMEZONE"]
    form.event_id.choices = choices([(0, "—")] + [
        (e.id, f"{e.starts_at.astimezone(ZoneInfo(zone)):%d/%m/%Y} · {e.title(locale)}")
        for e in services.event_choices(current_user, utcnow())])


def _landing(case: MonitoringCase) -> str:
    """The case's page, or the log for a reporter outside a sensitive case's circle."""
    if access.can_view(current_user, case):
        return url_for("monitoring.case", case_id=case.id)
    return url_for("monitoring.index")


def _case_data(form: CaseForm) -> services.CaseData:
    local = form.published_at.data
    zone = ZoneInfo(current_app.config["APP_TIMEZONE"])
    return services.CaseData(
        headline=form.headline.data or "", url=form.url.data or "",
        published_at=local.replace(tzinfo=zone).astimezone(UTC) if local else None,
        classification=Classification(form.classification.data),
        lead_unit_id=form.lead_unit_id.data or None, outlet_id=form.outlet_id.data or None,
        platform=form.platform.data or "", account=form.account.data or "",
        excerpt=form.excerpt.data or "", topic=form.topic.data or "", area=form.area.data or "",
        unit_ids=list(form.unit_ids.data or []), event_id=form.event_id.data or None,
        origin=Origin(form.origin.data), reach=form.reach.data, is_sensitive=bool(form.is_sensitive.data))


@bp.route("/new", methods=["GET", "POST"])
def create():
    if not access.can_record(current_user):
        abort(403)
    form = CaseForm()
    _fill_choices(form)
    if not form.is_submitted() and current_user.unit_id:
        form.lead_unit_id.data = current_user.unit_id
    status = 200
    if form.is_submitted():
        status = 400
        if (request.content_length or 0) > services.MAX_FILES * storage.max_bytes() + 2**20:
            form.form_errors.append(_("The upload is too large (at most %(n)d files of %(size)d MB).",
                                      n=services.MAX_FILES, size=storage.max_bytes() // 2**20))
            status = 413
        elif form.validate():
            done = apply_and_flash(lambda: idempotency.once(
                form.form_token.data, current_user, "monitoring_case",
                lambda: services.create_case(current_user, _case_data(form),
                                             request.files.getlist(form.attachments.name)),
                _landing), _("Case recorded."), form=form)
            if done:
                if not access.can_view(current_user, done.result):
                    flash(_("The case is sensitive: only the steering committee, the units concerned, "
                            "their spokespeople and administrators can open it."), "info")
                return redirect(_landing(done.result))
    return render_template("monitoring/form.html", form=form,
                           max_mb=storage.max_bytes() // 2**20), status


def _case_page(case: MonitoringCase, *, step_form=None, verify_form=None, stale=None, status=200):
    step_form = step_form or StepForm(formdata=None)
    verify_form = verify_form or VerifyForm(formdata=None)
    step_form.version.data = verify_form.version.data = case.version
    if not verify_form.classification.data or verify_form.classification.data == "None":
        verify_form.classification.data = case.classification.value
    now = utcnow()
    return render_template(
        "monitoring/case.html", case=case, steps=services.timeline(case), now=now,
        step_form=step_form, verify_form=verify_form, stale=stale,
        actions=services.actions(current_user, case),
        event_visible=services.shows_event(current_user, case),
        **LABELS), status


@bp.get("/<int:case_id>")
def case(case_id: int):
    return _case_page(services.get_case(current_user, case_id))


def _act(case_id: int, action, success: str, form_class=StepForm):
    case = services.get_case(current_user, case_id)
    form = form_class()
    kwargs = {"verify_form" if form_class is VerifyForm else "step_form": form}
    if not form.validate_on_submit():
        return _case_page(case, status=400, **kwargs)
    try:
        done = apply_and_flash(lambda: action(case, form), success, form=form)
    except services.StaleCase as exc:
        db.session.rollback()
        form.form_errors.append(_("Someone else moved this case on after you opened the page. What "
                                  "you wrote is kept below; check their steps, then try again."))
        return _case_page(db.session.get_one(MonitoringCase, case_id), stale=exc.steps, status=409,
                          **kwargs)
    if not done:
        return _case_page(db.session.get_one(MonitoringCase, case_id), status=400, **kwargs)
    return redirect(url_for("monitoring.case", case_id=case_id))


@bp.post("/<int:case_id>/start")
def start(case_id: int):
    return _act(case_id, lambda case, form: services.start_verification(
        current_user, case, form.version.data, form.comment.data or ""), _("Verification started."))


@bp.post("/<int:case_id>/verify")
def verify(case_id: int):
    return _act(case_id, lambda case, form: services.record_verification(
        current_user, case, form.version.data, form.findings.data or "", form.classification.data),
        _("Verification recorded."), VerifyForm)


@bp.post("/<int:case_id>/no-action")
def no_action(case_id: int):
    return _act(case_id, lambda case, form: services.no_action(
        current_user, case, form.version.data, form.comment.data or ""), _("Case closed: no action needed."))


@bp.post("/<int:case_id>/close")
def close(case_id: int):
    return _act(case_id, lambda case, form: services.close(
        current_user, case, form.version.data, form.comment.data or ""), _("Case closed."))


@bp.post("/<int:case_id>/reopen")
def reopen(case_id: int):
    return _act(case_id, lambda case, form: services.reopen(
        current_user, case, form.version.data, form.comment.data or ""), _("Case reopened."))


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    found = services.attachment_for(current_user, attachment_id)
    path = storage.path_of(found.stored_name)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=found.content_type.split(";")[0].strip(), max_age=0)
    response.headers["Content-Disposition"] = attachment_disposition(found.original_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response

