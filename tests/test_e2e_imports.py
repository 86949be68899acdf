"""Imports end to end, in a real browser (issue 18's "done when").

A protocol officer imports a 500-row XLSX whose preview flags two rows, fixes the two rows,
uploads the file again and imports it: the 500 events exist. Then the same officer imports a
partner's .ics into a delegation's programme, and a re-import updates what changed and lists
what the partner removed.
"""
import io
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.events.models import Event, EventKind, EventStatus
from app.extensions import db
from app.imports import sheet
from app.imports.models import ImportedEvent
from app.timeutil import utcnow
from app.units.models import Unit
from tests.helpers import log_in_page

pytestmark = pytest.mark.browser

SLOW = 120_000  # ms: 500 rows are checked on a loaded machine


def _workbook(rows: list[dict]) -> bytes:
    book = Workbook()
    book.active.append([header for _key, header, _required in sheet.COLUMNS])
    for values in rows:
        book.active.append([values[key] for key, _h, _r in sheet.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(n: int, **changes) -> dict:
    values = {"key": f"E2E-{n}", "title_vi": f"Hoạt động đối ngoại nhập từ Excel số {n}",
              "title_en": "", "kind": "Sự kiện chính trị", "lead_unit": "so-ngoai-vu",
              "start_date": date(2028, 3, 1 + n % 28), "start_time": time(7 + n % 10, 0),
              "end_date": None, "end_time": time(7 + n % 10, 45), "venue": "",
              "visibility": "Nội bộ", "country": "", "description_vi": ""}
    values.update(changes)
    return values


def _upload(page, content: bytes, name: str):
    page.set_input_files("input[name=file]", files=[{
        "name": name, "buffer": content,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("[data-testid=import-preview]", timeout=SLOW)
    page.wait_for_selector("[data-testid=import-summary]", timeout=SLOW)


def _imported() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ImportedEvent).where(
        ImportedEvent.external_key.like("sheet:E2E-%")))


def test_a_500_row_workbook_two_rows_fixed_then_imported(live_server, live_db, page):
    page.set_default_timeout(SLOW)
    log_in_page(page, live_server, "protocol@demo.example")
    page.click("nav >> text=Nhập sự kiện từ tệp")
    assert page.locator("h1").inner_text() == "Nhập sự kiện từ tệp"

    rows = [_row(n) for n in range(500)]
    rows[41] = _row(41, start_date="30/02/2028")
    rows[377] = _row(377, lead_unit="so-khong-ton-tai")
    _upload(page, _workbook(rows), "ke-hoach-doi-ngoai.xlsx")
    summary = page.locator("[data-testid=import-summary]").inner_text()
    assert "500 dòng" in summary
    assert "2 dòng có lỗi" in summary
    flagged = page.locator("[data-testid=import-errors] tbody tr")
    assert flagged.count() == 2
    assert [flagged.nth(i).get_attribute("data-line") for i in range(2)] == ["43", "379"]
    assert page.locator("[data-testid=import-commit]").count() == 0
    assert _imported() == 0

    page.click("text=Tải lên tệp khác")
    rows[41], rows[377] = _row(41), _row(377)
    _upload(page, _workbook(rows), "ke-hoach-doi-ngoai.xlsx")
    assert "500 dòng mới" in page.locator("[data-testid=import-summary]").inner_text()
    page.click("[data-testid=import-commit]", timeout=SLOW)
    page.wait_for_selector(".flash", timeout=SLOW)
    assert "500" in page.locator(".flash").first.inner_text()
    assert _imported() == 500
    db.session.expire_all()
    titles = set(db.session.scalars(sa.select(Event.title_vi).where(
        Event.title_vi.like("Hoạt động đối ngoại nhập từ Excel số %"))))
    assert len(titles) == 500


def _calendar(day: date, talks: str, with_dinner: bool = True) -> bytes:
    stamp = day.strftime("%Y%m%d")
    dinner = (f"BEGIN:VEVENT\nUID:dinner@attapeu.la\nDTSTAMP:20261201T000000Z\n"
              f"DTSTART:{stamp}T180000\nDTEND:{stamp}T200000\nSUMMARY:Chiêu đãi\nEND:VEVENT\n"
              if with_dinner else "")
    return (f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Attapeu//Programme//LO\n"
            f"BEGIN:VEVENT\nUID:talks@attapeu.la\nDTSTAMP:20261201T000000Z\n"
            f"DTSTART;TZID=Asia/Vientiane:{stamp}T090000\n"
            f"DTEND;TZID=Asia/Vientiane:{stamp}T103000\nSUMMARY:{talks}\n"
            f"LOCATION:Trụ sở UBND tỉnh\nEND:VEVENT\n{dinner}END:VCALENDAR\n").encode()


def _upload_calendar(page, content: bytes):
    page.set_input_files("input[name=file]", files=[{
        "name": "attapeu.ics", "buffer": content, "mimeType": "text/calendar"}])
    page.click("[data-testid=calendar-preview]")
    page.wait_for_selector("[data-testid=calendar-summary]")


def test_a_partners_calendar_into_a_delegations_programme(live_server, live_db, page):
    starts = (utcnow() + timedelta(days=45)).replace(hour=0, minute=0, second=0, microsecond=0)
    unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-ngoai-vu"))
    event = Event(title_vi="Đón Đoàn tỉnh Attapeu (nhập lịch E2E)", title_en="Attapeu (E2E)",
                  kind=EventKind.DELEGATION_IN, status=EventStatus.PLANNED, starts_at=starts,
                  ends_at=starts + timedelta(hours=14), lead_unit=unit)
    db.session.add(event)
    db.session.commit()
    day = (starts + timedelta(hours=7)).date()  # the local day

    log_in_page(page, live_server, "protocol@demo.example")
    page.goto(f"{live_server}/events/{event.id}")
    page.click("[data-testid=import-calendar]")
    assert page.locator("h1").inner_text() == "Nhập lịch của đối tác"
    _upload_calendar(page, _calendar(day, "Hội đàm"))
    assert page.locator("[data-testid=calendar-summary]").inner_text() == \
        "2 mục: 2 mới, 0 thay đổi, 0 không đổi, 0 có lỗi."
    rows = page.locator("[data-testid=calendar-rows]").inner_text()
    assert "09:00–10:30" in rows  # 09:00 in Vientiane is 09:00 in Hà Nội (both UTC+7)
    page.click("[data-testid=calendar-commit]")
    assert "thêm 2" in page.locator(".flash").first.inner_text()
    page.goto(f"{live_server}/events/{event.id}")
    programme = page.locator("[data-testid=programme]").inner_text()
    assert "Hội đàm" in programme
    assert "Chiêu đãi" in programme

    page.click("[data-testid=import-calendar]")
    _upload_calendar(page, _calendar(day, "Hội đàm cấp tỉnh", with_dinner=False))
    assert page.locator("[data-testid=calendar-summary]").inner_text() == \
        "1 mục: 0 mới, 1 thay đổi, 0 không đổi, 0 có lỗi."
    assert "Chiêu đãi" in page.locator("[data-testid=calendar-removed]").inner_text()
    page.click("[data-testid=calendar-commit]")
    assert "cập nhật 1" in page.locator(".flash").first.inner_text()
    page.goto(f"{live_server}/events/{event.id}")
    assert "Hội đàm cấp tỉnh" in page.locator("[data-testid=programme]").inner_text()
