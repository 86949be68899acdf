"""Pages of the roster, the public directory, assignments per briefing and the Q&A bank."""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
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
from sqlalchemy.orm import selectinload

from app.auth.forms import ConfirmForm
from app.auth.models import User
from app.auth.routes import is_safe_next, public
from app.events.display import zone_name
from app.extensions import db
from app.i18n import _, format_moment
from app.inputs import search_words
from app.press.models import Briefing
from app.settings import setting
from app.spokespeople import assignments, list_notice, notes, roster, vcard
from app.spokespeople.forms import (
    ROLE_CHOICES,
    AssignForm,
    AuthorisationForm,
    DeclineForm,
    DesignationForm,
    EndDesignationForm,
)
from app.spokespeople.models import (
    ASSIGNMENT_STATUS_LABELS,
    AssignmentRole,
    Authorisation,
    BriefingNote,
    SpokespersonAssignment,
    SpokespersonDesignation,
)
from app.units.models import Unit
from app.units.services import unit_choices
from app.web import apply_and_flash, choices, kept_args, page_number

bp = Blueprint("spokespeople", __name__, url_prefix="/spokespeople")


def _locale() -> str:
    return str(get_locale() or "vi")


def _user_choices():
    users = db.session.scalars(sa.select(User).where(User.active.is_(True))
                               .options(selectinload(User.unit)).order_by(User.name))
    return choices((u.id, f"{u.name} — {u.unit.name(_locale()) if u.unit else ''}") for u in users)


def _roster_unit_choices():
    """Protocol and admin keep every unit's roster; a unit head only their own."""
    if roster.keeps_every_roster(current_user):
        return unit_choices()
    return [c for c in unit_choices() if c.value == current_user.unit_id]


def _head_choices():
    heads = db.session.scalars(sa.select(User).where(User.active.is_(True),
                                                     User.is_unit_head.is_(True))
                               .options(selectinload(User.unit)).order_by(User.name))
    return choices((u.id, f"{u.name} — {u.unit.name(_locale()) if u.unit else ''}") for u in heads)


@bp.app_context_processor
def panel_helpers():
    """Helpers for the dashboard and briefing panels, which are included without a view."""
    return {"my_briefing_assignments": my_briefing_rows,
            "briefing_assignments": assignments.active_assignments,
            "notes_awaiting_approval": notes.awaiting_approval_page,
            "assignment_status_labels": ASSIGNMENT_STATUS_LABELS,
            "assignment_role_labels": dict(ROLE_CHOICES),
            "can_read_briefing_notes": notes.can_read_briefing_notes,
            "briefing_note": notes.note_for,
            "briefing_when": briefing_when,
            "spokesperson_list_pending": _list_pending}


def _list_pending():
    """When the unsent change began, for those who send the notice letter (else None)."""
    return list_notice.pending_since() if list_notice.can_send(current_user) else None


def my_briefing_rows(user, size: int = 10) -> tuple[
        list[tuple[SpokespersonAssignment, BriefingNote | None]], bool]:
    """The user's next ``size`` open assignments with their briefings' notes, and whether more follow.

    In a fixed number of queries, reading one row more than shown (no count).
    """
    mine = assignments.my_assignments(user, limit=size + 1)
    found = notes.notes_by_briefing(a.briefing_id for a in mine[:size])
    return [(a, found.get(a.briefing_id)) for a in mine[:size]], len(mine) > size


def briefing_when(briefing: Briefing) -> str:
    """Start–end in the briefing's own zone, naming the zone when it is not APP_TIMEZONE."""
    zone = ZoneInfo(briefing.timezone)
    start = format_moment(briefing.starts_at, "medium", briefing.timezone)
    text = f"{start}–{briefing.ends_at.astimezone(zone):%H:%M}"
    if briefing.timezone != current_app.config["APP_TIMEZONE"]:
        text += f" ({zone_name(briefing.timezone)})"
    return text


# --- roster ---------------------------------------------------------------------------

@bp.get("/")
def roster_index():
    unit_id = request.args.get("unit", type=int)
    return render_template("spokespeople/roster.html", roster=roster.roster(current_user, unit_id),
                           unit_id=unit_id, units=unit_choices(),
                           today=roster.today(), may_record=roster.keeps_a_roster(current_user),
                           end_form=EndDesignationForm(), confirm=ConfirmForm())


@bp.get("/notice")
def list_notice_letter():
    """The notice letter with the current spokespeople, to the press authority (rule 3)."""
    if not list_notice.can_send(current_user):
        abort(403)
    return render_template("spokespeople/list_notice.html",
                           designations=roster.current_designations(),
                           pending=list_notice.pending_since(), last=list_notice.last_sent(),
                           authority=setting("press.authority_name"),
                           authority_address=setting("press.authority_address"),
                           place=setting("organisation.document_place"), today=roster.today(),
                           confirm=ConfirmForm())


