"""Monitoring: responses (versions, approval, eligible speaker), corrections, clocks, register, figures."""
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from app.extensions import db
from app.monitoring import clocks, figures, services
from app.monitoring.alerts import standing_alerts
from app.monitoring.models import CaseStatus, MonitoringCase, VersionStatus
from app.notifications.models import Kind, Notification
from app.press.models import Briefing, BriefingStatus
from tests.fixtures_monitoring import MONITORING_NOW
from tests.helpers import log_in as _log_in
from tests.helpers import nothing_written


def log_in(client, user):
    """Switch the client to ``user`` (logging out whoever was logged in)."""
    client.post("/logout")
    return _log_in(client, user)


def _post(client, case, path, **data):
    db.session.refresh(case)
    return client.post(f"/monitoring/{case.id}/{path}", data={"version": str(case.version), **data})


def _verified(make_case, p, lead, **fields):
    case = make_case(p["liaison"], lead_unit=lead, **fields)
    services.record_verification(p["focal"], case, case.version, "Đoàn vẫn qua cửa khẩu bình thường",
                                 "untrue")
    db.session.commit()
    return case


def _approved(client, case, p, approver="head"):
    log_in(client, p["speaker"])
    assert _post(client, case, "response", response_form="portal_statement",
                 text="Thông tin đoàn bị từ chối nhập cảnh là sai sự thật.").status_code == 302
    assert _post(client, case, "response/submit", number="1").status_code == 302
    log_in(client, p[approver])
    assert _post(client, case, "response/approve", number="1").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.APPROVED


def test_a_response_is_drafted_in_versions_approved_and_given_by_an_eligible_speaker(
        cast, client, make_case):
    lead, _other, p = cast
    case = _verified(make_case, p, lead)
    log_in(client, p["speaker"])
    assert _post(client, case, "response", response_form="portal_statement", text="Bản 1").status_code == 302
    assert _post(client, case, "response", response_form="portal_statement", text="Bản 2\nThêm").status_code == 302
    diff = client.get(f"/monitoring/{case.id}/diff?a=1&b=2")
    assert diff.status_code == 200
    assert "<ins>Thêm</ins>" in diff.get_data(as_text=True)
    assert _post(client, case, "response/submit", number="1").status_code == 400  # not the newest
    assert _post(client, case, "response/submit", number="2").status_code == 302
    told = {n.recipient_id for n in db.session.scalars(
        sa.select(Notification).where(Notification.kind == Kind.CASE_TO_APPROVE))}
    assert told == {p["steering"].id, p["head"].id}
    log_in(client, p["focal"])  # not the unit's head: may not approve
    assert _post(client, case, "response/approve", number="2").status_code == 403
    log_in(client, p["head"])
    assert _post(client, case, "response/return", number="2").status_code == 400  # a comment is required
    assert _post(client, case, "response/return", number="2", comment="Nêu rõ ngày").status_code == 302
    log_in(client, p["speaker"])
    assert _post(client, case, "response", response_form="portal_statement", text="Bản 3").status_code == 302
    assert _post(client, case, "response/submit", number="3").status_code == 302
    log_in(client, p["head"])
    assert _post(client, case, "response/approve", number="3").status_code == 302
    db.session.refresh(case)
    assert [v.status for v in case.versions] == [VersionStatus.DRAFT, VersionStatus.RETURNED,
                                                 VersionStatus.APPROVED]
    log_in(client, p["focal"])
    given = (MONITORING_NOW + timedelta(hours=2)).astimezone(UTC)
    with nothing_written():
        refused = _post(client, case, "respond", speaker_id=str(p["outsider"].id),
                        given_at="2026-12-01T08:30", link="https://sorefa.example/tb/1")
    assert refused.status_code == 400
    # The roster's own reason (spokespeople.roster), in Vietnamese.
    assert "không phải người phát ngôn" in refused.get_data(as_text=True)
    with nothing_written():
        early = _post(client, case, "respond", speaker_id=str(p["speaker"].id),
                      given_at="2026-11-30T08:00", link="")
    assert early.status_code == 400
    from app.timeutil import freeze
    freeze(given)
    assert _post(client, case, "respond", speaker_id=str(p["speaker"].id),
                 given_at="2026-12-01T10:30", link="https://sorefa.example/tb/1").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.RESPONDED
    assert case.speaker_id == p["speaker"].id
    assert case.responded_at == datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    assert figures.outcome(case, given) is True


