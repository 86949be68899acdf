"""Training pages: /training/ (courses), a course's page, its details, sessions, quotas and nominations.

Thin: parse the form, call a service, commit, render or redirect.
"""
from datetime import timedelta
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
from flask_login import current_user

from app import idempotency
from app.auth.models import User
from app.auth.roles import ROLE_LABELS
from app.events import display, queries
from app.events.clashes import ClashesFound
from app.events.models import EventKind
from app.events.services import EventData
from app.extensions import db
from app.i18n import _
from app.inputs import parse_sql_int
from app.settings import setting
from app.timeutil import utcnow
from app.training import attendance, coverage, services
from app.training.certificate import build_certificate
from app.training.forms import (
    ConfirmForm,
    DetailsForm,
    EvaluationForm,
    NewCourseForm,
    NominateForm,
    QuotaForm,
    RespondForm,
    SessionForm,
)
from app.training.models import (
    ATTENDANCE_LABELS,
    NOMINATION_STATUS_LABELS,
    TARGET_ROLE_LABELS,
    AttendanceStatus,
    NominationStatus,
    TrainingCourse,
)
from app.training.records import recent_since
from app.training.topics import active_topics
from app.units.services import unit_choices
from app.web import apply_and_flash, attachment_disposition, choices

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def parse_int(text: str) -> int | None:
    try:
        return parse_sql_int(text)
    except ValueError:
        return None

bp = Blueprint("training", __name__, url_prefix="/training")


def _zone() -> str:
    return current_app.config["APP_TIMEZONE"]


@bp.app_context_processor
def training_helpers():
    return {"nomination_labels": NOMINATION_STATUS_LABELS, "target_role_labels": TARGET_ROLE_LABELS}


@bp.get("/")
def index():
    return render_template("training/index.html", courses=services.course_events(current_user),
                           mine=services.my_nominations(current_user),
                           can_create=services.can_create_courses(current_user),
                           can_see_coverage=coverage.can_see_coverage(current_user),
                           respond_form=RespondForm(formdata=None))


def _fill_details_choices(form: DetailsForm) -> None:
    form.topic_ids.choices = choices((t.id, t.title(display.locale_name())) for t in active_topics())
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.name))
    form.trainer_ids.choices = choices((u.id, f"{u.name} — {u.title}" if u.title else u.name)
                                       for u in users)


def _details_data(form: DetailsForm) -> services.DetailsData:
    return services.DetailsData(
        capacity=form.capacity.data, deadline_date=form.deadline_date.data,
        deadline_time=form.deadline_time.data, topic_ids=[i for i in form.topic_ids.data or [] if i],
        trainer_ids=[i for i in form.trainer_ids.data or [] if i],
        outside_trainers=form.outside_trainers.data or "", target_roles=form.target_roles.data or [])


@bp.get("/coverage")
def coverage_page():
    if not coverage.can_see_coverage(current_user):
        abort(403)
    as_of = utcnow()
    return render_template("training/coverage.html", units=coverage.unit_coverage(as_of, current_user),
                           roles=coverage.COUNTED_ROLES, role_labels=ROLE_LABELS,
                           since=recent_since(as_of), months=setting("training.recent_months"))


