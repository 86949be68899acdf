"""Every feed the demo data yields parses in icalendar, vobject and the strict ``ical`` parser."""
import re

import pytest
import sqlalchemy as sa

from app import demo
from app.auth.models import User
from app.extensions import db
from app.feeds import build
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken
from app.timeutil import utcnow
from tests.fixtures_feeds import parse_three

pytestmark = pytest.mark.usefixtures("feed_cache_dir")


@pytest.fixture
def app(demo_app):
    """Here every fixture (client, make_feed, feed_cache_dir) works on the demo data."""
    return demo_app


def test_demo_load_is_idempotent_and_adds_feeds(app):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 3
    demo.load()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 3
    unit_feed = db.session.scalar(sa.select(FeedToken).where(FeedToken.unit_id.is_not(None)))
    assert unit_feed.filters["deadlines"] is True
    parse_three(build.build_feed(build.token_spec(unit_feed), utcnow()))


def test_the_focal_points_demo_feed_holds_the_units_deadlines(app, client):
    from app.checklists.models import OPEN_STATUSES, ChecklistItem

    focal = db.session.scalar(sa.select(User).where(User.email == "focal@demo.example"))
    feed = db.session.scalar(sa.select(FeedToken).where(FeedToken.owner_id == focal.id,
                                                        FeedToken.unit_id.is_(None)))
    body = build.build_feed(build.token_spec(feed), utcnow())
    uids = {u.decode() for u in re.findall(rb"UID:(item-\d+)@", body)}
    start, end = build.window(build.token_spec(feed), utcnow())
    expected = {f"item-{i}" for i in db.session.scalars(sa.select(ChecklistItem.id).where(
        ChecklistItem.unit_id == focal.unit_id, ChecklistItem.status.in_(OPEN_STATUSES),
        ChecklistItem.due_at >= start, ChecklistItem.due_at < end))}
    assert expected
    assert uids == expected
    parse_three(body)


def test_every_demo_feed_parses(app, client, make_feed):
    parsed = set()  # many users see the same events: parse each distinct body once

    def check(body: bytes) -> None:
        if body not in parsed:
            parse_three(body)
            parsed.add(body)

    for language in ("vi", "en"):
        response = client.get(f"/feeds/public.ics?lang={language}")
        assert response.status_code == 200
        check(response.data)
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        for detail in DetailLevel:
            _feed, token = make_feed(user, detail=detail, alarms=AlarmPreset.BOTH,
                                     language=user.locale if user.locale in ("vi", "en") else "vi")
            response = client.get(f"/feeds/{token}.ics")
            assert response.status_code == 200, user.email
            check(response.data)
        # And a "mine" feed with deadlines, as events (VEVENT) or tasks (VTODO).
        _feed, token = make_feed(user, mine=True, deadlines="on", tasks=bool(user.id % 2),
                                 alarms=AlarmPreset.BOTH)
        response = client.get(f"/feeds/{token}.ics")
        assert response.status_code == 200, user.email
        check(response.data)


def test_the_units_demo_feed_holds_a_monitoring_clock(app):
    """The demo's shared unit calendar shows the clocks of the cases its unit leads."""
    from app.monitoring.models import MonitoringCase

    feed = db.session.scalar(sa.select(FeedToken).where(FeedToken.unit_id.is_not(None)))
    body = build.build_feed(build.token_spec(feed), utcnow())
    uids = set(re.findall(rb"UID:(case-\d+-\w+)@", body))
    assert uids
    led = set(db.session.scalars(sa.select(MonitoringCase.id).where(
        MonitoringCase.lead_unit_id == feed.unit_id)))
    assert {int(u.split(b"-")[1]) for u in uids} <= led
    assert "Hạn: Xác minh thông tin — " in body.decode().replace("\r\n ", "")
    parse_three(body)
