"""Feed test helpers: parse a feed with three libraries, create feeds and events."""
import warnings
from datetime import UTC, datetime

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from app.extensions import db
from app.feeds import services
from app.feeds.models import DetailLevel


def parse_three(body: bytes):
    """Parse with icalendar, vobject and the strict ``ical`` package; return icalendar's."""
    text = body.decode("utf-8")
    calendar = icalendar.Calendar.from_ical(body)
    assert not calendar.errors
    for component in calendar.walk():
        assert not getattr(component, "errors", None), component.errors
    vobject.readOne(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic deprecation noise inside ``ical``
        IcsCalendarStream.calendar_from_ics(text)
    return calendar


def vevents(calendar) -> dict[str, icalendar.Event]:
    return {str(c["UID"]): c for c in calendar.walk("VEVENT")}


@pytest.fixture(name="make_feed")
def make_feed_fixture(app):
    def _make(owner, **fields) -> tuple:
        settings = services.FeedSettings(name=fields.pop("name", "Lịch của tôi"),
                                         detail=fields.pop("detail", DetailLevel.FULL), **fields)
        feed, token = services.create_feed(owner, settings)
        db.session.commit()
        return feed, token

    return _make


NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(name="feed_cache_dir")
def feed_cache_dir_fixture(app, tmp_path):
    """Each test its own feed cache: bodies are keyed by ETag, and tests reuse ids and clocks."""
    app.config["FEED_CACHE_DIR"] = str(tmp_path / "feed_cache")
    return tmp_path / "feed_cache"


def statements_during(action) -> list[str]:
    """The SQL statements sent while ``action()`` runs."""
    import sqlalchemy as sa

    sent: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return sent
