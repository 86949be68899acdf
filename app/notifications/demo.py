"""Demo data for notifications: a digest reader and assignment notices. Idempotent."""
import sqlalchemy as sa

from app.checklists.models import OPEN_STATUSES, ChecklistItem
from app.extensions import db
from app.notifications.models import Mode, NotificationPreference
from app.notifications.recipients import Directory
from app.notifications.services import notify_item_assigned


def load(users: dict) -> int:
    """The steering user reads a daily digest.

    Open checklist items notify their owners (the delivery ledger makes a second load add nothing).
    Returns notices created.
    """
    steering = users.get("steering@demo.example")
    if steering is not None and db.session.get(NotificationPreference, steering.id) is None:
        db.session.add(NotificationPreference(user_id=steering.id, mode=Mode.DIGEST))
    created = 0
    directory = Directory.load()
    items = db.session.scalars(sa.select(ChecklistItem).where(ChecklistItem.status.in_(OPEN_STATUSES))
                               .order_by(ChecklistItem.due_at).limit(200))
    for item in items:
        created += len(notify_item_assigned(item, directory))
    db.session.flush()
    return created
