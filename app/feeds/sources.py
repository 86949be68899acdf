"""Deadlines that features above feeds put in the feeds ("deadline sources").

Feeds sit below the features that own these deadlines (monitoring, say), so they never
import them: a feature registers a source at app setup (``register``), and every build of a
feed with deadlines asks each source once for the entries of that feed (``entries``).

A source answers with ONE query per build (no N+1) and decides what the feed's reader may
see of its own records (its visibility rule stays in its package). The feeds render the
entries like checklist deadlines (``ical.render_source_deadline``): the same 15-minute
VEVENT or VTODO, CATEGORIES, alarms and detail levels. The tables a source reads are
watched by the change counter (``changes.watch``), so that any write to them changes the
feeds' ETag at the next request; ``tag`` gives what else the content depends on (e.g. the
local day), which goes into every ETag.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from app.feeds import changes
from app.feeds.models import DetailLevel

_KEY = "feed_deadline_sources"


@dataclass(frozen=True)
class DeadlineQuery:
    """What a source needs to know of the feed being built."""
    owner: Any                  # the feed's reader: a user, or a unit's reader (no role)
    unit_id: int | None         # a unit's feed: that unit's deadlines only
    unit_ids: tuple[int, ...]   # the feed's unit filter (empty: none)
    narrowed: bool              # narrowed to event kinds or one delegation
    start: datetime             # the window
    end: datetime
    keep_since: datetime        # cancelled entries stay while they changed after this
    now: datetime
    language: str               # vi | en
    detail: DetailLevel


@dataclass(frozen=True)
class SourceEntry:
    """One deadline of a source, ready to render in the feed's language."""
    uid: str                    # without the host, stable: "case-12-verify"
    version: str                # changes whenever anything the entry shows does (block cache)
    title: str                  # what is due ("Verify — <headline>"), after "Due: "
    due_at: datetime
    timezone: str
    sequence: int               # goes up when the due time moves (or the entry is cancelled)
    changed_at: datetime        # DTSTAMP / LAST-MODIFIED
    created_at: datetime        # when the deadline appeared (Atom: new deadline)
    path: str                   # its page, under BASE_URL
    details: tuple[str, ...] = ()   # lines of the description
    category: str = ""          # a second category beside "Deadline"
    withheld: bool = False      # the feed may show only "Deadline" (and the time)
    cancelled: bool = False     # STATUS:CANCELLED (kept for the retention window)
    in_progress: bool = False   # VTODO STATUS:IN-PROCESS
    moved_at: datetime | None = None    # when the due time last moved (Atom)
    cancelled_at: datetime | None = None  # when it was cancelled (Atom)


Source = Callable[[DeadlineQuery], Iterable[SourceEntry]]


@dataclass(frozen=True)
class _Registered:
    source: Source
    tag: Callable[[datetime], str] | None


def register(app: Flask, name: str, source: Source, *, tables: Iterable[str] = (),
             tag: Callable[[datetime], str] | None = None) -> None:
    """Add a deadline source to ``app`` (again under the same name: replaced).

    ``tables``: the tables the source reads, watched by the feeds' change counter.
    ``tag(now)``: cheap (no query) text of what else its entries depend on; part of every ETag.
    """
    app.extensions.setdefault(_KEY, {})[name] = _Registered(source, tag)
    changes.watch(*tables)


def _registered() -> dict[str, _Registered]:
    return current_app.extensions.get(_KEY, {})


def entries(query: DeadlineQuery) -> list[SourceEntry]:
    """Every source's entries for one feed build (one call, one query, per source)."""
    found: list[SourceEntry] = []
    for name in sorted(_registered()):
        found.extend(_registered()[name].source(query))
    return found


def etag_tags(now: datetime) -> list[str]:
    """The sources' own parts of a feed's ETag."""
    return [f"{name}:{item.tag(now)}" for name, item in sorted(_registered().items())
            if item.tag is not None]
