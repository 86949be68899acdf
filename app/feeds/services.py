"""Feed tokens, what a feed may hold, and building it fast.

A feed holds only what its owner could open in the app at the time of the
request: every build and every ETag re-reads the owner and applies
``visible_clause``. Sensitive events stay busy-only until released.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.auth.models import User, UserRole
from app.auth.permissions import has_role
from app.auth.roles import Role
from app.checklists.models import ChecklistItem
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events.access import can_view, visible_clause
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
from app.extensions import db
from app.feeds import ical
from app.feeds.cache import FeedCache
from app.feeds.models import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    MAX_DAYS_AHEAD,
    MAX_DAYS_BACK,
    AlarmPreset,
    DetailLevel,
    FeedToken,
)
from app.i18n import _
from app.inputs import strip_controls
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.models import ACTIVE_ASSIGNMENT_STATUSES, SpokespersonAssignment
from app.timeutil import utcnow
from app.units.models import Unit

# A client that fetches every minute must not cost a database write each time.
LAST_USED_RESOLUTION = timedelta(minutes=5)
LANGUAGES = ("vi", "en")
# A reverse proxy may cache the public feed, never a private one.
PUBLIC_CACHE = "public, max-age=900"
PRIVATE_CACHE = "private, max-age=900"


# --- tokens ------------------------------------------------------------------------------

def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, hash_token(token)


@dataclass
class FeedSettings:
    name: str
    language: str = "vi"
    detail: DetailLevel = DetailLevel.PRESS_SAFE
    alarms: AlarmPreset = AlarmPreset.NONE
    kinds: list[str] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    mine: bool = False
    delegation_event_id: int | None = None
    days_back: int = DEFAULT_DAYS_BACK
    days_ahead: int = DEFAULT_DAYS_AHEAD
    expires_at: datetime | None = None


def _validate(owner: User, settings: FeedSettings, now: datetime) -> None:
    if not settings.name.strip():
        raise ValidationFailed(_("Give the feed a name."), "name")
    if settings.language not in LANGUAGES:
        raise ValidationFailed(_("Choose Vietnamese or English."), "language")
    if not 0 <= settings.days_back <= MAX_DAYS_BACK:
        raise ValidationFailed(_("Days back must be between 0 and %(n)d.", n=MAX_DAYS_BACK),
                               "days_back")
    if not 1 <= settings.days_ahead <= MAX_DAYS_AHEAD:
        raise ValidationFailed(_("Days ahead must be between 1 and %(n)d.", n=MAX_DAYS_AHEAD),
                               "days_ahead")
    if any(k not in set(EventKind) for k in settings.kinds):
        raise ValidationFailed(_("Unknown event kind."), "kinds")
    if settings.expires_at is not None and settings.expires_at <= now:
        raise ValidationFailed(_("The expiry must be in the future."), "expires_on")
    if settings.delegation_event_id is not None:
        event = db.session.get(Event, settings.delegation_event_id)
        if event is None or not can_view(owner, event):
            raise ValidationFailed(_("No such event."), "delegation_event_id")


def _apply(feed: FeedToken, settings: FeedSettings) -> None:
    feed.name = settings.name.strip()[:100]
    feed.language = settings.language
    feed.detail = DetailLevel(settings.detail)
    feed.alarms = AlarmPreset(settings.alarms)
    feed.filters = {"kinds": sorted(set(settings.kinds)),
                    "unit_ids": sorted({int(u) for u in settings.unit_ids}),
                    "mine": bool(settings.mine),
                    "delegation_event_id": settings.delegation_event_id}
    feed.days_back, feed.days_ahead = settings.days_back, settings.days_ahead
    feed.expires_at = settings.expires_at


def create_feed(owner: User, settings: FeedSettings) -> tuple[FeedToken, str]:
    """A new named feed for ``owner``; returns it with its token (shown once, never stored)."""
    if not (owner and owner.is_authenticated and owner.active):
        raise PermissionDenied()
    now = utcnow()
    _validate(owner, settings, now)
    token, digest = _new_token()
    feed = FeedToken(owner=owner, token_hash=digest, created_at=now, updated_at=now)
    _apply(feed, settings)
    db.session.add(feed)
    db.session.flush()
    return feed, token


def own_feed(user: User, feed_id: int) -> FeedToken:
    """The user's own feed; anyone else's is reported missing."""
    feed = db.session.get(FeedToken, feed_id)
    if feed is None or user is None or feed.owner_id != user.id:
        raise NotVisible()
    return feed


def update_feed(user: User, feed_id: int, settings: FeedSettings) -> FeedToken:
    feed = own_feed(user, feed_id)
    _validate(user, settings, utcnow())
    _apply(feed, settings)
    feed.updated_at = utcnow()
    db.session.flush()
    return feed


def rotate_feed(user: User, feed_id: int) -> tuple[FeedToken, str]:
    """A new token for the same feed; the old URL stops working at once."""
    feed = own_feed(user, feed_id)
    if feed.revoked_at is not None:
        raise ValidationFailed(_("A revoked feed cannot be rotated."))
    token, feed.token_hash = _new_token()
    feed.updated_at = utcnow()
    db.session.flush()
    return feed, token


def revoke_feed(user: User, feed_id: int) -> FeedToken:
    feed = own_feed(user, feed_id)
    if feed.revoked_at is None:
        feed.revoked_at = feed.updated_at = utcnow()
        db.session.flush()
    return feed


def feeds_of(user: User) -> list[FeedToken]:
    return list(db.session.scalars(sa.select(FeedToken).where(FeedToken.owner_id == user.id)
                                   .order_by(FeedToken.revoked_at.is_not(None), FeedToken.id)))


def issue_token_for(email: str, detail: DetailLevel) -> tuple[FeedToken, str]:
    """For the CLI: a feed of everything the user may see, at ``detail``."""
    owner = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if owner is None or not owner.active:
        raise ValidationFailed(_("No active user with that e-mail address."), "email")
    return create_feed(owner, FeedSettings(name=_("Command-line feed"), language=owner.locale
                                           if owner.locale in LANGUAGES else "vi", detail=detail))


def ensure_demo_feeds(users: dict[str, User]) -> int:
    """Demo: a press-safe English feed for the press liaison (rotate it to see its address)."""
    liaison = users.get("liaison@demo.example")
    if liaison is None or db.session.scalar(
            sa.select(FeedToken.id).where(FeedToken.owner_id == liaison.id)) is not None:
        return 0
    create_feed(liaison, FeedSettings(name="Press: diplomatic events", language="en",
                                      detail=DetailLevel.PRESS_SAFE,
                                      kinds=[EventKind.DIPLOMATIC.value,
                                             EventKind.DELEGATION_IN.value]))
    return 1


def find_usable_feed(token: str, now: datetime) -> FeedToken | None:
    """The live feed for ``token`` (see ``check_token``), or None."""
    check = check_token(token, now)
    return db.session.get(FeedToken, check.feed_id) if check is not None else None


def record_use(check: TokenCheck, user_agent: str, now: datetime) -> bool:
    """Remember when and by which client the feed was fetched (at most every few minutes)."""
    user_agent = strip_controls(user_agent or "")[:300]  # a header is client input too
    if (check.last_used_at is not None and now - check.last_used_at < LAST_USED_RESOLUTION
            and check.last_user_agent == user_agent):
        return False
    db.session.execute(sa.update(FeedToken).where(FeedToken.id == check.feed_id)
                       .values(last_used_at=now, last_user_agent=user_agent))
    return True


def feed_urls(token: str) -> dict[str, str]:
    """Subscription links for a token: https, webcal, Google Calendar and Outlook."""
    from urllib.parse import quote

    https = f"{current_app.config['BASE_URL']}/feeds/{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal,
            "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
            "outlook": "https://outlook.office.com/calendar/0/addfromweb?url="
                       + quote(https, safe="") + "&name=" + quote("Briefing Desk", safe="")}


# --- releasing sensitive events ----------------------------------------------------------

def release_event(actor: User, event_id: int) -> Event:
    """Steering (or admin) lets a sensitive event's details reach feeds now."""
    event = db.session.get(Event, event_id)
    if event is None or not can_view(actor, event):
        raise NotVisible()
    if not has_role(actor, Role.STEERING, Role.ADMIN):
        raise PermissionDenied()
    if not event.is_sensitive:
        raise ValidationFailed(_("Only sensitive events need releasing."))
    if event.released_at is None:
        event.released_at = utcnow()
        event.released_by = actor
        db.session.flush()
    return event


