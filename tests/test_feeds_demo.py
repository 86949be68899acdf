"""Every feed the demo data yields parses in icalendar, vobject and the strict ``ical`` parser."""
import pytest
import sqlalchemy as sa

from app import demo
from app.auth.models import User
from app.extensions import db
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken
from tests.fixtures_feeds import parse_three

pytestmark = pytest.mark.usefixtures("feed_cache_dir")


@pytest.fixture
def app(demo_app):
    """Here every fixture (client, make_feed, feed_cache_dir) works on the demo data."""
    return demo_app


def test_demo_load_is_idempotent_and_adds_a_feed(app):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1
    demo.load()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1


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
