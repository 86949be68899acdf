"""An event's history.

Snapshots, the EventChange rows, optimistic locking, and the one way a change to an existing event
is saved (``save_changes``).
"""
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.errors import ValidationFailed
from app.events.clashes import Clash
from app.events.models import ClashOverride, Event, EventChange, Venue
from app.events.signals import event_saved
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from app.units.models import Unit

# Only those who may edit the event see these fields, and their history.
EDITORS_ONLY_FIELDS = frozenset({"internal_notes", "delegation.logistics"})
# A change of any of these makes calendar clients update their copy (iCalendar SEQUENCE).
SEQUENCE_FIELDS = {"title_vi", "title_en", "starts_at", "ends_at", "timezone", "all_day",
                   "venue_id", "location", "status"}
# Fields naming units: their history rows also keep the units' ids, [old, new, old ids, new ids],
# so pages name the units as they are called now, in the reader's language
# (``display.history_values``). Older rows have only the Vietnamese names, shown as written.
UNIT_FIELDS = frozenset({"lead_unit_id", "coordinating_unit_ids"})


class StaleVersion(Exception):
    """The form was based on an older version; ``changes`` are the EventChange rows since."""

    def __init__(self, changes: Sequence[EventChange]):
        super().__init__("stale version")
        self.changes = changes


def snapshot(event: Event) -> dict:
    """The fields history and the signal compare, as plain values."""
    return {
        "title_vi": event.title_vi, "title_en": event.title_en,
        "description_vi": event.description_vi, "description_en": event.description_en,
        "internal_notes": event.internal_notes,
        "kind": event.kind.value if event.kind else None,
        "status": event.status.value if event.status else None,
        "status_reason": event.status_reason,
        "visibility": event.visibility.value if event.visibility else None,
        "is_sensitive": bool(event.is_sensitive), "released_at": event.released_at,
        "embargo_until": event.embargo_until,
        "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
        "all_day": bool(event.all_day), "venue_id": event.venue_id, "location": event.location,
        "lead_unit_id": event.lead_unit_id,
        "coordinating_unit_ids": sorted(u.id for u in event.coordinating_units),
        "host_ids": sorted(u.id for u in event.hosts),
        "country": event.delegation.country if event.delegation else "",
        "locality": event.delegation.locality if event.delegation else "",
    }


def diff(old: dict, new: dict) -> dict:
    return {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}


def describe(name: str, value, zone: str):
    """A history value as text, readable without the database."""
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") + f" {zone}"
    if name == "venue_id":
        venue = db.session.get(Venue, value)
        return venue.name if venue else str(value)
    if name == "lead_unit_id":
        unit = db.session.get(Unit, value)
        return unit.name_vi if unit else str(value)
    if name == "coordinating_unit_ids":
        return ", ".join(u.name_vi for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(value))))
    if name == "host_ids":
        return ", ".join(u.name for u in db.session.scalars(sa.select(User).where(User.id.in_(value))))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def record(actor, event: Event, changes: dict, note: str = "", clashes=(),
           reason: str = "") -> EventChange:
    """Write the history row of a change.

    When the user saved despite ``clashes``, their ``reason`` is the row's note and the override is
    kept with the clashes.
    """
    if clashes:
        note = reason
        _keep_override(actor, event, list(clashes), reason)
    zone = event.timezone or "UTC"
    row = EventChange(event_id=event.id, user_id=getattr(actor, "id", None),
                      changed_at=utcnow(), note=note, version=event.version,
                      changes={k: _entry(k, old, new, zone) for k, (old, new) in changes.items()})
    db.session.add(row)
    return row


def _entry(name: str, old, new, zone: str) -> list:
    texts = [describe(name, old, zone), describe(name, new, zone)]
    if name in UNIT_FIELDS:
        return [*texts, _ids(old), _ids(new)]
    return texts


def _ids(value) -> list[int]:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, int) else sorted(value)


def _keep_override(actor, event: Event, clashes: list[Clash], reason: str) -> None:
    db.session.add(ClashOverride(
        event_id=event.id, user_id=getattr(actor, "id", None), created_at=utcnow(), reason=reason,
        clashes=[{"kind": c.kind, "other_event_id": c.other_event_id, "subject": c.subject,
                  "day": c.day.isoformat() if c.day else None} for c in clashes]))


def changes_since(event: Event, version: int) -> Sequence[EventChange]:
    """The history rows written after ``version``, oldest first."""
    return db.session.scalars(
        sa.select(EventChange).options(selectinload(EventChange.user))
        .where(EventChange.event_id == event.id, EventChange.version > version)
        .order_by(EventChange.id)).all()


def check_version(event: Event, expected_version) -> None:
    """Refuse a form based on an older version of the event (StaleVersion lists what changed)."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The form is missing its version; reload the page."),
                               "version") from None
    if expected != event.version:
        raise StaleVersion(changes_since(event, expected))


def flush_versioned(event: Event, expected_version: int) -> None:
    """Flush, turning a racing UPDATE (another save committed meanwhile) into StaleVersion."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(Event, event.id)
        raise StaleVersion(changes_since(fresh, int(expected_version)) if fresh else []) from None


def save_changes(actor, event: Event, old: dict, expected_version, note: str = "",
                 clashes=(), reason: str = "", carry: Callable[[], dict] | None = None) -> dict:
    """Save what changed on ``event`` since the snapshot ``old``.

    The one way an existing event changes. Bumps SEQUENCE for time, place, status and title, moves
    the version (StaleVersion if another save came first), writes the history row (and the clash
    override), flushes and sends ``event_saved``. Returns the changes ({} when none).

    ``carry`` (a reschedule) runs once the event is flushed at its new time, before the history
    row and the signal: it moves what follows the event and returns the changes it made, kept
    in the same history row.
    """
    changes = diff(old, snapshot(event))
    if not changes:
        return {}
    if SEQUENCE_FIELDS & changes.keys():
        event.sequence = (event.sequence or 0) + 1
    event.updated_at = utcnow()  # always an UPDATE of the row, so the version moves
    flush_versioned(event, expected_version)
    carried = carry() if carry is not None else {}
    record(actor, event, {**changes, **carried}, note=note, clashes=clashes, reason=reason)
    db.session.flush()
    event_saved.send(event, actor=actor, changes=changes, created=False)
    return changes