# --- what a feed holds -------------------------------------------------------------------

@dataclass(frozen=True)
class FeedSpec:
    """Everything that decides a feed's content, whether public or a person's."""
    scope: str                       # cache scope: "public" or "feed-<id>"
    opts: ical.FeedOptions
    name: str
    owner: User | None = None        # None: the public feed
    kinds: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    mine: bool = False
    delegation_event_id: int | None = None
    days_back: int = DEFAULT_DAYS_BACK
    days_ahead: int = DEFAULT_DAYS_AHEAD
    settings_tag: str = ""           # changes whenever the feed's settings do


def public_spec(language: str = "vi") -> FeedSpec:
    opts = ical.FeedOptions(base_url=current_app.config["BASE_URL"], language=language,
                            detail=DetailLevel.PRESS_SAFE)
    from flask_babel import force_locale

    with force_locale(language):
        name = _("Briefing Desk: public events")
    return FeedSpec(scope=f"public-{language}", opts=opts, name=name)


def token_spec(feed: FeedToken) -> FeedSpec:
    filters = feed.filters or {}
    opts = ical.FeedOptions(base_url=current_app.config["BASE_URL"], language=feed.language,
                            detail=feed.detail, alarms=feed.alarms)
    return FeedSpec(scope=f"feed-{feed.id}", opts=opts, name=feed.name, owner=feed.owner,
                    kinds=tuple(filters.get("kinds") or ()),
                    unit_ids=tuple(filters.get("unit_ids") or ()),
                    mine=bool(filters.get("mine")),
                    delegation_event_id=filters.get("delegation_event_id"),
                    days_back=feed.days_back, days_ahead=feed.days_ahead,
                    settings_tag=_settings_tag(feed.updated_at, feed.token_hash))