@bp.get("/people/<int:user_id>")
def record(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or not coverage.can_see_record(current_user, person):
        abort(404)
    return render_template("training/record.html", person=person,
                           lines=coverage.training_record(current_user, person))


@bp.route("/new", methods=["GET", "POST"])
def create():
    if not services.can_create_courses(current_user):
        abort(403)
    form = NewCourseForm()
    form.lead_unit_id.choices = unit_choices()
    _fill_details_choices(form)
    if not form.is_submitted():
        start = queries.local_today(_zone()) + timedelta(days=30)
        form.lead_unit_id.data = current_user.unit_id
        form.start_date.data = form.end_date.data = start
        form.deadline_date.data = start - timedelta(days=7)
        form.capacity.data = 30
    clashes: list[str] = []
    if form.validate_on_submit():
        event = EventData(
            title_vi=form.title_vi.data or "", title_en=form.title_en.data or "",
            kind=EventKind.TRAINING.value, start_date=form.start_date.data, end_date=form.end_date.data,
            all_day=True, lead_unit_id=form.lead_unit_id.data, location=form.location.data or "",
            visibility=form.visibility.data, timezone=_zone(),
            description_vi=form.description_vi.data or "",
            override_reason=(form.override_reason.data or "").strip() if form.override.data else "")
        data = services.CourseData(event=event, details=_details_data(form))
        try:
            outcome = apply_and_flash(lambda: idempotency.once(
                form.form_token.data, current_user, "training-course",
                lambda: services.create_course(current_user, data),
                lambda course: url_for("training.course", event_id=course.event_id)),
                _("Course created. Add its sessions and the units' quotas."), form=form)
        except ClashesFound as exc:
            db.session.rollback()
            titles = queries.visible_titles(current_user, [c.other_event_id for c in exc.clashes],
                                            display.locale_name())
            clashes = [display.clash_text(c, titles) for c in exc.clashes]
        else:
            if outcome:
                return redirect(url_for("training.course", event_id=outcome.result.event_id))
    return render_template("training/new.html", form=form, clashes=clashes), \
        400 if form.is_submitted() else 200


@bp.get("/<int:event_id>")
def course(event_id: int):
    event = services.get_event(current_user, event_id)
    found = services.course_of(event)
    can_manage = services.can_manage(current_user, event)
    if found is None:
        return render_template("training/no_details.html", event=event, can_manage=can_manage)
    return _render_course(found, can_manage)


def _render_course(found: TrainingCourse, can_manage: bool, *, nominate_form=None, quota_form=None,
                   session_form=None, code: int = 200):
    user = current_user
    if nominate_form is None:
        nominate_form = NominateForm(formdata=None)
    nominate_form.user_id.choices = choices((u.id, u.name) for u in services.nominee_choices(user, found))
    if quota_form is None:
        quota_form = QuotaForm(formdata=None)
    quota_form.unit_id.choices = unit_choices()
    if session_form is None:
        session_form = SessionForm(formdata=None)
        session_form.day.data = found.event.starts_at.astimezone(
            ZoneInfo(found.event.timezone)).date()
    mine = next((n for n in found.nominations if n.user_id == user.id), None)
    marks = attendance.marks(found)
    present = {n.id: sum(1 for (nid, _s), st in marks.items() if nid == n.id and st is AttendanceStatus.PRESENT)
               for n in found.nominations}
    return render_template(
        "training/course.html", course=found, event=found.event, can_manage=can_manage,
        sessions=services.sessions(found),
        held={q.unit_id: services.seats_held(found, q.unit_id) for q in found.quotas},
        can_nominate=services.can_nominate(user, found), is_open=services.is_open(found),
        my_unit_quota=services.quota_of(found, user.unit_id),
        nominate_form=nominate_form, quota_form=quota_form, session_form=session_form,
        mine=mine, can_respond=mine is not None and services.can_respond(user, mine),
        respond_form=RespondForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        withdrawable={n.id for n in found.nominations if services.can_withdraw(user, n)},
        present=present, certificates={n.id for n in found.nominations
                                       if attendance.can_download_certificate(user, n)},
        can_evaluate=attendance.can_evaluate(user, mine),
        evaluated=mine is not None and attendance.evaluation_of(mine) is not None), code


@bp.route("/<int:event_id>/details", methods=["GET", "POST"])
def details(event_id: int):
    event = services.get_event(current_user, event_id)
    services.require_manage(current_user, event)
    found = services.course_of(event)
    form = DetailsForm()
    _fill_details_choices(form)
    if not form.is_submitted():
        zone = ZoneInfo(event.timezone)
        if found is not None:
            form.capacity.data = found.capacity
            local = found.nomination_deadline.astimezone(zone)
            form.deadline_date.data, form.deadline_time.data = local.date(), local.time()
            form.topic_ids.data = [t.id for t in found.topics]
            form.trainer_ids.data = [u.id for u in found.trainers]
            form.outside_trainers.data = found.outside_trainers
            form.target_roles.data = list(found.target_roles or [])
        else:
            form.capacity.data = 30
            form.deadline_date.data = event.starts_at.astimezone(zone).date() - timedelta(days=7)
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.save_details(current_user, event, _details_data(form)),
            _("Course details saved."), form=form):
        return redirect(url_for("training.course", event_id=event.id))
    return render_template("training/details.html", form=form, event=event), \
        400 if form.is_submitted() else 200


