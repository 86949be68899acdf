"""The API's schemas (marshmallow): they validate requests and generate the OpenAPI document.

Input fields follow the request edge's rules (``app.inputs``): text without control characters
and with a length limit, ids that fit an SQL INTEGER, dates in the app's years. The domain
rules stay in the services, which answer with field errors of their own.
"""
from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from app.events.models import DelegationDirection, EventKind, EventStatus, Visibility
from app.events.validation import SHORT_MAX, TEXT_MAX, TITLE_MAX
from app.feeds.models import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    MAX_DAYS_AHEAD,
    MAX_DAYS_BACK,
    AlarmPreset,
    DetailLevel,
)
from app.i18n import _l
from app.inputs import INT_MAX, MAX_YEAR, MIN_YEAR, strip_controls
from app.monitoring.models import CaseStatus, Classification, Origin
from app.training.models import NominationStatus

MESSAGES = {
    "length": _l("At most {max} characters."),
    "range": _l("Enter a number from {min} to {max}."),
    "dates": _l("Enter a date between {min} and {max}."),
    "choices": _l("Must be one of: {choices}."),
}


class Text(fields.String):
    """Text without control characters (tab, LF and CR kept), at most ``limit`` characters."""

    def __init__(self, limit: int = TITLE_MAX, **kwargs):
        super().__init__(validate=validate.Length(max=limit, error=MESSAGES["length"]), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return strip_controls(super()._deserialize(value, attr, data, **kwargs))


def Id(**kwargs) -> fields.Integer:  # noqa: N802  (a field factory reads like a field class)
    """A row id: a positive integer that fits an SQL INTEGER column."""
    return fields.Integer(strict=kwargs.pop("strict", True),
                          validate=validate.Range(min=1, max=INT_MAX, error=MESSAGES["range"]),
                          **kwargs)


def Day(**kwargs) -> fields.Date:  # noqa: N802
    """A date in the years the app deals with."""
    return fields.Date(validate=validate.Range(min=date(MIN_YEAR, 1, 1), max=date(MAX_YEAR, 12, 31),
                                               error=MESSAGES["dates"]), **kwargs)


def Choice(enum, **kwargs) -> fields.Enum:  # noqa: N802
    return fields.Enum(enum, by_value=True, error_messages={"unknown": MESSAGES["choices"]},
                       **kwargs)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with the fields that failed."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(fields.Dict(), metadata={
        "description": "Field errors: [{\"field\": name or null, \"message\": text}]"})
    current = fields.Dict(metadata={"description": "412: the resource as it is now"})
    clashes = fields.List(fields.String(), metadata={
        "description": "409: the clash warnings; send override_reason to save anyway"})


# --- events -------------------------------------------------------------------------------

class EventSchema(ma.Schema):
    """An event as its reader may see it (internal notes only for those who may edit it)."""

    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "The event's page"})
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    description_vi = fields.String(required=True)
    description_en = fields.String(required=True)
    internal_notes = fields.String(metadata={"description": "Only for those who may edit"})
    kind = Choice(EventKind, required=True)
    status = Choice(EventStatus, required=True)
    status_reason = fields.String(required=True)
    visibility = Choice(Visibility, required=True)
    is_sensitive = fields.Boolean(required=True)
    starts_at = fields.DateTime(required=True, metadata={"description": "UTC"})
    ends_at = fields.DateTime(required=True, metadata={"description": "UTC"})
    timezone = fields.String(required=True)
    all_day = fields.Boolean(required=True)
    start_date = fields.Date(required=True, metadata={"description": "In the event's zone"})
    start_time = fields.Time(allow_none=True, required=True)
    end_date = fields.Date(required=True)
    end_time = fields.Time(allow_none=True, required=True)
    venue_id = fields.Integer(allow_none=True, required=True)
    venue = fields.String(allow_none=True, required=True)
    location = fields.String(required=True)
    lead_unit_id = fields.Integer(required=True)
    coordinating_unit_ids = fields.List(fields.Integer(), required=True)
    host_ids = fields.List(fields.Integer(), required=True)
    country = fields.String(required=True, metadata={"description": "Partner, ISO 3166-1"})
    locality = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "Also the ETag"})
    updated_at = fields.DateTime(required=True)