def _day_start(now: datetime) -> datetime:
    """Windows move by whole UTC days, so a feed's content is stable within a day."""
    return datetime.combine(now.astimezone(timezone.utc).date(), time(), tzinfo=timezone.utc)


def window(spec: FeedSpec, now: datetime) -> tuple[datetime, datetime]:
    day = _day_start(now)
    return day - timedelta(days=spec.days_back), day + timedelta(days=spec.days_ahead + 1)


def _event_conditions(spec: FeedSpec, now: datetime) -> list:
    start, end = window(spec, now)
    keep_since = _day_start(now) - timedelta(days=ical.KEEP_CANCELLED_DAYS)
    changed = sa.func.coalesce(Event.status_changed_at, Event.updated_at)
    conditions = [
        visible_clause(spec.owner),
        Event.status != EventStatus.DRAFT,
        sa.or_(Event.status.not_in([EventStatus.CANCELLED, EventStatus.POSTPONED]),
               changed >= keep_since),
        Event.ends_at >= start, Event.starts_at < end,
    ]
    if spec.owner is None:  # the public feed: public, non-sensitive, whoever asks
        conditions += [Event.visibility == Visibility.PUBLIC, Event.is_sensitive.is_(False)]
    if spec.kinds:
        conditions.append(Event.kind.in_([EventKind(k) for k in spec.kinds]))
    if spec.unit_ids:
        conditions.append(sa.or_(
            Event.lead_unit_id.in_(spec.unit_ids),
            Event.id.in_(sa.select(event_coordinating_units.c.event_id)
                         .where(event_coordinating_units.c.unit_id.in_(spec.unit_ids)))))
    if spec.delegation_event_id is not None:
        conditions.append(Event.id == spec.delegation_event_id)
    if spec.mine and spec.owner is not None:
        conditions.append(Event.id.in_(_my_event_ids(spec.owner)))
    return conditions


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


# --- validators (ETag, Last-Modified) without building -----------------------------------

def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


