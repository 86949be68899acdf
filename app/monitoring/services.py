"""Monitoring cases: recording a report, the workflow with its clocks, the list and its filters.

Services check permissions, flush and never commit (the route does, ``apply_and_flash``).
Every change of a case's state moves its version (``version_id_col``): an action based on
an older page is refused with the steps taken since (``StaleCase``), as for events.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from app import storage as file_storage
from app.auth.models import User
from app.auth.roles import Role
from app.checklists import storage
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access as event_access
from app.events.models import Event
from app.extensions import db
from app.i18n import _
from app.monitoring import access, rules
from app.monitoring.models import (
    FINISHED_STATUSES,
    CaseAttachment,
    CaseStatus,
    CaseStep,
    Classification,
    MonitoringCase,
    Origin,
    StepAction,
    case_units,
)
from app.notifications.models import Kind
from app.notifications.services import notify
from app.press.models import PressOutlet
from app.timeutil import utcnow
from app.units.models import Unit

MAX_FILES = 5
NAMESPACE = "monitoring"  # attachments' keys in app.storage: monitoring/<random name>
PAGE_SIZE = 50


class StaleCase(Exception):
    """The page was based on an older version; ``steps`` are the timeline rows since."""

    def __init__(self, steps: Sequence[CaseStep]):
        super().__init__("stale case")
        self.steps = steps


# --- reading --------------------------------------------------------------------------------

def get_case(user, case_id: int) -> MonitoringCase:
    """The case, or NotVisible as if it did not exist."""
    return access.require_view(user, db.session.get(MonitoringCase, case_id))


@dataclass
class Filters:
    status: str = ""
    classification: str = ""
    unit_id: int | None = None
    outlet_id: int | None = None
    overdue: bool = False
    text: str = ""
    origin: str = ""

    @classmethod
    def parse(cls, args) -> "Filters":
        """From a query string; values that do not parse are ignored."""
        status = args.get("status", "")
        classification = args.get("classification", "")
        origin = args.get("origin", "")
        return cls(status=status if status in CaseStatus._value2member_map_ else "",
                   origin=origin if origin in Origin._value2member_map_ else "",
                   classification=(classification if classification in
                                   Classification._value2member_map_ else ""),
                   unit_id=args.get("unit", type=int), outlet_id=args.get("outlet", type=int),
                   overdue=args.get("overdue") == "1", text=(args.get("q") or "").strip()[:200])

    def args(self) -> dict:
        """The filters as query parameters (for the pager and the export link)."""
        found = {"status": self.status, "classification": self.classification,
                 "unit": self.unit_id, "outlet": self.outlet_id,
                 "overdue": "1" if self.overdue else "", "q": self.text, "origin": self.origin}
        return {k: v for k, v in found.items() if v not in ("", None)}


def filtered_query(user, filters: Filters, now: datetime) -> sa.Select:
    """The cases ``user`` may see matching ``filters`` (newest first)."""
    query = sa.select(MonitoringCase).where(access.visible_clause(user))
    if filters.status:
        query = query.where(MonitoringCase.status == CaseStatus(filters.status))
    if filters.classification:
        query = query.where(MonitoringCase.classification == Classification(filters.classification))
    if filters.origin:
        query = query.where(MonitoringCase.origin == Origin(filters.origin))
    if filters.unit_id is not None:
        query = query.where(sa.or_(
            MonitoringCase.lead_unit_id == filters.unit_id,
            sa.select(case_units.c.case_id).where(case_units.c.case_id == MonitoringCase.id,
                                                  case_units.c.unit_id == filters.unit_id).exists()))
    if filters.outlet_id is not None:
        query = query.where(MonitoringCase.outlet_id == filters.outlet_id)
    if filters.overdue:
        query = query.where(MonitoringCase.overdue_clause(now))
    if filters.text:
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(*(column.ilike(pattern, escape="\\") for column in (
            MonitoringCase.headline, MonitoringCase.excerpt, MonitoringCase.topic,
            MonitoringCase.area, MonitoringCase.account, MonitoringCase.platform))))
    return query.order_by(MonitoringCase.created_at.desc(), MonitoringCase.id.desc())


def list_cases(user, filters: Filters, *, page: int = 1, now: datetime | None = None):
    """(cases of the page, whether there is a next page, how many match)."""
    now = now or utcnow()
    query = filtered_query(user, filters, now)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, min(page, 10_000))
    rows = db.session.scalars(
        query.options(selectinload(MonitoringCase.outlet), selectinload(MonitoringCase.lead_unit))
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE, total or 0


def all_cases(user, filters: Filters, now: datetime, limit: int = 20_000) -> Sequence[MonitoringCase]:
    """Every case of the log's filters (for the register), at most ``limit``, oldest first."""
    query = filtered_query(user, filters, now).order_by(None).order_by(MonitoringCase.id)
    return db.session.scalars(query.options(
        selectinload(MonitoringCase.outlet), selectinload(MonitoringCase.lead_unit),
        selectinload(MonitoringCase.speaker)).limit(limit)).all()


