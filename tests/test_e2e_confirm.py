"""Actions that cannot be undone ask first, in a real browser (app.js, data-confirm)."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit

pytestmark = pytest.mark.browser

def _log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")


def test_cancelling_an_event_asks_first_and_nothing_happens_on_no(live_server, page):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = live_server.database_url

    with create_app(Config).app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-ngoai-vu"))
        start = utcnow().replace(microsecond=0) + timedelta(days=40)
        event = Event(title_vi="Gặp mặt báo chí (thử hủy)", kind=EventKind.CULTURAL,
                      status=EventStatus.PLANNED, visibility=Visibility.PUBLIC, lead_unit=unit,
                      starts_at=start, ends_at=start + timedelta(hours=1))
        db.session.add(event)
        db.session.commit()
        event_url = f"{live_server}/events/{event.id}"
    _log_in(page, live_server, "protocol@demo.example")
    page.goto(event_url)

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.select_option("select[name=status]", "cancelled")
    page.fill("textarea[name=reason]", "Đổi kế hoạch (E2E)")
    page.click("form[data-confirm-when] button[type=submit]")
    assert asked, "no confirmation was asked"
    page.goto(event_url)
    assert "Đổi kế hoạch (E2E)" not in page.content()

    page.once("dialog", lambda dialog: dialog.accept())
    page.select_option("select[name=status]", "cancelled")
    page.fill("textarea[name=reason]", "Đổi kế hoạch (E2E)")
    page.click("form[data-confirm-when] button[type=submit]")
    page.wait_for_load_state()
    page.goto(event_url)
    assert "Đổi kế hoạch (E2E)" in page.content()


def test_a_feed_address_has_a_copy_button_and_revoking_asks(live_server, page):
    _log_in(page, live_server, "viewer@demo.example")
    page.goto(live_server + "/feeds/new")
    page.fill("input[name=name]", "Lịch thử sao chép")
    page.click("button[type=submit].primary")
    copy = page.locator("[data-testid=copy-feed-url]")
    assert copy.is_visible()
    copy.click()
    assert copy.inner_text() != ""
    page.goto(live_server + "/feeds/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[action$='/revoke'] button").first.click()
    assert asked
    page.goto(live_server + "/feeds/")
    assert page.locator("form[action$='/revoke']").count() >= 1
