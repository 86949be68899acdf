"""What a feed holds and how it is built.

Specs, the window, the event conditions, and the renderer that re-serializes only the VEVENT blocks
whose source changed.

A feed holds only what its owner could open in the app at the time of the
request: every build re-reads the owner and applies ``visible_clause``.
Sensitive events stay busy-only until released (``events.release``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, selectinload

from app.auth.models import User
from app.checklists.models import OPEN_STATUSES, ChecklistItem, ItemStatus
from app.checklists.schedule import OffsetUnit
from app.events import access
from app.events.access import edit_clause, visible_clause
from app.events.models import (
    Delegation,
    Event,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Venue,
    Visibility,
    event_coordinating_units,
    event_hosts,
)
from app.events.release import unreleased_clause
from app.extensions import db
from app.feeds import ical, sources
from app.feeds.cache import FeedCache
from app.feeds.models import DEFAULT_DAYS_AHEAD, DEFAULT_DAYS_BACK, DetailLevel, FeedToken
from app.i18n import _
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.models import ACTIVE_ASSIGNMENT_STATUSES, SpokespersonAssignment
from app.units.models import Unit


@dataclass(frozen=True)
class FeedSpec:
    """Everything that decides a feed's content, whether public or a person's."""
    scope: str                       # cache scope: "public" or "feed-<id>"
    opts: ical.FeedOptions
    name: str
    # A User; for a unit's feed the unit's reader (access.unit_member); None: the public feed.
    owner: Any = None
    kinds: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    mine: bool = False
    delegation_event_id: int | None = None
    days_back: int = DEFAULT_DAYS_BACK
    days_ahead: int = DEFAULT_DAYS_AHEAD
    settings_tag: str = ""           # changes whenever the feed's settings do
    deadlines: bool = False          # the open checklist items of the owner and their unit
    unit_id: int | None = None       # a unit's feed: the owner is the unit's (role-less) reader
    tasks: bool = False              # deadlines as VTODO instead of VEVENT


def public_spec(language: str = "vi") -> FeedSpec:
    opts = ical.FeedOptions(base_url=current_app.config["BASE_URL"], language=language,
                            detail=DetailLevel.PRESS_SAFE)
    from flask_babel import force_locale

    with force_locale(language):
        name = _("Briefing Desk: public events")
    return FeedSpec(scope=f"public-{language}", opts=opts, name=name)


def token_spec(feed: FeedToken) -> FeedSpec:
    """What a stored feed holds.

    A unit's feed sees what belonging to the unit lets one see (``access.unit_member``),
    re-checked on every build, whoever created it; it holds the events the unit leads or
    coordinates and the unit's deadlines.
    """
    filters = feed.filters or {}
    unit_feed = feed.unit_id is not None
    owner = access.unit_member(feed.unit_id) if unit_feed else feed.owner
    # Whatever the feed asks for, a press-safe reader gets press-safe detail (as on the pages).
    detail = (DetailLevel.PRESS_SAFE if feed.detail is DetailLevel.FULL
              and not access.sees_full_detail(owner) else feed.detail)
    opts = ical.FeedOptions(base_url=current_app.config["BASE_URL"], language=feed.language,
                            detail=detail, alarms=feed.alarms)
    return FeedSpec(scope=f"feed-{feed.id}", opts=opts, name=feed.name,
                    owner=owner, unit_id=feed.unit_id, kinds=tuple(filters.get("kinds") or ()),
                    unit_ids=((feed.unit_id,) if feed.unit_id is not None
                              else tuple(filters.get("unit_ids") or ())),
                    mine=bool(filters.get("mine")) and not unit_feed,
                    delegation_event_id=filters.get("delegation_event_id"),
                    days_back=feed.days_back, days_ahead=feed.days_ahead,
                    settings_tag=settings_tag(feed.updated_at, feed.token_hash),
                    deadlines=bool(filters.get("deadlines", filters.get("mine") or unit_feed)), tasks=bool(filters.get("tasks")))


def day_start(now: datetime) -> datetime:
    """Windows move by whole UTC days, so a feed's content is stable within a day."""
    return datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)


def window(spec: FeedSpec, now: datetime) -> tuple[datetime, datetime]:
    day = day_start(now)
    return day - timedelta(days=spec.days_back), day + timedelta(days=spec.days_ahead + 1)


def _keep_since(now: datetime) -> datetime:
    """Cancelled and postponed events (and their deadlines) stay this long after the change."""
    return day_start(now) - timedelta(days=ical.KEEP_CANCELLED_DAYS)


