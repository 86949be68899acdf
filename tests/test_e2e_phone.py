"""Phone layout and one Vietnamese (issue 16, item 10), in headless Chromium.

At 375 px every demo role walks every page of its menus (main and tools) plus an event, a
search and the account page: no page scrolls sideways, and the header is a menu button. At
1366 px the same pages in Vietnamese show no English interface text and no raw code
(``tests/e2e_checks.py``; each role's main job is walked in ``tests/test_e2e_roles.py``).
"""
from urllib.parse import urlsplit

import pytest

from tests.e2e_checks import problems, too_wide

pytestmark = pytest.mark.browser

ROLES = ["admin", "protocol", "focal", "spokesperson", "liaison", "steering", "viewer"]


def _log_in(page, base, role):
    page.goto(base + "/login")
    page.fill("input[name=email]", f"{role}@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=logout]", state="attached")


def _main_pages(page, base) -> list[str]:
    """Every page of the user's menus, an event, the search and the account page."""
    page.goto(base + "/")
    links = page.eval_on_selector_all(".mainnav a, .toolsnav a", "els => els.map(a => a.href)")
    page.goto(base + "/events/?from=")
    event = page.eval_on_selector_all("table.events a[href*='/events/']",
                                      "els => els.map(a => a.href)")[:1]
    paths = [urlsplit(link)._replace(scheme="", netloc="").geturl() for link in links + event]
    paths += ["/search?q=doan+attapeu", "/account/password", "/notifications"]
    return list(dict.fromkeys(p for p in paths if p and not p.startswith("/logout")))


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 375, "height": 812}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_at_375(live_server, phone, role):
    _log_in(phone, live_server, role)
    # The header is a menu button; the menu opens and closes.
    phone.wait_for_selector("body.has-menu", state="attached")
    toggle = phone.locator("[data-testid=menu-toggle]")
    assert toggle.is_visible()
    assert not phone.locator(".mainnav").is_visible()
    toggle.click()
    assert phone.locator(".mainnav").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert not phone.locator(".mainnav").is_visible()

    pages = _main_pages(phone, live_server)
    assert len(pages) >= 6, pages
    wide = {}
    for path in pages:
        response = phone.goto(live_server + path)
        assert response is not None
        assert response.status < 500, path
        if width := too_wide(phone):
            wide[path] = width
    assert wide == {}, f"{role}: pages wider than 375 px: {wide}"


@pytest.mark.parametrize("role", ROLES)
def test_no_english_or_raw_code_on_the_vietnamese_pages_at_1366(live_server, browser, role):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _log_in(page, live_server, role)
        page.click("button[name=locale][value=vi]")  # another test may have switched it
        found = {}
        for path in _main_pages(page, live_server):
            page.goto(live_server + path)
            # Content marked as another language (lang="en": the language switch, English
            # texts an admin keeps for English e-mails) is not interface text.
            if wrong := problems(page, "vi"):
                found[path] = wrong
    finally:
        context.close()
    assert found == {}, f"{role}: English or raw codes on Vietnamese pages: {found}"