def timeline(case: MonitoringCase) -> Sequence[CaseStep]:
    return db.session.scalars(sa.select(CaseStep).options(selectinload(CaseStep.actor))
                              .where(CaseStep.case_id == case.id).order_by(CaseStep.id)).all()


def steps_since(case_id: int, version: int) -> Sequence[CaseStep]:
    return db.session.scalars(sa.select(CaseStep).options(selectinload(CaseStep.actor))
                              .where(CaseStep.case_id == case_id, CaseStep.version > version)
                              .order_by(CaseStep.id)).all()


def attachment_for(user, attachment_id: int) -> CaseAttachment:
    attachment = db.session.get(CaseAttachment, attachment_id)
    if attachment is None:
        raise NotVisible()
    get_case(user, attachment.case_id)
    return attachment


def shows_event(user, case: MonitoringCase) -> bool:
    """The case's related event is named only to those who may view it."""
    return case.event is not None and event_access.can_view(user, case.event)


def outlets() -> Sequence[PressOutlet]:
    return db.session.scalars(sa.select(PressOutlet).order_by(PressOutlet.name)).all()


def units() -> Sequence[Unit]:
    return db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name_vi)).all()


def event_choices(user, now: datetime, limit: int = 300) -> Sequence[Event]:
    """Events the user may see from half a year back to half a year ahead, to link a case to."""
    return db.session.scalars(
        sa.select(Event).where(event_access.visible_clause(user),
                               Event.starts_at >= now - timedelta(days=183),
                               Event.starts_at <= now + timedelta(days=183))
        .order_by(Event.starts_at.desc()).limit(limit)).all()


# --- recording --------------------------------------------------------------------------------

@dataclass
class CaseData:
    headline: str
    url: str
    published_at: datetime | None
    classification: Classification
    lead_unit_id: int | None
    outlet_id: int | None = None
    platform: str = ""
    account: str = ""
    excerpt: str = ""
    topic: str = ""
    area: str = ""
    unit_ids: list[int] = field(default_factory=list)
    event_id: int | None = None
    origin: Origin = Origin.MONITORED
    reach: int | None = None
    is_sensitive: bool = False


