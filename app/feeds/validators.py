"""ETag and Last-Modified of a feed without building it.

One primary-key lookup of the change counter (``app.feeds.changes``) stands for the state
of every table a feed draws on.

Any change to events, delegations, briefings, programme items, assignments or checklist items, a
passed embargo, the owner's roles or unit, the feed's settings or the day (the window
moves) gives a new ETag, so a 304 never hides a change.
"""
from __future__ import annotations

import bisect
import hashlib
import json
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from app.events.release import embargo_times
from app.extensions import db
from app.feeds import changes, ical, sources
from app.feeds.build import FeedSpec, day_start
from app.feeds.models import ChangeCounter

# A reverse proxy may cache the public feed, never a private one.
PUBLIC_CACHE = "public, max-age=900"
PRIVATE_CACHE = "private, max-age=900"


def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


@lru_cache(maxsize=1)
def fingerprint_statement() -> sa.Select:
    """The feeds' change counter and its time of change: one primary-key lookup.

    ``app.feeds.changes`` bumps it in the same transaction as every write a feed can show.
    Scalar subqueries, so that a database without the row yet still gives one row of NULLs.
    """
    counter = changes.counter_statement()
    return sa.select(counter.with_only_columns(ChangeCounter.__table__.c.value).scalar_subquery(),
                     counter.with_only_columns(ChangeCounter.__table__.c.changed_at)
                     .scalar_subquery())


def _last_passed_embargo(events_state, now: datetime) -> datetime | None:
    """The latest embargo time at or before ``now`` (the feeds' content changed then).

    The pending embargo times are kept per app and per state of the events table, so that
    the ETag can tell when an embargo passes without scanning the table on every request.
    """
    memo = current_app.extensions.setdefault("feed_embargo_times", {})
    times = memo.get(events_state)
    if times is None:
        times = embargo_times()
        memo.clear()
        memo[events_state] = times
    passed = bisect.bisect_right(times, now)
    return times[passed - 1] if passed else None


def etag(scope: str, settings: str, owner, row: tuple, now: datetime) -> tuple[str, datetime]:
    """The ETag and Last-Modified of a feed.

    From its scope, settings tag, owner tag and the fingerprint ``row``.
    """
    embargo = _last_passed_embargo((row[0], row[1]), now)
    day = day_start(now)
    material = json.dumps([ical.FORMAT_VERSION, scope, settings, current_app.config["BASE_URL"],
                           owner, day.isoformat(), str(embargo), [str(v) for v in row],
                           sources.etag_tags(now)])
    digest = hashlib.sha256(material.encode()).hexdigest()[:40]
    last_modified = _latest(row[1], embargo, day)
    return digest, min(last_modified, now)


def owner_tag(user_id: int, active: bool, unit_id: int | None, roles) -> list:
    return [user_id, bool(active), unit_id, sorted(str(getattr(r, "value", r)) for r in roles)]


def validators(spec: FeedSpec, now: datetime) -> tuple[str, datetime]:
    """A strong ETag and Last-Modified from one primary-key lookup.

    Any change to events, briefings, programme items, assignments or checklist
    items, a passed embargo, the owner's roles/unit, the feed's settings or the
    day (the window moves) gives a new ETag, so a 304 never hides a change.
    """
    row = tuple(db.session.execute(fingerprint_statement()).one())
    owner = spec.owner
    tag = None if owner is None else owner_tag(owner.id, owner.active, owner.unit_id, owner.roles)
    return etag(spec.scope, spec.settings_tag, tag, row, now)
