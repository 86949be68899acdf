"""The feeds' change counter: bumped in the same transaction by every write a feed can show.

A feed's ETag used to count the rows of every table a feed draws on (a full scan of each,
on every poll). Instead, every flush or bulk statement that writes one of the ``WATCHED``
tables first bumps the row ``change_counters.feeds`` (value + 1, changed_at = now), so a
poll costs one primary-key lookup. Because the bump is a write in the writer's own
transaction, readers see the new number exactly when they see the new rows: a 304 never
hides a committed change, and a rolled-back write leaves the number as it was.

Session events catch every service (events, delegations and their members, programme,
briefings, assignments, checklist items and templates, venues, units) without each one
having to remember it. The bump comes before the writes of the flush, so concurrent writers
queue on the counter row before they lock anything else (no lock-order deadlock between
two flushes).

Delegations and their members have no ``updated_at`` that the event's VEVENT key would see:
a flush that writes them also touches the event's ``updated_at`` (a plain UPDATE, which
leaves the event's optimistic-locking version alone), so the event's block is rebuilt.
"""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.session import Session
from sqlalchemy.dialects import postgresql, sqlite

from app.events.models import Delegation, DelegationMember, Event
from app.feeds.models import ChangeCounter
from app.timeutil import utcnow

FEEDS = "feeds"
# The tables whose writes can change a feed; deadline sources add theirs (``watch``).
WATCHED: set[str] = {
    "events", "event_coordinating_units", "event_hosts", "delegations", "delegation_members",
    "programme_items", "venues", "units", "briefings", "spokesperson_assignments",
    "checklist_items", "checklist_templates",
}


def watch(*tables: str) -> None:
    """Bump the counter on writes to ``tables`` too (a deadline source's, ``feeds.sources``)."""
    WATCHED.update(tables)


def _bump(connection: sa.Connection, now: datetime) -> None:
    table = ChangeCounter.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # The first value is random: a database emptied or recreated never repeats the numbers
    # (and so the ETags) of an earlier one.
    statement = dialect.insert(table).values(name=FEEDS, value=secrets.randbelow(2**40),
                                             changed_at=now)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.name],
        set_={"value": table.c.value + 1, "changed_at": now}))


def _table_of(obj) -> str | None:
    table = getattr(type(obj), "__table__", None)
    return None if table is None else table.name


def _delegation_event_ids(session, objects) -> set[int]:
    ids: set[int] = set()
    delegation_ids: set[int] = set()
    for obj in objects:
        if isinstance(obj, Delegation):
            if obj.event_id is not None:
                ids.add(obj.event_id)
            elif obj.event is not None and obj.event.id is not None:
                ids.add(obj.event.id)
        elif isinstance(obj, DelegationMember):
            if obj.delegation_id is not None:
                delegation_ids.add(obj.delegation_id)
            elif obj.delegation is not None and obj.delegation.event_id is not None:
                ids.add(obj.delegation.event_id)
    if delegation_ids:
        ids.update(session.connection().execute(
            sa.select(Delegation.event_id).where(Delegation.id.in_(delegation_ids))).scalars())
    return ids


def _before_flush(session, _flush_context, _instances) -> None:
    changed = [obj for obj in (*session.new, *session.dirty, *session.deleted)
               if _table_of(obj) in WATCHED]
    if not changed:
        return
    now = utcnow()
    connection = session.connection()
    _bump(connection, now)
    event_ids = _delegation_event_ids(session, changed)
    if event_ids:
        connection.execute(sa.update(Event.__table__).where(Event.__table__.c.id.in_(event_ids))
                           .values(updated_at=now))


def _do_orm_execute(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED:
        _bump(state.session.connection(), utcnow())


def counter_statement() -> sa.Select:
    """The counter's value and time of change (one primary-key lookup; no row: nothing yet)."""
    table = ChangeCounter.__table__
    return sa.select(table.c.value, table.c.changed_at).where(table.c.name == FEEDS)


def register(_app=None) -> None:
    """Listen to every session of the app (once per process, however many apps are made)."""
    for name, listener in (("before_flush", _before_flush), ("do_orm_execute", _do_orm_execute)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