def is_web_link(url: str) -> bool:
    """An absolute http(s) link with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


def _check(user, data: CaseData, now: datetime) -> tuple[PressOutlet | None, Unit, list[Unit], Event | None]:
    """Every rule of a new case, before anything is written; the rows it refers to."""
    outlet = db.session.get(PressOutlet, data.outlet_id) if data.outlet_id else None
    if data.outlet_id and outlet is None:
        raise ValidationFailed(_("Choose an outlet from the directory."), "outlet_id")
    if outlet is None and not (data.platform.strip() and data.account.strip()):
        raise ValidationFailed(_("Give the source: an outlet of the directory, or a platform and "
                                 "an account."), "outlet_id")
    if not is_web_link(data.url.strip()):
        raise ValidationFailed(_("The link must be a web address starting with http:// or https://."),
                               "url")
    if data.published_at is None:
        raise ValidationFailed(_("Give the date and time of publication."), "published_at")
    if data.published_at > now:
        raise ValidationFailed(_("The publication time is in the future."), "published_at")
    if not data.headline.strip():
        raise ValidationFailed(_("Give the headline."), "headline")
    lead = db.session.get(Unit, data.lead_unit_id) if data.lead_unit_id else None
    if lead is None or not lead.active:
        raise ValidationFailed(_("Choose the lead unit."), "lead_unit_id")
    others = list(db.session.scalars(sa.select(Unit).where(
        Unit.id.in_(sorted(set(data.unit_ids) - {lead.id})), Unit.active.is_(True))))
    event = None
    if data.event_id:
        event = db.session.get(Event, data.event_id)
        if event is None or not event_access.can_view(user, event):
            raise ValidationFailed(_("Choose an event from the list."), "event_id")
    if data.reach is not None and data.reach < 0:
        raise ValidationFailed(_("The reach cannot be negative."), "reach")
    return outlet, lead, others, event


def _check_uploads(uploads: list[FileStorage]) -> list[storage.CheckedFile]:
    uploads = [u for u in uploads if u and u.filename]
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d files per case.", n=MAX_FILES), "attachments")
    return [storage.check_upload(u) for u in uploads]


def create_case(user, data: CaseData, uploads: list[FileStorage] | None = None) -> MonitoringCase:
    """Record a report. A sensitive one is told to the steering committee at once (urgent).

    Every field and file is checked before anything is written; if the database refuses,
    the files already stored are removed again.
    """
    if not access.can_record(user):
        raise PermissionDenied()
    now = utcnow()
    outlet, lead, others, event = _check(user, data, now)
    checked = _check_uploads(uploads or [])
    case = MonitoringCase(
        outlet=outlet, platform="" if outlet else data.platform.strip(),
        account="" if outlet else data.account.strip(), url=data.url.strip(),
        published_at=data.published_at, headline=data.headline.strip(),
        excerpt=data.excerpt.strip(), topic=data.topic.strip(), area=data.area.strip(),
        lead_unit=lead, units=others, event=event, classification=Classification(data.classification),
        origin=Origin(data.origin), reach=data.reach, is_sensitive=data.is_sensitive,
        status=CaseStatus.NEW, created_by=user, created_at=now, updated_at=now,
        verify_due_at=rules.verify_due(now), respond_due_at=rules.respond_due(now, data.origin))
    db.session.add(case)
    stored: list[str] = []
    try:
        for f in checked:
            info = file_storage.put(NAMESPACE, f.stream)
            stored.append(info.key)
            db.session.add(CaseAttachment(case=case, original_name=f.original_name,
                                          storage_key=info.key, content_type=f.content_type,
                                          size=info.size, uploaded_by_id=user.id, uploaded_at=now))
        db.session.flush()
        _step(case, StepAction.RECORDED, user, "", CaseStatus.NEW)
        db.session.flush()
        if case.is_sensitive:
            tell_steering_of_sensitive(case)
    except Exception:
        for key in stored:
            file_storage.discard(key)
        raise
    return case


def steering_members() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.active.is_(True),
                              User.role_rows.any(role=Role.STEERING)).order_by(User.id)))


def case_params(case: MonitoringCase, clock: str = "", due_at: datetime | None = None) -> dict:
    return {"headline": case.headline, "source": case.source,
            "unit_vi": case.lead_unit.name_vi, "unit_en": case.lead_unit.name_en,
            "clock": clock, "due_at": due_at.isoformat() if due_at else None}


def case_url(case: MonitoringCase) -> str:
    return f"/monitoring/{case.id}"


def tell_steering_of_sensitive(case: MonitoringCase) -> None:
    """Urgent: e-mailed at the next run whatever each member chose."""
    notify(steering_members(), Kind.CASE_SENSITIVE, case, event=None, step="sensitive",
           params=case_params(case, "verify", case.verify_due_at), url=case_url(case), urgent=True)


# --- the workflow ---------------------------------------------------------------------------

def _step(case: MonitoringCase, action: StepAction, user, comment: str, from_status,
          to_status=None) -> CaseStep:
    row = CaseStep(case_id=case.id, action=action.value, actor_id=getattr(user, "id", None),
                   at=utcnow(), from_status=from_status.value if from_status else "",
                   to_status=(to_status or case.status).value, comment=comment,
                   version=case.version)
    db.session.add(row)
    return row


def _require_draft(user, case: MonitoringCase, allowed) -> None:
    """Visible (else 404) and ``allowed(user, case)`` (else 403)."""
    access.require_view(user, case)
    if not allowed(user, case):
        raise PermissionDenied()


def check_version(case: MonitoringCase, expected_version) -> int:
    """Refuse an action based on an older version (StaleCase lists what happened since)."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The form is missing its version; reload the page.")) from None
    if expected != case.version:
        raise StaleCase(steps_since(case.id, expected))
    return expected


