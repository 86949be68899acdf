"""Events end to end, in a real browser.

A protocol officer schedules a Lao delegation's visit on Lao National Day in a hall another
event already uses, overrides both warnings with a reason, adds a programme item and opens the
week schedule for printing.
"""
import pytest

pytestmark = pytest.mark.browser

DAY = "2027-12-02"  # Lao National Day; not a Vietnamese holiday
VENUE = "Hội trường UBND tỉnh"


def _fill_event(page, title: str, kind: str, **extra):
    page.goto(page.base + "/events/new")
    page.fill("input[name=title_vi]", title)
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=start_date]", DAY)
    page.fill("input[name=start_time]", "19:00")
    page.fill("input[name=end_date]", DAY)
    page.fill("input[name=end_time]", "21:00")
    page.select_option("select[name=venue_id]", label=VENUE)
    for name, value in extra.items():
        selector = f"select[name={name}]"
        if page.locator(selector).count():
            page.select_option(selector, value)
        else:
            page.fill(f"input[name={name}]", value)
    page.click("button[type=submit].primary")


def _override(page, reason: str):
    page.check("input[name=override]")
    page.fill("textarea[name=override_reason]", reason)
    page.click("button[type=submit].primary")


def test_delegation_visit_with_clash_warnings_override_and_print(live_server, page):
    page.base = live_server
    page.goto(live_server + "/login")
    page.fill("input[name=email]", "protocol@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")

    # Another event already holds the hall that evening (override any demo clash too).
    _fill_event(page, "Hội nghị giao ban khối nội chính", "political")
    if page.locator("[data-testid=clashes]").count():
        _override(page, "Đã thống nhất với đơn vị tổ chức")
    assert page.locator("h1").inner_text() == "Hội nghị giao ban khối nội chính"

    _fill_event(page, "Đón Đoàn đại biểu tỉnh Attapeu", "delegation_in", country="LA",
                locality="Attapeu")
    warnings = page.locator("[data-testid=clashes]").inner_text()
    assert f"Địa điểm {VENUE} đã được bố trí cho Hội nghị giao ban khối nội chính" in warnings
    assert "là ngày lễ của Lào" in warnings
    _override(page, "Lãnh đạo tỉnh đã thống nhất lịch tiếp đoàn")

    assert page.locator("h1").inner_text() == "Đón Đoàn đại biểu tỉnh Attapeu"
    overrides = page.locator("[data-testid=overrides]").inner_text()
    assert "Lãnh đạo tỉnh đã thống nhất lịch tiếp đoàn" in overrides
    assert "là ngày lễ của Lào" in overrides
    assert "Lào — Attapeu" in page.locator("[data-testid=delegation]").inner_text()
    event_url = page.url

    page.click("text=Chương trình")
    page.fill("input[name=start_time]", "19:00")
    page.fill("input[name=end_time]", "20:00")
    page.fill("input[name=activity_vi]", "Hội đàm giữa lãnh đạo hai tỉnh")
    page.click("button[type=submit].primary")
    assert "Đã thêm hoạt động vào chương trình." in page.locator(".flash").inner_text()
    page.goto(event_url)
    timeline = page.locator("[data-testid=programme]").inner_text()
    assert "Hội đàm giữa lãnh đạo hai tỉnh" in timeline
    assert "19:00–20:00" in timeline

    page.click("text=Lịch công tác tuần")
    assert page.locator("h1").inner_text() == "LỊCH CÔNG TÁC TUẦN"
    schedule = page.locator("[data-testid=schedule]").inner_text()
    assert "Đón Đoàn đại biểu tỉnh Attapeu" in schedule
    assert "19:00" in schedule
    assert VENUE in schedule
