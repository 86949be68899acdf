"""Calendar feeds end to end, in a real browser.

A press liaison creates a press-safe English feed of diplomatic events, copies its address, and
the feed fetched from it parses in three libraries and shows a just-cancelled event as
CANCELLED with a higher SEQUENCE.
"""
import urllib.request
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit
from tests.fixtures_feeds import parse_three, vevents

pytestmark = pytest.mark.browser


def _live_app(database_url: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    return create_app(Config)


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        return response.read()


def test_press_liaison_subscribes_and_sees_a_cancellation(live_server, page):
    app = _live_app(live_server.database_url)
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-ngoai-vu"))
        start = utcnow().replace(microsecond=0) + timedelta(days=10)
        event = Event(title_vi="Tiếp Tổng Lãnh sự Lào tại Đà Nẵng",
                      title_en="Reception of the Lao Consul General in Da Nang",
                      description_en="Courtesy call at the Provincial People's Committee.",
                      internal_notes="E2E-INTERNAL-NOTE", kind=EventKind.DIPLOMATIC,
                      status=EventStatus.CONFIRMED, visibility=Visibility.PUBLIC,
                      starts_at=start, ends_at=start + timedelta(hours=2), lead_unit=unit,
                      location="Phòng khách UBND tỉnh", sequence=1)
        cultural = Event(title_vi="Lễ hội văn hóa", title_en="Culture festival",
                         kind=EventKind.CULTURAL, status=EventStatus.CONFIRMED,
                         visibility=Visibility.PUBLIC, starts_at=start, lead_unit=unit,
                         ends_at=start + timedelta(hours=3))
        db.session.add_all([event, cultural])
        db.session.commit()
        event_id, cultural_id = event.id, cultural.id

    page.goto(live_server + "/login")
    page.fill("input[name=email]", "liaison@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.click("button[name=locale][value=en]")
    page.click("nav.toolsnav >> text=Calendar feeds")
    page.click("[data-testid=new-feed]")
    page.fill("input[name=name]", "Diplomatic events for the press")
    page.select_option("select[name=language]", "en")
    page.select_option("select[name=detail]", "press_safe")
    page.select_option("select[name=kinds]", ["diplomatic"])
    page.click("[data-testid=save-feed]")
    url = page.locator("[data-testid=feed-url]").input_value()
    assert url.startswith(live_server + "/feeds/")
    assert url.endswith(".ics")
    assert page.locator("[data-testid=subscribe-webcal]").get_attribute("href").startswith("webcal://")

    uid = f"event-{event_id}@127.0.0.1"
    body = _fetch(url)
    entries = vevents(parse_three(body))
    assert uid in entries
    assert f"event-{cultural_id}@127.0.0.1" not in entries
    assert str(entries[uid]["SUMMARY"]) == "Reception of the Lao Consul General in Da Nang"
    assert str(entries[uid]["STATUS"]) == "CONFIRMED"
    assert b"E2E-INTERNAL-NOTE" not in body
    sequence_before = entries[uid]["SEQUENCE"]

    # Cancel it behind the server's back, as the events service does.
    with app.app_context():
        event = db.session.get(Event, event_id)
        now = utcnow()
        event.status, event.sequence = EventStatus.CANCELLED, event.sequence + 1
        event.status_changed_at = event.updated_at = now
        db.session.commit()
        db.engine.dispose()

    cancelled = vevents(parse_three(_fetch(url)))[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] > sequence_before
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    page.goto(live_server + "/feeds/")
    assert "Diplomatic events for the press" in page.locator("table.feeds").inner_text()
    # The language is saved on the account: back to Vietnamese for later browser tests.
    page.click("button[name=locale][value=vi]")
    assert page.locator("html").get_attribute("lang") == "vi"
