"""Briefing pages (/briefings/<id>), the press release, the notice letter and the outlet directory."""
from datetime import UTC, datetime, timedelta
from typing import overload
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import idempotency
from app.errors import PermissionDenied
from app.events import access
from app.events.models import EVENT_KIND_LABELS, Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.i18n import _
from app.inputs import search_words
from app.press import briefed, defaults
from app.press import briefings as service
from app.press.forms import (
    BriefingDefaultForm,
    BriefingForm,
    InvitationStatusForm,
    InviteForm,
    NewBriefingDefaultForm,
    NewBriefingForm,
    OutletForm,
    ReleaseForm,
)
from app.press.models import (
    ANCHOR_LABELS,
    BRIEFING_KIND_LABELS,
    BRIEFING_STATUS_LABELS,
    INVITATION_STATUS_LABELS,
    OUTLET_SCOPE_LABELS,
    PRESS_FORM_LABELS,
    Anchor,
    Briefing,
    BriefingDefault,
    BriefingKind,
    BriefingStatus,
    InvitationStatus,
    OutletScope,
    PressForm,
    PressOutlet,
)
from app.settings import setting
from app.timeutil import utcnow
from app.web import apply_and_flash, choices, kept_args, page_number

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


# Events whose page proposes briefings (not cancelled, held or reported ones).
PROPOSING_STATUSES = frozenset({EventStatus.DRAFT, EventStatus.PLANNED, EventStatus.CONFIRMED,
                                EventStatus.POSTPONED})


def _enum_or_none(cls, value):
    try:
        return cls(value)
    except ValueError:
        return None


@bp.app_context_processor
def press_helpers():
    """For the event page's press panel (included without a view) and briefing lists."""
    return {"event_press_panel": event_press_panel, "briefing_kind_labels": BRIEFING_KIND_LABELS,
            "press_form_labels": PRESS_FORM_LABELS, "briefing_status_labels": BRIEFING_STATUS_LABELS}


def event_press_panel(event: Event) -> dict:
    """The event's briefings, the kind's proposals and the "no pre-event briefing" warning."""
    can_create = service.can_create_for(current_user, event)
    listed = db.session.scalars(sa.select(Briefing).where(Briefing.event_id == event.id)
                                .order_by(Briefing.starts_at, Briefing.id)).all()
    return {"briefings": listed, "can_create": can_create,
            "proposals": defaults.proposals(event) if event.status in PROPOSING_STATUSES else [],
            "lacks_briefing": briefed.lacks_briefing(event)}


@bp.route("/events/<int:event_id>/briefings/new", methods=["GET", "POST"])
def create(event_id: int):
    """A briefing by hand; ``?default=<id>`` fills the form from one of the kind's defaults."""
    event = access.require_view(current_user, db.session.get(Event, event_id))
    if not service.can_create_for(current_user, event):
        raise PermissionDenied()
    form = NewBriefingForm()
    if not form.is_submitted():
        chosen = db.session.get(BriefingDefault, request.args.get("default", 0, type=int) or 0)
        if chosen is None or chosen.event_kind is not event.kind:
            found = defaults.defaults_for(event.kind)
            chosen = found[0] if found else None
        kind = chosen.briefing_kind if chosen else BriefingKind.PRE_EVENT
        form.kind.data = kind.value
        form.press_form.data = (chosen.form if chosen else PressForm.PRESS_CONFERENCE).value
        form.title_vi.data, form.title_en.data = defaults.briefing_titles(
            kind, event.title_vi, event.title_en)
        if chosen is not None:
            starts, ends = defaults.proposed_times(event, chosen)
        else:
            starts = event.starts_at - timedelta(days=1)
            ends = starts + timedelta(minutes=setting("press.proposed_length_minutes"))
        form.starts_at.data = _to_local(starts, event.timezone)
        form.ends_at.data = _to_local(ends, event.timezone)
        form.location.data = event.venue.name if event.venue else (event.location or "")
        form.visibility.data = event.visibility.value
    if form.validate_on_submit():
        data = service.NewBriefingData(
            kind=BriefingKind(form.kind.data), form=PressForm(form.press_form.data),
            title_vi=form.title_vi.data or "", title_en=form.title_en.data or "",
            starts_at=_to_utc(form.starts_at.data, event.timezone),
            ends_at=_to_utc(form.ends_at.data, event.timezone),
            location=form.location.data or "", visibility=Visibility(form.visibility.data))
        outcome = apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "briefing",
            lambda: service.create_briefing(current_user, event, data),
            lambda b: url_for("press.briefing", briefing_id=b.id)),
            _("Briefing created."), form=form)
        if outcome:
            return redirect(url_for("press.briefing", briefing_id=outcome.result.id))
    return render_template("press/new_briefing.html", form=form, event=event), \
        400 if form.is_submitted() else 200


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
        invitations=service.invitations(found), can_invite=service.can_invite(current_user, found),
        invitation_labels=INVITATION_STATUS_LABELS,
        status_form=InvitationStatusForm(formdata=None),
        notice_late=service.notice_is_late(found), notice_deadline=service.notice_deadline(found))


@bp.route("/briefings/<int:briefing_id>/edit", methods=["GET", "POST"])
def edit(briefing_id: int):
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    form = BriefingForm(obj=found)
    form.outlet_ids.choices = choices((o.id, o.name) for o in service.list_outlets(active_only=True))
    if not form.is_submitted():
        form.kind.data, form.press_form.data = found.kind.value, found.form.value
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
            outlet_ids=form.outlet_ids.data or [],
            kind=_enum_or_none(BriefingKind, form.kind.data),
            form=_enum_or_none(PressForm, form.press_form.data))
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
    if form.validate_on_submit() and apply_and_flash(lambda: service.update_release(
            current_user, found, form.release_vi.data or "", form.release_en.data or "",
            _to_utc(form.embargo_until.data, found.timezone)), _("Press release saved."), form=form):
        return redirect(url_for("press.briefing", briefing_id=briefing_id))
    return render_template("press/release_form.html", form=form, briefing=found), \
        400 if form.is_submitted() else 200


