"""The monitoring clocks in the calendar feeds: a deadline source (``feeds.sources``).

Each open clock of a case is its own entry in the feeds of those who owe it: the unit feeds
of the case's lead unit, and the personal feeds (deadlines on) of the lead unit's members
and of those who speak for it today. UIDs ``case-<id>-verify``, ``case-<id>-respond`` and
``case-<id>-correction``; a clock leaves the feed when it stops (verified, responded,
correction recorded, case closed). A case closed with "no action needed" shows its open
clocks as STATUS:CANCELLED for the feeds' retention window, like the deadlines of a
cancelled event. SEQUENCE goes up when a due time moves (a correction requested again)
and at each "no action" and reopening, so it never goes down.

Visibility: the people who owe a clock are the lead unit's members and its spokespeople,
all of whom may see the case (``access.can_view``: a unit concerned), even a sensitive one.
Below full detail a feed shows a case's clock only as "Hạn nộp"/"Deadline", and a sensitive
case's clocks not at all; the public feed never asks. One query per feed build.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale

from app.auth.permissions import is_active_user
from app.extensions import db
from app.feeds import sources
from app.feeds.models import DetailLevel
from app.i18n import _
from app.monitoring import access
from app.monitoring.models import (
    CLASSIFICATION_LABELS,
    RESPOND_CLOCK_STATUSES,
    VERIFY_CLOCK_STATUSES,
    CaseStatus,
    CaseStep,
    MonitoringCase,
    Origin,
    StepAction,
)
from app.press.models import PressOutlet
from app.settings import registry
from app.settings.models import DomainSetting
from app.spokespeople.roster import local_day
from app.units.models import Unit

VERIFY, RESPOND, CORRECTION = "verify", "respond", "correction"
# The setting behind each clock, whose legal basis the entry quotes.
CLOCK_SETTINGS = {VERIFY: "monitoring.verify_hours", RESPOND: "monitoring.statement_days",
                  "answer": "monitoring.press_answer_days",
                  CORRECTION: "monitoring.correction_follow_up_days"}
# States in which a clock runs.
RUNNING_STATUSES = sorted(VERIFY_CLOCK_STATUSES | RESPOND_CLOCK_STATUSES
                          | {CaseStatus.CORRECTION_REQUESTED})
TABLES = ("monitoring_cases", "monitoring_case_units", "monitoring_steps", "domain_settings",
          "spokesperson_designations", "spokesperson_authorisations", "press_outlets")


def _basis_columns() -> list:
    """Each clock setting's legal basis and verified flag, as stored (else declared)."""
    columns = []
    for name, key in CLOCK_SETTINGS.items():
        declared = registry.get(key)
        row = sa.select(DomainSetting).where(DomainSetting.key == key)
        columns += [
            sa.func.coalesce(row.with_only_columns(DomainSetting.legal_basis).scalar_subquery(),
                             declared.legal_basis).label(f"basis_{name}"),
            sa.func.coalesce(row.with_only_columns(DomainSetting.verified).scalar_subquery(),
                             declared.verified).label(f"verified_{name}")]
    return columns


def _count_steps(*actions: StepAction):
    return (sa.select(sa.func.count()).where(CaseStep.case_id == MonitoringCase.id,
                                             CaseStep.action.in_([a.value for a in actions]))
            .scalar_subquery())


def _rows(query: sources.DeadlineQuery) -> list:
    owner = query.owner
    if query.unit_id is not None:  # the unit's feed: the cases it leads
        owes = MonitoringCase.lead_unit_id == query.unit_id
    else:
        owes = access.insider_unit_clause(MonitoringCase.lead_unit_id, owner, query.now)
    # Index ranges of (lead unit, state, closed): never the unit's whole history.
    conditions = [owes, sa.or_(MonitoringCase.status.in_(RUNNING_STATUSES),
                               sa.and_(MonitoringCase.status == CaseStatus.NO_ACTION,
                                       MonitoringCase.closed_at >= query.keep_since)),
                  sa.or_(*(sa.and_(due >= query.start, due < query.end) for due in (
                      MonitoringCase.verify_due_at, MonitoringCase.respond_due_at,
                      MonitoringCase.correction_follow_up_at)))]
    if query.detail is not DetailLevel.FULL:  # sensitive cases only in full-detail feeds
        conditions.append(MonitoringCase.is_sensitive.is_(False))
    if query.unit_ids:
        conditions.append(MonitoringCase.lead_unit_id.in_(query.unit_ids))
    first_request = (sa.select(sa.func.min(CaseStep.at))
                     .where(CaseStep.case_id == MonitoringCase.id,
                            CaseStep.action == StepAction.CORRECTION_REQUESTED.value)
                     .scalar_subquery())
    return list(db.session.execute(
        sa.select(MonitoringCase.id, MonitoringCase.headline, MonitoringCase.status,
                  MonitoringCase.origin, MonitoringCase.is_sensitive,
                  MonitoringCase.classification, MonitoringCase.platform,
                  MonitoringCase.account, MonitoringCase.created_at, MonitoringCase.updated_at,
                  MonitoringCase.verified_at, MonitoringCase.verify_due_at,
                  MonitoringCase.respond_due_at, MonitoringCase.correction_follow_up_at,
                  MonitoringCase.correction_published_at,
                  MonitoringCase.correction_requested_at, MonitoringCase.closed_at,
                  PressOutlet.name.label("outlet"), Unit.name_vi.label("lead_vi"),
                  Unit.name_en.label("lead_en"),
                  _count_steps(StepAction.CORRECTION_REQUESTED).label("requests"),
                  _count_steps(StepAction.NO_ACTION, StepAction.REOPENED).label("turns"),
                  first_request.label("first_request"), *_basis_columns())
        .join(Unit, Unit.id == MonitoringCase.lead_unit_id)
        .outerjoin(PressOutlet, PressOutlet.id == MonitoringCase.outlet_id)
        .where(*conditions).order_by(MonitoringCase.id)))


