"""Demo calendar feed. Called from ``app.demo.load``; idempotent."""
import sqlalchemy as sa

from app.auth.models import User
from app.events.models import EventKind
from app.extensions import db
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken
from app.feeds.services import DEADLINES_ON, FeedSettings, create_feed


def _has_feed(user: User) -> bool:
    return db.session.scalar(sa.select(FeedToken.id).where(FeedToken.owner_id == user.id)) is not None


def ensure_demo_feeds(users: dict[str, User]) -> int:
    """Demo feeds (rotate one to see its address).

    A press-safe English feed for the press liaison; the focal point's "mine" feed with the
    deadlines of their unit's checklist items, and their unit's shared feed (full detail: it
    shows the clocks of the unit's monitoring cases too).
    """
    created = 0
    liaison = users.get("liaison@demo.example")
    if liaison is not None and not _has_feed(liaison):
        create_feed(liaison, FeedSettings(name="Press: diplomatic events", language="en",
                                          detail=DetailLevel.PRESS_SAFE,
                                          kinds=[EventKind.DIPLOMATIC.value,
                                                 EventKind.DELEGATION_IN.value]))
        created += 1
    focal = users.get("focal@demo.example")
    if focal is not None and not _has_feed(focal):
        create_feed(focal, FeedSettings(name="Việc của tôi và hạn nộp", language="vi",
                                        detail=DetailLevel.FULL, mine=True,
                                        deadlines=DEADLINES_ON, alarms=AlarmPreset.DAY))
        # The focal point's unit: a shared calendar of its events and deadlines (checklist
        # items and the clocks of the press-monitoring cases it leads), for the unit's staff.
        create_feed(focal, FeedSettings(name="Lịch chung của đơn vị", language="vi",
                                        detail=DetailLevel.FULL, for_unit=True,
                                        alarms=AlarmPreset.DAY))
        created += 2
    return created