def test_a_sensitive_cases_response_is_approved_by_steering_only(cast, client, make_case):
    lead, _other, p = cast
    case = _verified(make_case, p, lead, sensitive=True)
    log_in(client, p["speaker"])
    assert _post(client, case, "response", response_form="interview", text="Nội dung").status_code == 302
    assert _post(client, case, "response/submit", number="1").status_code == 302
    told = {n.recipient_id for n in db.session.scalars(
        sa.select(Notification).where(Notification.kind == Kind.CASE_TO_APPROVE))}
    assert told == {p["steering"].id}
    log_in(client, p["head"])
    with nothing_written():
        assert _post(client, case, "response/approve", number="1").status_code == 403
    log_in(client, p["steering"])
    assert _post(client, case, "response/approve", number="1").status_code == 302


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_outsiders_may_not_draft_submit_approve_or_record(cast, client, make_case, who):
    lead, _other, p = cast
    case = _verified(make_case, p, lead)
    log_in(client, p[who])
    for path, data in [("response", {"response_form": "interview", "text": "x"}),
                       ("response/submit", {"number": "1"}), ("response/approve", {"number": "1"}),
                       ("respond", {"speaker_id": str(p["speaker"].id), "given_at": "2026-12-01T09:30"}),
                       ("correction/request", {"false_content": "a", "corrected_content": "b",
                                               "signatory": "c"}),
                       ("correction", {"removed": "y"})]:
        with nothing_written():
            assert _post(client, case, path, **data).status_code == 403, path


def test_a_press_conference_response_creates_a_held_briefing_of_the_event(cast, client, make_case,
                                                                           make_event, clock):
    lead, _other, p = cast
    event = make_event(lead_unit=lead, title_vi="Đoàn tỉnh Attapeu thăm cửa khẩu Bờ Y")
    case = _verified(make_case, p, lead, event_id=event.id)
    alone = _verified(make_case, p, lead)
    for c in (case, alone):
        log_in(client, p["speaker"])
        assert _post(client, c, "response", response_form="press_conference", text="x").status_code == 302
        assert _post(client, c, "response/submit", number="1").status_code == 302
        log_in(client, p["head"])
        assert _post(client, c, "response/approve", number="1").status_code == 302
    clock(MONITORING_NOW + timedelta(hours=3))
    log_in(client, p["focal"])
    with nothing_written():
        refused = _post(client, alone, "respond", speaker_id=str(p["speaker"].id),
                        given_at="2026-12-01T10:00")
    assert refused.status_code == 400
    assert _post(client, case, "respond", speaker_id=str(p["speaker"].id),
                 given_at="2026-12-01T10:00").status_code == 302
    db.session.refresh(case)
    briefing = db.session.get(Briefing, case.briefing_id)
    assert briefing.event_id == event.id
    assert briefing.status is BriefingStatus.HELD


