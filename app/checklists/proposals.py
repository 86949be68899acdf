"""Briefings proposed by the checklist.

A template with ``creates_briefing`` that applies to an event proposes a press conference (a press
``Briefing``) on the day its item is due.

Called by ``sync_checklists`` for the events it syncs. Flushes, never commits.
"""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.checklists.rules import DEFAULT_TIMEZONE, applies, compute_due, item_key
from app.events.models import Event, EventStatus
from app.extensions import db
from app.press.defaults import briefing_titles
from app.press.models import Briefing, BriefingKind, BriefingStatus
from app.settings import setting
from app.timeutil import utcnow

# Events whose proposed briefings stand; a cancelled event's are cancelled.
OPEN_EVENT_STATUSES = frozenset({EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.POSTPONED})


def _proposed_times(event: Event, template) -> tuple[datetime, datetime]:
    zone = ZoneInfo(event.timezone or DEFAULT_TIMEZONE)
    due = compute_due(event, template.offset, template.offset_unit, template.anchor)
    starts = datetime.combine(due.astimezone(zone).date(), setting("press.proposed_start"),
                              tzinfo=zone)
    starts = starts.astimezone(UTC)
    return starts, starts + timedelta(minutes=setting("press.proposed_length_minutes"))


def sync_proposed_briefings(events: list[Event], templates, with_delegation: set[int]) -> None:
    """Propose a briefing for each template with ``creates_briefing`` that applies to an event.

    A briefing still only *proposed* follows the event when it moves and is
    cancelled when the event is cancelled or its kind no longer asks for one;
    once scheduled by a person it is theirs (only an event cancellation cancels it).
    """
    briefing_templates = [t for t in templates if t.creates_briefing]
    ids = [e.id for e in events]
    existing: dict[int, dict[str | None, Briefing]] = {}  # keys: checklist_key, never NULL here
    for start in range(0, len(ids), 500):
        for found in db.session.scalars(sa.select(Briefing).where(
                Briefing.event_id.in_(ids[start:start + 500]), Briefing.checklist_key.is_not(None))):
            existing.setdefault(found.event_id, {})[found.checklist_key] = found
    if not briefing_templates and not existing:
        return
    moves = []  # proposed briefings following their event: one executemany, not one UPDATE each
    for event in events:
        wanted = {}
        if event.status in OPEN_EVENT_STATUSES:
            wanted = {item_key(t.id): t for t in briefing_templates
                      if applies(t, event, event.id in with_delegation)}
        mine = existing.get(event.id, {})
        for key, template in wanted.items():
            briefing = mine.get(key)
            starts, ends = _proposed_times(event, template)
            if briefing is None:
                titles = briefing_titles(BriefingKind.PRE_EVENT, event.title_vi, event.title_en)
                db.session.add(Briefing(
                    event=event, checklist_key=key, status=BriefingStatus.PROPOSED,
                    title_vi=titles[0], title_en=titles[1],
                    starts_at=starts, ends_at=ends, timezone=event.timezone,
                    venue_id=event.venue_id, location=event.location or ""))
            elif briefing.status is BriefingStatus.PROPOSED and briefing.starts_at != starts:
                moves.append({"b_id": briefing.id, "b_version": briefing.version,
                              "b_starts": starts, "b_ends": ends})
        cancel = (BriefingStatus.PROPOSED, BriefingStatus.SCHEDULED) \
            if event.status is EventStatus.CANCELLED else (BriefingStatus.PROPOSED,)
        for old_key, briefing in mine.items():
            if old_key not in wanted and briefing.status in cancel:
                briefing.status = BriefingStatus.CANCELLED
                briefing.sequence += 1
    db.session.flush()
    if moves:
        _move_proposed(moves)


def _move_proposed(moves: list[dict]) -> None:
    """Move proposed briefings with their event.

    The version and status guards leave alone a briefing someone changed meanwhile (it is no longer
    this sync's to move).
    """
    table = Briefing.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == sa.bindparam("b_id"), table.c.version == sa.bindparam("b_version"),
               table.c.status == BriefingStatus.PROPOSED)
        .values(starts_at=sa.bindparam("b_starts"), ends_at=sa.bindparam("b_ends"),
                sequence=table.c.sequence + 1, version=table.c.version + 1, updated_at=utcnow()),
        moves)
    for move in moves:  # loaded objects re-read their rows
        briefing = db.session.get(Briefing, move["b_id"])
        if briefing is not None:
            db.session.expire(briefing)
