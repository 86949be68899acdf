"""Checklist generation and regeneration: the domain rules, without HTTP.

``sync_checklists(events)`` is the one entry point: it is called for a single
event on every save (``event_saved`` signal), for thousands at once by the
benchmark, and after a template edit. It loads the existing items of all the
given events in one query per chunk, then inserts and updates in bulk.
Services flush, never commit.
"""
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.auth.models import User, UserRole
from app.auth.roles import Role
from app.checklists.models import (
    OPEN_STATUSES,
    ChecklistItem,
    ChecklistStep,
    ChecklistTemplate,
    ItemStatus,
    ResponsibleRole,
    StepAction,
)
from app.checklists.proposals import sync_proposed_briefings
from app.checklists.rules import (
    TEMPLATE_KEY_PREFIX,
    applies,
    compute_due,
    due_with_notice,
    item_key,
)
from app.checklists.short_notice import grace_working_days
from app.checklists.signals import checklist_synced
from app.events import access
from app.events.models import Delegation, Event, EventStatus
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit, UnitKind

# Statuses from which an event has a checklist; a draft has none yet.
ACTIVE_STATUSES = frozenset({EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.HELD,
                             EventStatus.REPORTED, EventStatus.POSTPONED})
CHUNK = 500  # events per SELECT ... IN (...) so parameter lists stay small
ITEMS = ChecklistItem.__table__
# A moved due time is a new revision of the item's calendar entry (``sequence``).
MOVE_ITEM = (ITEMS.update().where(ITEMS.c.id == sa.bindparam("b_id"))
             .values(due_at=sa.bindparam("b_due"), updated_at=sa.bindparam("b_now"),
                     sequence=ITEMS.c.sequence + 1))


class RoleUnits:
    """Which unit answers for protocol, press liaison and steering items.

    Units are data: protocol is the unit where most protocol officers work
    (the Dept. of Foreign Affairs), and so on. Loaded once per sync run.
    """

    def __init__(self):
        rows = db.session.execute(
            sa.select(UserRole.role, User.unit_id).join(User, User.id == UserRole.user_id)
            .where(User.active.is_(True), User.unit_id.is_not(None))).all()
        counts: dict[Role, Counter] = defaultdict(Counter)
        for role, unit_id in rows:
            counts[role][unit_id] += 1
        steering_unit = db.session.scalar(
            sa.select(Unit.id).where(Unit.kind == UnitKind.STEERING, Unit.active.is_(True))
            .order_by(Unit.id).limit(1))
        self.by_role = {
            ResponsibleRole.PROTOCOL: self._most_common(counts[Role.PROTOCOL]),
            ResponsibleRole.PRESS_LIAISON: self._most_common(counts[Role.LIAISON]),
            ResponsibleRole.STEERING: steering_unit or self._most_common(counts[Role.STEERING]),
        }

    @staticmethod
    def _most_common(counter: Counter) -> int | None:
        # Ties go to the lower id so that regeneration is deterministic.
        return min(counter, key=lambda u: (-counter[u], u)) if counter else None

    def unit_for(self, role: ResponsibleRole, event: Event) -> int | None:
        """The unit answering for ``role`` at ``event``.

        The lead unit when that unit may not view the event (a confidential event outside it):
        the lead unit always sees its event and answers for it, and the duty (a notice to the
        press authority, say) stays.
        """
        unit_id = self.by_role.get(role) or event.lead_unit_id  # lead unit and spokesperson
        return unit_id if access.unit_may_view(unit_id, event) else event.lead_unit_id


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    closed: int = 0  # included in ``updated``


def active_templates() -> list[ChecklistTemplate]:
    return list(db.session.scalars(
        sa.select(ChecklistTemplate).where(ChecklistTemplate.active.is_(True))
        .order_by(ChecklistTemplate.id)))


def desired_items(event: Event, templates: list[ChecklistTemplate], role_units: RoleUnits,
                  has_delegation: bool) -> dict[str, tuple[ChecklistTemplate, int | None]]:
    """Key -> (template, responsible unit) of every item the event should have."""
    wanted: dict[str, tuple[ChecklistTemplate, int | None]] = {}
    for template in templates:
        if not applies(template, event, has_delegation):
            continue
        if template.role is ResponsibleRole.COORDINATING_UNIT:
            for unit in event.coordinating_units:
                wanted[item_key(template.id, unit.id)] = (template, unit.id)
        else:
            wanted[item_key(template.id)] = (template, role_units.unit_for(template.role, event))
    return wanted


