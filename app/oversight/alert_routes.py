"""Standing alerts' pages: the spokesperson-list notice (rule 3).

The press's questions and forwarded complaints (rule 10) are monitoring cases (``/monitoring/``);
the old address of their register redirects there.
"""
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from app.i18n import _
from app.monitoring.models import Origin
from app.oversight import alerts
from app.oversight.forms import RosterNoticeForm
from app.settings import setting
from app.timeutil import utcnow
from app.web import apply_and_flash

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


@bp.get("/inquiries")
def inquiries():
    """The former register of the press's questions: now monitoring cases of that origin."""
    return redirect(url_for("monitoring.index", origin=Origin.PRESS_REQUEST.value), code=301)
