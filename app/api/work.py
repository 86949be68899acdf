"""/api/v1: checklist items (tasks), spokesperson assignments, briefings and calendar feeds.

Each operation is the page's service call: ``checklists.work``, ``spokespeople.assignments``,
``press.briefings`` and ``feeds.services``.
"""
from datetime import time

from flask import current_app, url_for
from flask.views import MethodView
from flask_login import current_user

from app.api import problems
from app.api.locking import IF_MATCH, check_if_match, etag
from app.api.problems import Refused
from app.api.schemas import (
    AssignmentListSchema,
    AssignmentSchema,
    BriefingQuerySchema,
    BriefingSchema,
    ChecklistItemListSchema,
    ChecklistItemSchema,
    DeclinedSchema,
    DeclineInputSchema,
    FeedInputSchema,
    FeedListSchema,
    FeedSchema,
    ReviewInputSchema,
    SubmissionInputSchema,
    TaskQuerySchema,
)
from app.api.spec import blueprint
from app.auth.permissions import belongs_to
from app.checklists import work
from app.checklists.models import ChecklistItem
from app.errors import NotVisible
from app.events import queries
from app.events.validation import to_utc
from app.extensions import db
from app.feeds import services as feeds
from app.feeds.models import FeedToken
from app.i18n import _
from app.inputs import parse_date
from app.press import briefings
from app.press.models import Briefing
from app.spokespeople import assignments
from app.spokespeople.models import SpokespersonAssignment
from app.timeutil import utcnow

bp = blueprint("work", "Checklist items, spokesperson assignments, briefings, calendar feeds.")


# --- checklist items -------------------------------------------------------------------------

def item_etag(item: ChecklistItem) -> str:
    return etag("i", item.id, item.version)


def dump_item(item: ChecklistItem, now) -> dict:
    actions = work.actions(current_user, item)
    return {"id": item.id, "event_id": item.event_id,
            "url": url_for("checklists.item", item_id=item.id, _external=True),
            "title_vi": item.title_vi, "title_en": item.title_en, "role": item.role.value,
            "unit_id": item.unit_id, "user_id": item.user_id, "due_at": item.due_at,
            "status": item.status.value, "requires_submission": item.requires_submission,
            "overdue": item.is_overdue(now), "may_provide": actions.provide,
            "may_review": actions.review, "version": item.version}


@bp.route("/checklist-items")
class Tasks(MethodView):
    @bp.arguments(TaskQuerySchema, location="query")
    @bp.response(200, ChecklistItemListSchema)
    def get(self, args):
        """Your task page's items: yours, your unit's, and submissions you may review."""
        now = utcnow()
        tasks = work.my_tasks(current_user, now)
        own = tasks.overdue + tasks.due_soon + tasks.later + tasks.waiting + tasks.done
        whose = args["whose"]
        if whose == "mine":
            chosen = [i for i in own if i.user_id == current_user.id]
        elif whose == "unit":
            chosen = [i for i in own if belongs_to(current_user, i.unit_id)]
        elif whose == "review":
            chosen = list(tasks.to_review)
        else:
            seen = {i.id for i in own}
            chosen = own + [i for i in tasks.to_review if i.id not in seen]
        chosen.sort(key=lambda i: (i.due_at, i.id))
        return {"items": [dump_item(i, now) for i in chosen]}


def _item(item_id: int) -> ChecklistItem:
    return work.get_item(current_user, item_id)


def _item_stale(item_id: int) -> Refused:
    db.session.rollback()
    item = _item(item_id)
    return Refused(problems.problem(
        412, _("Someone else changed this item since your GET; here it is as it is now."),
        current=ChecklistItemSchema().dump(dump_item(item, utcnow())),
        headers={"ETag": item_etag(item)}))


def _item_answer(item_id: int):
    item = _item(item_id)
    return dump_item(item, utcnow()), 200, {"ETag": item_etag(item)}


