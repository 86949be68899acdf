"""Named calendar feeds of a person: settings, creation, rotation and revocation.

Tokens and the cheap per-request check are in ``tokens``, ETags in ``validators``, what a
feed holds and its rendering in ``build``. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import Event, EventKind
from app.extensions import db
from app.feeds.models import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    MAX_DAYS_AHEAD,
    MAX_DAYS_BACK,
    AlarmPreset,
    DetailLevel,
    FeedToken,
)
from app.feeds.tokens import new_token
from app.i18n import _
from app.timeutil import utcnow
from app.units.models import Unit

LANGUAGES = ("vi", "en")
DEADLINES_AUTO, DEADLINES_ON, DEADLINES_OFF = "auto", "on", "off"
DEADLINE_MODES = (DEADLINES_AUTO, DEADLINES_ON, DEADLINES_OFF)


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
    # Deadlines (open checklist items of the owner and their unit): "auto" = with "mine"
    # (and unit) feeds, "on", "off". ``tasks``: written as VTODO rather than VEVENT.
    deadlines: str = DEADLINES_AUTO
    tasks: bool = False
    for_unit: bool = False  # a feed of the creator's unit (creating only), see ``create_feed``


def manages_unit_feeds(user, unit_id: int | None) -> bool:
    """The unit's head and its focal points create, edit, rotate and revoke its feeds."""
    return belongs_to(user, unit_id) and (bool(user.is_unit_head) or has_role(user, Role.FOCAL))


def _reader(owner: User, unit_id: int | None):
    """Whose sight a feed has: its owner's, or for a unit feed the unit's (no role)."""
    return owner if unit_id is None else access.unit_member(unit_id)


def _validate(owner, settings: FeedSettings, now: datetime) -> None:
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
    if settings.deadlines not in DEADLINE_MODES:
        raise ValidationFailed(_("Unknown choice."), "deadlines")
    if any(k not in set(EventKind) for k in settings.kinds):
        raise ValidationFailed(_("Unknown event kind."), "kinds")
    if settings.expires_at is not None and settings.expires_at <= now:
        raise ValidationFailed(_("The expiry must be in the future."), "expires_on")
    if settings.delegation_event_id is not None:
        event = db.session.get(Event, settings.delegation_event_id)
        if event is None or not access.can_view(owner, event):
            raise ValidationFailed(_("No such event."), "delegation_event_id")


def _apply(feed: FeedToken, settings: FeedSettings) -> None:
    unit_feed = feed.unit_id is not None
    feed.name = settings.name.strip()[:100]
    feed.language = settings.language
    feed.detail = DetailLevel(settings.detail)
    feed.alarms = AlarmPreset(settings.alarms)
    feed.filters = {"kinds": sorted(set(settings.kinds)),
                    "unit_ids": sorted({int(u) for u in settings.unit_ids}),
                    "mine": bool(settings.mine) and not unit_feed,
                    "delegation_event_id": settings.delegation_event_id,
                    "deadline_mode": settings.deadlines,
                    "deadlines": shows_deadlines(settings.deadlines,
                                                 bool(settings.mine) or unit_feed),
                    "tasks": bool(settings.tasks)}
    feed.days_back, feed.days_ahead = settings.days_back, settings.days_ahead
    feed.expires_at = settings.expires_at


def shows_deadlines(mode: str, mine: bool) -> bool:
    """Whether a feed carries deadlines: asked for, or by default with "mine" and unit feeds."""
    return mode == DEADLINES_ON or (mode == DEADLINES_AUTO and mine)


def create_feed(owner: User, settings: FeedSettings) -> tuple[FeedToken, str]:
    """A new named feed for ``owner``; returns it with its token (shown once, never stored).

    ``settings.for_unit``: a feed of the owner's unit, which only the unit's head or a focal
    point may create (403 for anyone else).
    """
    if not is_active_user(owner):
        raise PermissionDenied()
    unit_id = owner.unit_id if settings.for_unit else None
    if settings.for_unit and not manages_unit_feeds(owner, unit_id):
        raise PermissionDenied()
    now = utcnow()
    _validate(_reader(owner, unit_id), settings, now)
    token, digest = new_token()
    feed = FeedToken(owner=owner, token_hash=digest, created_at=now, updated_at=now,
                     unit_id=unit_id)
    _apply(feed, settings)
    db.session.add(feed)
    db.session.flush()
    return feed, token