@bp.route("/briefings/<int:briefing_id>/invite", methods=["GET", "POST"])
def invite(briefing_id: int):
    """Invite outlets from the directory (filters: ``scope`` domestic/foreign, ``lang`` code)."""
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    scope = _enum_or_none(OutletScope, request.args.get("scope", ""))
    language = (request.args.get("lang") or "").strip()[:20]
    candidates = service.outlets_to_invite(found, scope, language)
    form = InviteForm()
    form.outlet_ids.choices = choices(
        (o.id, f"{o.name} ({OUTLET_SCOPE_LABELS[o.scope]}; {o.languages}; {o.email or '—'})")
        for o in candidates)
    if form.validate_on_submit() and apply_and_flash(
            lambda: service.invite_outlets(current_user, found, form.outlet_ids.data or []),
            lambda new: _("%(n)d outlet(s) invited: each gets its invitation by e-mail.",
                          n=len(new)), form=form):
        return redirect(url_for("press.briefing", briefing_id=briefing_id))
    return render_template("press/invite.html", form=form, briefing=found, scope=scope,
                           language=language, scope_labels=OUTLET_SCOPE_LABELS), \
        400 if form.is_submitted() else 200


@bp.post("/briefings/<int:briefing_id>/outlets/<int:outlet_id>/status")
def invitation_status(briefing_id: int, outlet_id: int):
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    form = InvitationStatusForm()
    if form.validate_on_submit():
        apply_and_flash(lambda: service.set_invitation_status(
            current_user, found, outlet_id, InvitationStatus(form.status.data)), _("Answer saved."))
    else:
        flash(_("Choose an answer."), "error")
    return redirect(url_for("press.briefing", briefing_id=briefing_id))


@bp.get("/briefings/<int:briefing_id>/notice")
def notice(briefing_id: int):
    """Printable written notice to the press authority (Press Law Art. 41(3))."""
    found = service.get_visible(current_user, briefing_id)
    service.require_manage(current_user, found)
    return render_template("press/notice.html", briefing=found,
                           authority=setting("press.authority_name"),
                           authority_address=setting("press.authority_address"),
                           number=setting("press.notice_number"),
                           signatory=setting("press.notice_signatory"),
                           place=setting("organisation.document_place"),
                           notice_late=service.notice_is_late(found),
                           notice_deadline=service.notice_deadline(found), today=utcnow())


# --- press outlets ----------------------------------------------------------------------

def _require_outlet_manager():
    if not service.can_manage_outlets(current_user):
        raise PermissionDenied()


@bp.get("/press/outlets/")
def outlets():
    _require_outlet_manager()
    page = page_number(request.args)
    outlets, has_next = service.outlet_page(
        scope=request.args.get("scope", ""), state=request.args.get("state", ""),
        words=search_words(request.args.get("q", "")[:200]), page=page,
        size=current_app.config["PAGE_SIZE"])
    return render_template("press/outlets.html", outlets=outlets, page=page, has_next=has_next,
                           args=kept_args(request.args, ("scope", "state", "q")),
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


# --- briefing defaults per event kind (administrators) ------------------------------------

def _require_defaults_admin():
    if not defaults.can_edit_defaults(current_user):
        raise PermissionDenied()


@bp.get("/admin/briefing-defaults")
def briefing_defaults():
    _require_defaults_admin()
    return render_template("press/defaults.html", rows=defaults.all_defaults(),
                           event_kind_labels=EVENT_KIND_LABELS, anchor_labels=ANCHOR_LABELS)


@bp.route("/admin/briefing-defaults/new", methods=["GET", "POST"])
@bp.route("/admin/briefing-defaults/<int:default_id>/edit", methods=["GET", "POST"])
def edit_default(default_id: int | None = None):
    _require_defaults_admin()
    row = db.get_or_404(BriefingDefault, default_id) if default_id else None
    form = BriefingDefaultForm(obj=row) if row else NewBriefingDefaultForm()
    if row is not None and not form.is_submitted():
        form.event_kind.data, form.briefing_kind.data = row.event_kind.value, row.briefing_kind.value
        form.press_form.data, form.anchor.data = row.form.value, row.anchor.value
    if form.validate_on_submit():
        data = defaults.DefaultData(
            event_kind=EventKind(form.event_kind.data),
            briefing_kind=BriefingKind(form.briefing_kind.data),
            form=PressForm(form.press_form.data), offset_days=form.offset_days.data,
            anchor=Anchor(form.anchor.data), bilingual=form.bilingual.data,
            required=form.required.data, active=form.active.data,
            legal_basis=form.legal_basis.data or "", legal_verified=form.legal_verified.data)
        if row is None:
            def action():
                return idempotency.once(
                    form.form_token.data, current_user, "briefing_default",
                    lambda: defaults.save_default(current_user, None, data),
                    lambda _row: url_for("press.briefing_defaults"))
        else:
            def action():
                return defaults.save_default(current_user, row, data)
        if apply_and_flash(action, _("Briefing default saved."), form=form):
            return redirect(url_for("press.briefing_defaults"))
    return render_template("press/default_form.html", form=form, row=row), \
        400 if form.is_submitted() else 200
