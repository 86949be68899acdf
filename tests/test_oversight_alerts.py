"""The five standing alerts: data with legal basis, on the dashboard and the home page of those concerned."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.auth.roles import Role
from app.extensions import db
from app.monitoring.models import Origin
from app.oversight import alerts
from app.oversight.models import RosterNotice
from app.spokespeople.models import SpokespersonDesignation
from tests.fixtures_oversight import OVERSIGHT_NOW
from tests.helpers import log_in, nothing_written

TODAY = date(2026, 11, 20)


def _codes(found):
    return sorted(a.code for a in found)


def press_request(make_case, clock, by, unit, days_ago: int, **fields):
    """A press agency's written question recorded ``days_ago`` days before OVERSIGHT_NOW."""
    clock(OVERSIGHT_NOW - timedelta(days=days_ago))
    case = make_case(by, lead_unit=unit, origin=Origin.PRESS_REQUEST,
                     published_at=OVERSIGHT_NOW - timedelta(days=days_ago, hours=1), **fields)
    clock(OVERSIGHT_NOW)
    return case


def test_the_five_alerts(oversight_world, make_user, make_case, clock):
    w = oversight_world
    # The PPC held a conference on 20/10 (31 days ago) and informed the press in October only.
    assert _codes(alerts.standing_alerts(OVERSIGHT_NOW, "Asia/Ho_Chi_Minh")) == []
    # Ten days before the end of November: monthly information is due (warn 7 days before).
    late_month = OVERSIGHT_NOW + timedelta(days=5)
    assert "monthly_information" in _codes(alerts.standing_alerts(late_month, "Asia/Ho_Chi_Minh"))
    # 100 days after the last conference.
    assert "ppc_briefing" in _codes(alerts.standing_alerts(OVERSIGHT_NOW + timedelta(days=70), "Asia/Ho_Chi_Minh"))
    # The spokesperson list of the bad unit changed and nobody told the press authority.
    speaker = make_user(Role.SPOKESPERSON, unit=w.bad)
    db.session.add(SpokespersonDesignation(unit_id=w.bad.id, user_id=speaker.id, title="Phó Giám đốc",
                                           since=TODAY, created_at=OVERSIGHT_NOW - timedelta(hours=1)))
    # A question received 25 days ago: due in 5 days (warn 7 days before); one received
    # 10 days ago is not due yet, and an ad-hoc report (rule 5) has no 30-day clock.
    press_request(make_case, clock, w.steering, w.bad, 25, headline="Giải phóng mặt bằng")
    press_request(make_case, clock, w.steering, w.bad, 10, headline="Câu hỏi mới")
    make_case(w.steering, lead_unit=w.bad, published_at=OVERSIGHT_NOW - timedelta(hours=2))
    db.session.commit()
    found = {a.code: a for a in alerts.standing_alerts(OVERSIGHT_NOW, "Asia/Ho_Chi_Minh")}
    assert set(found) == {"roster_changed", "answer_clock"}
    assert found["answer_clock"].params["due"] == TODAY + timedelta(days=5)
    assert found["answer_clock"].params["case"].headline == "Giải phóng mặt bằng"
    assert found["answer_clock"].legal_basis == "Luật Báo chí 2016, Điều 39"
    assert found["answer_clock"].verified
    db.session.add(RosterNotice(unit_id=w.bad.id, notified_at=OVERSIGHT_NOW))
    db.session.commit()
    assert "roster_changed" not in _codes(alerts.standing_alerts(OVERSIGHT_NOW, "Asia/Ho_Chi_Minh"))
    # Reporting dates 15/06 and 15/12: 25 days ahead, warned 14 days before.
    soon = OVERSIGHT_NOW + timedelta(days=12)
    report = next(a for a in alerts.standing_alerts(soon, "Asia/Ho_Chi_Minh") if a.code == "report_date")
    assert report.params["due"] == date(2026, 12, 15)
    assert not report.verified   # the reporting dates were not found in any text


def test_alerts_on_the_home_page_of_those_concerned(client, oversight_world, make_user, make_case, clock):
    w = oversight_world
    press_request(make_case, clock, w.steering, w.bad, 40, platform="VTV8", account="Ban Thời sự",
                  outlet=None, url="https://vtv8.example/1",
                  headline="Phản ánh ô nhiễm")
    log_in(client, w.head)   # focal point of the unit that answers
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="standing-alert-answer_clock"' in page
    assert "VTV8" in page
    client.post("/logout")
    log_in(client, make_user(Role.FOCAL, unit=w.good))
    assert 'data-testid="standing-alert-answer_clock"' not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    log_in(client, w.propaganda_user)
    assert 'data-testid="standing-alert-answer_clock"' in client.get("/oversight").get_data(as_text=True)


def test_a_sensitive_case_s_clock_stays_in_its_circle(client, oversight_world, make_case, clock):
    w = oversight_world
    press_request(make_case, clock, w.steering, w.bad, 28, sensitive=True, headline="Hồ sơ mật")
    assert any(a.code == "answer_clock" for a in alerts.alerts_for(w.steering, OVERSIGHT_NOW))
    # The propaganda commission sees every other alert, not this case's.
    assert all(a.code != "answer_clock" for a in alerts.alerts_for(w.propaganda_user, OVERSIGHT_NOW))
    log_in(client, w.propaganda_user)
    assert "Hồ sơ mật" not in client.get("/oversight").get_data(as_text=True)


def test_the_old_register_redirects_to_monitoring(client, oversight_world):
    log_in(client, oversight_world.propaganda_user)
    response = client.get("/oversight/inquiries")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/monitoring/?origin=press_request")
    with nothing_written():
        assert client.post("/oversight/inquiries", data={"agency": "X"}).status_code == 405


def test_monitoring_lists_press_requests_by_origin(client, oversight_world, make_case, clock):
    w = oversight_world
    press_request(make_case, clock, w.steering, w.bad, 3, headline="Câu hỏi của báo")
    make_case(w.steering, lead_unit=w.bad, headline="Tin sai lệch", url="https://x.example/2",
              published_at=OVERSIGHT_NOW - timedelta(hours=2))
    log_in(client, w.steering)
    page = client.get("/monitoring/?origin=press_request").get_data(as_text=True)
    assert "Câu hỏi của báo" in page
    assert "Tin sai lệch" not in page
    assert "Tin sai lệch" in client.get("/monitoring/").get_data(as_text=True)


def test_the_roster_notice_letter(client, oversight_world, make_user):
    w = oversight_world
    speaker = make_user(Role.SPOKESPERSON, unit=w.bad, name="Nguyễn Văn Phát")
    db.session.add(SpokespersonDesignation(unit_id=w.bad.id, user_id=speaker.id, title="Phó Giám đốc",
                                           phone="0255 3822 000", since=TODAY - timedelta(days=3)))
    db.session.commit()
    log_in(client, make_user(Role.VIEWER, unit=w.good, is_unit_head=True))
    with nothing_written():
        assert client.get(f"/oversight/roster/{w.bad.id}/letter").status_code == 403
    client.post("/logout")
    log_in(client, make_user(Role.VIEWER, unit=w.bad, is_unit_head=True))
    letter = client.get(f"/oversight/roster/{w.bad.id}/letter").get_data(as_text=True)
    assert "Nguyễn Văn Phát" in letter
    assert "Sở Văn hóa, Thể thao và Du lịch" in letter
    assert client.post(f"/oversight/roster/{w.bad.id}/notified", data={"reference": "45/TB"}).status_code == 302
    assert db.session.scalar(sa.select(RosterNotice.reference)) == "45/TB"
