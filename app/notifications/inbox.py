"""The bell, the list page, personal preferences and the admin view of deliveries."""
from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa

from app.auth.permissions import require_admin
from app.errors import NotVisible, ValidationFailed
from app.events.access import visible_clause
from app.events.models import Event
from app.events.validation import check_timezone
from app.extensions import db
from app.i18n import _
from app.notifications import guards
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
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


def unread_count(user) -> int:
    return db.session.scalar(_shown(user, sa.select(sa.func.count(Notification.id)))
                             .where(Notification.read_at.is_(None))) or 0


def list_notifications(user, *, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(_shown(user, sa.select(Notification))
                                   .order_by(Notification.created_at.desc(), Notification.id.desc())
                                   .limit(limit)))


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

