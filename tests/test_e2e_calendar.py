"""The calendar in headless Chromium (issue 16, item 10).

On a phone (375 px) the month and the week give way to the days as a list, with no
sideways scrolling; on a desktop the week is a time grid whose events sit inside their
day's column.
"""
import pytest

from tests import test_e2e_phone
from tests.test_e2e_phone import _log_in

pytestmark = pytest.mark.browser
phone = test_e2e_phone.phone  # the 375 px page fixture


def test_phone_calendar_is_an_agenda_without_sideways_scroll(live_server, phone):
    _log_in(phone, live_server, "protocol")
    for path in ("/calendar", "/calendar?view=month", "/calendar?view=week",
                 "/calendar?view=agenda"):
        response = phone.goto(live_server + path)
        assert response is not None
        assert response.status == 200, path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert not phone.locator("table.month").is_visible(), path
        assert not phone.locator(".timegrid").is_visible(), path
        assert phone.locator("[data-testid=day-list], [data-testid=agenda]").first.is_visible(), path
    # The month's list holds the events its grid holds (the demo has events this month).
    phone.goto(live_server + "/calendar?view=month")
    in_grid = phone.locator("table.month td:not(.other-month) a.cal-event").count()
    assert in_grid > 0
    assert phone.locator("[data-testid=day-list] a.cal-event").count() == in_grid
    assert phone.locator("[data-testid=day-list] a.cal-event").first.is_visible()


@pytest.mark.parametrize("width", [1366])
def test_desktop_week_is_a_time_grid(live_server, browser, width):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _log_in(page, live_server, "protocol")
        page.goto(live_server + "/calendar?view=week")
        assert page.locator(".timegrid").is_visible()
        assert not page.locator("[data-testid=day-list]").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Each timed event lies inside its day's column and is at least one half hour tall.
        misplaced = page.evaluate("""() => [...document.querySelectorAll('.tg-day')].flatMap(day => {
            const box = day.getBoundingClientRect();
            return [...day.querySelectorAll('.tg-event')].map(e => e.getBoundingClientRect())
              .filter(r => r.left < box.left - 1 || r.right > box.right + 1
                           || r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.height < 15)
              .map(r => [r.left, r.top, r.width, r.height]); })""")
        assert misplaced == []
        # Hours down the side: 08:00 is above 12:00.
        eight = page.locator(".tg-hour", has_text="08:00").bounding_box()
        noon = page.locator(".tg-hour", has_text="12:00").bounding_box()
        assert eight is not None
        assert noon is not None
        assert eight["y"] < noon["y"]
    finally:
        context.close()
