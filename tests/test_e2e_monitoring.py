"""Press monitoring end to end, in a real browser ("Done when" of issue 15).

A press liaison records an untrue report about a Bờ Y border-gate delegation and marks it
sensitive; the steering committee is notified; the lead unit (Sở Ngoại vụ) verifies it; its
spokesperson drafts a statement, steering approves it; the response is recorded as a portal
statement; a correction request .docx is generated (read back with python-docx) and the
outlet's correction is recorded; the case closes within its deadlines. A second case, left open
past its clock, escalates once however often `reminders send` runs.
"""
import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from docx import Document

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.monitoring import figures, services
from app.monitoring.models import CaseStatus, Classification, MonitoringCase
from app.notifications import sending
from app.notifications.models import Kind, Notification
from app.timeutil import utcnow
from app.units.models import Unit

pytestmark = pytest.mark.browser
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HEADLINE = "Tin sai: đoàn công tác tỉnh Attapeu bị chặn tại cửa khẩu Bờ Y (E2E)"


@pytest.fixture
def live_db(live_server):
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url, "TESTING": True,
                      "SECRET_KEY": "e2e", "UPLOAD_FOLDER": live_server.upload_folder})
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def as_user(browser, live_server):
    """A logged-in page for an e-mail (one browser context each)."""
    contexts = []

    def _open(email):
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)  # a loaded CI machine answers slowly
        page.goto(live_server + "/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", "demo")
        page.click("button[type=submit].primary")
        page.wait_for_selector("h1")
        return page

    yield _open
    for context in contexts:
        context.close()


def _local(moment) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def _case(case_id) -> MonitoringCase:
    db.session.expire_all()
    return db.session.get(MonitoringCase, case_id)


