"""Month rollups of the oversight figures, kept exact by the session's writes.

A year of 20,000 events has about 270,000 checklist items: counting them for every
dashboard, chart and report took seconds. The counts are additive, so they are kept per
month (in the app's time zone), lead or owing unit and kind of event:

- ``oversight_item_counts``: items due, done on time, done late, still awaiting their owner
  (these three of the regular items only), and generated at short notice;
- ``oversight_event_counts``: events held and those briefed before they started.

Each is filled by one ``INSERT … SELECT … GROUP BY`` (the same conditions as the raw
figures, ``services``) the first time a month is needed, and refilled after a change.
A change is any flush or bulk statement that writes an item, an event or a briefing: it
increments the ``generation`` of the months it touches (of the old and new dates) in the
writer's own transaction; a month is fresh while ``rolled == generation``. These writes
also bump the feeds' change counter first (``feeds.changes``, registered before), so
concurrent writers queue on that one row before they lock any month: no lock-order deadlock.
Readers use fresh months and count the rest (partial months at the period's edges, the
current month, whose "overdue now" moves with the clock, or a month another request is
filling) from the raw tables, so a figure never depends on whether a rollup was there.

Medians do not add up: they are cached per scope with the generations of the months they
read and the newest submission's id (``oversight_median_cache``: submissions are only ever
added, or deleted with their item) and recomputed when one of them changed.

The oversight pages commit what they filled (``commit_fills``); a fill lost to a
concurrent one (unique key) is dropped and the figures are counted from the raw tables.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy.exc import IntegrityError, OperationalError

from app.checklists.models import ChecklistItem, ChecklistSubmission
from app.events.models import Event
from app.extensions import db, insert_ignoring_conflicts
from app.oversight import periods
from app.oversight.models import EventCount, ItemCount, MedianCache, RollupMonth
from app.press.models import Briefing

WRITTEN = "oversight_rollup_written"   # session.info flag: a fill to commit
ITEM_FIELDS = ("due_at", "unit_id", "status", "completed_at", "requires_submission", "event_id",
               "short_notice")
EVENT_FIELDS = ("kind", "status", "starts_at", "lead_unit_id")
BRIEFING_FIELDS = ("status", "starts_at", "release_vi", "event_id")
TABLES = frozenset({"checklist_items", "events", "briefings"})


# --- months ------------------------------------------------------------------------------------

def _zone() -> str:
    return current_app.config["APP_TIMEZONE"] if has_app_context() else "Asia/Ho_Chi_Minh"


def month_key(zone: str, first_day: date) -> str:
    return f"{zone}:{first_day.year:04d}-{first_day.month:02d}"


def month_of(moment: datetime | None, zone: str) -> str | None:
    if moment is None:
        return None
    return month_key(zone, periods.month_start(moment.astimezone(ZoneInfo(zone)).date()))


def months_between(first: datetime, last: datetime, zone: str) -> list[str]:
    tz = ZoneInfo(zone)
    return [month_key(zone, day) for day in periods.months_between(first.astimezone(tz).date(),
                                                                   last.astimezone(tz).date())]


@dataclass(frozen=True)
class Segment:
    """A piece of a period inside one month; ``key`` set when it is the whole month."""

    start: datetime
    end: datetime
    key: str | None


def segments(start: datetime, end: datetime, zone: str) -> list[Segment]:
    """[start, end) cut at the months' boundaries in ``zone``."""
    tz = ZoneInfo(zone)
    found = []
    for first in periods.months_between(start.astimezone(tz).date(), (end.astimezone(tz)).date()):
        month_a = datetime.combine(first, time(0), tzinfo=tz)
        month_b = datetime.combine(periods.month_start(first, 1), time(0), tzinfo=tz)
        a, b = max(start, month_a), min(end, month_b)
        if a < b:
            found.append(Segment(a, b, month_key(zone, first) if (a, b) == (month_a, month_b) else None))
    return found


# --- invalidation (session events of every writer) ----------------------------------------------

