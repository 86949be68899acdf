"""Rule 3 as the law states it: the head speaks, authorisations' matters, the list's notice letter."""
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.spokespeople import assignments, list_notice, roster
from app.spokespeople.models import AssignmentRole, ListNoticeEntry, SpokespersonAssignment
from tests.helpers import count, log_in, nothing_written

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


@pytest.fixture
def briefing(press_setting):
    found = Briefing(event=press_setting.event, title_vi="Họp báo đón Đoàn tỉnh Attapeu (Lào)",
                     title_en="Press conference: Attapeu delegation",
                     status=BriefingStatus.SCHEDULED, starts_at=datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
                     ends_at=datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    db.session.add(found)
    db.session.commit()
    return found


def test_the_undesignated_head_is_proposed_and_accepted_as_speaker(client, press_setting, briefing):
    s = press_setting
    log_in(client, s.protocol)
    page = client.get(f"/spokespeople/briefings/{briefing.id}").get_data(as_text=True)
    assert s.head.name in page
    assignment = assignments.assign(s.protocol, briefing, s.head, s.lead, AssignmentRole.LEAD)
    db.session.commit()
    assert assignment.user_id == s.head.id
    assert count(SpokespersonAssignment) == 1


def test_the_assigner_sees_the_authorised_matters_and_a_mismatch_warning(
        client, press_setting, briefing, authorise):
    s = press_setting
    authorise(s.focal, s.lead, date(2026, 12, 1), date(2026, 12, 31), issued_by=s.head)
    log_in(client, s.protocol)
    client.post("/locale", data={"locale": "en"})
    page = client.get(f"/spokespeople/briefings/{briefing.id}").get_data(as_text=True)
    assert "Authorised in writing for: Hội nghị xúc tiến đầu tư" in page
    assert 'data-testid="matters-mismatch"' in page
    response = client.post(f"/spokespeople/briefings/{briefing.id}", data={
        "unit_id": s.lead.id, "user_id": s.focal.id, "role": "lead"}, follow_redirects=True)
    assert "does not seem to cover this briefing" in response.get_data(as_text=True)


def test_matching_matters_give_no_warning(press_setting, briefing, authorise):
    s = press_setting
    authorisation = authorise(s.focal, s.lead, date(2026, 12, 1), date(2026, 12, 31),
                              issued_by=s.head)
    authorisation.matters = "Phát ngôn về chuyến thăm của Đoàn tỉnh Attapeu"
    db.session.commit()
    assert assignments.matters_warning(s.focal, s.lead, briefing) is None
    candidate = next(c for c in assignments.candidates(briefing, s.lead) if c.user.id == s.focal.id)
    assert candidate.speaks_as == "authorised"
    assert not candidate.mismatch
    head = next(c for c in assignments.candidates(briefing, s.lead) if c.user.id == s.head.id)
    assert head.speaks_as == "head"


def test_a_changed_list_raises_the_standing_alert_until_the_letter_is_sent(client, press_setting):
    s = press_setting
    assert list_notice.pending_since() is None
    roster.designate(s.protocol, roster.DesignationData(
        s.lead.id, s.spokesperson.id, "Người phát ngôn Sở Ngoại vụ", "0255 3 822 000",
        "phatngon@songoaivu.example", date(2026, 11, 20)))
    db.session.commit()
    assert list_notice.pending_since() == NOW
    log_in(client, s.protocol)
    assert 'data-testid="spokesperson-list-alert"' in client.get("/spokespeople/").get_data(as_text=True)
    assert 'data-testid="spokesperson-list-alert"' in client.get("/").get_data(as_text=True)
    letter = client.get("/spokespeople/notice").get_data(as_text=True)
    assert "phatngon@songoaivu.example" in letter
    assert "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi" in letter
    assert client.post("/spokespeople/notice/sent").status_code == 302
    assert list_notice.pending_since() is None
    assert 'data-testid="spokesperson-list-alert"' not in client.get("/spokespeople/").get_data(
        as_text=True)


@pytest.mark.parametrize("who", ["focal", "head", "viewer", "steering", "spokesperson"])
def test_only_protocol_and_admins_send_the_list(client, press_setting, who):
    s = press_setting
    log_in(client, getattr(s, who))
    with nothing_written():
        assert client.get("/spokespeople/notice").status_code == 403
        assert client.post("/spokespeople/notice/sent").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ListNoticeEntry)) == 0
