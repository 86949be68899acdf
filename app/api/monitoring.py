"""/api/v1/monitoring/cases: the press monitoring log, one case, recording one, its steps.

Every call is ``app.monitoring.services``: the same visibility (a sensitive case outside the
caller's circle is 404 and never listed), the same checks and the same notice to the steering
committee as the web form. Steps need If-Match with the case's ETag.
"""
from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from flask import jsonify, url_for
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.api import cursors, problems
from app.api.locking import IF_MATCH, check_if_match, etag
from app.api.problems import Refused
from app.api.schemas import (
    CaseInputSchema,
    CasePageSchema,
    CaseQuerySchema,
    CaseRecordedSchema,
    CaseSchema,
    CaseStepInputSchema,
)
from app.api.spec import blueprint
from app.extensions import db
from app.i18n import _
from app.monitoring import access, services
from app.monitoring.models import MonitoringCase
from app.timeutil import utcnow

bp = blueprint("monitoring", "Press monitoring cases: the log, one case, recording, steps.")
ETAG = {"ETag": {"schema": {"type": "string"}}}


def case_etag(case: MonitoringCase) -> str:
    return etag("m", case.id, case.version)


def dump_case(case: MonitoringCase, now: datetime, steps: bool = True) -> dict:
    """The case as ``CaseSchema``; ``steps``: with the steps the caller may take (one case)."""
    data = {
        "id": case.id, "url": url_for("monitoring.case", case_id=case.id, _external=True),
        "headline": case.headline, "link": case.url, "source": case.source,
        "outlet_id": case.outlet_id, "platform": case.platform, "account": case.account,
        "published_at": case.published_at, "excerpt": case.excerpt, "topic": case.topic,
        "area": case.area, "lead_unit_id": case.lead_unit_id,
        "unit_ids": sorted(u.id for u in case.units),
        "event_id": case.event_id if services.shows_event(current_user, case) else None,
        "classification": case.classification, "origin": case.origin, "reach": case.reach,
        "is_sensitive": case.is_sensitive, "status": case.status, "created_at": case.created_at,
        "verify_due_at": case.verify_due_at, "respond_due_at": case.respond_due_at,
        "due_at": case.due_at(), "overdue": case.is_overdue(now), "findings": case.findings,
        "no_action_reason": case.no_action_reason,
        "version": case.version, "updated_at": case.updated_at,
    }
    if steps:
        allowed = asdict(services.actions(current_user, case))
        data["actions"] = [name for name, allowed_now in allowed.items() if allowed_now]
    return data


def _answer(case_id: int, status: int = 200, headers: dict | None = None):
    case = services.get_case(current_user, case_id)
    return dump_case(case, utcnow()), status, {"ETag": case_etag(case), **(headers or {})}


