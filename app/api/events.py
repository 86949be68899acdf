"""/api/v1/events: list, get, create, update and change status, through ``app.events.services``.

The list has the web list's filters and a cursor; one event carries its ETag; writes need
If-Match.
"""
from datetime import timedelta

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.api import cursors, problems
from app.api.locking import IF_MATCH, check_if_match, etag
from app.api.problems import Refused
from app.api.schemas import (
    EventInputSchema,
    EventPageSchema,
    EventPatchSchema,
    EventQuerySchema,
    EventSchema,
    StatusInputSchema,
)
from app.api.spec import blueprint
from app.events import access, display, history, queries, services
from app.events.clashes import ClashesFound
from app.events.models import Event
from app.extensions import db
from app.i18n import _
from app.inputs import parse_date

bp = blueprint("events", "Events: list, read, create, update, change status.")

def _zone() -> str:
    return current_app.config["APP_TIMEZONE"]


def etag_of(event: Event) -> str:
    return etag("e", event.id, event.version)


def dump_event(event: Event) -> dict:
    """The event as ``current_user`` may read it (``EventSchema``)."""
    start = display.local(event.starts_at, event.timezone)
    end = display.local(event.ends_at, event.timezone)
    if event.all_day:
        end = end - timedelta(days=1)
    data = {
        "id": event.id, "url": url_for("events.detail", event_id=event.id, _external=True),
        "title_vi": event.title_vi, "title_en": event.title_en,
        "description_vi": event.description_vi, "description_en": event.description_en,
        "kind": event.kind, "status": event.status, "status_reason": event.status_reason,
        "visibility": event.visibility, "is_sensitive": event.is_sensitive,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
        "all_day": event.all_day, "start_date": start.date(), "end_date": end.date(),
        "start_time": None if event.all_day else start.time().replace(tzinfo=None),
        "end_time": None if event.all_day else end.time().replace(tzinfo=None),
        "venue_id": event.venue_id, "venue": event.venue.name if event.venue else None,
        "location": event.location, "lead_unit_id": event.lead_unit_id,
        "coordinating_unit_ids": sorted(u.id for u in event.coordinating_units),
        "host_ids": sorted(u.id for u in event.hosts),
        "country": event.delegation.country if event.delegation else "",
        "locality": event.delegation.locality if event.delegation else "",
        "version": event.version, "updated_at": event.updated_at,
    }
    if access.can_edit(current_user, event):
        data["internal_notes"] = event.internal_notes
    return data


def event_data(event: Event, changes: dict) -> services.EventData:
    """The event as the service's input, with ``changes`` applied (PATCH)."""
    fields = {k: v.value if hasattr(v, "value") else v for k, v in changes.items()}
    if "is_sensitive" in fields and fields["is_sensitive"] == event.is_sensitive:
        fields["is_sensitive"] = None  # unchanged: not a classification
    return services.data_of(event, **fields)


def new_event_data(body: dict) -> services.EventData:
    fields = {k: v.value if hasattr(v, "value") else v for k, v in body.items()}
    fields.setdefault("end_date", fields["start_date"])
    fields.setdefault("timezone", _zone())
    return services.EventData(**fields)


def _visible(event_id: int) -> Event:
    return access.require_view(current_user, queries.load_event(event_id))


def _current(event_id: int) -> Event:
    """The event as committed now (after a rollback), for a 412's body."""
    db.session.rollback()
    return _visible(event_id)


def stale(event_id: int, detail: str | None = None) -> Refused:
    event = _current(event_id)
    response = problems.problem(
        412, detail or _("Someone else changed this event since your GET; here it is as it is "
                         "now. Apply your change to it and send it with its ETag."),
        current=EventSchema().dump(dump_event(event)), headers={"ETag": etag_of(event)})
    return Refused(response)


def expected_version(event: Event) -> int:
    """The version the caller based the write on: If-Match must name the current ETag."""
    check_if_match(etag_of(event), lambda: stale(event.id))
    return event.version


