"""Oversight end to end, in a real browser, on the demo data.

A ``ban-tgdv`` user opens the dashboard for last quarter, sees the charts, clicks the unit
with the lowest on-time rate and reaches its late items, generates the quarterly report,
edits a section and submits it; the commission's head approves it; the downloaded .docx and
.xlsx, read back with python-docx and openpyxl, carry the dashboard's figures.
"""
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from app.oversight import periods
from app.timeutil import utcnow

pytestmark = pytest.mark.browser


def _log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")


def _download(page, selector) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def test_dashboard_drill_down_report_and_exports(live_server, page):
    base = live_server
    quarter = periods.quarter_label(periods.month_start(periods.quarter_of(utcnow().date()), -3))
    _log_in(page, base, "propaganda@demo.example")
    page.goto(f"{base}/oversight?period={quarter}")
    assert page.locator("[data-testid=unit-table]").is_visible()
    # Every chart is an SVG image that the browser drew.
    for image in page.locator("img.chart").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    total = [c.inner_text().strip() for c in page.locator("[data-testid=unit-table] tfoot tr td").all()]
    held, items_due, overdue = int(total[0]), int(total[2]), int(total[5])
    assert held > 0
    assert items_due > 0

    # The unit with the lowest on-time rate, and its late items.
    lowest = page.locator("[data-testid=lowest-unit]")
    unit_name = lowest.locator("td").nth(1).inner_text().strip()
    late_count = int(lowest.locator("td").nth(3).inner_text().split()[0])
    lowest.locator("a").first.click()
    page.wait_for_selector("[data-testid=item-list]")
    assert page.locator("[data-testid=items-unit]").inner_text().strip() == unit_name
    assert page.locator("[data-testid=item-list] tbody tr[data-item]").count() == late_count
    assert late_count > 0

    # The quarterly report: create (or open) it, edit a section, submit.
    page.goto(f"{base}/oversight/reports/")
    page.fill("[data-testid=new-report] input[name=period]", quarter)
    page.click("[data-testid=new-report] button[type=submit]")
    page.wait_for_selector("[data-testid=report-status]")
    report_url = page.url
    page.fill("#section-II\\.1 textarea[name=text]", "Đã quán triệt Kết luận 57-KL/TW tới các cơ quan, đơn vị.")
    page.click("[data-testid=save-II\\.1]")
    page.wait_for_selector("#section-II\\.1 [data-version]", state="attached")
    page.click("[data-testid=report-submit]")
    page.wait_for_selector("[data-testid=report-status]")
    page.click("[data-testid=logout]")

    _log_in(page, base, "head.tgdv@demo.example")
    page.goto(report_url)
    page.fill("[data-testid=report-workflow] input[name=number]", "25-BC/BTGDVTU")
    page.click("[data-testid=report-approve]")
    page.wait_for_selector("[data-testid=report-status]")
    assert "25-BC/BTGDVTU" in page.locator("[data-testid=report-status]").inner_text()

    document = Document(io.BytesIO(_download(page, "[data-testid=report-docx]")))
    rows = {row.cells[0].text: [c.text for c in row.cells] for t in document.tables for row in t.rows}
    assert [int(rows["Tổng cộng"][1]), int(rows["Tổng cộng"][4]), int(rows["Tổng cộng"][7])] \
        == [held, items_due, overdue]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Đã quán triệt Kết luận 57-KL/TW" in text
    assert "Số 25-BC/BTGDVTU" in document.tables[0].cell(0, 0).text

    workbook = load_workbook(io.BytesIO(_download(page, "[data-testid=report-xlsx]")))
    sheet = workbook["Theo đơn vị"]
    totals = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Tổng cộng")
    assert [totals[1], totals[4], totals[7]] == [held, items_due, overdue]
    assert sheet.freeze_panes == "A2"
