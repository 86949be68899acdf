"""The bell, the list page, personal preferences and the admin view of deliveries."""
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa

from app.auth.permissions import require_admin
from app.errors import NotVisible, ValidationFailed
from app.events.validation import check_timezone
from app.extensions import db
from app.i18n import _
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Mode,
    Notification,
    NotificationPreference,
)
from app.timeutil import utcnow


def _visible(user):
    return sa.and_(Notification.recipient_id == user.id, Notification.withdrawn_at.is_(None))


def unread_count(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(_visible(user), Notification.read_at.is_(None))) or 0


def list_notifications(user, *, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(_visible(user))
                                   .order_by(Notification.created_at.desc(), Notification.id.desc())
                                   .limit(limit)))


def mark_read(user, notification_id: int) -> Notification:
    """Only the recipient may; anyone else is told it does not exist."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user.id:
        raise NotVisible()
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()
    return notification


def mark_all_read(user) -> int:
    count = cast(sa.CursorResult, db.session.execute(
        sa.update(Notification).where(_visible(user), Notification.read_at.is_(None))
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
class DeliveryPage:
    rows: list[Delivery]
    counts: dict[str, int]


def deliveries(admin, *, status: str | None = None, limit: int = 200) -> DeliveryPage:
    require_admin(admin)
    query = sa.select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if status in {s.value for s in DeliveryStatus}:
        query = query.where(Delivery.status == status)
    counts = dict(db.session.execute(sa.select(Delivery.status, sa.func.count())
                                     .group_by(Delivery.status)).all())
    return DeliveryPage(list(db.session.scalars(query)), {str(k): v for k, v in counts.items()})


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