def _event_conditions(spec: FeedSpec, now: datetime) -> list:
    start, end = window(spec, now)
    changed = sa.func.coalesce(Event.status_changed_at, Event.updated_at)
    conditions = [
        sa.or_(Event.takes_place_clause(), changed >= _keep_since(now)),  # cancelled: 30 days more
        Event.ends_at >= start, Event.starts_at < end,
        *_filter_conditions(spec),
    ]
    if spec.mine and spec.owner is not None:
        conditions.append(Event.id.in_(_my_event_ids(spec.owner)))
    return conditions


def _filter_conditions(spec: FeedSpec) -> list:
    """The feed's own filter on events, apart from the window and "mine"."""
    conditions = [
        visible_clause(spec.owner),  # the public feed (no owner): public, non-sensitive events
        Event.status != EventStatus.DRAFT,
    ]
    if spec.kinds:
        conditions.append(Event.kind.in_([EventKind(k) for k in spec.kinds]))
    if spec.unit_ids:
        conditions.append(sa.or_(
            Event.lead_unit_id.in_(spec.unit_ids),
            Event.id.in_(sa.select(event_coordinating_units.c.event_id)
                         .where(event_coordinating_units.c.unit_id.in_(spec.unit_ids)))))
    if spec.delegation_event_id is not None:
        conditions.append(Event.id == spec.delegation_event_id)
    return conditions


def _deadline_query(spec: FeedSpec, now: datetime, select):
    """The feed's deadlines, with the columns that ``select(lead, responsible)`` gives.

    Open (or submitted) checklist items that fall to the owner or the owner's unit, due
    within the window, of events the feed's filter keeps; an item that a cancellation closed
    stays, cancelled, as long as its event does. Done and not-needed items leave.
    """
    owner = spec.owner
    start, end = window(spec, now)
    lead, responsible = aliased(Unit), aliased(Unit)
    changed = sa.func.coalesce(Event.status_changed_at, Event.updated_at)
    if spec.unit_id is not None:  # a unit's feed: the unit's items only
        falls_to = [ChecklistItem.unit_id == spec.unit_id]
    else:
        falls_to = [ChecklistItem.user_id == owner.id]
        if owner.unit_id is not None:
            falls_to.append(ChecklistItem.unit_id == owner.unit_id)
    return (
        select(lead, responsible)
        .join(Event, Event.id == ChecklistItem.event_id)
        .join(lead, lead.id == Event.lead_unit_id)
        .outerjoin(responsible, responsible.id == ChecklistItem.unit_id)
        .where(sa.or_(*falls_to), ChecklistItem.due_at >= start, ChecklistItem.due_at < end,
               sa.or_(ChecklistItem.status.in_(OPEN_STATUSES),
                      sa.and_(Event.status == EventStatus.CANCELLED,
                              ChecklistItem.status == ItemStatus.NOT_NEEDED,
                              changed >= _keep_since(now))),
               *_filter_conditions(spec)))


def _full_deadline_select(now: datetime):
    def select(lead, responsible):
        return sa.select(
            ChecklistItem.id, ChecklistItem.title_vi, ChecklistItem.title_en,
            ChecklistItem.due_at, ChecklistItem.sequence, ChecklistItem.updated_at,
            ChecklistItem.status, ChecklistItem.legal_basis, ChecklistItem.offset_unit,
            ChecklistItem.created_at,
            Event.id.label("event_id"), Event.title_vi.label("event_title_vi"),
            Event.title_en.label("event_title_en"), Event.status.label("event_status"),
            Event.updated_at.label("event_updated_at"), Event.timezone,
            lead.name_vi.label("lead_vi"), lead.name_en.label("lead_en"),
            sa.func.coalesce(responsible.deadlines_all_day, False).label("unit_all_day"),
            sa.case((unreleased_clause(now), 1), else_=0).label("unreleased"))
    return select


def _deadline_rows(spec: FeedSpec, now: datetime) -> list:
    """The feed's deadlines with all that their entries show: ONE query."""
    if spec.owner is None or not spec.deadlines:
        return []
    query = _deadline_query(spec, now, _full_deadline_select(now))
    return list(db.session.execute(query.order_by(ChecklistItem.due_at, ChecklistItem.id)))