@bp.post("/<int:event_id>/sessions")
def add_session(event_id: int):
    found = services.get_course(current_user, event_id)
    services.require_manage(current_user, found.event)
    form = SessionForm()
    if form.validate_on_submit():
        data = services.SessionData(day=form.day.data, start_time=form.start_time.data,
                                    end_time=form.end_time.data, title_vi=form.title_vi.data or "",
                                    title_en=form.title_en.data or "", room=form.room.data or "")
        if apply_and_flash(lambda: idempotency.once(
                form.form_token.data, current_user, "training-session",
                lambda: services.add_session(current_user, found, data),
                lambda _item: url_for("training.course", event_id=event_id)),
                _("Session added."), form=form):
            return redirect(url_for("training.course", event_id=event_id))
    return _render_course(found, True, session_form=form, code=400)


@bp.post("/<int:event_id>/sessions/<int:session_id>/delete")
def remove_session(event_id: int, session_id: int):
    found = services.get_course(current_user, event_id)
    services.require_manage(current_user, found.event)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: services.remove_session(current_user, found, session_id),
                        _("Session removed."))
    return redirect(url_for("training.course", event_id=event_id))


@bp.post("/<int:event_id>/quotas")
def set_quota(event_id: int):
    found = services.get_course(current_user, event_id)
    services.require_manage(current_user, found.event)
    form = QuotaForm()
    if form.validate_on_submit() and apply_and_flash(
            lambda: services.set_quota(current_user, found, form.unit_id.data, form.seats.data),
            _("Quota saved."), form=form):
        return redirect(url_for("training.course", event_id=event_id))
    return _render_course(found, True, quota_form=form, code=400)


@bp.post("/<int:event_id>/nominations")
def nominate(event_id: int):
    found = services.get_course(current_user, event_id)
    if not services.is_nominator(current_user):
        abort(403)
    form = NominateForm()
    if form.validate_on_submit() and apply_and_flash(lambda: idempotency.once(
            form.form_token.data, current_user, "training-nomination",
            lambda: services.nominate(current_user, found, form.user_id.data),
            lambda _n: url_for("training.course", event_id=event_id)),
            lambda n: _("%(name)s is nominated and has been notified.", name=n.user.name),
            form=form):
        return redirect(url_for("training.course", event_id=event_id))
    return _render_course(found, services.can_manage(current_user, found.event),
                          nominate_form=form, code=400)


@bp.post("/nominations/<int:nomination_id>/accept")
def accept(nomination_id: int):
    nomination = services.get_nomination(current_user, nomination_id)
    if RespondForm().validate_on_submit():
        apply_and_flash(lambda: services.respond(current_user, nomination, True),
                        _("You accepted the nomination."))
    return redirect(url_for("training.course", event_id=nomination.course.event_id))


@bp.post("/nominations/<int:nomination_id>/decline")
def decline(nomination_id: int):
    nomination = services.get_nomination(current_user, nomination_id)
    form = RespondForm()
    if form.validate_on_submit():
        apply_and_flash(lambda: services.respond(current_user, nomination, False,
                                                 form.reason.data or ""),
                        _("You declined the nomination."))
    return redirect(url_for("training.course", event_id=nomination.course.event_id))


@bp.post("/nominations/<int:nomination_id>/withdraw")
def withdraw(nomination_id: int):
    nomination = services.get_nomination(current_user, nomination_id)
    if ConfirmForm().validate_on_submit():
        apply_and_flash(lambda: services.withdraw(current_user, nomination),
                        _("Nomination withdrawn."))
    return redirect(url_for("training.course", event_id=nomination.course.event_id))


# --- attendance, evaluations, certificates --------------------------------------------------