def clashes_refused(exc: ClashesFound) -> Refused:
    db.session.rollback()
    titles = queries.visible_titles(current_user, [c.other_event_id for c in exc.clashes],
                                    display.locale_name())
    return Refused(problems.problem(
        409, _("This clashes with other engagements. To save anyway, send the same request with "
               "override_reason."), clashes=[display.clash_text(c, titles) for c in exc.clashes]))


def _saved(event: Event, status: int = 200):
    return dump_event(event), status, {"ETag": etag_of(event)}


@bp.route("/events")
class Events(MethodView):
    @bp.arguments(EventQuerySchema, location="query")
    @bp.response(200, EventPageSchema)
    def get(self, args):
        """Events you may see, in time order (the filters of /events/).

        `from` defaults to today (in the province's time zone); `from=` lists everything.
        Follow `next_cursor` (also in the `Link` header) for the next page.
        """
        zone = _zone()
        date_from = queries.local_today(zone) if args["date_from"] is None \
            else parse_date(args["date_from"])
        filters = queries.EventFilters(kind=args["kind"], status=args["status"],
                                       unit_id=args["unit"], date_from=date_from,
                                       date_to=parse_date(args["date_to"]), text=args["q"])
        after = cursors.decode(args["cursor"]) if args["cursor"] else None
        events, has_next = queries.list_events(
            current_user, filters, zone, page_size=args["limit"], after=after,
            load=(selectinload(Event.coordinating_units), selectinload(Event.hosts)))
        next_cursor = cursors.encode(events[-1].starts_at, events[-1].id) if has_next and events else None
        headers = {}
        if next_cursor:
            query = {k: v for k, v in request.args.items() if k != "cursor"}
            link = url_for("api_events.Events", _external=True, **query, cursor=next_cursor)
            headers["Link"] = f'<{link}>; rel="next"'
        return {"items": [dump_event(e) for e in events], "next_cursor": next_cursor}, 200, headers

    @bp.arguments(EventInputSchema)
    @bp.response(201, EventSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def post(self, body):
        """Create an event (draft), as on the web form; 409 lists clashes to confirm."""
        try:
            event = services.create_event(current_user, new_event_data(body))
        except ClashesFound as exc:
            raise clashes_refused(exc) from None
        db.session.commit()
        event = _visible(event.id)
        return dump_event(event), 201, {
            "ETag": etag_of(event), "Location": url_for("api_events.EventItem", event_id=event.id,
                                                        _external=True)}


@bp.route("/events/<int:event_id>")
class EventItem(MethodView):
    @bp.response(200, EventSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def get(self, event_id: int):
        """One event; its ETag names the version a write must be based on."""
        return _saved(_visible(event_id))

    @bp.arguments(EventPatchSchema(partial=True))
    @bp.response(200, EventSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @bp.doc(parameters=IF_MATCH)
    def patch(self, body, event_id: int):
        """Change some fields (the others stay); needs If-Match (428 without, 412 if stale)."""
        event = _visible(event_id)
        access.require_edit(current_user, event)
        version = expected_version(event)
        try:
            services.update_event(current_user, event, event_data(event, body), version)
        except history.StaleVersion:
            raise stale(event_id) from None
        except ClashesFound as exc:
            raise clashes_refused(exc) from None
        db.session.commit()
        return _saved(_visible(event_id))


@bp.route("/events/<int:event_id>/status")
class EventStatus(MethodView):
    @bp.arguments(StatusInputSchema)
    @bp.response(200, EventSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @bp.doc(parameters=IF_MATCH)
    def post(self, body, event_id: int):
        """Move the event to another status; postponing and cancelling need a reason."""
        event = _visible(event_id)
        access.require_edit(current_user, event)
        version = expected_version(event)
        try:
            services.change_status(current_user, event, body["status"].value, body["reason"],
                                   version)
        except history.StaleVersion:
            raise stale(event_id) from None
        db.session.commit()
        return _saved(_visible(event_id))