class EventPageSchema(ma.Schema):
    items = fields.List(fields.Nested(EventSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last page"})


class EventQuerySchema(ma.Schema):
    """The filters of /events/, and the cursor."""

    class Meta:
        unknown = ma.EXCLUDE  # like the web list: other parameters are ignored

    kind = fields.String(load_default="", validate=validate.Length(max=40),
                         metadata={"description": "An event kind; anything else: no filter",
                                   "enum": [k.value for k in EventKind]})
    status = fields.String(load_default="", validate=validate.Length(max=40),
                           metadata={"enum": [s.value for s in EventStatus]})
    unit = Id(strict=False, load_default=None, metadata={"description": "Lead or coordinating"})
    date_from = fields.String(data_key="from", load_default=None, validate=validate.Length(max=40),
                              metadata={"description": "YYYY-MM-DD (default today; empty: no "
                                                       "lower bound)", "example": "2026-12-01"})
    date_to = fields.String(data_key="to", load_default=None, validate=validate.Length(max=40),
                            metadata={"description": "YYYY-MM-DD", "example": "2026-12-31"})
    q = Text(200, load_default="", metadata={"description": "Searched in both languages"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200,
                                                                    error=MESSAGES["range"]))


class EventInputSchema(ma.Schema):
    """What creates an event; PATCH takes any subset (the rest stays as it is)."""

    title_vi = Text(TITLE_MAX, required=True)
    title_en = Text(TITLE_MAX)
    description_vi = Text(TEXT_MAX)
    description_en = Text(TEXT_MAX)
    internal_notes = Text(TEXT_MAX)
    kind = Choice(EventKind, required=True)
    visibility = Choice(Visibility)
    is_sensitive = fields.Boolean(metadata={
        "description": "Set at creation; changing it later is steering's or an admin's"})
    timezone = Text(64, metadata={"example": "Asia/Ho_Chi_Minh"})
    start_date = Day(required=True)
    end_date = Day(metadata={"description": "Default: the start date"})
    start_time = fields.Time(allow_none=True, metadata={"example": "08:00:00"})
    end_time = fields.Time(allow_none=True, metadata={"example": "11:30:00"})
    all_day = fields.Boolean()
    venue_id = Id(allow_none=True)
    location = Text(TITLE_MAX)
    lead_unit_id = Id(required=True)
    coordinating_unit_ids = fields.List(Id(), validate=validate.Length(max=100))
    host_ids = fields.List(Id(), validate=validate.Length(max=100))
    country = Text(2, metadata={"description": "Partner country of a delegation, ISO 3166-1"})
    locality = Text(SHORT_MAX)
    override_reason = Text(TEXT_MAX, metadata={
        "description": "Save despite clash warnings (409), giving the reason"})


class EventPatchSchema(EventInputSchema):
    """Any subset of the event's fields (used with ``partial=True``)."""


class StatusInputSchema(ma.Schema):
    status = Choice(EventStatus, required=True)
    reason = Text(TEXT_MAX, load_default="", metadata={
        "description": "Required for postponing or cancelling"})


# --- delegations and programmes -------------------------------------------------------------

class ProgrammeItemSchema(ma.Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    day = fields.Date(required=True, metadata={"description": "In the event's zone"})
    start_time = fields.Time(required=True)
    end_time = fields.Time(required=True)
    activity_vi = fields.String(required=True)
    activity_en = fields.String(required=True)
    place = fields.String(required=True)
    venue_id = fields.Integer(allow_none=True, required=True)
    host_ids = fields.List(fields.Integer(), required=True)
    hosts_text = fields.String(required=True)


class ProgrammeInputSchema(ma.Schema):
    day = Day(required=True, metadata={"description": "In the event's zone"})
    start_time = fields.Time(required=True, metadata={"example": "08:00:00"})
    end_time = fields.Time(required=True, metadata={"example": "09:30:00"})
    activity_vi = Text(500, required=True)
    activity_en = Text(500)
    place = Text(TITLE_MAX)
    venue_id = Id(allow_none=True)
    host_ids = fields.List(Id(), validate=validate.Length(max=100))
    hosts_text = Text(500)
    override_reason = Text(TEXT_MAX)


class MemberSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    is_head = fields.Boolean(required=True)


class MemberInputSchema(ma.Schema):
    name = Text(SHORT_MAX, required=True)
    title = Text(TITLE_MAX, load_default="")
    is_head = fields.Boolean(load_default=False)
    override_reason = Text(TEXT_MAX, load_default="")


class DelegationSchema(ma.Schema):
    event_id = fields.Integer(required=True)
    direction = Choice(DelegationDirection, required=True)
    country = fields.String(required=True)
    locality = fields.String(required=True)
    arrival_at = fields.DateTime(allow_none=True, required=True)
    departure_at = fields.DateTime(allow_none=True, required=True)
    border_gate = fields.String(required=True)
    languages = fields.String(required=True)
    interpreters = fields.String(metadata={"description": "Only for those who may edit"})
    logistics = fields.String(metadata={"description": "Only for those who may edit"})
    members = fields.List(fields.Nested(MemberSchema), required=True)


class DelegationInputSchema(ma.Schema):
    direction = Choice(DelegationDirection, required=True)
    country = Text(2, required=True)
    locality = Text(SHORT_MAX, load_default="")
    arrival_date = Day(allow_none=True, load_default=None)
    arrival_time = fields.Time(allow_none=True, load_default=None)
    departure_date = Day(allow_none=True, load_default=None)
    departure_time = fields.Time(allow_none=True, load_default=None)
    border_gate = Text(SHORT_MAX, load_default="")
    languages = Text(SHORT_MAX, load_default="")
    interpreters = Text(TEXT_MAX, load_default="")
    logistics = Text(TEXT_MAX, load_default="")


# --- briefings -------------------------------------------------------------------------------

class BriefingSchema(ma.Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    url = fields.String(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    location = fields.String(required=True)
    venue = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    visibility = Choice(Visibility, required=True)
    purpose = fields.String(required=True)
    chair = fields.String(required=True)
    release_vi = fields.String(metadata={"description": "Once its embargo has passed, or insiders"})
    release_en = fields.String()
    release_embargo_until = fields.DateTime(allow_none=True, required=True)
    version = fields.Integer(required=True)


class BriefingQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    date_from = fields.String(data_key="from", load_default=None, validate=validate.Length(max=40),
                              metadata={"description": "YYYY-MM-DD (default: today)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=200,
                                                                     error=MESSAGES["range"]))


# --- checklist items -------------------------------------------------------------------------

class ChecklistItemSchema(ma.Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    url = fields.String(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    role = fields.String(required=True)
    unit_id = fields.Integer(allow_none=True, required=True)
    user_id = fields.Integer(allow_none=True, required=True)
    due_at = fields.DateTime(required=True)
    status = fields.String(required=True)
    requires_submission = fields.Boolean(required=True)
    overdue = fields.Boolean(required=True)
    may_provide = fields.Boolean(required=True, metadata={"description": "You may submit now"})
    may_review = fields.Boolean(required=True, metadata={"description": "You may accept/return"})
    version = fields.Integer(required=True, metadata={"description": "Also the ETag"})


class ChecklistItemListSchema(ma.Schema):
    items = fields.List(fields.Nested(ChecklistItemSchema), required=True)


class TaskQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    whose = fields.String(load_default="all", validate=validate.OneOf(
        ["mine", "unit", "review", "all"], error=MESSAGES["choices"]), metadata={
        "description": "mine: assigned to you; unit: your unit's; review: submissions you may "
                       "accept or return; all: everything on your task page"})


class SubmissionInputSchema(ma.Schema):
    text = Text(TEXT_MAX, required=True)


class ReviewInputSchema(ma.Schema):
    comment = Text(TEXT_MAX, load_default="", metadata={"description": "Required to return"})


# --- spokesperson assignments ----------------------------------------------------------------

class AssignmentSchema(ma.Schema):
    id = fields.Integer(required=True)
    briefing_id = fields.Integer(required=True)
    briefing_title = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    unit_id = fields.Integer(required=True)
    role = fields.String(required=True)
    status = fields.String(required=True)


class AssignmentListSchema(ma.Schema):
    items = fields.List(fields.Nested(AssignmentSchema), required=True)


class DeclineInputSchema(ma.Schema):
    reason = Text(TEXT_MAX, required=True)


class DeclinedSchema(ma.Schema):
    assignment = fields.Nested(AssignmentSchema, required=True)
    proposed_next_user_id = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The next free candidate now proposed, if any"})


# --- calendar feeds --------------------------------------------------------------------------

class FeedSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    language = fields.String(required=True)
    detail = fields.String(required=True)
    alarms = fields.String(required=True)
    kinds = fields.List(fields.String(), required=True)
    unit_ids = fields.List(fields.Integer(), required=True)
    mine = fields.Boolean(required=True)
    delegation_event_id = fields.Integer(allow_none=True, required=True)
    days_back = fields.Integer(required=True)
    days_ahead = fields.Integer(required=True)
    expires_at = fields.DateTime(allow_none=True, required=True)
    revoked = fields.Boolean(required=True)
    last_used_at = fields.DateTime(allow_none=True, required=True)
    url = fields.String(metadata={"description": "Only when created or rotated: shown once"})


class FeedListSchema(ma.Schema):
    items = fields.List(fields.Nested(FeedSchema), required=True)


class FeedInputSchema(ma.Schema):
    name = Text(100, required=True)
    language = fields.String(load_default="vi", validate=validate.OneOf(
        ["vi", "en"], error=MESSAGES["choices"]))
    detail = Choice(DetailLevel, load_default=DetailLevel.PRESS_SAFE)
    alarms = Choice(AlarmPreset, load_default=AlarmPreset.NONE)
    kinds = fields.List(Choice(EventKind), load_default=list, validate=validate.Length(max=20))
    unit_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=100))
    mine = fields.Boolean(load_default=False)
    delegation_event_id = Id(allow_none=True, load_default=None)
    days_back = fields.Integer(load_default=DEFAULT_DAYS_BACK, validate=validate.Range(
        min=0, max=MAX_DAYS_BACK, error=MESSAGES["range"]))
    days_ahead = fields.Integer(load_default=DEFAULT_DAYS_AHEAD, validate=validate.Range(
        min=1, max=MAX_DAYS_AHEAD, error=MESSAGES["range"]))
    expires_on = Day(allow_none=True, load_default=None)


class IcsImportSchema(ma.Schema):
    ics = fields.String(validate=validate.Length(max=2 * 1024 * 1024), metadata={
        "description": "The calendar's text (or give url)"})
    url = fields.String(validate=validate.Length(max=2000), metadata={
        "description": "An http(s) address the server fetches (timeout 10 s, at most 2 MB)"})
    dry_run = fields.Boolean(load_default=False)


class IcsImportResultSchema(ma.Schema):
    created = fields.List(fields.String(), required=True, metadata={"description": "UIDs"})
    updated = fields.List(fields.String(), required=True)
    unchanged = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), required=True, metadata={
        "description": "UIDs imported before and missing now (their items are kept)"})


# --- monitoring cases ------------------------------------------------------------------------

class CaseSchema(ma.Schema):
    """A press monitoring case (a sensitive one only for those of its circle)."""

    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "The case's page"})
    headline = fields.String(required=True)
    link = fields.String(required=True, metadata={"description": "The report's address"})
    source = fields.String(required=True, metadata={"description": "Outlet, or platform: account"})
    outlet_id = fields.Integer(allow_none=True, required=True)
    platform = fields.String(required=True)
    account = fields.String(required=True)
    published_at = fields.DateTime(required=True, metadata={"description": "UTC"})
    excerpt = fields.String(required=True)
    topic = fields.String(required=True)
    area = fields.String(required=True)
    lead_unit_id = fields.Integer(required=True)
    unit_ids = fields.List(fields.Integer(), required=True, metadata={
        "description": "The other units concerned"})
    event_id = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The related event, if you may see it"})
    classification = Choice(Classification, required=True)
    origin = Choice(Origin, required=True)
    reach = fields.Integer(allow_none=True, required=True)
    is_sensitive = fields.Boolean(required=True)
    status = Choice(CaseStatus, required=True)
    created_at = fields.DateTime(required=True)
    verify_due_at = fields.DateTime(required=True)
    respond_due_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True, required=True, metadata={
        "description": "The deadline of the clock running now"})
    overdue = fields.Boolean(required=True)
    findings = fields.String(required=True)
    no_action_reason = fields.String(required=True)
    actions = fields.List(fields.String(), metadata={
        "description": "The steps you may take now (POST …/steps); on one case, not in lists"})
    version = fields.Integer(required=True, metadata={"description": "Also the ETag"})
    updated_at = fields.DateTime(required=True)