def _changed(obj, names: Iterable[str]) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _old_and_new(session, obj, name: str) -> list:
    """The attribute's value before and after the change (loaded if it was expired)."""
    history = sa.inspect(obj).attrs[name].history
    values = [*history.deleted, *history.unchanged, *history.added]
    if not values:
        with session.no_autoflush:
            values = [getattr(obj, name)]
    return values


def _item_months(connection, event_ids: set[int], zone: str) -> set[str]:
    if not event_ids:
        return set()
    keys: set[str] = set()
    for first, last in connection.execute(
            sa.select(sa.func.min(ChecklistItem.due_at), sa.func.max(ChecklistItem.due_at))
            .where(ChecklistItem.event_id.in_(sorted(event_ids))).group_by(ChecklistItem.event_id)):
        if first is not None:
            keys.update(months_between(_aware(first), _aware(last), zone))
    return keys


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))


def _touched_months(session, zone: str) -> set[str]:
    keys: set[str] = set()
    event_ids: set[int] = set()
    briefing_event_ids: set[int] = set()
    connection = session.connection()
    for obj, state in [*((o, "new") for o in session.new), *((o, "dirty") for o in session.dirty),
                       *((o, "deleted") for o in session.deleted)]:
        if isinstance(obj, ChecklistItem):
            if state == "dirty" and not _changed(obj, ITEM_FIELDS):
                continue
            keys.update(k for k in (month_of(d, zone) for d in _old_and_new(session, obj, "due_at")) if k)
        elif isinstance(obj, Event):
            if state == "dirty" and not _changed(obj, EVENT_FIELDS):
                continue
            keys.update(k for k in (month_of(d, zone) for d in _old_and_new(session, obj, "starts_at")) if k)
            identity = sa.inspect(obj).identity
            if identity is not None:
                event_ids.add(identity[0])
        elif isinstance(obj, Briefing):
            if state == "dirty" and not _changed(obj, BRIEFING_FIELDS):
                continue
            event = obj.__dict__.get("event")
            if event is not None and event.starts_at is not None:
                keys.add(month_of(event.starts_at, zone) or "")
            else:
                with session.no_autoflush:
                    if obj.event_id is not None:
                        briefing_event_ids.add(obj.event_id)
    if briefing_event_ids:
        keys.update(month_of(_aware(d), zone) or "" for d in connection.execute(
            sa.select(Event.starts_at).where(Event.id.in_(sorted(briefing_event_ids)))).scalars())
    keys.update(_item_months(connection, event_ids, zone))
    keys.discard("")
    return keys


def invalidate(connection, keys: Iterable[str] | None) -> None:
    """Make these months (None: every month) stale; their next reader refills them."""
    table = RollupMonth.__table__
    statement = sa.update(table).values(generation=table.c.generation + 1)
    if keys is not None:
        keys = sorted(keys)
        if not keys:
            return
        statement = statement.where(table.c.month.in_(keys))
    connection.execute(statement)


def _before_flush(session, _flush_context, _instances) -> None:
    if not any(isinstance(o, (ChecklistItem, Event, Briefing))
               for o in (*session.new, *session.dirty, *session.deleted)):
        return
    keys = _touched_months(session, _zone())
    if keys:
        invalidate(session.connection(), keys)