def test_a_correction_request_letter_and_the_outlets_correction(cast, client, make_case, make_outlet,
                                                                 clock):
    lead, _other, p = cast
    outlet = make_outlet("Báo Điện tử Tin Nhanh")
    case = _verified(make_case, p, lead, outlet=outlet, headline="Đoàn công tác bị từ chối nhập cảnh")
    _approved(client, case, p)
    clock(MONITORING_NOW + timedelta(hours=3))
    log_in(client, p["focal"])
    assert _post(client, case, "respond", speaker_id=str(p["speaker"].id),
                 given_at="2026-12-01T10:00").status_code == 302
    assert client.get(f"/monitoring/{case.id}/correction-request.docx").status_code == 404
    with nothing_written():
        assert _post(client, case, "correction/request", false_content="Bị từ chối nhập cảnh",
                     corrected_content="", signatory="Giám đốc").status_code == 400
    assert _post(client, case, "correction/request", false_content="Đoàn bị từ chối nhập cảnh",
                 corrected_content="Đoàn đã nhập cảnh đúng lịch trình",
                 signatory="Bùi Đức Thắng, Giám đốc Sở Ngoại vụ").status_code == 302
    letter = client.get(f"/monitoring/{case.id}/correction-request.docx")
    assert letter.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.data)).paragraphs)
    for expected in ("Kính gửi: Báo Điện tử Tin Nhanh", "Đoàn công tác bị từ chối nhập cảnh",
                     "Đoàn bị từ chối nhập cảnh", "Đoàn đã nhập cảnh đúng lịch trình", "Điều 42",
                     "Thông tin cải chính, xin lỗi", "Bùi Đức Thắng", "01/12/2026"):
        assert expected in text, expected
    db.session.refresh(case)
    assert case.status is CaseStatus.CORRECTION_REQUESTED
    assert case.correction_follow_up_at == MONITORING_NOW + timedelta(hours=3, days=2)
    # No correction by the follow-up: the lead unit is reminded once.
    assert clocks.claim_reminders(MONITORING_NOW + timedelta(days=3)) > 0
    assert clocks.claim_reminders(MONITORING_NOW + timedelta(days=3, hours=1)) == 0
    db.session.commit()
    assert db.session.scalars(sa.select(Notification.kind).where(
        Notification.kind == Kind.CASE_FOLLOW_UP)).first() is not None
    clock(MONITORING_NOW + timedelta(days=3))
    with nothing_written():
        assert _post(client, case, "correction", published_at="", link="").status_code == 400
        assert _post(client, case, "correction", published_at="2026-12-03T08:00",
                     link="not a link").status_code == 400
    assert _post(client, case, "correction", published_at="2026-12-03T08:00",
                 link="https://tin-nhanh.example/cai-chinh").status_code == 302
    assert _post(client, case, "close", comment="Đã cải chính").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.CLOSED
    assert case.correction_link.endswith("/cai-chinh")
    assert figures.outcome(case, MONITORING_NOW + timedelta(days=3)) is True


def test_a_case_left_open_is_reminded_then_escalated_once(cast, make_case):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead)  # verify by +24 h; respond by +1 day

    def kinds(since_id=0):
        return sorted((n.kind.value, n.recipient_id) for n in db.session.scalars(
            sa.select(Notification).where(Notification.id > since_id)))

    assert clocks.claim_reminders(MONITORING_NOW + timedelta(hours=1)) == 0
    clocks.claim_reminders(MONITORING_NOW + timedelta(hours=19))  # 5 h before: due soon
    soon = kinds()
    assert {k for k, _ in soon} == {"case_due_soon"}
    assert {r for _, r in soon} == {p["liaison"].id, p["focal"].id, p["head"].id, p["speaker"].id}
    last = db.session.scalar(sa.select(sa.func.max(Notification.id)))
    clocks.claim_reminders(MONITORING_NOW + timedelta(hours=25))  # overdue
    assert {k for k, _ in kinds(last)} == {"case_overdue"}
    last = db.session.scalar(sa.select(sa.func.max(Notification.id)))
    clocks.claim_reminders(MONITORING_NOW + timedelta(hours=37))  # 12 h overdue: steering
    assert kinds(last) == [("case_escalated", p["steering"].id)]
    last = db.session.scalar(sa.select(sa.func.max(Notification.id)))
    for hours in (38, 60, 200):
        clocks.claim_reminders(MONITORING_NOW + timedelta(hours=hours))
    assert kinds(last) == []  # once each
    assert case.is_overdue(MONITORING_NOW + timedelta(hours=25))