def _flush_versioned(case: MonitoringCase, expected: int) -> None:
    """Flush, turning a racing UPDATE (another action committed meanwhile) into StaleCase."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleCase(steps_since(case.id, expected)) from None


def _move(user, case: MonitoringCase, expected_version, action: StepAction, to_status: CaseStatus,
          comment: str = "", allowed_from=(), **fields) -> MonitoringCase:
    access.require_work(user, case)
    expected = check_version(case, expected_version)
    if allowed_from and case.status not in allowed_from:
        raise ValidationFailed(_("This step is not possible in the case's current state."))
    old = case.status
    case.status = to_status
    for name, value in fields.items():
        setattr(case, name, value)
    case.updated_at = utcnow()  # always an UPDATE of the row, so the version moves
    _flush_versioned(case, expected)
    _step(case, action, user, comment, old)
    db.session.flush()
    return case


def start_verification(user, case: MonitoringCase, expected_version, comment: str = "") -> MonitoringCase:
    return _move(user, case, expected_version, StepAction.VERIFYING, CaseStatus.VERIFYING,
                 comment.strip(), allowed_from=(CaseStatus.NEW,))


def record_verification(user, case: MonitoringCase, expected_version, findings: str,
                        classification: str) -> MonitoringCase:
    """The lead unit records what it found and confirms or corrects the classification."""
    access.require_work(user, case)
    if not access.can_verify(user, case):
        raise PermissionDenied()
    findings = (findings or "").strip()
    if not findings:
        raise ValidationFailed(_("Write what the verification found."), "findings")
    if classification not in Classification._value2member_map_:
        raise ValidationFailed(_("Choose the classification."), "classification")
    return _move(user, case, expected_version, StepAction.VERIFIED, CaseStatus.VERIFYING, findings,
                 allowed_from=(CaseStatus.NEW, CaseStatus.VERIFYING), verified_at=utcnow(),
                 findings=findings, classification=Classification(classification))


def no_action(user, case: MonitoringCase, expected_version, reason: str) -> MonitoringCase:
    """Close without a response, with the reason (e.g. the report is accurate)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason why no action is needed."), "comment")
    now = utcnow()
    return _move(user, case, expected_version, StepAction.NO_ACTION, CaseStatus.NO_ACTION, reason,
                 allowed_from=(CaseStatus.NEW, CaseStatus.VERIFYING, CaseStatus.DRAFTED),
                 no_action_reason=reason, closed_at=now)


def close(user, case: MonitoringCase, expected_version, comment: str = "") -> MonitoringCase:
    """Close a case that was answered (and, if asked, corrected)."""
    return _move(user, case, expected_version, StepAction.CLOSED, CaseStatus.CLOSED, comment.strip(),
                 allowed_from=(CaseStatus.RESPONDED, CaseStatus.CORRECTION_REQUESTED),
                 closed_at=utcnow())


def reopen(user, case: MonitoringCase, expected_version, comment: str = "") -> MonitoringCase:
    """Back to the last open state: answered, else verifying."""
    back = CaseStatus.RESPONDED if case.responded_at else CaseStatus.VERIFYING
    return _move(user, case, expected_version, StepAction.REOPENED, back, comment.strip(),
                 allowed_from=FINISHED_STATUSES, closed_at=None)


@dataclass(frozen=True)
class Actions:
    """What the page offers ``user`` on a case (the services decide again)."""

    verify: bool = False
    start: bool = False
    no_action: bool = False
    close: bool = False
    reopen: bool = False


def actions(user, case: MonitoringCase) -> Actions:
    if not access.can_work(user, case):
        return Actions()
    s = case.status
    return Actions(
        verify=access.can_verify(user, case) and s in (CaseStatus.NEW, CaseStatus.VERIFYING),
        start=s is CaseStatus.NEW,
        no_action=s in (CaseStatus.NEW, CaseStatus.VERIFYING, CaseStatus.DRAFTED),
        close=s in (CaseStatus.RESPONDED, CaseStatus.CORRECTION_REQUESTED),
        reopen=s in FINISHED_STATUSES)
