"""/api/v1/training: courses you may see, your nominations (accept, decline), your record.

Every call is ``app.training``'s service: the course list and visibility of the training
page, the nominee's answer (``services.respond``), attendance counts and the training record.
"""
import sqlalchemy as sa
from flask import url_for
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.api.delegations import dump_item
from app.api.schemas import (
    CompletionListSchema,
    CourseListSchema,
    CourseSchema,
    NominationAnswerSchema,
    NominationListSchema,
    NominationSchema,
)
from app.api.spec import blueprint
from app.events.models import Event
from app.extensions import db
from app.training import attendance, coverage, services
from app.training.models import TrainingCourse, TrainingNomination

bp = blueprint("training", "Training courses, your nominations and your training record.")


def dump_course(event: Event, course: TrainingCourse | None, with_sessions: bool = True) -> dict:
    """The course as ``CourseSchema``; its sessions on one course, not in the list."""
    data = {
        "event_id": event.id, "url": url_for("training.course", event_id=event.id, _external=True),
        "title_vi": event.title_vi, "title_en": event.title_en, "status": event.status.value,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
        "has_details": course is not None,
        "capacity": course.capacity if course else None,
        "seats_held": services.seats_held(course) if course else None,
        "nomination_deadline": course.nomination_deadline if course else None,
        "open_for_nominations": services.is_open(course) if course else False,
        "topics": [t.title_vi for t in course.topics] if course else [],
    }
    if with_sessions:
        data["sessions"] = [dump_item(s, event.timezone)
                            for s in (services.sessions(course) if course else [])]
    return data


def dump_nomination(nomination: TrainingNomination) -> dict:
    course = nomination.course
    return {"id": nomination.id, "event_id": course.event_id,
            "title_vi": course.event.title_vi, "title_en": course.event.title_en,
            "starts_at": course.event.starts_at, "status": nomination.status.value,
            "may_answer": services.can_respond(current_user, nomination),
            "sessions": len(services.sessions(course)),
            "present": attendance.present_count(course, nomination)}


@bp.route("/training/courses")
class Courses(MethodView):
    @bp.response(200, CourseListSchema)
    def get(self):
        """The training courses you may see, newest first (the training page's list)."""
        rows = services.course_events(current_user)
        ids = [c.id for _e, c in rows if c is not None]
        if ids:  # their topics and nominations in two statements, not two per course
            db.session.scalars(sa.select(TrainingCourse).where(TrainingCourse.id.in_(ids)).options(
                selectinload(TrainingCourse.topics), selectinload(TrainingCourse.nominations))).all()
        return {"items": [dump_course(e, c, with_sessions=False) for e, c in rows]}


@bp.route("/training/courses/<int:event_id>")
class CourseItem(MethodView):
    @bp.response(200, CourseSchema)
    def get(self, event_id: int):
        """One training course (by its event's id), with its sessions."""
        event = services.get_event(current_user, event_id)
        return dump_course(event, services.course_of(event))


@bp.route("/training/nominations")
class Nominations(MethodView):
    @bp.response(200, NominationListSchema)
    def get(self):
        """Your nominations to courses not yet started, awaiting your answer or accepted."""
        return {"items": [dump_nomination(n) for n in services.my_nominations(current_user)]}


def _answer(nomination_id: int, accept: bool, reason: str = "") -> dict:
    nomination = services.get_nomination(current_user, nomination_id)
    services.respond(current_user, nomination, accept, reason)
    db.session.commit()
    return dump_nomination(services.get_nomination(current_user, nomination_id))


@bp.route("/training/nominations/<int:nomination_id>/accept")
class AcceptNomination(MethodView):
    @bp.response(200, NominationSchema)
    def post(self, nomination_id: int):
        """Accept your nomination (until the course starts)."""
        return _answer(nomination_id, True)


@bp.route("/training/nominations/<int:nomination_id>/decline")
class DeclineNomination(MethodView):
    @bp.arguments(NominationAnswerSchema)
    @bp.response(200, NominationSchema)
    def post(self, body, nomination_id: int):
        """Decline your nomination, with a reason; the seat is free again."""
        return _answer(nomination_id, False, body["reason"])


@bp.route("/training/record")
class Record(MethodView):
    @bp.response(200, CompletionListSchema)
    def get(self):
        """The courses you completed, newest first (your training record)."""
        lines = coverage.training_record(current_user, current_user)
        return {"items": [{
            "event_id": line.event.id if line.event else None,
            "title_vi": line.event.title_vi if line.event else "",
            "title_en": line.event.title_en if line.event else "",
            "ended_at": line.completion.ended_at, "present": line.completion.present,
            "sessions": line.completion.sessions} for line in lines]}
