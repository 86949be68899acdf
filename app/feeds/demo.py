"""Demo calendar feed. Called from ``app.demo.load``; idempotent."""
import sqlalchemy as sa

from app.auth.models import User
from app.events.models import EventKind
from app.extensions import db
from app.feeds.models import DetailLevel, FeedToken
from app.feeds.services import FeedSettings, create_feed


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
