"""Training courses end to end, in a real browser (issue 17, "Done when").

Protocol creates a course with two sessions and quotas; two units nominate people; the
nominees accept; the days of the course pass (moved into the past in the live server's
database, as the clock of a real server cannot be frozen); protocol takes attendance on the
phone page; the participants evaluate the course; one downloads the certificate, read back
here; the coverage page shows the unit's count going up.
"""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from app.auth.models import User
from app.extensions import db
from app.timeutil import utcnow
from app.training.models import NominationStatus, TrainingCourse, TrainingNomination, TrainingTopic
from app.units.models import Unit

pytestmark = pytest.mark.browser

TITLE = "Lớp bồi dưỡng người phát ngôn E2E"
TITLE_EN = "Spokespeople course E2E"


def _log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo")
    _submit(page, "button[type=submit].primary")


def _submit(page, target) -> None:
    """Click a submit button and wait for the page it leads to (the old page's flash must not count)."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def _id(model, **where):
    db.session.expire_all()
    return db.session.scalar(sa.select(model.id).filter_by(**where))


def _trained(page, base, slug) -> int:
    page.goto(base + "/training/coverage")
    text = page.locator(f"[data-testid=coverage-{slug}] [data-testid=coverage-trained]").inner_text()
    return int(re.match(r"(\d+)/", text.strip())[1])


def test_course_nominations_attendance_evaluation_certificate_coverage(live_server, live_db, page, tmp_path):
    page.set_default_timeout(45_000)  # a loaded machine runs several suites at once
    base = live_server
    today = utcnow().date()
    first_day, deadline = today + timedelta(days=24), today + timedelta(days=14)
    liaison_id = _id(User, email="liaison@demo.example")
    ngochoi_id = _id(User, email="focal.ngochoi@demo.example")

    # Protocol reads the coverage first: the demo's liaison has not completed a course.
    _log_in(page, base, "protocol@demo.example")
    before = _trained(page, base, "so-vhttdl")

    # 1. Protocol creates the course.
    page.goto(base + "/training/new")
    page.fill("input[name=title_vi]", TITLE)
    page.fill("input[name=title_en]", TITLE_EN)
    page.select_option("select[name=lead_unit_id]", str(_id(Unit, slug="so-ngoai-vu")))
    page.fill("input[name=start_date]", first_day.isoformat())
    page.fill("input[name=end_date]", (first_day + timedelta(days=1)).isoformat())
    page.fill("input[name=location]", "Hội trường Sở Ngoại vụ")
    page.fill("input[name=capacity]", "20")
    page.fill("input[name=deadline_date]", deadline.isoformat())
    for code in ("nd09-2017", "luat-bao-chi-2016"):
        page.check(f"input[name=topic_ids][value='{_id(TrainingTopic, code=code)}']")
    for role in ("spokesperson", "liaison", "focal"):
        page.check(f"input[name=target_roles][value={role}]")
    page.fill("textarea[name=outside_trainers]", "TS. Đỗ Văn Báo, Học viện Báo chí và Tuyên truyền")
    _submit(page, "[data-testid=course-form] button[type=submit]")
    if page.locator("[data-testid=clashes]").count():  # a public holiday, say: go ahead anyway
        page.check("input[name=override]")
        page.fill("textarea[name=override_reason]", "Lịch học đã thống nhất với các đơn vị.")
        _submit(page, "[data-testid=course-form] button[type=submit]")
    page.wait_for_selector("[data-testid=sessions]")
    event_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    # Two sessions, then the quotas of two units.
    for n, day in enumerate((first_day, first_day + timedelta(days=1)), start=1):
        form = page.locator("[data-testid=session-form]")
        form.locator("input[name=day]").fill(day.isoformat())
        form.locator("input[name=start_time]").fill("08:00")
        form.locator("input[name=end_time]").fill("11:30")
        form.locator("input[name=title_vi]").fill(f"Buổi {n}: phát ngôn và cung cấp thông tin")
        form.locator("input[name=room]").fill("Phòng họp số 2")
        _submit(page, form.locator("button[type=submit]"))
        page.wait_for_selector(".flash-success")
    assert page.locator("[data-testid=sessions] tbody tr").count() == 2
    for slug, seats in (("so-vhttdl", "2"), ("huyen-uy-ngoc-hoi", "1")):
        form = page.locator("[data-testid=quota-form]")
        form.locator("select[name=unit_id]").select_option(str(_id(Unit, slug=slug)))
        form.locator("input[name=seats]").fill(seats)
        _submit(page, form.locator("button[type=submit]"))
        page.wait_for_selector(".flash-success")
    assert page.locator("[data-testid=quotas] tbody tr").count() == 2
    course_url = f"{base}/training/{event_id}"

    # 2. Two units nominate: the Department of Culture's focal point nominates its press liaison,
    # Ngọc Hồi's focal point nominates himself.
    for nominator, nominee in (("focal@demo.example", liaison_id),
                               ("focal.ngochoi@demo.example", ngochoi_id)):
        _log_in(page, base, nominator)
        page.goto(course_url)
        page.select_option("[data-testid=nominate-form] select[name=user_id]", str(nominee))
        _submit(page, "[data-testid=nominate-form] button[type=submit]")
        page.wait_for_selector(".flash-success")
        assert page.locator(f"[data-testid=nomination-{nominee}]").count() == 1

    # 3. The nominees, told by the bell, accept.
    for email in ("liaison@demo.example", "focal.ngochoi@demo.example"):
        _log_in(page, base, email)
        page.goto(course_url)
        _submit(page, "[data-testid=accept]")
        page.wait_for_selector(".flash-success")
    db.session.expire_all()
    course = db.session.scalar(sa.select(TrainingCourse).where(TrainingCourse.event_id == event_id))
    assert {n.user_id: n.status for n in course.nominations} == {
        liaison_id: NominationStatus.ACCEPTED, ngochoi_id: NominationStatus.ACCEPTED}

    # The course takes place: its days are moved into the past.
    shift = course.event.ends_at - utcnow() + timedelta(days=1)
    course.event.starts_at -= shift
    course.event.ends_at -= shift
    course.nomination_deadline -= shift
    for session in course.event.programme:
        session.starts_at -= shift
        session.ends_at -= shift
    db.session.commit()

    # 4. Protocol takes attendance on the phone page: the liaison at both sessions, Ngọc Hồi's
    # focal point at the first only; the sign-in sheet lists both.
    _log_in(page, base, "protocol@demo.example")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(course_url)
    _submit(page, "[data-testid=take-attendance]")
    marks = [{liaison_id: "present", ngochoi_id: "present"}, {liaison_id: "present", ngochoi_id: "absent"}]
    for n, session_marks in enumerate(marks):
        _submit(page, page.locator(".session-tabs a").nth(n))
        page.wait_for_selector("[data-testid=attendance-form]")
        for user_id, status in session_marks.items():
            page.locator(f"[data-testid=attendance-{user_id}] label").filter(
                has=page.locator(f"input[value={status}]")).click()
        _submit(page, "[data-testid=save-attendance]")
        page.wait_for_selector(".flash-success")
    _submit(page, "[data-testid=sign-in-sheet]")
    sheet = page.locator("[data-testid=sheet]").inner_text()
    assert "Võ Thị Hạnh" in sheet
    assert "A Tuấn" in sheet
    page.set_viewport_size({"width": 1280, "height": 900})

    # 5. Both participants evaluate the course.
    for email, rating, comment in (("liaison@demo.example", "5", "Nhiều tình huống thực tế."),
                                   ("focal.ngochoi@demo.example", "4", "")):
        _log_in(page, base, email)
        page.goto(course_url)
        _submit(page, "[data-testid=evaluate]")
        for name in ("content", "trainers", "organisation", "usefulness"):
            page.select_option(f"select[name={name}]", rating)
        page.fill("textarea[name=comments]", comment)
        _submit(page, "[data-testid=evaluation-form] button[type=submit]")
        page.wait_for_selector(".flash-success")

    # 6. The liaison (2 of 2 sessions) downloads the certificate; Ngọc Hồi's focal point
    # (1 of 2, below 80 %) has none.
    assert page.locator("[data-testid=my-certificate]").count() == 0
    _log_in(page, base, "liaison@demo.example")
    page.goto(course_url)
    with page.expect_download() as download_info:
        page.click("[data-testid=my-certificate]")
    document = Document(str(download_info.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "GIẤY CHỨNG NHẬN" in text
    assert "Võ Thị Hạnh" in text
    assert TITLE in text
    assert "Số buổi có mặt: 2/2" in text

    # The evaluations, without names.
    _log_in(page, base, "protocol@demo.example")
    page.goto(f"{course_url}/evaluations")
    assert "4.5" in page.locator("[data-testid=evaluation-averages]").inner_text()
    assert "Nhiều tình huống thực tế." in page.locator("[data-testid=evaluation-comments]").inner_text()
    assert "Võ Thị Hạnh" not in page.locator("main").inner_text()

    # 7. The coverage page shows the change.
    assert _trained(page, base, "so-vhttdl") == before + 1
    page.goto(f"{base}/training/people/{liaison_id}")
    record = page.locator("[data-testid=training-record]").inner_text()
    assert TITLE in record or TITLE_EN in record  # another browser test switched protocol to English
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingNomination).where(
        TrainingNomination.course_id == course.id)) == 2
