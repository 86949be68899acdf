"""The spokesperson list goes to the press authority whenever it changes (DOMAIN.md rule 3).

Decree 09/2017: the spokespeople's names, titles, phones and e-mails are given in writing to
the press authority, posted on the portal (the public directory does that) and updated on
change. Adding or ending a designation records a change; protocol or an admin prints the
notice letter (``/spokespeople/notice``) and marks it sent. Until then the standing alert
"spokesperson list changed, press authority not yet notified" stands (roster page and
dashboard; ``pending_since`` for other features). Functions flush, never commit.
"""
from datetime import datetime

import sqlalchemy as sa

from app.errors import PermissionDenied
from app.extensions import db
from app.spokespeople.models import ListNoticeEntry
from app.spokespeople.roster import keeps_every_roster
from app.timeutil import utcnow

CHANGED, SENT = "changed", "sent"


def record_change(actor, note: str = "") -> None:
    db.session.add(ListNoticeEntry(kind=CHANGED, at=utcnow(), by_id=getattr(actor, "id", None),
                                   note=note[:300]))
    db.session.flush()


def _latest(kind: str) -> datetime | None:
    return db.session.scalar(sa.select(sa.func.max(ListNoticeEntry.at))
                             .where(ListNoticeEntry.kind == kind))


def pending_since(now: datetime | None = None) -> datetime | None:
    """The first change the press authority has not been told of, or None (nothing pending)."""
    sent = _latest(SENT)
    query = sa.select(sa.func.min(ListNoticeEntry.at)).where(ListNoticeEntry.kind == CHANGED)
    if sent is not None:
        query = query.where(ListNoticeEntry.at > sent)
    first = db.session.scalar(query)
    if first is not None and first.tzinfo is None:  # min() loses the column type on SQLite
        from datetime import UTC
        first = datetime.fromisoformat(str(first)).replace(tzinfo=UTC)
    return first


def can_send(user) -> bool:
    """Protocol and admins send the notice letter (they keep every unit's roster)."""
    return keeps_every_roster(user)


def mark_sent(actor, note: str = "") -> ListNoticeEntry:
    if not can_send(actor):
        raise PermissionDenied()
    entry = ListNoticeEntry(kind=SENT, at=utcnow(), by_id=actor.id, note=note[:300])
    db.session.add(entry)
    db.session.flush()
    return entry


def last_sent() -> ListNoticeEntry | None:
    return db.session.scalar(sa.select(ListNoticeEntry).where(ListNoticeEntry.kind == SENT)
                             .order_by(ListNoticeEntry.at.desc(), ListNoticeEntry.id.desc())
                             .limit(1))