@bp.route("/monitoring/cases")
class Cases(MethodView):
    @bp.arguments(CaseQuerySchema, location="query")
    @bp.response(200, CasePageSchema)
    def get(self, args):
        """The cases you may see, newest first, with the filters of /monitoring/.

        Follow `next_cursor` (also in the `Link` header) for the next page.
        """
        now = utcnow()
        given = {"status": args["status"], "classification": args["classification"],
                 "unit": args["unit"], "outlet": args["outlet"],
                 "overdue": "1" if args["overdue"] else "", "q": args["q"]}
        filters = services.Filters.parse(MultiDict(
            {k: v for k, v in given.items() if v not in ("", None)}))
        query = services.filtered_query(current_user, filters, now)
        if args["cursor"]:
            created_at, case_id = cursors.decode(args["cursor"])
            query = query.where(sa.or_(
                MonitoringCase.created_at < created_at,
                sa.and_(MonitoringCase.created_at == created_at, MonitoringCase.id < case_id)))
        rows = db.session.scalars(query.options(
            selectinload(MonitoringCase.outlet), selectinload(MonitoringCase.units),
            selectinload(MonitoringCase.event)).limit(args["limit"] + 1)).all()
        cases, has_next = list(rows[:args["limit"]]), len(rows) > args["limit"]
        next_cursor = cursors.encode(cases[-1].created_at, cases[-1].id) if has_next and cases else None
        headers = {}
        if next_cursor:
            link = url_for("api_monitoring.Cases", _external=True, **{
                **{k: v for k, v in filters.args().items()}, "limit": args["limit"],
                "cursor": next_cursor})
            headers["Link"] = f'<{link}>; rel="next"'
        return {"items": [dump_case(c, now, steps=False) for c in cases],
                "next_cursor": next_cursor}, 200, headers

    @bp.arguments(CaseInputSchema)
    @bp.response(201, CaseSchema, headers=ETAG)
    @bp.alt_response(202, schema=CaseRecordedSchema, description=(
        "Recorded, but sensitive and outside your circle: you may not read it back"))
    def post(self, body):
        """Record a report, as on the web form (a sensitive one is told to the steering committee)."""
        data = services.CaseData(
            headline=body["headline"], url=body["link"], published_at=body["published_at"],
            classification=body["classification"], lead_unit_id=body["lead_unit_id"],
            outlet_id=body["outlet_id"], platform=body["platform"], account=body["account"],
            excerpt=body["excerpt"], topic=body["topic"], area=body["area"],
            unit_ids=body["unit_ids"], event_id=body["event_id"], origin=body["origin"],
            reach=body["reach"], is_sensitive=body["is_sensitive"])
        case = services.create_case(current_user, data)
        db.session.commit()
        if not access.can_view(current_user, case):  # not the 201 schema: answered as it is
            response = jsonify(CaseRecordedSchema().dump({"id": case.id, "detail": _(
                "The case is sensitive: only the steering committee, the units concerned, their "
                "spokespeople and administrators can open it.")}))
            response.status_code = 202
            return response
        return _answer(case.id, 201, {"Location": url_for(
            "api_monitoring.CaseItem", case_id=case.id, _external=True)})


@bp.route("/monitoring/cases/<int:case_id>")
class CaseItem(MethodView):
    @bp.response(200, CaseSchema, headers=ETAG)
    def get(self, case_id: int):
        """One case; its ETag names the version a step must be based on."""
        return _answer(case_id)


def _stale(case_id: int) -> Refused:
    db.session.rollback()
    case = services.get_case(current_user, case_id)
    return Refused(problems.problem(
        412, _("Someone else moved this case on since your GET; here it is as it is now."),
        current=CaseSchema().dump(dump_case(case, utcnow())), headers={"ETag": case_etag(case)}))


STEPS = {
    "start": lambda case, version, body: services.start_verification(
        current_user, case, version, body["comment"]),
    "verify": lambda case, version, body: services.record_verification(
        current_user, case, version, body["findings"], body["classification"]),
    "no_action": lambda case, version, body: services.no_action(
        current_user, case, version, body["comment"]),
    "close": lambda case, version, body: services.close(current_user, case, version,
                                                        body["comment"]),
    "reopen": lambda case, version, body: services.reopen(current_user, case, version,
                                                          body["comment"]),
}


@bp.route("/monitoring/cases/<int:case_id>/steps")
class CaseSteps(MethodView):
    @bp.arguments(CaseStepInputSchema)
    @bp.response(200, CaseSchema, headers=ETAG)
    @bp.doc(parameters=IF_MATCH)
    def post(self, body, case_id: int):
        """Move the case on (the steps of the case page); needs If-Match (428, 412 if stale)."""
        case = services.get_case(current_user, case_id)
        access.require_work(current_user, case)
        check_if_match(case_etag(case), lambda: _stale(case_id))
        try:
            STEPS[body["action"]](case, case.version, body)
        except services.StaleCase:
            raise _stale(case_id) from None
        db.session.commit()
        return _answer(case_id)