def _deadline_groups(spec: FeedSpec, now: datetime) -> list:
    """The feed's deadlines, one row per event, in feed order: ONE light aggregate query.

    Rows are (event id, version, zone, all-day entries, entries), by first due time. The version changes with anything an entry of the event shows, apart from the names
    in the build's tag: the number of entries and the sum of their ids (an item came or
    left), the newest ``updated_at`` and the sums of ``version`` and ``sequence`` (every
    write of an item bumps its version; a moved due time its sequence), the event's own
    row version and status, whether it is released, how many entries are all-day. A rebuild
    after one submission then renders the deadlines of one event, and the database hands
    back one short row per event instead of one per item.
    """
    if spec.owner is None or not spec.deadlines:
        return []
    text = sa.String

    def select(lead, responsible):
        all_day = sa.func.sum(sa.case(
            (sa.and_(ChecklistItem.offset_unit != OffsetUnit.HOURS,
                     sa.func.coalesce(responsible.deadlines_all_day, False)), 1), else_=0))
        count = sa.func.count(ChecklistItem.id)
        version = (sa.cast(count, text) + "|" + sa.cast(sa.func.sum(ChecklistItem.id), text)
                   + "|" + sa.cast(sa.func.max(ChecklistItem.updated_at), text)
                   + "|" + sa.cast(sa.func.sum(ChecklistItem.version), text)
                   + "|" + sa.cast(sa.func.sum(ChecklistItem.sequence), text)
                   + "|" + sa.cast(all_day, text) + "|" + sa.cast(Event.updated_at, text)
                   + "|" + sa.cast(Event.status, text)
                   + "|" + sa.case((unreleased_clause(now), "1"), else_="0"))
        return sa.select(Event.id, version, Event.timezone, all_day, count)
    query = (_deadline_query(spec, now, select).group_by(Event.id)
             .order_by(sa.func.min(ChecklistItem.due_at), Event.id))
    return list(db.session.connection().execute(query))


def _deadlines_of_events(spec: FeedSpec, now: datetime, event_ids: list[int]) -> dict:
    """The full rows of the feed's deadlines of ``event_ids`` (to render), in one query.

    By event when few, else all of the feed's (a cold build). Grouped by event, in due order.
    """
    query = _deadline_query(spec, now, _full_deadline_select(now))
    if len(event_ids) <= 500:
        query = query.where(ChecklistItem.event_id.in_(event_ids))
    grouped: dict[int, list] = {}
    for row in db.session.execute(query.order_by(ChecklistItem.due_at, ChecklistItem.id)):
        grouped.setdefault(row.event_id, []).append(row)
    return grouped


def _deadline(row, language: str) -> ical.Deadline:
    english = language == "en"
    in_days = row.offset_unit is not OffsetUnit.HOURS
    return ical.Deadline(
        id=row.id, title=row.title_en if english and row.title_en else row.title_vi,
        due_at=row.due_at, sequence=row.sequence, updated_at=row.updated_at,
        open=row.status in OPEN_STATUSES, submitted=row.status is ItemStatus.SUBMITTED,
        legal_basis=row.legal_basis, in_days=in_days, event_id=row.event_id,
        event_title=row.event_title_en if english and row.event_title_en else row.event_title_vi,
        event_cancelled=row.event_status is EventStatus.CANCELLED,
        event_updated_at=row.event_updated_at, timezone=row.timezone,
        lead_unit=row.lead_en if english and row.lead_en else row.lead_vi,
        all_day=in_days and bool(row.unit_all_day), unreleased=bool(row.unreleased))


def source_entries(spec: FeedSpec, now: datetime) -> list[sources.SourceEntry]:
    """The deadlines of the registered sources (``feeds.sources``) for this feed.

    Only feeds of a person or a unit with deadlines on: never the public feed.
    """
    if spec.owner is None or not spec.deadlines:
        return []
    start, end = window(spec, now)
    return sources.entries(sources.DeadlineQuery(
        owner=spec.owner, unit_id=spec.unit_id,
        unit_ids=() if spec.unit_id is not None else spec.unit_ids,
        narrowed=bool(spec.kinds) or spec.delegation_event_id is not None,
        start=start, end=end, keep_since=_keep_since(now), now=now,
        language=spec.opts.language, detail=spec.opts.detail))


def _my_event_ids(user: User):
    """Events the user hosts or organises, briefs at, or owes checklist items for."""
    parts = [
        sa.select(event_hosts.c.event_id).where(event_hosts.c.user_id == user.id),
        sa.select(Event.id).where(Event.organiser_id == user.id),
        sa.select(Briefing.event_id).join(SpokespersonAssignment,
                                          SpokespersonAssignment.briefing_id == Briefing.id)
        .where(SpokespersonAssignment.user_id == user.id,
               SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)),
        sa.select(ChecklistItem.event_id).where(ChecklistItem.user_id == user.id),
    ]
    if user.unit_id is not None:
        parts.append(sa.select(ChecklistItem.event_id).where(ChecklistItem.unit_id == user.unit_id))
    return sa.union(*parts)


