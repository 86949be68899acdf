"""Standing alerts' pages: the spokesperson-list notice (rule 3) and the press's inquiries (rule 10)."""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from app import idempotency
from app.extensions import db
from app.i18n import _
from app.oversight import alerts
from app.oversight.forms import AnswerForm, InquiryForm, RosterNoticeForm
from app.oversight.models import INQUIRY_KIND_LABELS, InquiryKind
from app.settings import setting
from app.timeutil import utcnow
from app.units.models import Unit
from app.web import apply_and_flash, choices

bp = Blueprint("alerts", __name__, url_prefix="/oversight")


@bp.app_template_global("oversight_alerts")
def oversight_alerts():
    """The standing alerts that concern the current user (the home page's panel)."""
    return alerts.alerts_for(current_user)


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["APP_TIMEZONE"])).date()


@bp.get("/roster/<int:unit_id>/letter")
def roster_letter(unit_id: int):
    unit = alerts.get_unit(current_user, unit_id)
    today = _today()
    return render_template("oversight/roster_letter.html", unit=unit, today=today,
                           people=alerts.roster(unit, today), form=RosterNoticeForm(formdata=None),
                           authority=setting("oversight.press_authority"),
                           place=setting("organisation.document_place"))


@bp.post("/roster/<int:unit_id>/notified")
def roster_notified(unit_id: int):
    unit = alerts.get_unit(current_user, unit_id)
    form = RosterNoticeForm()
    if form.validate_on_submit():
        apply_and_flash(lambda: alerts.record_roster_notice(current_user, unit, form.reference.data or ""),
                        _("The notice to the press authority is recorded."))
    return redirect(url_for(".roster_letter", unit_id=unit.id))


def _inquiry_form(form=None) -> InquiryForm:
    form = form or InquiryForm(formdata=None)
    form.kind.choices = choices((k.value, INQUIRY_KIND_LABELS[k]) for k in InquiryKind)
    form.unit_id.choices = choices((u.id, u.name_vi) for u in db.session.scalars(
        sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name_vi)))
    return form


def _inquiries_page(form=None, status=200):
    return render_template("oversight/inquiries.html", inquiries=alerts.inquiries(current_user),
                           form=_inquiry_form(form), answer=AnswerForm(formdata=None),
                           can_record=alerts.can_record_inquiries(current_user),
                           kind_labels=INQUIRY_KIND_LABELS, due=alerts.answer_due, today=_today()), status


@bp.get("/inquiries")
def inquiries():
    return _inquiries_page()


@bp.post("/inquiries")
def record_inquiry():
    alerts.inquiries(current_user)  # 403 for those who may not see the register
    form = _inquiry_form(InquiryForm())
    if form.validate_on_submit() and apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "inquiry",
            lambda: alerts.record_inquiry(current_user, kind=form.kind.data, agency=form.agency.data,
                                          subject=form.subject.data, received_on=form.received_on.data,
                                          unit_id=form.unit_id.data, today=_today()),
            lambda _inquiry: url_for(".inquiries")), _("Recorded: the answer clock runs."), form=form):
        return redirect(url_for(".inquiries"))
    return _inquiries_page(form, 400)


@bp.post("/inquiries/<int:inquiry_id>/answered")
def answered(inquiry_id: int):
    form = AnswerForm()
    if not form.validate_on_submit():
        alerts.inquiries(current_user)
        return _inquiries_page(status=400)
    apply_and_flash(lambda: alerts.mark_answered(current_user, inquiry_id, form.answered_on.data,
                                                 form.reference.data or "", _today()),
                    _("Answer recorded."))
    return redirect(url_for(".inquiries"))