def _new_item_row(event: Event, key: str, template: ChecklistTemplate, unit_id, now,
                  grace: int) -> dict:
    due, short_notice = due_with_notice(
        event, compute_due(event, template.offset, template.offset_unit, template.anchor), now,
        grace)
    return dict(event_id=event.id, key=key, title_vi=template.title_vi, title_en=template.title_en,
                role=template.role, unit_id=unit_id, user_id=None, due_at=due,
                short_notice=short_notice,
                requires_submission=template.requires_submission, status=ItemStatus.OPEN,
                legal_basis=template.legal_basis, legal_verified=template.legal_verified,
                template_id=template.id, offset=template.offset, offset_unit=template.offset_unit,
                anchor=template.anchor, created_at=now, updated_at=now)


def sync_checklists(events: Iterable[Event], *, refresh_template_ids: Collection[int] = frozenset(),
                    actor: User | None = None) -> SyncResult:
    """Bring the checklists of ``events`` in line with their current state. Idempotent.

    - draft events get nothing; cancelled events' open items become not needed;
    - missing items are added (a new coordinating unit gets its own items);
    - open items follow a reschedule (due time recomputed from the item's own offset);
      done and not-needed items are left as they are;
    - open items no longer wanted (unit removed, kind changed) become not needed;
      their submissions stay;
    - an item wanted again (unit added back) is reopened;
    - for templates in ``refresh_template_ids`` open items take the template's
      current title, offset and rules (an admin's "also update open items").

    Flushes; the caller commits.
    """
    events = list(events)
    result = SyncResult()
    if not events:
        return result
    templates = active_templates()
    role_units = RoleUnits()
    now = utcnow()
    with_delegation: set[int] = set()
    for start in range(0, len(events), CHUNK):
        chunk = events[start:start + CHUNK]
        with_delegation |= _sync_chunk(chunk, templates, role_units, refresh_template_ids, now,
                                       actor, result)
    sync_proposed_briefings(events, templates, with_delegation)
    _expire_loaded_items()
    return result


def _sync_chunk(chunk, templates, role_units, refresh_ids, now, actor, result) -> set[int]:
    """Sync one chunk of events; returns the ids of those with a delegation record."""
    ids = [e.id for e in chunk]
    existing: dict[int, dict[str, sa.Row]] = defaultdict(dict)
    for found in db.session.execute(
            sa.select(ChecklistItem.id, ChecklistItem.event_id, ChecklistItem.key,
                      ChecklistItem.status, ChecklistItem.due_at, ChecklistItem.unit_id,
                      ChecklistItem.offset, ChecklistItem.offset_unit, ChecklistItem.anchor,
                      ChecklistItem.short_notice)
            .where(ChecklistItem.event_id.in_(ids))):
        existing[found.event_id][found.key] = found
    with_delegation = set(db.session.scalars(
        sa.select(Delegation.event_id).where(Delegation.event_id.in_(ids))))

    # moved: only the due time changes (one lean executemany, the version stays); other: any
    # columns, the version moves (``_update_items``).
    inserts: list[dict] = []
    moved, other, steps = [], [], []
    grace = grace_working_days()
    for event in chunk:
        items = existing.get(event.id, {})
        cancelled = event.status is EventStatus.CANCELLED
        if event.status not in ACTIVE_STATUSES and not cancelled:
            continue  # draft: nothing generated yet
        wanted = {} if cancelled else desired_items(event, templates, role_units,
                                                    event.id in with_delegation)
        matched = 0
        for key, (template, unit_id) in wanted.items():
            row = items.get(key)
            if row is None:
                inserts.append(_new_item_row(event, key, template, unit_id, now, grace))
                continue
            matched += 1
            change = _open_item_update(event, row, template, unit_id, refresh_ids, now, grace)
            if change is None:
                continue
            if len(change) == 2 and "due_at" in change:  # the common case: a reschedule
                moved.append({"b_id": row.id, "b_due": change["due_at"], "b_now": now})
            else:
                other.append(change)
        if matched == len(items):
            continue  # every existing item is still wanted
        for key, row in items.items():
            # Items not generated from templates are left alone unless the event is cancelled.
            managed = cancelled or key.startswith(TEMPLATE_KEY_PREFIX)
            if key not in wanted and managed and row.status in OPEN_STATUSES:
                other.append({"id": row.id, "status": ItemStatus.NOT_NEEDED, "updated_at": now})
                steps.append({"item_id": row.id, "action": StepAction.NOT_NEEDED,
                              "actor_id": actor.id if actor else None, "at": now, "comment": ""})
                result.closed += 1
    if inserts:
        db.session.execute(ITEMS.insert(), inserts)
        result.created += len(inserts)
    moved.sort(key=lambda m: m["b_id"])  # row order: fewer page reads in the table
    if moved:
        db.session.execute(MOVE_ITEM, moved)
    if other:
        for change in other:
            change.setdefault("updated_at", now)
            if change.get("status") is ItemStatus.OPEN:
                steps.append({"item_id": change["id"], "action": StepAction.REOPENED,
                              "actor_id": actor.id if actor else None, "at": now, "comment": ""})
        _update_items(other)
    result.updated += len(moved) + len(other)
    if steps:
        db.session.execute(sa.insert(ChecklistStep), steps)
    return with_delegation


