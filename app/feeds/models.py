"""Named, revocable calendar feeds. The token itself is never stored, only its SHA-256."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import Model, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


class DetailLevel(StrEnum):
    FULL = "full"
    PRESS_SAFE = "press_safe"   # no internal notes, delegation members, logistics, interpreters
    BUSY_ONLY = "busy_only"     # time and a neutral title only


DETAIL_LABELS = {
    DetailLevel.FULL: _l("Full details"),
    DetailLevel.PRESS_SAFE: _l("Press-safe"),
    DetailLevel.BUSY_ONLY: _l("Busy only"),
}


class AlarmPreset(StrEnum):
    NONE = "none"
    DAY = "1d"
    HOUR = "1h"
    BOTH = "both"


ALARM_LABELS = {
    AlarmPreset.NONE: _l("No reminders"),
    AlarmPreset.DAY: _l("1 day before"),
    AlarmPreset.HOUR: _l("1 hour before"),
    AlarmPreset.BOTH: _l("1 day and 1 hour before"),
}

# Window limits in days: a feed's size must not grow with the history.
DEFAULT_DAYS_BACK, MAX_DAYS_BACK = 60, 366
DEFAULT_DAYS_AHEAD, MAX_DAYS_AHEAD = 730, 1100


class FeedToken(Model):
    """A named private feed of a person or a unit: a saved filter, a detail level, a secret token."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # {"kinds": [...], "unit_ids": [...], "mine": bool, "delegation_event_id": int | None}
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    language: Mapped[str] = mapped_column(sa.String(5), default="vi")
    detail: Mapped[DetailLevel] = mapped_column(enum_type(DetailLevel), default=DetailLevel.PRESS_SAFE)
    alarms: Mapped[AlarmPreset] = mapped_column(enum_type(AlarmPreset), default=AlarmPreset.NONE)
    days_back: Mapped[int] = mapped_column(default=DEFAULT_DAYS_BACK)
    days_ahead: Mapped[int] = mapped_column(default=DEFAULT_DAYS_AHEAD)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by the services on a settings change or rotation (not on use): part of the ETag.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # A unit's feed (a shared calendar): shows what the unit sees, whoever created it;
    # ``owner`` is then its creator, and any head or focal point of the unit manages it.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"),
                                                index=True)

    owner: Mapped[User] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ChangeCounter(Model):
    """A number bumped in the same transaction as every write that can change a feed.

    One row per name (``feeds``); see ``app.feeds.changes``. A feed's ETag reads it with
    one primary-key lookup, however large the tables grow.
    """

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
