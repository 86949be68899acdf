"""Spokespeople and briefing notes end to end, in a real browser.

A spokesperson is assigned (a clash is refused), drafts two versions, compares, submits;
steering approves; the test downloads the .docx that python-docx reads back.
"""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from app import create_app
from app.auth.models import User
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.units.models import Unit

pytestmark = pytest.mark.browser

START = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def _set_up(database_url: str) -> dict[str, int]:
    """A sensitive event led by the People's Committee with two briefings.

    And an event the demo spokesperson hosts at the time of the second briefing.
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "e2e"})
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == "ubnd-tinh"))
        speaker = db.session.scalar(sa.select(User).where(User.email == "spokesperson@demo.example"))
        event = Event(title_vi="Đón đoàn tỉnh Attapeu (Lào)", kind=EventKind.DELEGATION_IN,
                      status=EventStatus.PLANNED, visibility=Visibility.INTERNAL, is_sensitive=True,
                      starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=2),
                      lead_unit=unit)
        hosted = Event(title_vi="Tiếp Tổng Lãnh sự Lào tại Đà Nẵng", kind=EventKind.DIPLOMATIC,
                       status=EventStatus.CONFIRMED, starts_at=START + timedelta(hours=3),
                       ends_at=START + timedelta(hours=6), lead_unit=unit, hosts=[speaker])
        briefing = Briefing(event=event, title_vi="Họp báo về chuyến thăm của đoàn Attapeu",
                            starts_at=START, ends_at=START + timedelta(hours=1),
                            status=BriefingStatus.SCHEDULED)
        clashing = Briefing(event=event, title_vi="Họp báo bổ sung về đoàn Attapeu",
                            starts_at=START + timedelta(hours=4), ends_at=START + timedelta(hours=5),
                            status=BriefingStatus.SCHEDULED)
        db.session.add_all([event, hosted, briefing, clashing])
        db.session.commit()
        ids = {"briefing": briefing.id, "clashing": clashing.id, "speaker": speaker.id}
        db.session.remove()
        db.engine.dispose()
    return ids


def _log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")


def _log_out(page):
    page.click("[data-testid=logout]")


def test_assign_draft_compare_submit_approve_and_download(live_server, page):
    ids = _set_up(live_server.database_url)
    base = str(live_server)

    # Protocol: the clash is refused and named; the free briefing is assigned.
    _log_in(page, base, "protocol@demo.example")
    page.goto(f"{base}/spokespeople/briefings/{ids['clashing']}")
    form = page.locator("[data-testid=assign-form]")
    form.locator("select[name=user_id]").select_option(str(ids["speaker"]))
    form.locator("select[name=role]").select_option("lead")
    form.locator("button[type=submit]").click()
    assert "Tiếp Tổng Lãnh sự Lào tại Đà Nẵng" in form.locator(".error").inner_text()
    page.goto(f"{base}/spokespeople/briefings/{ids['briefing']}")
    form = page.locator("[data-testid=assign-form]")
    form.locator("select[name=user_id]").select_option(str(ids["speaker"]))
    form.locator("button[type=submit]").click()
    assert "Phạm Minh Tuấn" in page.locator("[data-testid=assignments]").inner_text()
    _log_out(page)

    # The spokesperson accepts from the dashboard and drafts two versions.
    _log_in(page, base, "spokesperson@demo.example")
    panel = page.locator("[data-testid=my-briefing-assignments] li",
                         has_text="Họp báo về chuyến thăm của đoàn Attapeu")
    panel.locator("[data-testid=accept]").click()
    assert "Đã nhận" in page.locator("[data-testid=my-briefing-assignments]").inner_text()
    page.goto(f"{base}/spokespeople/briefings/{ids['briefing']}")
    page.get_by_role("button", name="Bắt đầu soạn đề cương phát ngôn").click()
    note_id = int(re.search(r"/notes/(\d+)/edit", page.url).group(1))
    page.fill("textarea[name=key_messages_vi]", "Tỉnh chào đón đoàn Attapeu.")
    page.fill("textarea[name=answers-0-question_vi]", "Khi nào ký biên bản hợp tác?")
    page.fill("textarea[name=answers-0-answer_vi]", "Dự kiến trong chuyến thăm này.")
    page.click("[data-testid=save-note]")
    assert "phiên bản 1" in page.locator(".flash").inner_text()
    page.click("[data-testid=edit-note]")
    page.fill("textarea[name=key_messages_vi]", "Tỉnh nhiệt liệt chào đón đoàn Attapeu.")
    page.fill("textarea[name=red_lines_vi]", "Không bình luận về phân định biên giới.")
    page.click("[data-testid=save-note]")
    assert "phiên bản 2" in page.locator(".flash").inner_text()

    page.locator("details.versions summary").click()
    page.click("[data-testid=compare]")
    diff = page.locator("[data-testid=diff]")
    assert "nhiệt liệt" in diff.locator("ins").all_inner_texts()[0]
    assert "Không bình luận về phân định biên giới." in " ".join(diff.locator("ins").all_inner_texts())
    page.goto(f"{base}/notes/{note_id}")
    page.click("[data-testid=submit-note]")
    assert page.locator("[data-testid=note-status]").inner_text().startswith("Đã trình duyệt")
    _log_out(page)

    # Steering approves the sensitive event's note; the Word file carries the approved text.
    _log_in(page, base, "steering@demo.example")
    page.goto(f"{base}/notes/{note_id}")
    page.click("[data-testid=approve]")
    assert page.locator("[data-testid=note-status]").inner_text().startswith("Đã duyệt")
    with page.expect_download() as download_info:
        page.click("[data-testid=docx]")
    document = Document(str(download_info.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(cell.text for cell in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Tỉnh nhiệt liệt chào đón đoàn Attapeu." in text
    assert "Hỏi 1: Khi nào ký biên bản hợp tác?" in text
    assert "đã được Đặng Văn Sơn phê duyệt" in text
