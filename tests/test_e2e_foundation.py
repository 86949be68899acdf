"""In a real browser: log in, switch to English, see the dashboard, log out."""
import pytest

pytestmark = pytest.mark.browser


def test_login_switch_language_and_logout(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Đăng nhập"

    page.fill("input[name=email]", "protocol@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    assert page.locator("h1").inner_text() == "Trang chính"

    page.click("button[name=locale][value=en]")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Protocol officer" in page.locator(".facts").inner_text()
    # The choice is saved on the account: switch back, as later browser tests log in as them.
    page.click("button[name=locale][value=vi]")
    assert page.locator("h1").inner_text() == "Trang chính"

    page.click("[data-testid=logout]")
    assert page.url.startswith(live_server + "/login")
    assert "Bạn đã đăng xuất." in page.locator(".flash").inner_text()
    page.goto(live_server + "/admin/users/")
    assert page.url.startswith(live_server + "/login?next=/admin/users/")


def test_a_wrong_password_is_refused_in_the_browser(live_server, page):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "viewer@demo.example")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit].primary")
    assert "Sai địa chỉ thư điện tử hoặc mật khẩu." in page.locator(".flash-error").inner_text()
