"""Personal API tokens: issue, list, revoke, authenticate, throttle.

A token is ``bd_`` and 43 random characters (256 bits); only its SHA-256 is stored and it is
shown once. Every request re-reads the token and its owner, so a revoked or expired token or
a deactivated owner stops at once. Throttling counts requests per token in the token's own
row (one atomic UPDATE per request), so every worker and host shares the count.
"""
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from app.api.models import ApiToken, Scope
from app.auth.models import User
from app.auth.permissions import is_active_user
from app.auth.services import find_user_by_email
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events.validation import check_choice, check_length, to_utc
from app.extensions import db
from app.i18n import _, _l
from app.settings import define, group, setting, types
from app.timeutil import UTCDateTime, utcnow

PREFIX = "bd_"
NAME_MAX = 100
# A token may be valid at most this long (a script's credential is renewed at least yearly).
MAX_LIFETIME_DAYS = 366

group("api", _l("JSON API"))
define("api.requests_per_minute", _l("Requests per minute allowed to one API token"),
       types.INTEGER, 120, minimum=1, maximum=100_000,
       help=_l("Further requests in the same minute are answered 429 with Retry-After."))
define("api.token_default_days", _l("Default lifetime of a new API token"), types.DAYS, 90,
       minimum=1, maximum=MAX_LIFETIME_DAYS)

WINDOW = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def can_have_tokens(user) -> bool:
    """Every active user may have tokens: a token acts with its owner's permissions only."""
    return is_active_user(user)


def list_tokens(user) -> Sequence[ApiToken]:
    return db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def _expiry(expires_on: date | None, now: datetime) -> datetime:
    if expires_on is None:
        return now + timedelta(days=setting("api.token_default_days"))
    # Valid through the chosen day, in the province's time zone.
    moment = to_utc(expires_on + timedelta(days=1), time(0), current_app.config["APP_TIMEZONE"])
    if moment <= now:
        raise ValidationFailed(_("The expiry must be in the future."), "expires_on")
    if moment - now > timedelta(days=MAX_LIFETIME_DAYS + 1):
        raise ValidationFailed(_("A token may be valid for at most %(n)d days.",
                                 n=MAX_LIFETIME_DAYS), "expires_on")
    return moment


def issue_token(actor, name: str, scope, expires_on: date | None = None) -> tuple[ApiToken, str]:
    """A new token of ``actor``'s own; returns the row and the secret (shown once)."""
    if not can_have_tokens(actor):
        raise PermissionDenied()
    name = check_length(name, NAME_MAX, "name")
    if not name:
        raise ValidationFailed(_("Name the token (e.g. the script that uses it)."), "name")
    chosen = check_choice(Scope, scope, "scope")
    now = utcnow()
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, token_hash=hash_token(secret),
                     prefix=secret[:10], scope=chosen, created_at=now,
                     expires_at=_expiry(expires_on, now), window_count=0)
    db.session.add(token)
    db.session.flush()
    return token, secret


def issue_token_for(email: str, scope: str, name: str) -> tuple[ApiToken, str]:
    """The CLI's way: a token for the user with that e-mail address."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        raise ValidationFailed(_("No active user has this e-mail address."), "email")
    return issue_token(user, name, scope)


def revoke_token(actor, token_id: int) -> ApiToken:
    """The owner (or an admin) revokes a token; revoking twice changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != getattr(actor, "id", None):
        raise NotVisible()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
    return token


class TokenRefused(Exception):
    """The bearer token is unknown, revoked, expired, or its owner deactivated (401)."""


class Throttled(Exception):
    """Too many requests with this token in the current window (429)."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Bearer:
    token_id: int
    user: User
    scope: Scope

    def may_write(self) -> bool:
        return self.scope is Scope.WRITE


def authenticate(secret: str, now: datetime) -> Bearer:
    """The live token and its active owner, or TokenRefused (one query)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise TokenRefused()
    token = db.session.scalars(sa.select(ApiToken).options(joinedload(ApiToken.user))
                               .where(ApiToken.token_hash == hash_token(secret))).first()
    if token is None or not token.is_live(now) or not token.user.active:
        raise TokenRefused()
    return Bearer(token.id, token.user, token.scope)


def count_request(token_id: int, now: datetime) -> None:
    """Count one request in the token's window and note its last use; Throttled past the limit.

    One UPDATE ... RETURNING, atomic on both databases: concurrent requests on other
    workers and hosts each see their own count. The caller commits.
    """
    limit = setting("api.requests_per_minute")
    table = ApiToken.__table__
    moment = sa.literal(now, UTCDateTime())
    fresh = sa.or_(table.c.window_started_at.is_(None), table.c.window_started_at <= now - WINDOW)
    row = db.session.execute(
        sa.update(table).where(table.c.id == token_id)
        .values(window_started_at=sa.case((fresh, moment), else_=table.c.window_started_at),
                window_count=sa.case((fresh, 1), else_=table.c.window_count + 1),
                last_used_at=now)
        .returning(table.c.window_started_at, table.c.window_count)).one()
    started, count = row
    if count > limit:
        raise Throttled(max(1, int((started + WINDOW - now).total_seconds() + 0.999)))
