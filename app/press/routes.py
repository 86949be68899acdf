"""Briefing pages (/briefings/<id>), the press release, the notice letter and the outlet directory."""
from datetime import UTC, datetime
from typing import overload
from zoneinfo import ZoneInfo

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.errors import PermissionDenied
from app.events.models import Visibility
from app.extensions import db
from app.i18n import _
from app.press import briefings as service
from app.press.forms import BriefingForm, OutletForm, ReleaseForm
from app.press.models import (
    BRIEFING_STATUS_LABELS,
    OUTLET_SCOPE_LABELS,
    BriefingStatus,
    OutletScope,
    PressOutlet,
)
from app.timeutil import utcnow
from app.web import apply_and_flash, choices

bp = Blueprint("press", __name__)


@overload
def _to_utc(local: datetime, tz: str) -> datetime: ...
@overload
def _to_utc(local: None, tz: str) -> None: ...
def _to_utc(local: datetime | None, tz: str) -> datetime | None:
    """A datetime-local input, read in the briefing's zone."""
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC) if local else None


def _to_local(moment: datetime | None, tz: str) -> datetime | None:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if moment else None


@bp.get("/briefings/")
def briefings():
    return render_template("press/briefings.html", status_labels=BRIEFING_STATUS_LABELS,
                           briefings=service.visible_briefings(current_user, upcoming_from=utcnow()))


@bp.get("/briefings/<int:briefing_id>")
def briefing(briefing_id: int):
    found = service.get_visible(current_user, briefing_id)
    return render_template(
        "press/briefing.html", briefing=found, status_labels=BRIEFING_STATUS_LABELS,
        scope_labels=OUTLET_SCOPE_LABELS, can_manage=service.can_manage(current_user, found),
        can_see_release=service.can_see_release(current_user, found),
        notice_late=service.notice_is_late(found), notice_deadline=service.notice_deadline(found))


@bp.route("/briefings/<int:briefing_id>/edit", methods=["GET", "POST"])
def edit(briefing_id: int):
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    form = BriefingForm(obj=found)
    form.outlet_ids.choices = choices((o.id, o.name) for o in service.list_outlets(active_only=True))
    if not form.is_submitted():
        form.starts_at.data = _to_local(found.starts_at, found.timezone)
        form.ends_at.data = _to_local(found.ends_at, found.timezone)
        form.outlet_ids.data = [o.id for o in found.outlets]
    if form.validate_on_submit():
        data = service.BriefingData(
            title_vi=form.title_vi.data, title_en=form.title_en.data or "",
            starts_at=_to_utc(form.starts_at.data, found.timezone),
            ends_at=_to_utc(form.ends_at.data, found.timezone), location=form.location.data or "",
            status=BriefingStatus(form.status.data), visibility=Visibility(form.visibility.data),
            purpose=form.purpose.data or "", chair=form.chair.data or "",
            outlet_ids=form.outlet_ids.data or [])
        if apply_and_flash(lambda: service.update_briefing(current_user, found, data),
                           _("Briefing saved."), form=form):
            return redirect(url_for("press.briefing", briefing_id=briefing_id))
    return render_template("press/briefing_form.html", form=form, briefing=found), \
        400 if form.is_submitted() else 200


@bp.route("/briefings/<int:briefing_id>/release", methods=["GET", "POST"])
def release(briefing_id: int):
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    form = ReleaseForm(obj=found)
    if not form.is_submitted():
        form.embargo_until.data = _to_local(found.release_embargo_until, found.timezone)
    if form.validate_on_submit():
        apply_and_flash(lambda: service.update_release(
            current_user, found, form.release_vi.data or "", form.release_en.data or "",
            _to_utc(form.embargo_until.data, found.timezone)), _("Press release saved."))
        return redirect(url_for("press.briefing", briefing_id=briefing_id))
    return render_template("press/release_form.html", form=form, briefing=found), \
        400 if form.is_submitted() else 200


@bp.get("/briefings/<int:briefing_id>/notice")
def notice(briefing_id: int):
    """Printable written notice to the press authority (Press Law Art. 41(3))."""
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    return render_template("press/notice.html", briefing=found,
                           notice_late=service.notice_is_late(found),
                           notice_deadline=service.notice_deadline(found), today=utcnow())


# --- press outlets ----------------------------------------------------------------------

def _require_outlet_manager():
    if not service.can_manage_outlets(current_user):
        raise PermissionDenied()


@bp.get("/press/outlets/")
def outlets():
    _require_outlet_manager()
    return render_template("press/outlets.html", outlets=service.list_outlets(),
                           scope_labels=OUTLET_SCOPE_LABELS)


@bp.route("/press/outlets/new", methods=["GET", "POST"])
@bp.route("/press/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
def edit_outlet(outlet_id: int | None = None):
    _require_outlet_manager()
    outlet = db.get_or_404(PressOutlet, outlet_id) if outlet_id else None
    form = OutletForm(obj=outlet)
    if outlet is not None and not form.is_submitted():
        form.scope.data = outlet.scope.value
    if form.validate_on_submit():
        data = service.OutletData(name=form.name.data, scope=OutletScope(form.scope.data),
                                  contact=form.contact.data or "",
                                  languages=form.languages.data or "", active=form.active.data)
        if apply_and_flash(lambda: service.save_outlet(current_user, outlet, data),
                           _("Press outlet saved."), form=form):
            return redirect(url_for("press.outlets"))
    return render_template("press/outlet_form.html", form=form, outlet=outlet), \
        400 if form.is_submitted() else 200
