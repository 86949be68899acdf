"""/api/v1/events/{id}/delegation and /programme: through ``app.events.delegations``.

A delegation has no version of its own: its saves and the programme's additions and
removals are kept in the event's history; PUT of the delegation needs no If-Match.
"""
from flask.views import MethodView
from flask_login import current_user

from app.api.events import _visible, clashes_refused
from app.api.schemas import (
    DelegationInputSchema,
    DelegationSchema,
    IcsImportResultSchema,
    IcsImportSchema,
    MemberInputSchema,
    MemberSchema,
    ProgrammeInputSchema,
    ProgrammeItemSchema,
)
from app.api.spec import blueprint
from app.errors import NotVisible, ValidationFailed
from app.events import access, delegations, display
from app.events.clashes import ClashesFound
from app.events.models import Event, ProgrammeItem
from app.extensions import db
from app.i18n import _
from app.imports import ics

bp = blueprint("delegations", "Delegations and programmes of events.")


def dump_item(item: ProgrammeItem, zone: str) -> dict:
    """A programme item; its hosts only for those who read full detail (press-safe rule)."""
    start, end = display.local(item.starts_at, zone), display.local(item.ends_at, zone)
    full = access.sees_full_detail(current_user)
    return {"id": item.id, "event_id": item.event_id, "starts_at": item.starts_at,
            "ends_at": item.ends_at, "day": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None), "activity_vi": item.activity_vi,
            "activity_en": item.activity_en, "place": item.place, "venue_id": item.venue_id,
            "host_ids": sorted(u.id for u in item.hosts) if full else [],
            "hosts_text": item.hosts_text if full else ""}


def dump_delegation(event: Event) -> dict:
    delegation = event.delegation
    if delegation is None:
        raise NotVisible()
    data = {"event_id": event.id, "direction": delegation.direction,
            "country": delegation.country, "locality": delegation.locality,
            "arrival_at": None, "departure_at": None, "border_gate": "", "languages": "",
            "members": []}
    if access.sees_full_detail(current_user):  # else what the press-safe feed shows
        data.update(arrival_at=delegation.arrival_at, departure_at=delegation.departure_at,
                    border_gate=delegation.border_gate, languages=delegation.languages,
                    members=[{"id": m.id, "name": m.name, "title": m.title,
                              "is_head": m.is_head} for m in delegation.members])
    if access.can_edit(current_user, event):  # as the event page: security and logistics
        data.update(interpreters=delegation.interpreters, logistics=delegation.logistics)
    return data


@bp.route("/events/<int:event_id>/programme")
class Programme(MethodView):
    @bp.response(200, ProgrammeItemSchema(many=True))
    def get(self, event_id: int):
        """The event's programme, in time order."""
        event = _visible(event_id)
        return [dump_item(item, event.timezone) for item in event.programme]

    @bp.arguments(ProgrammeInputSchema)
    @bp.response(201, ProgrammeItemSchema)
    def post(self, body, event_id: int):
        """Add a programme item (times in the event's zone); 409 lists clashes to confirm."""
        event = _visible(event_id)
        try:
            item = delegations.add_programme_item(current_user, event,
                                                  delegations.ProgrammeData(**body))
        except ClashesFound as exc:
            raise clashes_refused(exc) from None
        db.session.commit()
        return dump_item(item, event.timezone), 201


@bp.route("/events/<int:event_id>/programme/<int:item_id>")
class ProgrammeEntry(MethodView):
    @bp.response(204)
    def delete(self, event_id: int, item_id: int):
        """Remove a programme item."""
        delegations.remove_programme_item(current_user, _visible(event_id), item_id)
        db.session.commit()
        return "", 204


@bp.route("/events/<int:event_id>/delegation")
class DelegationItem(MethodView):
    @bp.response(200, DelegationSchema)
    def get(self, event_id: int):
        """The delegation of a delegation or signing event, with its members."""
        return dump_delegation(_visible(event_id))

    @bp.arguments(DelegationInputSchema)
    @bp.response(200, DelegationSchema)
    def put(self, body, event_id: int):
        """Create or replace the delegation's details (members are added separately)."""
        event = _visible(event_id)
        body = {k: v.value if hasattr(v, "value") else v for k, v in body.items()}
        delegations.save_delegation(current_user, event, delegations.DelegationData(**body))
        db.session.commit()
        return dump_delegation(_visible(event_id))


@bp.route("/events/<int:event_id>/delegation/members")
class Members(MethodView):
    @bp.arguments(MemberInputSchema)
    @bp.response(201, MemberSchema)
    def post(self, body, event_id: int):
        """Add a member; 409 when the same person is in an overlapping event."""
        event = _visible(event_id)
        try:
            member = delegations.add_member(current_user, event, **body)
        except ClashesFound as exc:
            raise clashes_refused(exc) from None
        db.session.commit()
        return {"id": member.id, "name": member.name, "title": member.title,
                "is_head": member.is_head}, 201


@bp.route("/events/<int:event_id>/delegation/members/<int:member_id>")
class Member(MethodView):
    @bp.response(204)
    def delete(self, event_id: int, member_id: int):
        """Remove a member."""
        delegations.remove_member(current_user, _visible(event_id), member_id)
        db.session.commit()
        return "", 204


@bp.route("/events/<int:event_id>/programme/import")
class ProgrammeImport(MethodView):
    @bp.arguments(IcsImportSchema)
    @bp.response(200, IcsImportResultSchema)
    def post(self, body, event_id: int):
        """Import a partner's calendar (.ics text or an http(s) URL) into the programme.

        New UIDs are added, changed ones replaced, and UIDs imported before but missing now are
        reported (their items stay). All or nothing; a malformed file is a 422 naming the line.
        """
        event = _visible(event_id)
        access.require_edit(current_user, event)
        if body.get("ics"):
            content = body["ics"].encode("utf-8")
        elif body.get("url"):
            content = ics.fetch(body["url"])
        else:
            raise ValidationFailed(_("Send the calendar as ics, or its address as url."), "ics")
        try:
            outcome = ics.import_into_programme(current_user, event,
                                                ics.parse(content, event.timezone))
        except ClashesFound as exc:  # not expected: imports confirm clashes with a reason
            raise clashes_refused(exc) from None
        if body["dry_run"]:
            db.session.rollback()
        else:
            db.session.commit()
        return {"created": outcome.created, "updated": outcome.updated,
                "unchanged": outcome.unchanged, "removed": outcome.removed}