class CasePageSchema(ma.Schema):
    items = fields.List(fields.Nested(CaseSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last page"})


class CaseQuerySchema(ma.Schema):
    """The filters of /monitoring/ (values that are not choices are ignored, as there), and the cursor."""

    class Meta:
        unknown = ma.EXCLUDE

    status = fields.String(load_default="", validate=validate.Length(max=40),
                           metadata={"enum": [s.value for s in CaseStatus]})
    classification = fields.String(load_default="", validate=validate.Length(max=40),
                                   metadata={"enum": [c.value for c in Classification]})
    unit = Id(strict=False, load_default=None, metadata={"description": "Lead or concerned"})
    outlet = Id(strict=False, load_default=None)
    overdue = fields.Boolean(load_default=False)
    q = Text(200, load_default="", metadata={"description": "Headline, excerpt, topic, area, "
                                                            "account, platform"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200,
                                                                    error=MESSAGES["range"]))


class CaseInputSchema(ma.Schema):
    """A new case, as on the web form: an outlet of the directory, or a platform and account."""

    headline = Text(500, required=True)
    link = Text(2000, required=True, metadata={"description": "http(s) address of the report"})
    published_at = fields.AwareDateTime(required=True, metadata={
        "description": "With its offset (e.g. 2026-12-03T08:00:00+07:00); not in the future"})
    classification = Choice(Classification, required=True)
    lead_unit_id = Id(required=True)
    outlet_id = Id(load_default=None, allow_none=True)
    platform = Text(100, load_default="")
    account = Text(200, load_default="")
    excerpt = Text(20000, load_default="")
    topic = Text(200, load_default="")
    area = Text(200, load_default="")
    unit_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=100))
    event_id = Id(load_default=None, allow_none=True)
    origin = Choice(Origin, load_default=Origin.MONITORED)
    reach = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(
        min=0, max=INT_MAX, error=MESSAGES["range"]))
    is_sensitive = fields.Boolean(load_default=False)


