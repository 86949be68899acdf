"""The bell, the list page, personal preferences and the admin view of deliveries."""
from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import User
from app.auth.permissions import require_admin
from app.errors import NotVisible, ValidationFailed
from app.events.access import visible_clause
from app.events.models import Event
from app.events.queries import matches_words
from app.events.validation import check_timezone
from app.extensions import db
from app.i18n import _
from app.notifications import guards
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
)
from app.timeutil import utcnow


def _shown(user, query: sa.Select) -> sa.Select:
    """Restrict ``query`` to ``user``'s notices that are shown now.

    Not withdrawn, and about events they may view now (``visible_clause``) and objects they
    may view now (``guards``): someone who lost sight of one stops seeing what they were told.
    """
    query = (query.outerjoin(Event, Event.id == Notification.event_id)
             .where(Notification.recipient_id == user.id, Notification.withdrawn_at.is_(None),
                    sa.or_(Notification.event_id.is_(None), visible_clause(user))))
    for object_type, guard in sorted(guards.GUARDS.items()):  # objects with their own rule
        query = query.where(sa.or_(Notification.object_type != object_type, guard.clause(user)))
    return query


# The bell counts at most this many (shown as "99+"): it never counts a whole backlog.
BELL_CAP = 100


def unread_count(user, cap: int = BELL_CAP) -> int:
    """Unread notices shown to ``user``, counted up to ``cap``."""
    unread = _shown(user, sa.select(Notification.id)).where(Notification.read_at.is_(None))
    return db.session.scalar(sa.select(sa.func.count())
                             .select_from(unread.limit(cap).subquery())) or 0


def list_notifications(user, *, limit: int = 100) -> list[Notification]:
    return notification_page(user, NoticeFilters(), size=limit)[0]


@dataclass
class NoticeFilters:
    unread: bool = False
    kind: str = ""
    event_id: int | None = None
    words: list[str] = field(default_factory=list)  # folded, matched on the event


def notification_page(user, filters: NoticeFilters, *, page: int = 1,
                      size: int = 50) -> tuple[list[Notification], bool]:
    """One page of ``user``'s notices, newest first, and whether another page follows (no count)."""
    query = _shown(user, sa.select(Notification))
    if filters.unread:
        query = query.where(Notification.read_at.is_(None))
    if filters.kind in set(Kind):
        query = query.where(Notification.kind == Kind(filters.kind))
    if filters.event_id:
        query = query.where(Notification.event_id == filters.event_id)
    if filters.words:
        query = query.where(matches_words(filters.words))
    rows = list(db.session.scalars(
        query.options(contains_eager(Notification.event))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(size + 1).offset((page - 1) * size)))
    return rows[:size], len(rows) > size


def mark_read(user, notification_id: int) -> Notification:
    """Mark a notice read: its recipient only, while they may view its event.

    Anyone else is told it does not exist.
    """
    notification = db.session.scalar(_shown(user, sa.select(Notification))
                                     .where(Notification.id == notification_id))
    if notification is None:
        raise NotVisible()
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()
    return notification


def mark_all_read(user) -> int:
    ids = sa.select(Notification.id).where(Notification.read_at.is_(None))
    count = cast(sa.CursorResult, db.session.execute(
        sa.update(Notification)
        .where(Notification.id.in_(_shown(user, ids).scalar_subquery()))
        .values(read_at=utcnow()))).rowcount
    db.session.flush()
    return count


def preference_of(user) -> NotificationPreference:
    return db.session.get(NotificationPreference, user.id) or NotificationPreference(
        user_id=user.id, mode=Mode.EMAIL, timezone="")


def save_preference(user, mode: str, timezone: str) -> NotificationPreference:
    try:
        mode = Mode(mode)
    except ValueError:
        raise ValidationFailed(_("Choose how to be notified."), "mode") from None
    timezone = (timezone or "").strip()
    if timezone:
        timezone = check_timezone(timezone)
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.mode, preference.timezone = mode, timezone
    db.session.flush()
    return preference


@dataclass
class DeliveryFilters:
    status: str = ""
    kind: str = ""
    event_id: int | None = None
    recipient: str = ""  # part of the recipient's e-mail address or name


def deliveries(admin, filters: DeliveryFilters, *, page: int = 1,
               size: int = 50) -> tuple[list[Delivery], bool]:
    """One page of the e-mail ledger, newest first, and whether another page follows (no count)."""
    require_admin(admin)
    query = (sa.select(Delivery).options(joinedload(Delivery.recipient).lazyload(User.role_rows),
                                         joinedload(Delivery.event)))
    if filters.status in set(DeliveryStatus):
        query = query.where(Delivery.status == DeliveryStatus(filters.status))
    if filters.kind in set(Kind):
        query = query.where(Delivery.kind == Kind(filters.kind))
    if filters.event_id:
        query = query.where(Delivery.event_id == filters.event_id)
    text = filters.recipient.strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Delivery.recipient_id.in_(
            sa.select(User.id).where(sa.or_(sa.func.lower(User.email).like(pattern, escape="\\"),
                                            sa.func.lower(User.name).like(pattern, escape="\\")))))
    rows = list(db.session.scalars(query.order_by(Delivery.id.desc())
                                   .limit(size + 1).offset((page - 1) * size)))
    return rows[:size], len(rows) > size


def retry_delivery(admin, delivery_id: int) -> Delivery:
    """Send a failed delivery again at the next run."""
    require_admin(admin)
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotVisible()
    if not delivery.can_retry:
        raise ValidationFailed(_("Only failed deliveries can be retried."))
    delivery.status = DeliveryStatus.FAILED
    delivery.next_attempt_at = utcnow()
    db.session.flush()
    return delivery

