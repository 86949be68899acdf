"""The monitoring log (/monitoring/), a case's page, recording a case and moving it on."""
from datetime import UTC
from zoneinfo import ZoneInfo

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
from flask_babel import force_locale
from flask_login import current_user

from app import idempotency
from app import storage as file_storage
from app.checklists import storage
from app.extensions import db
from app.i18n import _
from app.monitoring import access, corrections, documents, responses, services
from app.monitoring.alerts import standing_alerts
from app.monitoring.forms import (
    CaseForm,
    CorrectionForm,
    CorrectionRequestForm,
    RespondForm,
    ResponseTextForm,
    ReviewForm,
    StepForm,
    VerifyForm,
)
from app.monitoring.models import (
    CASE_STATUS_LABELS,
    CLASSIFICATION_LABELS,
    ORIGIN_LABELS,
    RESPONSE_FORM_LABELS,
    STEP_ACTION_LABELS,
    VERSION_STATUS_LABELS,
    CaseStatus,
    Classification,
    MonitoringCase,
    Origin,
    VersionStatus,
)
from app.settings import setting
from app.spokespeople.diff import html_diff
from app.timeutil import utcnow
from app.web import apply_and_flash, attachment_disposition, choices

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global("monitoring_standing_alerts")
def monitoring_standing_alerts():
    """The dashboard panel's alerts for the current user."""
    return standing_alerts(current_user, utcnow())

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
    return services.CaseData(
        headline=form.headline.data or "", url=form.url.data or "",
        published_at=_utc(form.published_at.data),
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


FORMS = {"step_form": StepForm, "verify_form": VerifyForm, "text_form": ResponseTextForm,
         "review_form": ReviewForm, "respond_form": RespondForm,
         "request_form": CorrectionRequestForm, "correction_form": CorrectionForm}


def _case_page(case: MonitoringCase, *, stale=None, status=200, **given):
    """The case as it is now; its forms carry the current version and keep what was typed."""
    forms = {name: given.get(name) or cls(formdata=None) for name, cls in FORMS.items()}
    for form in forms.values():
        form.version.data = case.version
    if not forms["verify_form"].classification.data or forms["verify_form"].classification.data == "None":
        forms["verify_form"].classification.data = case.classification.value
    latest = case.latest
    forms["review_form"].number.data = latest.number if latest else ""
    request_form = forms["request_form"]
    if "request_form" not in given:
        request_form.false_content.data = case.false_content or case.excerpt
        request_form.corrected_content.data = case.corrected_content or case.findings
        request_form.signatory.data = case.signatory
    text_form = forms["text_form"]
    if "text_form" not in given and latest is not None:
        text_form.text.data, text_form.response_form.data = latest.text, latest.form.value
    now = utcnow()
    respond_form = forms["respond_form"]
    respond_form.speaker_id.choices = choices(
        [(0, "—")] + [(u.id, f"{u.name} ({u.unit.name(_locale()) if u.unit else ''})")
                      for u in responses.speakers(case, now)])
    return render_template(
        "monitoring/case.html", case=case, steps=services.timeline(case), now=now, stale=stale,
        actions=services.actions(current_user, case), latest=latest,
        can_draft=responses.can_draft(current_user, case) and case.status in responses.DRAFTABLE,
        can_approve=(latest is not None and latest.status is VersionStatus.SUBMITTED
                     and responses.can_approve(current_user, case)),
        can_submit=(latest is not None and latest.status is VersionStatus.DRAFT
                    and responses.can_draft(current_user, case)),
        can_respond=(case.status is CaseStatus.APPROVED and responses.can_draft(current_user, case)),
        can_request_correction=(case.status in (CaseStatus.RESPONDED, CaseStatus.CORRECTION_REQUESTED)
                                and responses.can_draft(current_user, case)),
        can_record_correction=(case.status is CaseStatus.CORRECTION_REQUESTED
                               and responses.can_draft(current_user, case)),
        event_visible=services.shows_event(current_user, case),
        form_labels=RESPONSE_FORM_LABELS, version_labels=VERSION_STATUS_LABELS,
        **forms, **LABELS), status


def _locale() -> str:
    return str(getattr(current_user, "locale", "vi") or "vi")


@bp.get("/<int:case_id>")
def case(case_id: int):
    return _case_page(services.get_case(current_user, case_id))


def _act(case_id: int, action, success: str, form_class=StepForm):
    case = services.get_case(current_user, case_id)
    form = form_class()
    key = next(name for name, cls in FORMS.items() if cls is form_class)
    if form_class is RespondForm:
        form.speaker_id.choices = None  # any id; the service checks eligibility
        form.speaker_id.validate_choice = False
    if not form.validate_on_submit():
        return _case_page(case, status=400, **{key: form})
    try:
        done = apply_and_flash(lambda: action(case, form), success, form=form)
    except services.StaleCase as exc:
        db.session.rollback()
        form.form_errors.append(_("Someone else moved this case on after you opened the page. What "
                                  "you wrote is kept below; check their steps, then try again."))
        return _case_page(db.session.get_one(MonitoringCase, case_id), stale=exc.steps, status=409,
                          **{key: form})
    if not done:
        return _case_page(db.session.get_one(MonitoringCase, case_id), status=400, **{key: form})
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


@bp.post("/<int:case_id>/response")
def save_text(case_id: int):
    return _act(case_id, lambda case, form: responses.save_text(
        current_user, case, form.version.data, form.response_form.data, form.text.data or ""),
        _("Response text saved as a new version."), ResponseTextForm)


@bp.post("/<int:case_id>/response/submit")
def submit(case_id: int):
    return _act(case_id, lambda case, form: responses.submit(
        current_user, case, form.version.data, form.number.data),
        _("Response submitted for approval."), ReviewForm)


@bp.post("/<int:case_id>/response/approve")
def approve(case_id: int):
    return _act(case_id, lambda case, form: responses.review(
        current_user, case, form.version.data, form.number.data, True, form.comment.data or ""),
        _("Response approved."), ReviewForm)


@bp.post("/<int:case_id>/response/return")
def return_text(case_id: int):
    return _act(case_id, lambda case, form: responses.review(
        current_user, case, form.version.data, form.number.data, False, form.comment.data or ""),
        _("Response returned with your comments."), ReviewForm)


@bp.post("/<int:case_id>/respond")
def respond(case_id: int):
    def action(case, form):
        return responses.record_response(current_user, case, form.version.data,
                                         form.speaker_id.data or None, _utc(form.given_at.data),
                                         form.link.data or "")
    return _act(case_id, action, _("Response recorded."), RespondForm)


@bp.post("/<int:case_id>/correction/request")
def request_correction(case_id: int):
    return _act(case_id, lambda case, form: corrections.request_correction(
        current_user, case, form.version.data, form.false_content.data or "",
        form.corrected_content.data or "", form.signatory.data or ""),
        _("Correction requested: download the letter and send it to the outlet."), CorrectionRequestForm)


@bp.post("/<int:case_id>/correction")
def record_correction(case_id: int):
    return _act(case_id, lambda case, form: corrections.record_correction(
        current_user, case, form.version.data, _utc(form.published_at.data), form.link.data or "",
        bool(form.removed.data)), _("The outlet's correction is recorded."), CorrectionForm)


@bp.get("/<int:case_id>/correction-request.docx")
def correction_letter(case_id: int):
    found = services.get_case(current_user, case_id)
    if found.correction_requested_at is None:
        abort(404)
    zone = current_app.config["APP_TIMEZONE"]
    content = documents.correction_letter(
        found, place=setting("organisation.document_place"), zone=zone,
        day=found.correction_requested_at.astimezone(ZoneInfo(zone)).date())
    return Response(content, mimetype=DOCX, headers={
        "Content-Disposition": f"attachment; filename=correction-request-{found.id}.docx",
        "Cache-Control": "private, no-store"})


@bp.get("/register.xlsx")
def register():
    """The register of the cases the user may see, with the log's filters."""
    filters = services.Filters.parse(request.args)
    now = utcnow()
    cases = services.all_cases(current_user, filters, now)
    with force_locale("vi"):
        content = documents.register_xlsx(cases, current_app.config["APP_TIMEZONE"], now)
    return Response(content, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=monitoring-register-{now:%Y%m%d}.xlsx",
        "Cache-Control": "private, no-store"})


@bp.get("/<int:case_id>/diff")
def diff(case_id: int):
    found = services.get_case(current_user, case_id)
    numbers = {v.number: v for v in found.versions}
    a = numbers.get(request.args.get("a", type=int) or 0)
    b = numbers.get(request.args.get("b", type=int) or 0)
    if a is None or b is None:
        abort(404)
    return render_template("monitoring/diff.html", case=found, old=a, new=b,
                           diff=html_diff(a.text.splitlines(), b.text.splitlines()))


def _utc(local):
    """A datetime-local input, read in APP_TIMEZONE."""
    zone = ZoneInfo(current_app.config["APP_TIMEZONE"])
    return local.replace(tzinfo=zone).astimezone(UTC) if local else None


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    found = services.attachment_for(current_user, attachment_id)
    # The stored type without parameters: Flask adds "; charset=utf-8" to text/* itself.
    response = file_storage.send(found.storage_key, mimetype=found.content_type.split(";")[0].strip())
    response.headers["Content-Disposition"] = attachment_disposition(found.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