class CaseRecordedSchema(ma.Schema):
    """202: a sensitive case recorded outside your circle: you may not read it back."""

    id = fields.Integer(required=True)
    detail = fields.String(required=True)


class CaseStepInputSchema(ma.Schema):
    action = fields.String(required=True, validate=validate.OneOf(
        ("start", "verify", "no_action", "close", "reopen"), error=MESSAGES["choices"]),
        metadata={"description": "start: verification begins; verify: findings and "
                                 "classification; no_action: close with the reason (comment); "
                                 "close; reopen"})
    comment = Text(5000, load_default="")
    findings = Text(20000, load_default="")
    classification = fields.String(load_default="", validate=validate.Length(max=40), metadata={
        "enum": [c.value for c in Classification], "description": "verify only"})


# --- training courses ------------------------------------------------------------------------

class CourseSchema(ma.Schema):
    """A training course (a training event you may see, with its details once set)."""

    event_id = fields.Integer(required=True)
    url = fields.String(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    status = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    has_details = fields.Boolean(required=True)
    capacity = fields.Integer(allow_none=True, required=True)
    seats_held = fields.Integer(allow_none=True, required=True)
    nomination_deadline = fields.DateTime(allow_none=True, required=True)
    open_for_nominations = fields.Boolean(required=True)
    topics = fields.List(fields.String(), required=True)
    sessions = fields.List(fields.Nested(ProgrammeItemSchema), metadata={
        "description": "On one course, not in the list"})


class CourseListSchema(ma.Schema):
    items = fields.List(fields.Nested(CourseSchema), required=True)


class NominationSchema(ma.Schema):
    """One of your nominations, with your attendance."""

    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in NominationStatus]})
    may_answer = fields.Boolean(required=True)
    sessions = fields.Integer(required=True)
    present = fields.Integer(required=True, metadata={"description": "Sessions you attended"})


class NominationListSchema(ma.Schema):
    items = fields.List(fields.Nested(NominationSchema), required=True)


class NominationAnswerSchema(ma.Schema):
    reason = Text(TEXT_MAX, load_default="", metadata={"description": "decline only"})


class CompletionSchema(ma.Schema):
    """A course you completed (your training record)."""

    event_id = fields.Integer(allow_none=True, required=True, metadata={
        "description": "null for a course you may no longer see"})
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    ended_at = fields.DateTime(required=True)
    present = fields.Integer(required=True)
    sessions = fields.Integer(required=True)


class CompletionListSchema(ma.Schema):
    items = fields.List(fields.Nested(CompletionSchema), required=True)