@bp.post("/notice/sent")
def list_notice_sent():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    apply_and_flash(lambda: list_notice.mark_sent(current_user),
                    _("Recorded: the press authority was sent the spokesperson list."))
    return redirect(url_for("spokespeople.roster_index"))


@bp.route("/designations/new", methods=["GET", "POST"])
def designate():
    form = DesignationForm()
    form.unit_id.choices = _roster_unit_choices()
    form.user_id.choices = _user_choices()
    if not form.is_submitted():
        form.since.data = roster.today()
    if form.validate_on_submit():
        data = roster.DesignationData(form.unit_id.data, form.user_id.data, form.title.data,
                                      form.phone.data or "", form.email.data or "",
                                      form.since.data, form.until.data)
        if apply_and_flash(lambda: roster.designate(current_user, data),
                           lambda designation: _("%(name)s is now a designated spokesperson of "
                                                 "%(unit)s.", name=designation.user.name,
                                                 unit=designation.unit.name(_locale())),
                           form=form):
            return redirect(url_for("spokespeople.roster_index"))
    return render_template("spokespeople/designation_form.html", form=form)


@bp.post("/designations/<int:designation_id>/end")
def end_designation(designation_id: int):
    designation = db.get_or_404(SpokespersonDesignation, designation_id)
    form = EndDesignationForm()
    if not form.validate_on_submit():
        flash(_("Give the last day of the designation."), "error")
        return redirect(url_for("spokespeople.roster_index"))
    apply_and_flash(lambda: roster.end_designation(current_user, designation, form.until.data),
                    _("Designation ended."))
    return redirect(url_for("spokespeople.roster_index"))


@bp.route("/authorisations/new", methods=["GET", "POST"])
def authorise():
    form = AuthorisationForm()
    form.unit_id.choices = _roster_unit_choices()
    form.user_id.choices = _user_choices()
    form.issued_by_id.choices = _head_choices()
    if form.validate_on_submit():
        data = roster.AuthorisationData(
            form.document_number.data, form.document_date.data, form.issued_by_id.data,
            form.user_id.data, form.unit_id.data, form.valid_from.data, form.valid_until.data,
            form.matters.data)
        if apply_and_flash(lambda: roster.authorise(current_user, data),
                           lambda authorisation: _("Authorisation %(number)s recorded.",
                                                   number=authorisation.document_number),
                           form=form):
            return redirect(url_for("spokespeople.roster_index"))
    return render_template("spokespeople/authorisation_form.html", form=form)


@bp.post("/authorisations/<int:authorisation_id>/revoke")
def revoke(authorisation_id: int):
    authorisation = db.get_or_404(Authorisation, authorisation_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: roster.revoke(current_user, authorisation),
                        _("Authorisation %(number)s revoked.", number=authorisation.document_number))
    return redirect(url_for("spokespeople.roster_index"))


# --- public directory -----------------------------------------------------------------

@bp.get("/directory")
@public
def directory():
    by_unit: dict[Unit, list[SpokespersonDesignation]] = {}
    for designation in roster.current_designations():
        by_unit.setdefault(designation.unit, []).append(designation)
    return render_template("spokespeople/directory.html", by_unit=by_unit)


@bp.get("/directory/<int:designation_id>.vcf")
@public
def vcard_download(designation_id: int):
    designation = roster.published_designation(designation_id)
    if designation is None:
        abort(404)  # only people in the published directory
    version = request.args.get("version", "3.0")
    if version not in ("3.0", "4.0"):
        abort(400)
    card = vcard.Card(uid=f"spokesperson-{designation.id}@briefing-desk",
                      name=designation.user.name, title=designation.title,
                      organisation=designation.unit.name(_locale()),
                      phone=designation.phone, email=designation.email)
    return Response(vcard.build(card, version), mimetype="text/vcard",
                    headers={"Content-Type": "text/vcard; charset=utf-8",
                             "Content-Disposition":
                                 f"attachment; filename=spokesperson-{designation.id}.vcf"})


# --- assignments ----------------------------------------------------------------------

@bp.get("/briefings/")
def briefings():
    page, size = page_number(request.args), current_app.config["PAGE_SIZE"]
    rows = assignments.upcoming_briefings(
        current_user, size + 1, page=page, unit_id=request.args.get("unit", type=int),
        words=search_words(request.args.get("q", "")[:200]),
        unassigned=request.args.get("unassigned") == "1")
    return render_template("spokespeople/briefings.html", briefings=rows[:size], page=page,
                           has_next=len(rows) > size, units=unit_choices(),
                           args=kept_args(request.args, ("unit", "q", "unassigned")))