def _do_orm_execute(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in TABLES:
        invalidate(state.session.connection(), None)


def register(_app=None) -> None:
    """Listen to every session of the app (once per process)."""
    for name, listener in (("before_flush", _before_flush), ("do_orm_execute", _do_orm_execute)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)


class _Changed(Exception):
    """A writer changed the month while it was being filled: the fill is dropped."""


# --- filling ------------------------------------------------------------------------------------

def _short_waits() -> None:
    """A reader never waits long for a lock (PostgreSQL): it counts from the raw tables instead.

    Readers lock only the rollup rows they write; a writer or another reader holding one
    makes the statement fail after 200 ms (caught: that month is counted raw), so readers
    never wait on each other in a cycle.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))


def _generations(keys: list[str]) -> dict[str, tuple[int, int | None]]:
    """(generation, rolled) of each month, creating the rows of months never seen.

    A month whose row could not be created (a lock held elsewhere) is left out: not fresh.
    """
    table = RollupMonth.__table__
    found = {m: (g, r) for m, g, r in db.session.execute(
        sa.select(table.c.month, table.c.generation, table.c.rolled).where(table.c.month.in_(keys)))}
    missing = [k for k in keys if k not in found]
    if missing:
        _short_waits()
        try:
            with db.session.begin_nested():
                db.session.execute(insert_ignoring_conflicts(table).values(
                    [{"month": k, "generation": 0, "rolled": None} for k in missing]).on_conflict_do_nothing())
        except OperationalError:
            return found
        db.session.info[WRITTEN] = True
        found.update({m: (g, r) for m, g, r in db.session.execute(
            sa.select(table.c.month, table.c.generation, table.c.rolled).where(table.c.month.in_(missing)))})
    return found


def fresh_months(found: list[Segment], item_select: Callable, event_select: Callable) -> set[str]:
    """The whole months of ``found`` whose rollups are current, filling the stale ones.

    ``item_select(a, b)`` / ``event_select(a, b)``: the GROUP BY (unit, kind) of the raw
    counts in [a, b), in the column order of the rollup tables (after the month).
    """
    whole = {s.key: s for s in found if s.key}
    if not whole:
        return set()
    states = _generations(sorted(whole))
    fresh = {key for key, (generation, rolled) in states.items() if rolled == generation}
    stale = sorted(set(states) - fresh)
    if stale:
        _short_waits()
    for key in stale:
        generation = states[key][0]
        segment = whole[key]
        try:
            with db.session.begin_nested():
                for model, select in ((ItemCount, item_select), (EventCount, event_select)):
                    table = model.__table__
                    db.session.execute(sa.delete(table).where(table.c.month == key))
                    query = select(segment.start, segment.end)
                    query = query.add_columns(sa.literal(key).label("month"))
                    columns = [c.name for c in table.columns if c.name != "month"] + ["month"]
                    db.session.execute(table.insert().from_select(columns, query))
                marked = db.session.execute(
                    sa.update(RollupMonth.__table__)
                    .where(RollupMonth.__table__.c.month == key,
                           RollupMonth.__table__.c.generation == generation)
                    .values(rolled=generation))
                if getattr(marked, "rowcount", 1) != 1:
                    raise _Changed(key)
        except (IntegrityError, OperationalError, _Changed):
            continue   # another request filled it (or a writer changed it): counted raw this time
        db.session.info[WRITTEN] = True
        fresh.add(key)
    return fresh


# --- medians ------------------------------------------------------------------------------------

def cached(key: str, start: datetime, end: datetime, zone: str, compute: Callable[[], dict]) -> dict:
    """``compute()`` (a JSON-able dict) for ``key``, cached until a month of [start, end) changes."""
    keys = months_between(start, end - timedelta(microseconds=1), zone)
    states = _generations(keys)
    if len(states) < len(keys):
        return compute()   # a month's row is being created elsewhere: not cached this time
    newest = db.session.scalar(sa.select(sa.func.max(ChecklistSubmission.id)))
    signature = ",".join([*(f"{k}={states[k][0]}" for k in keys), f"submission={newest or 0}"])
    key = key[:200]
    row = db.session.get(MedianCache, key)
    if row is not None and row.signature == signature:
        return row.payload
    value = compute()
    _short_waits()
    try:
        with db.session.begin_nested():
            table = MedianCache.__table__
            db.session.execute(sa.delete(table).where(table.c.key == key))
            db.session.execute(table.insert().values(key=key, signature=signature, payload=value))
        db.session.info[WRITTEN] = True
    except (IntegrityError, OperationalError):
        pass
    if row is not None:
        db.session.expire(row)
    return value


def commit_fills() -> None:
    """Commit the rollups a read filled (the oversight pages call it after a GET)."""
    if db.session.info.pop(WRITTEN, False):
        db.session.commit()