def may_manage(user, feed: FeedToken) -> bool:
    """Who manages a feed.

    A person's feed that person; a unit's its head and focal points (not its creator once
    they have left the unit).
    """
    if feed.unit_id is not None:
        return manages_unit_feeds(user, feed.unit_id)
    return user is not None and feed.owner_id == user.id


def own_feed(user: User, feed_id: int) -> FeedToken:
    """A feed the user manages; anyone else's is reported missing."""
    feed = db.session.get(FeedToken, feed_id)
    if feed is None or not may_manage(user, feed):
        raise NotVisible()
    return feed


def update_feed(user: User, feed_id: int, settings: FeedSettings) -> FeedToken:
    feed = own_feed(user, feed_id)
    _validate(_reader(user, feed.unit_id), settings, utcnow())
    _apply(feed, settings)
    feed.updated_at = utcnow()
    db.session.flush()
    return feed


def rotate_feed(user: User, feed_id: int) -> tuple[FeedToken, str]:
    """A new token for the same feed; the old URL stops working at once."""
    feed = own_feed(user, feed_id)
    if feed.revoked_at is not None:
        raise ValidationFailed(_("A revoked feed cannot be rotated."))
    token, feed.token_hash = new_token()
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
    """The user's own feeds, then the feeds of the unit they manage."""
    mine = sa.and_(FeedToken.owner_id == user.id, FeedToken.unit_id.is_(None))
    if manages_unit_feeds(user, user.unit_id):
        mine = sa.or_(mine, FeedToken.unit_id == user.unit_id)
    return list(db.session.scalars(
        sa.select(FeedToken).where(mine).options(selectinload(FeedToken.owner),
                                                 selectinload(FeedToken.unit))
        .order_by(FeedToken.unit_id.is_not(None), FeedToken.revoked_at.is_not(None),
                  FeedToken.id)))


def issue_token_for(email: str, detail: DetailLevel, *, mine: bool = False,
                    deadlines: bool | None = None,
                    unit_slug: str | None = None) -> tuple[FeedToken, str]:
    """For the CLI: a feed of everything the user may see (or only "mine"), at ``detail``.

    ``deadlines``: True or False, or None for the default (with "mine" and unit feeds).
    ``unit_slug``: a feed of that unit, which must be the user's own, the user its head or
    focal point.
    """
    owner = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if owner is None or not owner.active:
        raise ValidationFailed(_("No active user with that e-mail address."), "email")
    if unit_slug is not None:
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == unit_slug))
        if unit is None or not manages_unit_feeds(owner, unit.id):
            raise ValidationFailed(_("Only the head or a focal point of the unit may create "
                                     "its feed."), "unit")
    mode = DEADLINES_AUTO if deadlines is None else DEADLINES_ON if deadlines else DEADLINES_OFF
    return create_feed(owner, FeedSettings(name=_("Command-line feed"), language=owner.locale
                                           if owner.locale in LANGUAGES else "vi", detail=detail,
                                           mine=mine, deadlines=mode,
                                           for_unit=unit_slug is not None))


def subscribers_of(event: Event) -> list[User]:
    """Owners of live personal feeds that show ``event`` now (one query per such feed).

    For the e-mail a subscriber gets when an event of their feed is rescheduled or cancelled
    (``notifications``). Unit feeds have no one person; their unit's head and focal points
    hear of the unit's events anyway.
    """
    from app.feeds import build

    now = utcnow()
    feeds = db.session.scalars(
        sa.select(FeedToken).join(User, User.id == FeedToken.owner_id)
        .where(FeedToken.unit_id.is_(None), FeedToken.revoked_at.is_(None),
               sa.or_(FeedToken.expires_at.is_(None), FeedToken.expires_at > now),
               User.active.is_(True))
        .options(selectinload(FeedToken.owner)).order_by(FeedToken.id))
    found: dict[int, User] = {}
    for feed in feeds:
        if feed.owner_id in found:
            continue
        spec = build.token_spec(feed)
        if db.session.scalar(sa.select(Event.id).where(
                Event.id == event.id, *build._event_conditions(spec, now))) is not None:
            found[feed.owner_id] = feed.owner
    return list(found.values())


def feed_urls(token: str) -> dict[str, str]:
    """Subscription links for a token: https, webcal, Google Calendar and Outlook."""
    from urllib.parse import quote

    https = f"{current_app.config['BASE_URL']}/feeds/{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal, "atom": https.removesuffix(".ics") + ".atom",
            "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
            "outlook": "https://outlook.office.com/calendar/0/addfromweb?url="
                       + quote(https, safe="") + "&name=" + quote("Briefing Desk", safe="")}