def _briefing(briefing_id: int) -> Briefing:
    return assignments.require_briefing(current_user, db.session.get(Briefing, briefing_id))


@bp.route("/briefings/<int:briefing_id>", methods=["GET", "POST"])
def briefing(briefing_id: int):
    briefing = _briefing(briefing_id)
    form = AssignForm()
    form.unit_id.choices = unit_choices()
    form.user_id.choices = _user_choices()
    if not form.is_submitted():
        form.unit_id.data = briefing.event.lead_unit_id
        form.user_id.data = request.args.get("user_id", type=int)
        form.role.data = request.args.get("role") or assignments.default_role(briefing).value
    unit = db.session.get(Unit, request.args.get("unit_id", type=int) or form.unit_id.data
                          or briefing.event.lead_unit_id)
    suggested = assignments.candidates(briefing, unit, current_user) if unit else []
    if not form.is_submitted() and form.user_id.data is None:
        first = assignments.first_free(suggested)
        form.user_id.data = first.id if first else None
    if form.validate_on_submit() and apply_and_flash(
            lambda: assignments.assign(current_user, briefing,
                                       db.session.get(User, form.user_id.data),
                                       db.session.get(Unit, form.unit_id.data),
                                       AssignmentRole(form.role.data)),
            lambda assignment: _("%(name)s is proposed; they are asked to accept.",
                                 name=assignment.user.name), form=form):
        chosen = db.session.get(User, form.user_id.data)
        for_unit = db.session.get(Unit, form.unit_id.data)
        warning = (assignments.matters_warning(chosen, for_unit, briefing)
                   if chosen and for_unit else None)
        if warning:
            flash(warning, "warning")
        return redirect(url_for("spokespeople.briefing", briefing_id=briefing.id))
    return render_template(
        "spokespeople/briefing.html", briefing=briefing, form=form, unit=unit,
        history=assignments.all_assignments(briefing),
        candidates=suggested,
        can_assign=assignments.can_assign(current_user, briefing), confirm=ConfirmForm(),
        note=notes.note_for(briefing),
        can_read_notes=notes.can_read_briefing_notes(current_user, briefing),
        can_write_notes=notes.can_write(current_user, briefing))


def _assignment(assignment_id: int) -> SpokespersonAssignment:
    assignment = db.session.get(SpokespersonAssignment, assignment_id)
    if assignment is None:
        abort(404)
    assignments.require_briefing(current_user, assignment.briefing)
    return assignment


@bp.post("/assignments/<int:assignment_id>/withdraw")
def withdraw(assignment_id: int):
    assignment = _assignment(assignment_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: assignments.withdraw(current_user, assignment),
                        _("%(name)s withdrawn from the briefing.", name=assignment.user.name))
    return redirect(url_for("spokespeople.briefing", briefing_id=assignment.briefing_id))


def _back() -> str:
    target = request.form.get("next", "")
    return target if is_safe_next(target) else url_for("main.dashboard")


@bp.post("/assignments/<int:assignment_id>/accept")
def accept(assignment_id: int):
    assignment = _assignment(assignment_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: assignments.accept(current_user, assignment),
                        _("You accepted to brief at “%(title)s”.", title=assignment.briefing.title_vi))
    return redirect(_back())


@bp.post("/assignments/<int:assignment_id>/decline")
def decline(assignment_id: int):
    assignment = _assignment(assignment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for declining."), "error")
        return redirect(_back())
    apply_and_flash(
        lambda: assignments.decline(current_user, assignment, form.reason.data),
        lambda successor: _("You declined; %(name)s has been proposed instead.",
                            name=successor.user.name) if successor
        else _("You declined; no other eligible person is free, protocol will find someone."))
    return redirect(_back())


@bp.post("/briefings/<int:briefing_id>/note")
def start_note(briefing_id: int):
    briefing = _briefing(briefing_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    note = notes.start_note(current_user, briefing)
    db.session.commit()
    return redirect(url_for("notes.edit", note_id=note.id))


# --- Q&A bank -------------------------------------------------------------------------

@bp.get("/qa")
def bank():
    text, partner = request.args.get("q", ""), request.args.get("partner", "")
    target, pulled = request.args.get("note", type=int), request.args.getlist("pull", type=int)
    if target and pulled:  # "pull into note": the edit form prefills them
        return redirect(url_for("notes.edit", note_id=target, pull=pulled))
    results = notes.search_bank(current_user, text, partner)
    writable = [n for n in notes.notes_for_reader(current_user)
                if notes.can_write(current_user, n.briefing)]
    return render_template("spokespeople/bank.html", results=results, q=text, partner=partner,
                           writable=writable)
