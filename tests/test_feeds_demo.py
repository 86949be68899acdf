"""Every feed the demo data yields parses in icalendar, vobject and the strict ``ical`` parser."""
import pytest
import sqlalchemy as sa
from fixtures_feeds import feed_cache_dir_fixture, make_feed_fixture, parse_three  # noqa: F401  (fixtures)

from app import demo
from app.auth.models import User
from app.extensions import db
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken

pytestmark = pytest.mark.usefixtures("feed_cache_dir")


def test_demo_load_is_idempotent_and_adds_a_feed(app):
    demo.load()
    db.session.commit()
    demo.load()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1


def test_every_demo_feed_parses(app, client, make_feed):
    demo.load()
    db.session.commit()
    for language in ("vi", "en"):
        response = client.get(f"/feeds/public.ics?lang={language}")
        assert response.status_code == 200
        parse_three(response.data)
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        for detail in DetailLevel:
            _feed, token = make_feed(user, detail=detail, alarms=AlarmPreset.BOTH,
                                     language=user.locale if user.locale in ("vi", "en") else "vi")
            response = client.get(f"/feeds/{token}.ics")
            assert response.status_code == 200, user.email
            parse_three(response.data)
