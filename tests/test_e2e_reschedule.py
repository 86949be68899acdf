"""A reschedule carries everything, in a real browser (issue 16, item 1).

A protocol officer moves the Attapeu delegation's visit five days later: the preview lists its
programme and its arrival; confirmed, they move with it.
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.events.models import (
    Delegation,
    DelegationDirection,
    Event,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Visibility,
)
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit

pytestmark = pytest.mark.browser


def _config(live_server):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = live_server.database_url

    return Config


def test_the_reschedule_preview_moves_a_delegation_with_its_programme_and_arrival(live_server,
                                                                                 page):
    with create_app(_config(live_server)).app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-ngoai-vu"))
        start = (utcnow() + timedelta(days=70)).replace(hour=2, minute=0, second=0, microsecond=0)
        event = Event(title_vi="Đón Đoàn tỉnh Attapeu (dời lịch)", kind=EventKind.DELEGATION_IN,
                      status=EventStatus.PLANNED, visibility=Visibility.INTERNAL, lead_unit=unit,
                      starts_at=start, ends_at=start + timedelta(hours=8),
                      timezone="Asia/Ho_Chi_Minh")
        event.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                      locality="Attapeu", arrival_at=start - timedelta(hours=18))
        event.programme.append(ProgrammeItem(starts_at=start + timedelta(hours=1),
                                             ends_at=start + timedelta(hours=2),
                                             activity_vi="Hội đàm giữa lãnh đạo hai tỉnh"))
        db.session.add(event)
        db.session.commit()
        event_id, arrival = event.id, event.delegation.arrival_at
        item_start = event.programme[0].starts_at
    new_day = (start + timedelta(days=5, hours=7)).date()  # local date of the new start

    page.goto(live_server + "/login")
    page.fill("input[name=email]", "protocol@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.goto(f"{live_server}/events/{event_id}/edit")
    page.fill("input[name=start_date]", new_day.isoformat())
    page.fill("input[name=end_date]", new_day.isoformat())
    page.click("button[type=submit].primary")

    items = page.locator("[data-testid=reschedule-items]").inner_text()
    assert "Hội đàm giữa lãnh đạo hai tỉnh" in items
    assert "Thời gian đến" in items  # the arrival
    assert page.locator("input[name=keep]:checked").count() == 0  # everything moves by default
    page.click("[data-testid=reschedule-confirm]")
    if page.locator("[data-testid=clashes]").count():  # a holiday on the new day, if any
        page.check("input[name=override]")
        page.fill("textarea[name=override_reason]", "Lãnh đạo tỉnh đã thống nhất lịch mới")
        page.click("[data-testid=reschedule-confirm]")
    page.wait_for_url(f"{live_server}/events/{event_id}")

    with create_app(_config(live_server)).app_context():
        moved = db.session.get(Event, event_id)
        assert moved.starts_at == start + timedelta(days=5)
        assert moved.delegation.arrival_at == arrival + timedelta(days=5)
        assert moved.programme[0].starts_at == item_start + timedelta(days=5)