def _managed_course(event_id: int) -> TrainingCourse:
    found = services.get_course(current_user, event_id)
    services.require_manage(current_user, found.event)
    return found


@bp.route("/<int:event_id>/attendance", methods=["GET", "POST"])
def attendance_page(event_id: int):
    """Phone-friendly: one session at a time, a row of three buttons per participant."""
    found = _managed_course(event_id)
    all_sessions = services.sessions(found)
    session_id = request.values.get("session", type=int)
    if session_id is None and all_sessions:
        session_id = all_sessions[0].id
    session = next((s for s in all_sessions if s.id == session_id), None)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        statuses = {}
        for key, value in request.form.items():
            if key.startswith("n-"):
                nomination_id = parse_int(key[2:])
                if nomination_id is None:
                    continue
                statuses[nomination_id] = value
        if session is None:
            flash(_("Choose a session."), "error")
        elif apply_and_flash(lambda: attendance.record_attendance(current_user, found, session.id, statuses),
                             lambda n: _("Attendance saved (%(n)d changes).", n=n)):
            return redirect(url_for("training.attendance_page", event_id=event_id, session=session.id))
    return render_template("training/attendance.html", course=found, event=found.event,
                           sessions=all_sessions, session=session,
                           participants=attendance.participants(found), marks=attendance.marks(found),
                           statuses=list(AttendanceStatus), attendance_labels=ATTENDANCE_LABELS,
                           form=ConfirmForm(formdata=None)), 400 if request.method == "POST" else 200


@bp.get("/<int:event_id>/sessions/<int:session_id>/sheet")
def sign_in_sheet(event_id: int, session_id: int):
    """The printable sign-in sheet of one session (A4, a signature column)."""
    found = _managed_course(event_id)
    session = next((s for s in services.sessions(found) if s.id == session_id), None)
    if session is None:
        abort(404)
    return render_template("training/sheet.html", course=found, event=found.event, session=session,
                           participants=attendance.participants(found))


@bp.route("/<int:event_id>/evaluation", methods=["GET", "POST"])
def evaluate(event_id: int):
    found = services.get_course(current_user, event_id)
    mine = next((n for n in found.nominations if n.user_id == current_user.id), None)
    if mine is None or mine.status is not NominationStatus.ACCEPTED:
        abort(403)
    form = EvaluationForm()
    if form.validate_on_submit():
        data = attendance.EvaluationData(
            content=form.content.data, trainers=form.trainers.data,
            organisation=form.organisation.data, usefulness=form.usefulness.data,
            comments=form.comments.data or "")
        if apply_and_flash(lambda: idempotency.once(
                form.form_token.data, current_user, "training-evaluation",
                lambda: attendance.submit_evaluation(current_user, found, data),
                lambda _e: url_for("training.course", event_id=event_id)),
                _("Thank you: your evaluation is recorded."), form=form):
            return redirect(url_for("training.course", event_id=event_id))
    return render_template("training/evaluation.html", form=form, course=found, event=found.event,
                           done=attendance.evaluation_of(mine) is not None,
                           open=attendance.can_evaluate(current_user, mine)), \
        400 if form.is_submitted() else 200


@bp.get("/<int:event_id>/evaluations")
def evaluations(event_id: int):
    found = _managed_course(event_id)
    return render_template("training/evaluations.html", course=found, event=found.event,
                           report=attendance.evaluation_report(current_user, found),
                           participants=len(attendance.participants(found)))


@bp.get("/nominations/<int:nomination_id>/certificate.docx")
def certificate(nomination_id: int):
    nomination = services.get_nomination(current_user, nomination_id)
    attendance.require_certificate(current_user, nomination)
    found = nomination.course
    content = build_certificate(found, nomination, present=attendance.present_count(found, nomination),
                                place=setting("organisation.document_place"),
                                day=utcnow().astimezone(ZoneInfo(found.event.timezone)).date())
    return Response(content, mimetype=DOCX, headers={
        "Content-Disposition": attachment_disposition(f"giay-chung-nhan-{nomination.id}.docx")})
