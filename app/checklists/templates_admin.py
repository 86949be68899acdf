"""Admins edit checklist templates.

An edit reaches events generated afterwards; on request it also reaches the open items of events
that have not started yet.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.auth.permissions import require_admin
from app.checklists.models import (
    ChecklistItem,
    ChecklistTemplate,
    Condition,
    ResponsibleRole,
    TemplateChange,
    TemplatePhase,
)
from app.checklists.schedule import Anchor, OffsetUnit
from app.checklists.services import SyncResult, load_events_for_sync, sync_checklists
from app.errors import ValidationFailed
from app.events.models import Event, EventKind
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow


@dataclass
class TemplateData:
    title_vi: str
    title_en: str
    kind: EventKind | None
    phase: TemplatePhase
    offset: int
    offset_unit: OffsetUnit
    anchor: Anchor
    role: ResponsibleRole
    requires_submission: bool
    condition: Condition
    legal_basis: str
    legal_verified: bool
    creates_briefing: bool
    active: bool = True


def validate(data: TemplateData) -> None:
    """An offset must put the item on the side of the event its phase names."""
    if data.phase is TemplatePhase.BEFORE:
        if data.anchor is not Anchor.START:
            raise ValidationFailed(_("An item due before the event counts from its start."), "anchor")
        if data.offset >= 0:
            raise ValidationFailed(
                _("An item due before the event needs a negative offset (e.g. -5): "
                  "%(offset)d would put it at or after the start.", offset=data.offset), "offset")
    if data.phase is TemplatePhase.AFTER:
        if data.anchor is not Anchor.END:
            raise ValidationFailed(_("An item due after the event counts from its end."), "anchor")
        if data.offset <= 0:
            raise ValidationFailed(
                _("An item due after the event needs a positive offset (e.g. 7): "
                  "%(offset)d would put it at or before the end.", offset=data.offset), "offset")
    if abs(data.offset) > 366 * (24 if data.offset_unit is OffsetUnit.HOURS else 1):
        raise ValidationFailed(_("The offset is more than a year."), "offset")
    if data.creates_briefing and data.phase is not TemplatePhase.BEFORE:
        raise ValidationFailed(_("Only an item before the event can propose a press conference."),
                               "creates_briefing")


def list_templates() -> list[ChecklistTemplate]:
    return list(db.session.scalars(sa.select(ChecklistTemplate).order_by(
        ChecklistTemplate.kind.is_not(None), ChecklistTemplate.kind, ChecklistTemplate.offset,
        ChecklistTemplate.id)))


def _apply(template: ChecklistTemplate, data: TemplateData) -> None:
    validate(data)
    for name, value in vars(data).items():
        setattr(template, name, value.strip() if isinstance(value, str) else value)


def _values(template: ChecklistTemplate) -> dict:
    """The template's editable fields as text, for its history."""
    return {name: _text(getattr(template, name, None)) for name in TemplateData.__dataclass_fields__}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(getattr(value, "value", value))


def _record(user, template: ChecklistTemplate, old: dict) -> None:
    new = _values(template)
    changes = {k: [old.get(k, ""), v] for k, v in new.items() if old.get(k, "") != v}
    if changes:
        db.session.add(TemplateChange(template_id=template.id, changed_by_id=getattr(user, "id", None),
                                      changed_at=utcnow(), changes=changes))


def create_template(user, data: TemplateData) -> ChecklistTemplate:
    require_admin(user)
    template = ChecklistTemplate(code="")
    _apply(template, data)
    db.session.add(template)
    db.session.flush()
    template.code = f"custom-{template.id}"
    _record(user, template, {})
    db.session.flush()
    return template


def update_template(user, template: ChecklistTemplate, data: TemplateData,
                    update_open_items: bool = False) -> SyncResult:
    """Save the template; with ``update_open_items`` re-sync future events that use it."""
    require_admin(user)
    old = _values(template)
    _apply(template, data)
    _record(user, template, old)
    db.session.flush()
    if not update_open_items:
        return SyncResult()
    events = load_events_for_sync(sa.select(Event).where(
        Event.starts_at > utcnow(),
        Event.id.in_(sa.select(ChecklistItem.event_id).where(
            ChecklistItem.template_id == template.id))))
    return sync_checklists(events, refresh_template_ids={template.id}, actor=user)
