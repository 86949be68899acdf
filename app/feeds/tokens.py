"""Feed tokens.

The secret in a feed's address (only its SHA-256 is stored), the cheap check every private feed
request starts with, and remembering when a feed was used.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa

from app.auth.models import User, UserRole
from app.extensions import db
from app.feeds.build import settings_tag
from app.feeds.models import FeedToken
from app.feeds.validators import etag, fingerprint_statement, owner_tag
from app.inputs import strip_controls
from app.units.models import Unit

# A client that fetches every minute must not cost a database write each time.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)  # 256 bits
    return token, hash_token(token)


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
    fingerprint = fingerprint_statement().selected_columns
    return (sa.select(FeedToken.id, FeedToken.updated_at, FeedToken.token_hash,
                      FeedToken.revoked_at, FeedToken.expires_at, FeedToken.last_used_at,
                      FeedToken.last_user_agent, User.id, User.active, User.unit_id, roles,
                      FeedToken.unit_id, Unit.active, *fingerprint)
            .join(User, User.id == FeedToken.owner_id)
            .outerjoin(Unit, Unit.id == FeedToken.unit_id)
            .where(FeedToken.token_hash == sa.bindparam("digest")))


def check_token(token: str, now: datetime) -> TokenCheck | None:
    """The cheap path of every private feed request: is the token live, and what is its ETag?

    One query; unknown, revoked, expired or inactive owner all give None. A unit's feed
    depends on its unit (still active), not on who created it.
    """
    if not token or len(token) > 100:
        return None
    row = db.session.execute(_token_statement(), {"digest": hash_token(token)}).first()
    if row is None:
        return None
    (feed_id, updated_at, token_hash, revoked_at, expires_at, last_used_at, user_agent,
     owner_id, active, unit_id, roles, feed_unit_id, unit_active) = row[:13]
    if revoked_at is not None or (expires_at is not None and expires_at <= now):
        return None
    if feed_unit_id is not None:
        if not unit_active:
            return None
        tag = ["unit", feed_unit_id]
    elif not active:
        return None
    else:
        tag = owner_tag(owner_id, active, unit_id, (roles or "").split(",") if roles else [])
    found, last_modified = etag(f"feed-{feed_id}", settings_tag(updated_at, token_hash),
                                tag, tuple(row[13:]), now)
    return TokenCheck(feed_id, found, last_modified, last_used_at, user_agent or "")


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
