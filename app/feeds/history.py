"""What changed in a feed: events moved or cancelled, new deadlines, deadlines moved.

Read from the events' own history (``event_changes``), the checklist items and the deadline
sources (``feeds.sources``: new, moved, cancelled), through
the same conditions as the feed's build, so a change list shows exactly what its feed
may show, at its detail level. Used by the feeds page ("since last fetched") and by the
Atom companion ``/feeds/<token>.atom`` (the last 30 days).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.events.models import Event, EventChange, EventStatus
from app.events.release import unreleased_clause
from app.extensions import db
from app.feeds import build, ical
from app.feeds.models import DetailLevel

ATOM_DAYS = 30
MOVED, CANCELLED, NEW_DEADLINE, DEADLINE_MOVED = "moved", "cancelled", "new_deadline", "deadline_moved"
TIME_FIELDS = frozenset({"starts_at", "ends_at", "all_day", "timezone"})


@dataclass(frozen=True)
class Change:
    kind: str            # MOVED, CANCELLED, NEW_DEADLINE, DEADLINE_MOVED
    at: datetime
    uid: str             # of the feed entry it concerns
    title: str           # as the feed shows it (busy-only / unreleased: neutral)
    when: datetime       # the event's start or the item's due time, now
    url: str


def _cancelled(changes: dict) -> bool:
    status = changes.get("status")
    if not status:
        return False
    return str(status[1]) == EventStatus.CANCELLED.value


def changes_since(spec: build.FeedSpec, since: datetime, now: datetime) -> list[Change]:
    """The feed's changes from ``since`` to ``now``, newest first.

    Three queries, and one per deadline source.
    """
    opts = spec.opts
    w = ical.words(opts.language)
    busy = opts.detail is DetailLevel.BUSY_ONLY
    english = opts.language == "en"
    found: list[Change] = []
    moved_events: dict[int, datetime] = {}
    rows = db.session.execute(
        sa.select(EventChange.changed_at, EventChange.changes, Event.id, Event.title_vi,
                  Event.title_en, Event.starts_at, Event.status,
                  sa.case((unreleased_clause(now), 1), else_=0).label("unreleased"))
        .join(Event, Event.id == EventChange.event_id)
        .where(EventChange.changed_at >= since, EventChange.changed_at <= now,
               *build._event_conditions(spec, now))
        .order_by(EventChange.changed_at.desc(), EventChange.id.desc()))
    for row in rows:
        changes = row.changes or {}
        if _cancelled(changes):
            kind = CANCELLED
        elif TIME_FIELDS & set(changes):
            kind = MOVED
            moved_events.setdefault(row.id, row.changed_at)
        else:
            continue
        title = (w.busy if busy or row.unreleased
                 else row.title_en if english and row.title_en else row.title_vi)
        found.append(Change(kind, row.changed_at, ical.event_uid(row.id, opts.host), title,
                            row.starts_at, f"{opts.base_url}/events/{row.id}"))
    for row in build._deadline_rows(spec, now):
        deadline = build._deadline(row, opts.language)
        title = (w.deadline if busy
                 else f"{w.due}: {deadline.title}" if deadline.unreleased
                 else f"{w.due}: {deadline.title} — {deadline.event_title}")
        uid, url = (ical.deadline_uid(deadline.id, opts.host),
                    f"{opts.base_url}/checklists/items/{deadline.id}")
        if row.created_at >= since:
            found.append(Change(NEW_DEADLINE, row.created_at, uid, title, deadline.due_at, url))
        # A due time moves with its event (the items keep no history of their own).
        if deadline.sequence > 0 and row.event_id in moved_events and row.updated_at >= since:
            found.append(Change(DEADLINE_MOVED, max(row.updated_at, moved_events[row.event_id]),
                                uid, title, deadline.due_at, url))
    for entry in build.source_entries(spec, now):  # the registered sources' deadlines
        title = w.deadline if busy or entry.withheld else f"{w.due}: {entry.title}"
        uid, url = f"{entry.uid}@{opts.host}", opts.base_url + entry.path
        for kind, at in ((NEW_DEADLINE, entry.created_at), (DEADLINE_MOVED, entry.moved_at),
                         (CANCELLED, entry.cancelled_at)):
            if at is not None and since <= at <= now:
                found.append(Change(kind, at, uid, title, entry.due_at, url))
    found.sort(key=lambda c: c.at, reverse=True)
    return found


def labels(language: str) -> dict[str, str]:
    w = ical.words(language if language in ("vi", "en") else "vi")
    return {MOVED: w.moved, CANCELLED: w.cancelled, NEW_DEADLINE: w.new_deadline,
            DEADLINE_MOVED: w.deadline_moved}


def atom_window(now: datetime) -> datetime:
    return build.day_start(now) - timedelta(days=ATOM_DAYS)


def atom(spec: build.FeedSpec, changes: list[Change], feed_url: str, now: datetime) -> bytes:
    """An Atom (RFC 4287) document of ``changes``."""
    from xml.sax.saxutils import escape

    host = spec.opts.host
    names = labels(spec.opts.language)
    updated = max([c.at for c in changes], default=build.day_start(now))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{spec.opts.language}">',
           f"<id>tag:{escape(host)},2026:{escape(spec.scope)}</id>",
           f"<title>{escape(spec.name)}</title>",
           f"<updated>{_rfc3339(updated)}</updated>",
           f'<link rel="self" href="{escape(feed_url)}"/>',
           "<author><name>Briefing Desk</name></author>"]
    for change in changes:
        entry_id = f"tag:{host},2026:{change.kind}-{change.uid}-{change.at.timestamp():.0f}"
        summary = f"{names[change.kind]}: {change.title} ({_rfc3339(change.when)})"
        out += ["<entry>", f"<id>{escape(entry_id)}</id>",
                f"<title>{escape(names[change.kind] + ': ' + change.title)}</title>",
                f"<updated>{_rfc3339(change.at)}</updated>",
                f'<link href="{escape(change.url)}"/>',
                f"<category term=\"{change.kind}\"/>",
                f"<summary>{escape(summary)}</summary>", "</entry>"]
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