def test_record_verify_answer_correct_and_close_a_sensitive_report(live_server, live_db, as_user,
                                                                   tmp_path):
    units = {u.slug: u for u in db.session.scalars(sa.select(Unit))}
    screenshot = tmp_path / "anh-chup.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    published = utcnow() - timedelta(hours=2)

    # 1. A press liaison records the report and marks it sensitive.
    liaison = as_user("liaison@demo.example")
    liaison.goto(live_server + "/monitoring/new")
    liaison.select_option("select[name=outlet_id]", label="Vientiane Times")
    liaison.fill("input[name=url]", "https://vientianetimes.example/news/bo-y-e2e")
    liaison.fill("input[name=published_at]", _local(published))
    liaison.fill("input[name=headline]", HEADLINE)
    liaison.fill("textarea[name=excerpt]", "Đoàn công tác tỉnh Attapeu bị từ chối nhập cảnh.")
    liaison.set_input_files("input[name=attachments]", str(screenshot))
    liaison.fill("input[name=topic]", "Đoàn vào")
    liaison.fill("input[name=area]", "Cửa khẩu quốc tế Bờ Y")
    liaison.select_option("select[name=lead_unit_id]", value=str(units["so-ngoai-vu"].id))
    liaison.select_option("select[name=unit_ids]", value=str(units["bdbp-tinh"].id))
    bo_y = liaison.locator("select[name=event_id] option", has_text="Bờ Y")
    if bo_y.count():
        liaison.select_option("select[name=event_id]", value=bo_y.first.get_attribute("value"))
    liaison.select_option("select[name=classification]", value="untrue")
    liaison.fill("input[name=reach]", "45000")
    liaison.check("input[name=is_sensitive]")
    liaison.click("[data-testid=save-case]")
    liaison.wait_for_url(live_server + "/monitoring/")  # outside the circle: back to the log
    assert HEADLINE not in liaison.content()
    case = db.session.scalar(sa.select(MonitoringCase).where(MonitoringCase.headline == HEADLINE))
    assert case.is_sensitive
    assert len(case.attachments) == 1
    case_id = case.id

    # 2. The steering committee is notified at once.
    steering = as_user("steering@demo.example")
    steering.goto(live_server + "/notifications")
    assert HEADLINE in steering.content()
    told = db.session.scalars(sa.select(Notification.recipient_id).where(
        Notification.kind == Kind.CASE_SENSITIVE, Notification.object_id == case_id)).all()
    assert set(told) == set(db.session.scalars(sa.select(User.id).where(
        User.role_rows.any(role=Role.STEERING))))

    # 3. The lead unit verifies it.
    lead = as_user("head.ngoaivu@demo.example")
    lead.goto(f"{live_server}/monitoring/{case_id}")
    lead.click("[data-testid=start]")
    lead.fill("textarea[name=findings]", "Đoàn đã nhập cảnh đúng lịch trình lúc 8 giờ; không có việc chặn.")
    lead.select_option("select[name=classification]", value="untrue")
    lead.click("[data-testid=verify]")
    lead.wait_for_selector("[data-testid=save-response]")

    # 4. Its spokesperson drafts a statement; steering approves it.
    lead.select_option("select[name=response_form]", value="portal_statement")
    lead.fill("textarea[name=text]", "Sở Ngoại vụ khẳng định đoàn công tác tỉnh Attapeu nhập cảnh bình thường.")
    lead.click("[data-testid=save-response]")
    lead.click("[data-testid=submit-response]")
    steering.goto(f"{live_server}/monitoring/{case_id}")
    steering.click("[data-testid=approve-response]")
    steering.wait_for_selector("[data-testid=versions]")
    assert _case(case_id).status is CaseStatus.APPROVED

    # 5. The response is recorded as a portal statement, by an eligible spokesperson.
    lead.goto(f"{live_server}/monitoring/{case_id}")
    speaker = db.session.scalar(sa.select(User).where(User.email == "head.ngoaivu@demo.example"))
    lead.select_option("select[name=speaker_id]", value=str(speaker.id))
    lead.fill("input[name=given_at]", _local(utcnow()))
    lead.fill("input[name=link]", "https://songoaivu.example/thong-cao/bo-y")
    lead.click("[data-testid=record-response]")
    lead.wait_for_selector("[data-testid=responded]")
    assert _case(case_id).status is CaseStatus.RESPONDED

    # 6. A correction request letter is generated and read back.
    lead.fill("input[name=signatory]", "Bùi Đức Thắng, Giám đốc Sở Ngoại vụ")
    lead.click("[data-testid=request-correction]")
    with lead.expect_download() as download:
        lead.click("[data-testid=correction-letter]")
    letter = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in letter.paragraphs)
    for expected in ("Kính gửi: Vientiane Times", HEADLINE, "Đoàn công tác tỉnh Attapeu bị từ chối",
                     "nhập cảnh đúng lịch trình", "Điều 42", "Bùi Đức Thắng"):
        assert expected in text, expected

    # 7. The outlet's correction is recorded and the case closes within its deadlines.
    lead.fill("input[name=published_at]", _local(utcnow()))
    lead.fill("input[name=link]", "https://vientianetimes.example/news/correction-bo-y")
    lead.click("[data-testid=record-correction]")
    lead.wait_for_selector("[data-testid=correction-recorded]")
    lead.click("[data-testid=close]")
    lead.wait_for_selector("[data-testid=case-status]")
    closed = _case(case_id)
    assert closed.status is CaseStatus.CLOSED
    assert figures.outcome(closed, utcnow()) is True
    assert "Đã kết thúc" in lead.inner_text("[data-testid=case-status]")
    assert len(lead.locator("[data-testid=step]").all()) >= 9


def test_a_case_left_open_past_its_clock_escalates_once(live_server, live_db, as_user):
    units = {u.slug: u for u in db.session.scalars(sa.select(Unit))}
    liaison = db.session.scalar(sa.select(User).where(User.email == "liaison@demo.example"))
    now = utcnow()
    case = services.create_case(liaison, services.CaseData(
        headline="Video cắt ghép về hội chợ biên giới (E2E)", url="https://tiktok.example/@x/video/e2e",
        published_at=now - timedelta(days=3), classification=Classification.HOSTILE,
        lead_unit_id=units["so-cong-thuong"].id, platform="TikTok", account="@x"))
    for name in ("created_at", "verify_due_at", "respond_due_at"):
        setattr(case, name, getattr(case, name) - timedelta(days=2))
    db.session.commit()
    case_id = case.id

    def escalations():
        db.session.expire_all()
        return db.session.scalars(sa.select(Notification.recipient_id).where(
            Notification.kind == Kind.CASE_ESCALATED, Notification.object_id == case_id)).all()

    sending.run(now)
    first = escalations()
    steering_ids = set(db.session.scalars(sa.select(User.id).where(User.role_rows.any(role=Role.STEERING))))
    assert sorted(first) == sorted(steering_ids)
    sending.run(now + timedelta(minutes=5))
    sending.run(now + timedelta(hours=6))
    assert sorted(escalations()) == sorted(first)  # once
    steering = as_user("steering@demo.example")
    steering.goto(live_server + "/notifications")
    assert "Video cắt ghép về hội chợ biên giới (E2E)" in steering.content()
