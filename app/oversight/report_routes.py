"""The periodic report's pages: list, create, edit sections, workflow, exports."""
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from app import idempotency
from app.i18n import _
from app.oversight import content as report_content
from app.oversight import exports, periods, reports, services
from app.oversight.forms import NewReportForm, SectionForm, WorkflowForm
from app.oversight.models import REPORT_STATUS_LABELS, Report
from app.oversight.periods import ScopeError
from app.timeutil import utcnow
from app.web import apply_and_flash, attachment_disposition

bp = Blueprint("reports", __name__, url_prefix="/oversight/reports")


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["APP_TIMEZONE"])).date()


def _scope(report: Report) -> services.Scope:
    period = periods.Period(report.period_start, report.period_end, report.period_label)
    return services.Scope(period, current_app.config["APP_TIMEZONE"], utcnow())


def _index(form=None, status=200):
    form = form or NewReportForm(formdata=None)
    return render_template("oversight/reports.html", reports=reports.reports(current_user), form=form,
                           can_write=reports.can_write_reports(current_user),
                           status_labels=REPORT_STATUS_LABELS), status


@bp.get("/")
def index():
    return _index()


@bp.post("/")
def create():
    reports.reports(current_user)   # 403 for those who may not read reports
    form = NewReportForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    try:
        period = periods.parse(form.period.data, None, None, _today())
    except ScopeError as error:
        form.period.errors = [error.message]
        return _index(form, 400)
    created = apply_and_flash(lambda: idempotency.once(
        form.form_token.data, current_user, "report", lambda: reports.create(current_user, period),
        lambda report: url_for(".report", report_id=report.id)), _("Report created."), form=form)
    if not created:
        return _index(form, 400)
    return redirect(url_for(".report", report_id=created.result.id))


def _page(report: Report, forms: dict | None = None, workflow=None, status=200):
    texts = reports.section_texts(report)
    forms = forms or {}
    for code in report_content.SECTION_CODES:
        if code not in forms:
            form = SectionForm(formdata=None)
            latest = texts[code].latest
            form.text.data = latest.text if latest else ""
            form.base_number.data = latest.number if latest else 0
            forms[code] = form
    workflow = workflow or WorkflowForm(formdata=None)
    workflow.version.data = report.lock_version
    return render_template(
        "oversight/report.html", report=report, texts=texts, forms=forms, workflow=workflow,
        content=report_content.build(current_user, _scope(report)),
        can_edit=reports.can_edit(current_user, report),
        can_approve=reports.can_approve(current_user, report), cell_text=exports.cell_text,
        status_labels=REPORT_STATUS_LABELS), status


@bp.get("/<int:report_id>")
def report(report_id: int):
    return _page(reports.get_report(current_user, report_id))


@bp.post("/<int:report_id>/sections/<section>")
def save_section(report_id: int, section: str):
    found = reports.get_report(current_user, report_id)
    if section not in report_content.SECTION_CODES:
        abort(404)
    form = SectionForm()
    if not form.validate_on_submit() or not apply_and_flash(
            lambda: reports.save_section(current_user, found, section, form.text.data or "",
                                         form.base_number.data),
            lambda saved: _("Section saved as version %(n)d.", n=saved.number) if saved
            else _("Nothing changed."), form=form):
        return _page(reports.get_report(current_user, report_id), forms={section: form}, status=400)
    return redirect(url_for(".report", report_id=report_id, _anchor=f"section-{section}"))


@bp.post("/<int:report_id>/workflow")
def workflow(report_id: int):
    found = reports.get_report(current_user, report_id)
    form = WorkflowForm()
    actions = {
        "submit": (lambda: reports.submit(current_user, found, form.version.data), _("Report submitted.")),
        "approve": (lambda: reports.approve(current_user, found, form.version.data, form.number.data or ""),
                    _("Report approved.")),
        "return": (lambda: reports.return_report(current_user, found, form.version.data, form.comment.data or ""),
                   _("Report returned with your comment.")),
    }
    if form.action.data not in actions:
        abort(400)
    action, message = actions[form.action.data]
    if not form.validate_on_submit() or not apply_and_flash(action, message, form=form):
        return _page(reports.get_report(current_user, report_id), workflow=form, status=400)
    return redirect(url_for(".report", report_id=report_id))


def _narratives(report: Report) -> dict[str, str]:
    return {code: text.latest.text for code, text in reports.section_texts(report).items() if text.latest}


@bp.get("/<int:report_id>/print")
def print_view(report_id: int):
    found = reports.get_report(current_user, report_id)
    return render_template("oversight/report_print.html", report=found, narratives=_narratives(found),
                           content=report_content.build(current_user, _scope(found)),
                           head=exports.letterhead(found, _today()), recipients=exports.RECIPIENTS,
                           cell_text=exports.cell_text, subject=exports.SUBJECT, empty=exports.EMPTY)


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:report_id>.docx")
def docx(report_id: int):
    found = reports.get_report(current_user, report_id)
    data = exports.build_docx(report_content.build(current_user, _scope(found)), found, _narratives(found), _today())
    return _download(data, exports.DOCX_TYPE, f"bao-cao-{found.period_label}.docx")


@bp.get("/<int:report_id>.xlsx")
def xlsx(report_id: int):
    found = reports.get_report(current_user, report_id)
    data = exports.build_xlsx(report_content.build(current_user, _scope(found)), found)
    return _download(data, exports.XLSX_TYPE, f"phu-luc-{found.period_label}.xlsx")