def _update_items(changes: list[dict]) -> None:
    """UPDATE each item's changed columns and move its version.

    ``changes`` are ``{"id": ..., column: value}``; moving the version refuses a page opened
    before the change. One executemany per set of columns.
    """
    by_columns: dict[tuple, list[dict]] = defaultdict(list)
    for change in changes:
        by_columns[tuple(sorted(k for k in change if k != "id"))].append(change)
    for columns, rows in by_columns.items():
        moves = {"sequence": ITEMS.c.sequence + 1} if "due_at" in columns else {}
        statement = (ITEMS.update().where(ITEMS.c.id == sa.bindparam("b_id"))
                     .values({**{c: sa.bindparam(f"b_{c}") for c in columns},
                              "version": ITEMS.c.version + 1, **moves}))
        db.session.execute(statement, [{"b_id": row["id"], **{f"b_{c}": row[c] for c in columns}}
                                       for row in sorted(rows, key=lambda r: r["id"])])


def _due(event, row, offset, offset_unit, anchor, now, grace) -> tuple:
    """The item's due time and short-notice flag (``rules.due_with_notice``)."""
    return due_with_notice(event, compute_due(event, offset, offset_unit, anchor), now, grace,
                           bool(row.short_notice), row.due_at)


def _open_item_update(event, row, template, unit_id, refresh_ids, now, grace) -> dict | None:
    """The changes an existing item needs, or None. Done items never change."""
    if row.status is ItemStatus.DONE:
        return None
    if row.status is not ItemStatus.NOT_NEEDED and template.id not in refresh_ids:
        # Fast path (a reschedule): only the due time, its notice and the unit can change.
        due, short_notice = _due(event, row, row.offset, row.offset_unit, row.anchor, now, grace)
        if due == row.due_at and unit_id == row.unit_id and short_notice == row.short_notice:
            return None
        change = {"id": row.id}
        if due != row.due_at:
            change["due_at"] = due
        if short_notice != row.short_notice:
            change["short_notice"] = short_notice
        if unit_id != row.unit_id:
            change["unit_id"] = unit_id
        return change
    change = {"id": row.id}
    offset, offset_unit, anchor = row.offset, row.offset_unit, row.anchor
    if row.status is ItemStatus.NOT_NEEDED:
        # Wanted again (e.g. the unit was added back): open it again.
        change["status"] = ItemStatus.OPEN
    if template.id in refresh_ids:
        offset, offset_unit, anchor = template.offset, template.offset_unit, template.anchor
        change.update(title_vi=template.title_vi, title_en=template.title_en,
                      requires_submission=template.requires_submission,
                      legal_basis=template.legal_basis, legal_verified=template.legal_verified,
                      offset=offset, offset_unit=offset_unit, anchor=anchor)
    due, short_notice = _due(event, row, offset, offset_unit, anchor, now, grace)
    if due != row.due_at:
        change["due_at"] = due
    if short_notice != row.short_notice:
        change["short_notice"] = short_notice
    if unit_id != row.unit_id:
        change["unit_id"] = unit_id
    return change if len(change) > 1 else None


def _expire_loaded_items() -> None:
    """Bulk statements bypass the identity map: make loaded items re-read their rows."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ChecklistItem):
            db.session.expire(obj)


def sync_checklist(event: Event, actor: User | None = None) -> SyncResult:
    """Regenerate one event's checklist (called on every save of the event)."""
    return sync_checklists([event], actor=actor)


def load_events_for_sync(query: sa.Select) -> list[Event]:
    """Events with what the sync reads, loaded in a few queries."""
    return list(db.session.scalars(query.options(selectinload(Event.coordinating_units))))


def on_event_saved(event: Event, actor=None, changes=None, created=False, **_ignored) -> None:
    """Receiver of ``app.events.signals.event_saved``.

    Keep the checklist in step, then announce it (``checklist_synced``: notifications tell the
    owners of new items).
    """
    sync_checklist(event, actor=actor)
    checklist_synced.send(event, actor=actor)


def generated_items(event: Event) -> list[ChecklistItem]:
    """The event's items generated from templates."""
    return list(db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == event.id, ChecklistItem.key.startswith(TEMPLATE_KEY_PREFIX))))