def _locked(item_id: int) -> ChecklistItem:
    item = _item(item_id)
    check_if_match(item_etag(item), lambda: _item_stale(item_id))
    return item


@bp.route("/checklist-items/<int:item_id>")
class TaskItem(MethodView):
    @bp.response(200, ChecklistItemSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def get(self, item_id: int):
        """One checklist item you may see; its ETag names its version."""
        return _item_answer(item_id)


@bp.route("/checklist-items/<int:item_id>/submissions")
class Submissions(MethodView):
    @bp.arguments(SubmissionInputSchema)
    @bp.response(200, ChecklistItemSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @bp.doc(parameters=IF_MATCH)
    def post(self, body, item_id: int):
        """Provide the information as text (files: on the item's page)."""
        item = _locked(item_id)
        work.submit(current_user, item, body["text"], [], item.version)
        db.session.commit()
        return _item_answer(item_id)


@bp.route("/checklist-items/<int:item_id>/accept")
class Accept(MethodView):
    @bp.arguments(ReviewInputSchema)
    @bp.response(200, ChecklistItemSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @bp.doc(parameters=IF_MATCH)
    def post(self, body, item_id: int):
        """Accept the submission waiting for review."""
        item = _locked(item_id)
        work.accept(current_user, item, body["comment"], item.version)
        db.session.commit()
        return _item_answer(item_id)


@bp.route("/checklist-items/<int:item_id>/return")
class Return(MethodView):
    @bp.arguments(ReviewInputSchema)
    @bp.response(200, ChecklistItemSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @bp.doc(parameters=IF_MATCH)
    def post(self, body, item_id: int):
        """Return the submission with a comment saying what is missing."""
        item = _locked(item_id)
        work.return_item(current_user, item, body["comment"], item.version)
        db.session.commit()
        return _item_answer(item_id)


# --- spokesperson assignments ----------------------------------------------------------------

def dump_assignment(assignment: SpokespersonAssignment) -> dict:
    return {"id": assignment.id, "briefing_id": assignment.briefing_id,
            "briefing_title": assignment.briefing.title_vi,
            "starts_at": assignment.briefing.starts_at, "unit_id": assignment.unit_id,
            "role": assignment.role.value, "status": assignment.status.value}


def _own_assignment(assignment_id: int) -> SpokespersonAssignment:
    assignment = db.session.get(SpokespersonAssignment, assignment_id)
    if assignment is None or assignment.user_id != current_user.id:
        raise NotVisible()
    briefings.get_visible(current_user, assignment.briefing_id)
    return assignment


@bp.route("/assignments")
class Assignments(MethodView):
    @bp.response(200, AssignmentListSchema)
    def get(self):
        """Your open assignments as spokesperson at briefings not ended yet."""
        return {"items": [dump_assignment(a) for a in assignments.my_assignments(current_user)]}


@bp.route("/assignments/<int:assignment_id>/accept")
class AcceptAssignment(MethodView):
    @bp.response(200, AssignmentSchema)
    def post(self, assignment_id: int):
        """Accept an assignment proposed to you."""
        assignment = _own_assignment(assignment_id)
        assignments.accept(current_user, assignment)
        db.session.commit()
        return dump_assignment(assignment)


@bp.route("/assignments/<int:assignment_id>/decline")
class DeclineAssignment(MethodView):
    @bp.arguments(DeclineInputSchema)
    @bp.response(200, DeclinedSchema)
    def post(self, body, assignment_id: int):
        """Decline with a reason; the next free candidate is proposed automatically."""
        assignment = _own_assignment(assignment_id)
        successor = assignments.decline(current_user, assignment, body["reason"])
        db.session.commit()
        return {"assignment": dump_assignment(assignment),
                "proposed_next_user_id": successor.user_id if successor else None}


# --- briefings -------------------------------------------------------------------------------

def dump_briefing(briefing: Briefing) -> dict:
    data = {"id": briefing.id, "event_id": briefing.event_id,
            "url": url_for("press.briefing", briefing_id=briefing.id, _external=True),
            "title_vi": briefing.title_vi, "title_en": briefing.title_en,
            "starts_at": briefing.starts_at, "ends_at": briefing.ends_at,
            "timezone": briefing.timezone, "location": briefing.location,
            "venue": briefing.venue.name if briefing.venue else None,
            "status": briefing.status.value, "visibility": briefing.visibility,
            "purpose": briefing.purpose, "chair": briefing.chair,
            "release_embargo_until": briefing.release_embargo_until,
            "version": briefing.version}
    if briefings.can_see_release(current_user, briefing):
        data.update(release_vi=briefing.release_vi, release_en=briefing.release_en)
    return data


@bp.route("/briefings")
class Briefings(MethodView):
    @bp.arguments(BriefingQuerySchema, location="query")
    @bp.response(200, BriefingSchema(many=True))
    def get(self, args):
        """Press conferences of events you may see, from a day on (default today)."""
        zone = current_app.config["APP_TIMEZONE"]
        day = parse_date(args["date_from"]) or queries.local_today(zone)
        return [dump_briefing(b) for b in briefings.visible_briefings(
            current_user, upcoming_from=to_utc(day, time(0), zone), limit=args["limit"])]


@bp.route("/briefings/<int:briefing_id>")
class BriefingItem(MethodView):
    @bp.response(200, BriefingSchema)
    def get(self, briefing_id: int):
        """One press conference; the press release once its embargo has passed."""
        return dump_briefing(briefings.get_visible(current_user, briefing_id))


# --- calendar feeds --------------------------------------------------------------------------

def dump_feed(feed: FeedToken, token: str | None = None) -> dict:
    filters = feed.filters or {}
    data = {"id": feed.id, "name": feed.name, "language": feed.language,
            "detail": feed.detail.value, "alarms": feed.alarms.value,
            "kinds": filters.get("kinds", []), "unit_ids": filters.get("unit_ids", []),
            "mine": bool(filters.get("mine")),
            "delegation_event_id": filters.get("delegation_event_id"),
            "days_back": feed.days_back, "days_ahead": feed.days_ahead,
            "expires_at": feed.expires_at, "revoked": feed.revoked_at is not None,
            "last_used_at": feed.last_used_at}
    if token:
        data["url"] = feeds.feed_urls(token)["https"]
    return data


@bp.route("/feeds")
class Feeds(MethodView):
    @bp.response(200, FeedListSchema)
    def get(self):
        """Your calendar feeds (their addresses are shown only when created or rotated)."""
        return {"items": [dump_feed(f) for f in feeds.feeds_of(current_user)]}

    @bp.arguments(FeedInputSchema)
    @bp.response(201, FeedSchema)
    def post(self, body):
        """A new feed; the answer holds its address, once."""
        zone = current_app.config["APP_TIMEZONE"]
        expires_on = body.pop("expires_on")
        settings = feeds.FeedSettings(
            **{**body, "kinds": [k.value for k in body["kinds"]]},
            expires_at=to_utc(expires_on, time(0), zone) if expires_on else None)
        feed, token = feeds.create_feed(current_user, settings)
        db.session.commit()
        return dump_feed(feed, token), 201


@bp.route("/feeds/<int:feed_id>/rotate")
class RotateFeed(MethodView):
    @bp.response(200, FeedSchema)
    def post(self, feed_id: int):
        """A new address for the feed; the old one stops at once."""
        feed, token = feeds.rotate_feed(current_user, feed_id)
        db.session.commit()
        return dump_feed(feed, token)


@bp.route("/feeds/<int:feed_id>/revoke")
class RevokeFeed(MethodView):
    @bp.response(200, FeedSchema)
    def post(self, feed_id: int):
        """End the feed: its address answers 404 from now on."""
        feed = feeds.revoke_feed(current_user, feed_id)
        db.session.commit()
        return dump_feed(feed)