def _clocks(row, keep_since: datetime) -> list[tuple[str, datetime, bool, bool]]:
    """(clock, due, cancelled, in progress) of the clocks a case shows now."""
    status = row.status
    no_action = status is CaseStatus.NO_ACTION and row.closed_at is not None \
        and row.closed_at >= keep_since
    found = []
    if row.verified_at is None and (status in VERIFY_CLOCK_STATUSES or no_action):
        found.append((VERIFY, row.verify_due_at, no_action, status is CaseStatus.VERIFYING))
    if status in RESPOND_CLOCK_STATUSES or no_action:
        found.append((RESPOND, row.respond_due_at, no_action,
                      status in (CaseStatus.DRAFTED, CaseStatus.APPROVED)))
    if status is CaseStatus.CORRECTION_REQUESTED and row.correction_published_at is None \
            and row.correction_follow_up_at is not None:
        found.append((CORRECTION, row.correction_follow_up_at, False, False))
    return found


def _labels(language: str) -> dict[str, str]:
    with force_locale(language):
        return {VERIFY: _("Verify the report"), RESPOND: _("Respond to the report"),
                "answer": _("Answer the press agency"), CORRECTION: _("Follow up the correction"),
                "source": _("Source"), "lead": _("Lead unit"),
                "classification": _("Classification"), "basis": _("Legal basis"),
                "unverified": _("unverified"), "category": _("Press monitoring"),
                **{str(c): str(label) for c, label in CLASSIFICATION_LABELS.items()}}


def case_deadlines(query: sources.DeadlineQuery) -> list[sources.SourceEntry]:
    """The open clocks of the cases the feed's reader owes (see the module's docstring)."""
    if query.narrowed or not is_active_user(query.owner):
        return []
    rows = _rows(query)
    if not rows:
        return []
    words = _labels(query.language)
    english = query.language == "en"
    zone = current_app.config["APP_TIMEZONE"]
    withheld = query.detail is not DetailLevel.FULL
    found = []
    for row in rows:
        source = row.outlet or (f"{row.platform}: {row.account}" if row.account else row.platform)
        for clock, due, cancelled, in_progress in _clocks(row, query.keep_since):
            if not query.start <= due < query.end:
                continue
            kind = "answer" if clock == RESPOND and row.origin is Origin.PRESS_REQUEST else clock
            basis = getattr(row, f"basis_{kind}")
            if basis and not getattr(row, f"verified_{kind}"):
                basis = f"{basis} ({words['unverified']})"
            details = (f"{words['source']}: {source}",
                       f"{words['lead']}: {row.lead_en if english and row.lead_en else row.lead_vi}",
                       f"{words['classification']}: {words[str(row.classification)]}",
                       *([f"{words['basis']}: {basis}"] if basis else []))
            if clock == CORRECTION:
                sequence, created = max(row.requests - 1, 0), row.first_request or row.created_at
                moved = row.correction_requested_at if row.requests > 1 else None
            else:
                sequence, created, moved = row.turns, row.created_at, None
            entry = sources.SourceEntry(
                uid=f"case-{row.id}-{clock}", version="", title=f"{words[kind]} — {row.headline}",
                due_at=due, timezone=zone, sequence=sequence, changed_at=row.updated_at,
                created_at=created, path=f"/monitoring/{row.id}", details=details,
                category=words["category"], withheld=withheld, cancelled=cancelled,
                in_progress=in_progress, moved_at=moved,
                cancelled_at=row.closed_at if cancelled else None)
            found.append(replace(entry, version=hashlib.sha256(repr(entry).encode()).hexdigest()[:20]))
    return found


def register(app: Flask) -> None:
    """Put the clocks in the feeds; the local day is in the ETag (who speaks for a unit)."""
    sources.register(app, "monitoring", case_deadlines, tables=TABLES,
                     tag=lambda now: local_day(now).isoformat())