def settings_tag(updated_at: datetime, token_hash: str) -> str:
    return f"{updated_at.isoformat()}|{token_hash[:8]}"


def feed_cache_root() -> Path:
    """``FEED_CACHE_DIR``, else ``<instance>/feed_cache`` (nginx's alias for X-Accel-Redirect)."""
    configured = current_app.config.get("FEED_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "feed_cache"


def feed_cache() -> FeedCache:
    """The shared cache folder; one per database, so two databases never share bodies."""
    if current_app.config.get("FEED_CACHE_DIR"):
        return FeedCache(feed_cache_root())
    database = hashlib.sha256(current_app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()
    return FeedCache(feed_cache_root() / database[:12])


def feed_body(spec: FeedSpec, etag: str, now: datetime) -> Path:
    """The rendered feed for ``etag``: from the shared cache, else built and stored."""
    cache = feed_cache()
    found = cache.find_body(spec.scope, etag)
    if found is not None:
        return found
    body = build_feed(spec, now, cache)
    path = cache.store_body(spec.scope, etag, body)
    del body
    _return_memory()
    return path


def _return_memory() -> None:
    """Hand the build's freed heap back to the OS, so long-lived workers stay small."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def build_feed(spec: FeedSpec, now: datetime, cache: FeedCache | None = None) -> bytes:
    """Render the feed, re-serializing only blocks whose source changed.

    One light query lists the events with their versions; blocks whose key
    (id, updated_at, sequence, venue, unit, detail, names of venues and units,
    options) is in the
    scope's block map are reused; the rest are loaded and rendered.
    """
    opts, conditions = spec.opts, _event_conditions(spec, now)
    previous = cache.load_blocks(spec.scope) if cache is not None else {}
    start, end = window(spec, now)
    # Venue and unit names appear in blocks: a rename anywhere changes every key.
    names = [*db.session.execute(sa.select(Venue.id, Venue.name, Venue.address)),
             *db.session.execute(sa.select(Unit.id, Unit.name_vi, Unit.name_en))]
    names_tag = hashlib.sha256(repr(sorted(tuple(r) for r in names)).encode()).hexdigest()[:16]
    tag = f"{opts.cache_tag()}|{opts.detail}|{names_tag}"

    unreleased = unreleased_clause(now)
    # The version part of each key is concatenated by the database: this query runs on
    # every rebuild, and 10,000 plain strings are far cheaper than 10,000 typed rows.
    version = (sa.literal("e|") + sa.cast(Event.id, sa.String) + "|"
               + sa.cast(Event.updated_at, sa.String) + "|" + sa.cast(Event.sequence, sa.String)
               + "|" + sa.func.coalesce(sa.cast(Event.venue_id, sa.String), "")
               + "|" + sa.cast(Event.lead_unit_id, sa.String) + "|")
    # Internal fields only where the owner may edit the event (see ical.render_event).
    internal = (edit_clause(spec.owner) if spec.owner is not None and opts.detail is DetailLevel.FULL
                else sa.false())
    event_rows = db.session.connection().execute(
        sa.select(Event.id, version, sa.case((unreleased, 1), else_=0), Event.timezone,
                  Event.all_day, sa.case((internal, 1), else_=0))
        .where(*conditions).order_by(Event.starts_at, Event.id)).all()

    details, tzids, keys, wanted = {}, set(), [], {}
    busy = DetailLevel.BUSY_ONLY
    for event_id, stamp, is_unreleased, tzid, all_day, is_internal in event_rows:
        detail = busy if is_unreleased else opts.detail
        details[event_id] = (detail, tzid, bool(is_internal))
        key = f"{stamp}{is_unreleased}|i{is_internal}|{tag}"
        keys.append(key)
        wanted[key] = ("e", event_id)
        tzids.add(ical.used_tzid(tzid, all_day))

    # Briefings and programme items of the events above: filtered here by the event ids
    # already in hand, which is far cheaper than repeating the events' conditions in SQL.
    briefing_query = (sa.select(Briefing.id, Briefing.event_id, Briefing.updated_at,
                                Briefing.sequence, Briefing.timezone, Briefing.venue_id)
                      .where(Briefing.ends_at >= start,
                             Briefing.starts_at < end)
                      .order_by(Briefing.starts_at, Briefing.id))
    if spec.owner is None:  # the public feed: public, agreed briefings only
        briefing_query = briefing_query.where(Briefing.visibility == Visibility.PUBLIC,
                                              Briefing.status != BriefingStatus.PROPOSED)
    def add_child(kind: str, row, tzid: str, extra: str = "") -> None:
        """A briefing ("b") or programme item ("p") of an event in the feed, at its detail."""
        key = (f"{kind}|{row.id}|{row.updated_at.isoformat()}|{row.sequence}|{row.venue_id}|"
               f"{details[row.event_id][0]}|{extra}{tag}")
        keys.append(key)
        wanted[key] = (kind, row.id)
        tzids.add(ical.used_tzid(tzid, False))

    for row in db.session.execute(briefing_query):
        if row.event_id in details:
            add_child("b", row, row.timezone)

    if spec.owner is not None:  # delegation programmes are for staff feeds
        item_rows = db.session.execute(
            sa.select(ProgrammeItem.id, ProgrammeItem.event_id, ProgrammeItem.updated_at,
                      ProgrammeItem.sequence, ProgrammeItem.venue_id)
            .where(ProgrammeItem.ends_at >= start,
                   ProgrammeItem.starts_at < end)
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.id))
        for item in item_rows:
            if item.event_id in details:
                tzid = details[item.event_id][1]
                add_child("p", item, tzid, extra=f"{tzid}|")

    deadlines: dict[str, int] = {}  # key -> event id: one block for an event's deadlines
    for event_id, stamp, tzid, all_day, count in _deadline_groups(spec, now):
        key = f"d|{event_id}|{stamp}|{spec.tasks}|{tag}"
        keys.append(key)
        deadlines[key] = event_id
        tzids.add(ical.used_tzid(tzid, all_day == count))

    others: dict[str, sources.SourceEntry] = {}
    for entry in source_entries(spec, now):
        key = f"x|{entry.uid}|{entry.version}|{entry.sequence}|{entry.withheld}|{spec.tasks}|{tag}"
        keys.append(key)
        others[key] = entry
        tzids.add(ical.used_tzid(entry.timezone, False))

    blocks = {key: previous[key] for key in keys if key in previous}
    missing = [key for key in keys if key not in blocks]
    # Only the deadlines to render (new or changed) are loaded whole.
    to_render = [deadlines[key] for key in missing if key in deadlines]
    rows = _deadlines_of_events(spec, now, to_render) if to_render else {}
    for key in missing:
        if key in deadlines:
            blocks[key] = b"".join(
                ical.render_deadline(_deadline(row, opts.language), opts, opts.detail,
                                     spec.tasks).encode("utf-8")
                for row in rows.get(deadlines[key], ()))
        elif key in others:
            blocks[key] = ical.render_source_deadline(others[key], opts, opts.detail,
                                                      spec.tasks).encode("utf-8")
    if len(blocks) < len(keys):
        blocks.update(_render_missing([k for k in missing if k not in deadlines
                                       and k not in others], wanted,
                                      details, opts))
    # A few changed blocks are cheaper to re-render next time than to rewrite the whole map.
    if cache is not None and (len(missing) > 50 or len(previous) > 2 * len(blocks) + 50):
        cache.store_blocks(spec.scope, blocks)
    return ical.calendar([blocks[key] for key in keys], {t for t in tzids if t is not None},
                         (start.year - 1, end.year + 1), opts, spec.name)


def _render_missing(missing: list[str], wanted: dict, details: dict,
                    opts: ical.FeedOptions) -> dict[str, bytes]:
    """Load and render the blocks that are not cached, a chunk at a time."""
    by_kind: dict[str, list[tuple[int, str]]] = {"e": [], "b": [], "p": []}
    for key in missing:
        kind, row_id = wanted[key]
        by_kind[kind].append((row_id, key))
    rendered = {}
    loaders: dict[str, tuple[Any, list]] = {  # Any: each kind's own model
        "e": (Event, [selectinload(Event.venue), selectinload(Event.lead_unit),
                      selectinload(Event.delegation).selectinload(Delegation.members)]),
        "b": (Briefing, [selectinload(Briefing.venue)]),
        "p": (ProgrammeItem, [selectinload(ProgrammeItem.venue)]),
    }
    for kind, pairs in by_kind.items():
        model, options = loaders[kind]
        for i in range(0, len(pairs), 500):
            chunk = dict(pairs[i:i + 500])
            for obj in db.session.scalars(sa.select(model).where(model.id.in_(chunk))
                                          .options(*options)):
                key = chunk[obj.id]
                if kind == "e":
                    text = ical.render_event(obj, opts, details[obj.id][0], details[obj.id][2])
                elif kind == "b":
                    text = ical.render_briefing(obj, opts, details[obj.event_id][0])
                else:
                    detail, tzid, _internal = details[obj.event_id]
                    text = ical.render_programme_item(obj, tzid, opts, detail)
                rendered[key] = text.encode("utf-8")  # blocks are kept and joined as bytes
    return rendered
