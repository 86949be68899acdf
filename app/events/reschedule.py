"""A reschedule carries everything: what moves with an event when its start moves.

When an event's start moves by an offset, its programme items, its delegation's arrival and
departure and (through ``reschedule_preview`` / ``event_rescheduled`` receivers, e.g. press
briefings) whatever other features hang on it move by the same offset, in the same
transaction, unless the person chose to keep some where they are. ``preview`` lists what
would move (the page shows it before anything is saved); ``recheck`` drops the clash overrides
that no longer apply and looks for clashes again at the new times; ``carry`` moves it all
(``app.events.services.update_event`` calls them in that order).

Flushes, never commits.
"""
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.events.clashes import Clash, ClashesFound, Planned, find_clashes
from app.events.delegations import outside_event
from app.events.history import describe
from app.events.models import ClashOverride, Event
from app.events.signals import event_rescheduled, reschedule_preview
from app.events.validation import TEXT_MAX, check_length
from app.extensions import db

# Where an item belongs relative to its event (``Moving.place``).
WITHIN, BEFORE_START, AFTER_START = "within", "before_start", "after_start"
PLACES = (WITHIN, BEFORE_START, AFTER_START)


@dataclass(frozen=True)
class Moving:
    """One thing that follows the event, as the preview lists it.

    ``key`` names it in the form ("programme:12", "arrival", "briefing:3"); ``keep`` is the
    preview's default (True: it stays unless the person ticks it to move). ``place`` is where
    it belongs relative to the event (``PLACES``; "": anywhere), so that an item kept where it
    is can be flagged when the event moves away from it.
    """

    key: str
    kind: str  # programme | arrival | departure | briefing
    label: str
    starts_at: datetime
    ends_at: datetime | None
    timezone: str
    keep: bool = False
    note: str = ""
    place: str = ""

    def moved_start(self, offset: timedelta) -> datetime:
        return self.starts_at + offset


@dataclass
class Preview:
    """The event's new time and what would move with it."""

    starts_at: datetime  # the event's new start and end
    ends_at: datetime
    timezone: str
    offset: timedelta
    items: list[Moving]

    def misplaced(self, item: Moving) -> str:
        """Where ``item``, kept at its time, would fall against the event's new time.

        "" when it is where it belongs; else the ``PLACES`` key it breaks: a programme item
        outside the event, a pre-event press conference at or after its start, a results
        briefing before its start.
        """
        if item.place == WITHIN and outside_event(
                self.starts_at, self.ends_at, item.starts_at, item.ends_at or item.starts_at):
            return WITHIN
        if item.place == BEFORE_START and item.starts_at >= self.starts_at:
            return BEFORE_START
        if item.place == AFTER_START and item.starts_at < self.starts_at:
            return AFTER_START
        return ""


class RescheduleNeeded(Exception):
    """The start moved and other things follow it: show the person the preview first."""

    def __init__(self, preview: Preview):
        super().__init__(f"{len(preview.items)} item(s) to move")
        self.preview = preview


def preview(event: Event, offset: timedelta) -> list[Moving]:
    """What moves with ``event`` when its start moves by ``offset``, in time order."""
    items: list[Moving] = []
    for item in event.programme:
        items.append(Moving(f"programme:{item.id}", "programme", item.activity_vi, item.starts_at,
                            item.ends_at, event.timezone, place=WITHIN))
    delegation = event.delegation
    if delegation is not None:
        for kind, moment in (("arrival", delegation.arrival_at),
                             ("departure", delegation.departure_at)):
            if moment is not None:
                items.append(Moving(kind, kind, "", moment, None, event.timezone))
    for _receiver, found in reschedule_preview.send(event, offset=offset):
        items.extend(found or [])
    return sorted(items, key=lambda m: (m.starts_at, m.key))


def kept_misplaced(event: Event, keep: Collection[str]) -> list[tuple[Moving, str]]:
    """What the person kept where it was that does not belong there at the event's time now.

    (item, ``PLACES`` key) for each, in time order: after a reschedule, the warnings on save
    (the preview flagged them before with ``Preview.misplaced``).
    """
    if not keep:
        return []
    now = Preview(event.starts_at, event.ends_at, event.timezone, timedelta(0),
                  [item for item in preview(event, timedelta(0)) if item.key in keep])
    return [(item, place) for item in now.items if (place := now.misplaced(item))]


def carry(actor, event: Event, offset: timedelta, keep: Collection[str]) -> dict:
    """Move what follows the event by ``offset``, except the keys in ``keep``.

    Called once the event itself is flushed at its new time. Returns the history changes
    ({field: (old, new)}).
    """
    changes: dict = {}
    moved = [item for item in event.programme if f"programme:{item.id}" not in keep]
    if moved:
        before = [(item.starts_at, item.activity_vi) for item in moved]
        for item in moved:
            item.starts_at += offset
            item.ends_at += offset
            item.sequence = (item.sequence or 0) + 1
        changes["programme"] = (_programme_text(before, event.timezone),
                                _programme_text([(i.starts_at, i.activity_vi) for i in moved],
                                                event.timezone))
    delegation = event.delegation
    if delegation is not None:
        for kind in ("arrival", "departure"):
            moment = getattr(delegation, f"{kind}_at")
            if moment is not None and kind not in keep:
                setattr(delegation, f"{kind}_at", moment + offset)
                changes[f"delegation.{kind}_at"] = (moment, moment + offset)
    db.session.flush()
    for _receiver, found in event_rescheduled.send(event, actor=actor, offset=offset,
                                                   keep=frozenset(keep)):
        changes.update(found or {})
    return changes


def _programme_text(rows, zone: str) -> str:
    return "; ".join(f"{describe('t', moment, zone)} {activity}" for moment, activity in rows)


def _key(clash: Clash | dict) -> tuple:
    if isinstance(clash, dict):
        return (clash.get("kind"), clash.get("other_event_id"), clash.get("subject"),
                clash.get("day"))
    return (clash.kind, clash.other_event_id, clash.subject,
            clash.day.isoformat() if clash.day else None)


def recheck(event: Event, planned: Planned, offset: timedelta, keep: Collection[str],
            override_reason: str) -> tuple[list[Clash], str]:
    """The clashes at the new times, once the overrides that no longer apply are dropped.

    ``planned`` is the event at its new time; its programme items not in ``keep`` are checked
    at their times moved by ``offset``. An earlier override is dropped unless every clash it
    confirmed is still there; every clash at the new time needs a reason again (ClashesFound
    without one), as for any move.
    """
    found = list(find_clashes(planned))
    for item in event.programme:
        if f"programme:{item.id}" not in keep:
            found += find_clashes(Planned(
                item.starts_at + offset, item.ends_at + offset, event.timezone,
                venue_id=item.venue_id, host_ids={u.id for u in item.hosts}, event_id=event.id,
                check_holidays=False))
    unique = list(dict.fromkeys(found))
    current = {_key(c) for c in unique}
    for override in db.session.scalars(sa.select(ClashOverride).where(
            ClashOverride.event_id == event.id)):
        if not {_key(c) for c in override.clashes or []} <= current:
            db.session.delete(override)
    reason = check_length(override_reason, TEXT_MAX, "override_reason")
    if unique and not reason:
        raise ClashesFound(unique)
    return unique, reason