def test_reminders_send_runs_the_monitoring_clocks(cast, make_case, app):
    lead, _other, p = cast
    make_case(p["liaison"], lead_unit=lead)
    from app.notifications import sending
    sending.run(MONITORING_NOW + timedelta(hours=40))
    kinds = set(db.session.scalars(sa.select(Notification.kind)))
    assert {Kind.CASE_OVERDUE, Kind.CASE_ESCALATED} <= kinds


def test_the_register_export_lists_what_the_user_may_see(cast, client, make_case):
    lead, _other, p = cast
    make_case(p["liaison"], lead_unit=lead, headline="Tin thường")
    make_case(p["liaison"], lead_unit=lead, headline="Tin nhạy cảm", sensitive=True)
    for who, expected in (("outsider", {"Tin thường"}), ("steering", {"Tin thường", "Tin nhạy cảm"})):
        log_in(client, p[who])
        response = client.get("/monitoring/register.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Số"
        assert {r[5] for r in rows[1:]} == expected
        assert rows[1][6] == "Sai sự thật"
    filtered = client.get("/monitoring/register.xlsx?classification=hostile")
    assert len(list(load_workbook(io.BytesIO(filtered.data)).active.iter_rows())) == 1


def test_unit_figures_for_the_oversight_dashboard(cast, make_case, make_unit, clock):
    lead, other, p = cast
    on_time = _verified(make_case, p, lead)  # verified at once
    late = make_case(p["liaison"], lead_unit=lead)
    make_case(p["liaison"], lead_unit=other)
    hidden = make_case(p["liaison"], lead_unit=lead, sensitive=True)
    clock(MONITORING_NOW + timedelta(hours=30))
    services.record_verification(p["focal"], late, late.version, "Muộn", "untrue")
    services.no_action(p["focal"], on_time, on_time.version, "Bài đã gỡ")  # closed late: +30 h
    db.session.commit()
    now = MONITORING_NOW + timedelta(hours=30)
    start, end = MONITORING_NOW - timedelta(days=1), MONITORING_NOW + timedelta(days=1)
    rows = {f.unit.id: f for f in figures.unit_figures(start, end, p["outsider"], now=now)}
    assert rows[lead.id].cases == 2
    assert hidden.id
    assert rows[lead.id].verified == 2
    assert rows[lead.id].median_verify_hours == 15.0
    assert rows[lead.id].decided == 2
    assert rows[lead.id].within_deadline_pct == 0.0
    assert rows[other.id].cases == 1
    assert rows[other.id].within_deadline_pct == 0.0
    steering = {f.unit.id: f for f in figures.unit_figures(start, end, p["steering"], now=now)}
    assert steering[lead.id].cases == 3


def test_standing_alerts_on_the_dashboard(cast, client, make_case, clock):
    lead, _other, p = cast
    make_case(p["liaison"], lead_unit=lead, origin="press_request")
    make_case(p["liaison"], lead_unit=lead)
    clock(MONITORING_NOW + timedelta(hours=30))
    codes = {a.code: a.count for a in standing_alerts(p["focal"], MONITORING_NOW + timedelta(hours=30))}
    assert codes == {"overdue": 2, "answer_clock": 1}
    assert standing_alerts(p["outsider"], MONITORING_NOW + timedelta(hours=30)) == []
    log_in(client, p["focal"])
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="monitoring-alert-overdue"' in page
    assert 'data-testid="monitoring-alert-answer_clock"' in page


def test_the_open_cases_query_ignores_finished_ones(cast, make_case):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead)
    services.no_action(p["focal"], case, case.version, "Không cần")
    db.session.commit()
    assert clocks.running_cases(MONITORING_NOW + timedelta(days=5), timedelta(hours=6)) == []
    assert db.session.scalar(sa.select(MonitoringCase.status)) is CaseStatus.NO_ACTION