@lru_cache(maxsize=1)
def _fingerprint_statement() -> sa.Select:
    """Newest change and row count of every table a feed draws on (built once)."""
    def agg(column, table):
        return (sa.select(sa.func.max(column)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(table).scalar_subquery())

    return sa.select(*agg(Event.updated_at, Event), *agg(Briefing.updated_at, Briefing),
                     *agg(ProgrammeItem.updated_at, ProgrammeItem),
                     *agg(SpokespersonAssignment.updated_at, SpokespersonAssignment),
                     *agg(ChecklistItem.updated_at, ChecklistItem),
                     sa.select(sa.func.count()).select_from(event_coordinating_units)
                     .scalar_subquery(),
                     sa.select(sa.func.count()).select_from(event_hosts).scalar_subquery())


# Pending embargo times per state of the events table, so that the ETag can tell
# when an embargo passes without scanning the table on every request.
_EMBARGOES: dict[tuple, list[datetime]] = {}


def _last_passed_embargo(events_state: tuple, now: datetime) -> datetime | None:
    times = _EMBARGOES.get(events_state)
    if times is None:
        times = sorted(db.session.scalars(sa.select(Event.embargo_until).where(
            Event.is_sensitive.is_(True), Event.released_at.is_(None),
            Event.embargo_until.is_not(None))))
        _EMBARGOES.clear()
        _EMBARGOES[events_state] = times
    passed = bisect.bisect_right(times, now)
    return times[passed - 1] if passed else None


def forget_embargoes() -> None:
    """For tests that reuse a database with the same timestamps."""
    _EMBARGOES.clear()


def _etag(scope: str, settings_tag: str, owner_tag, row: tuple, now: datetime
          ) -> tuple[str, datetime]:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    embargo = _last_passed_embargo((database, row[0], row[1]), now)
    day = _day_start(now)
    material = json.dumps([ical.FORMAT_VERSION, scope, settings_tag,
                           current_app.config["BASE_URL"], owner_tag, day.isoformat(),
                           str(embargo), [str(v) for v in row]])
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    last_modified = _latest(row[0], row[2], row[4], row[6], row[8], embargo, day)
    return etag, min(last_modified, now)


def _owner_tag(user_id: int, active: bool, unit_id: int | None, roles) -> list:
    return [user_id, bool(active), unit_id, sorted(str(getattr(r, "value", r)) for r in roles)]


def validators(spec: FeedSpec, now: datetime) -> tuple[str, datetime]:
    """A strong ETag and Last-Modified from one cheap aggregate query.

    Any change to events, briefings, programme items, assignments or checklist
    items, a passed embargo, the owner's roles/unit, the feed's settings or the
    day (the window moves) gives a new ETag, so a 304 never hides a change.
    """
    row = tuple(db.session.execute(_fingerprint_statement()).one())
    owner = spec.owner
    owner_tag = (None if owner is None else
                 _owner_tag(owner.id, owner.active, owner.unit_id, owner.roles))
    return _etag(spec.scope, spec.settings_tag, owner_tag, row, now)


@dataclass(frozen=True)
class TokenCheck:
    """A live token's feed, its owner's access and the data fingerprint, from one query."""
    feed_id: int
    etag: str
    last_modified: datetime
    last_used_at: datetime | None
    last_user_agent: str


@lru_cache(maxsize=1)
def _token_statement() -> sa.Select:
    roles = (sa.select(sa.func.aggregate_strings(UserRole.role, ","))
             .where(UserRole.user_id == FeedToken.owner_id).scalar_subquery())
    fingerprint = _fingerprint_statement().selected_columns
    return (sa.select(FeedToken.id, FeedToken.updated_at, FeedToken.token_hash,
                      FeedToken.revoked_at, FeedToken.expires_at, FeedToken.last_used_at,
                      FeedToken.last_user_agent, User.id, User.active, User.unit_id, roles,
                      *fingerprint)
            .join(User, User.id == FeedToken.owner_id)
            .where(FeedToken.token_hash == sa.bindparam("digest")))


def check_token(token: str, now: datetime) -> TokenCheck | None:
    """The cheap path of every private feed request: is the token live, and what is its ETag?

    One query; unknown, revoked, expired or inactive owner all give None.
    """
    if not token or len(token) > 100:
        return None
    row = db.session.execute(_token_statement(), {"digest": hash_token(token)}).first()
    if row is None:
        return None
    (feed_id, updated_at, token_hash, revoked_at, expires_at, last_used_at, user_agent,
     owner_id, active, unit_id, roles) = row[:11]
    if revoked_at is not None or (expires_at is not None and expires_at <= now) or not active:
        return None
    owner_tag = _owner_tag(owner_id, active, unit_id, (roles or "").split(",") if roles else [])
    etag, last_modified = _etag(f"feed-{feed_id}", _settings_tag(updated_at, token_hash),
                                owner_tag, tuple(row[11:]), now)
    return TokenCheck(feed_id, etag, last_modified, last_used_at, user_agent or "")


def _settings_tag(updated_at: datetime, token_hash: str) -> str:
    return f"{updated_at.isoformat()}|{token_hash[:8]}"


# --- building ----------------------------------------------------------------------------

def feed_cache() -> FeedCache:
    """The shared cache folder; one per database, so two databases never share bodies."""
    configured = current_app.config.get("FEED_CACHE_DIR")
    if configured:
        return FeedCache(configured)
    database = hashlib.sha256(current_app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()
    return FeedCache(Path(current_app.instance_path) / "feed_cache" / database[:12])


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
    names = db.session.execute(sa.select(Venue.id, Venue.name, Venue.address)).all() + \
        db.session.execute(sa.select(Unit.id, Unit.name_vi, Unit.name_en)).all()
    names_tag = hashlib.sha256(repr(sorted(tuple(r) for r in names)).encode()).hexdigest()[:16]
    tag = f"{opts.cache_tag()}|{opts.detail}|{names_tag}"

    unreleased = sa.and_(Event.is_sensitive.is_(True), Event.released_at.is_(None),
                         sa.or_(Event.embargo_until.is_(None), Event.embargo_until > now))
    # The version part of each key is concatenated by the database: this query runs on
    # every rebuild, and 10,000 plain strings are far cheaper than 10,000 typed rows.
    version = (sa.literal("e|") + sa.cast(Event.id, sa.String) + "|"
               + sa.cast(Event.updated_at, sa.String) + "|" + sa.cast(Event.sequence, sa.String)
               + "|" + sa.func.coalesce(sa.cast(Event.venue_id, sa.String), "")
               + "|" + sa.cast(Event.lead_unit_id, sa.String) + "|")
    event_rows = db.session.connection().execute(
        sa.select(Event.id, version, sa.case((unreleased, 1), else_=0), Event.timezone,
                  Event.all_day)
        .where(*conditions).order_by(Event.starts_at, Event.id)).all()

    details, tzids, keys, wanted = {}, set(), [], {}
    busy = DetailLevel.BUSY_ONLY
    for event_id, stamp, is_unreleased, tzid, all_day in event_rows:
        detail = busy if is_unreleased else opts.detail
        details[event_id] = (detail, tzid)
        key = f"{stamp}{is_unreleased}|{tag}"
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
    for row in db.session.execute(briefing_query):
        if row.event_id not in details:
            continue
        detail, _tz = details[row.event_id]
        key = (f"b|{row.id}|{row.updated_at.isoformat()}|{row.sequence}|{row.venue_id}|"
               f"{detail}|{tag}")
        keys.append(key)
        wanted[key] = ("b", row.id)
        tzids.add(ical.used_tzid(row.timezone, False))

    if spec.owner is not None:  # delegation programmes are for staff feeds
        item_rows = db.session.execute(
            sa.select(ProgrammeItem.id, ProgrammeItem.event_id, ProgrammeItem.updated_at,
                      ProgrammeItem.sequence, ProgrammeItem.venue_id)
            .where(ProgrammeItem.ends_at >= start,
                   ProgrammeItem.starts_at < end)
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.id))
        for row in item_rows:
            if row.event_id not in details:
                continue
            detail, tzid = details[row.event_id]
            key = (f"p|{row.id}|{row.updated_at.isoformat()}|{row.sequence}|{row.venue_id}|"
                   f"{detail}|{tzid}|{tag}")
            keys.append(key)
            wanted[key] = ("p", row.id)
            tzids.add(ical.used_tzid(tzid, False))

    blocks = {key: previous[key] for key in keys if key in previous}
    missing = [key for key in keys if key not in blocks]
    if missing:
        blocks.update(_render_missing(missing, wanted, details, opts))
    # A few changed blocks are cheaper to re-render next time than to rewrite the whole map.
    if cache is not None and (len(missing) > 50 or len(previous) > 2 * len(blocks) + 50):
        cache.store_blocks(spec.scope, blocks)
    tzids.discard(None)
    return ical.calendar([blocks[key] for key in keys], tzids,
                         (start.year - 1, end.year + 1), opts, spec.name)


def _render_missing(missing: list[str], wanted: dict, details: dict,
                    opts: ical.FeedOptions) -> dict[str, bytes]:
    """Load and render the blocks that are not cached, a chunk at a time."""
    by_kind: dict[str, list[tuple[int, str]]] = {"e": [], "b": [], "p": []}
    for key in missing:
        kind, row_id = wanted[key]
        by_kind[kind].append((row_id, key))
    rendered = {}
    loaders = {
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
                    text = ical.render_event(obj, opts, details[obj.id][0])
                elif kind == "b":
                    text = ical.render_briefing(obj, opts, details[obj.event_id][0])
                else:
                    detail, tzid = details[obj.event_id]
                    text = ical.render_programme_item(obj, tzid, opts, detail)
                rendered[key] = text.encode("utf-8")  # blocks are kept and joined as bytes
    return rendered
