"""Monitoring cases: recording, visibility of sensitive cases, the workflow, locking, bad input."""
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.monitoring import access, services
from app.monitoring.models import CaseAttachment, CaseStatus, CaseStep, MonitoringCase
from app.notifications.models import Delivery, DeliveryStatus, Kind, Notification
from tests.fixtures_monitoring import MONITORING_NOW
from tests.helpers import count, log_in, nothing_written

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _token(client, path="/monitoring/new") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="form_token"[^>]*value="([^"]+)"', page).group(1)


def _form(client, unit, outlet=None, **fields) -> dict:
    data = {"form_token": _token(client), "outlet_id": str(outlet.id) if outlet else "0",
            "platform": "", "account": "", "url": "https://tin-nhanh.example/bai/1",
            "published_at": "2026-12-01T07:30", "headline": "Tin sai về đoàn công tác Bờ Y",
            "excerpt": "Đoàn công tác bị từ chối nhập cảnh", "topic": "Cửa khẩu", "area": "Ngọc Hồi",
            "lead_unit_id": str(unit.id), "event_id": "0", "classification": "untrue",
            "origin": "monitored", "reach": "12000"}
    data.update(fields)
    return data


@pytest.fixture
def people(case_people):
    return case_people


def test_a_liaison_records_a_case_with_its_clocks_and_timeline(people, client, make_outlet):
    lead, _coordinating, _other, p = people
    outlet = make_outlet()
    log_in(client, p["liaison"])
    response = client.post("/monitoring/new", data={
        **_form(client, lead, outlet),
        "attachments": (io.BytesIO(PNG), "chup-man-hinh.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    case = db.session.scalar(sa.select(MonitoringCase))
    assert response.headers["Location"].endswith(f"/monitoring/{case.id}")
    assert case.status is CaseStatus.NEW
    assert case.outlet_id == outlet.id
    assert case.reach == 12000
    assert case.verify_due_at == MONITORING_NOW + timedelta(hours=24)
    assert case.respond_due_at == MONITORING_NOW + timedelta(days=1)
    assert [s.action for s in case.steps] == ["recorded"]
    assert [a.original_name for a in case.attachments] == ["chup-man-hinh.png"]
    page = client.get(f"/monitoring/{case.id}").get_data(as_text=True)
    assert "Tin sai về đoàn công tác Bờ Y" in page
    assert 'data-testid="step"' in page
    download = client.get(f"/monitoring/attachments/{case.attachments[0].id}")
    assert download.status_code == 200
    assert download.data == PNG


def test_a_press_question_gets_the_thirty_day_clock(people, make_case):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, origin="press_request")
    assert case.respond_due_at == MONITORING_NOW + timedelta(days=30)


def test_the_same_form_sent_twice_records_one_case(people, client, make_outlet):
    lead, _c, _o, p = people
    log_in(client, p["liaison"])
    data = _form(client, lead, make_outlet())
    first = client.post("/monitoring/new", data=data)
    second = client.post("/monitoring/new", data=data)
    assert first.status_code == second.status_code == 302
    assert count(MonitoringCase) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"outlet_id": "0"}, "Give the source"),
    ({"outlet_id": "0", "platform": "Facebook"}, "Give the source"),
    ({"published_at": ""}, "date and time of publication"),
    ({"published_at": "2026-12-24T08:00"}, "in the future"),
    ({"url": "javascript:alert(1)"}, "http://"),
    ({"url": "ftp://tin-nhanh.example/x"}, "http://"),
    ({"url": "tin-nhanh.example/x"}, "http://"),
    ({"headline": ""}, "required"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(people, client, make_outlet,
                                                                  change, message):
    lead, _c, _o, p = people
    outlet = make_outlet()
    log_in(client, p["liaison"])
    data = _form(client, lead, outlet)
    data.update(change)
    with nothing_written():
        response = client.post("/monitoring/new", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) or message.lower() in response.get_data(as_text=True).lower()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ....", "not accepted"),
    ("anh.png", b"%PDF-1.4 not an image", "does not contain"),
    ("lon.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024), "larger than"),
])
def test_bad_attachments_are_refused_and_no_file_is_left(people, client, app, make_outlet, tmp_path,
                                                         name, content, message):
    lead, _c, _o, p = people
    outlet = make_outlet()
    app.config.update(CHECKLIST_MAX_UPLOAD_BYTES=1024 * 1024, UPLOAD_FOLDER=str(tmp_path))
    try:
        log_in(client, p["liaison"])
        data = {**_form(client, lead, outlet), "attachments": (io.BytesIO(content), name)}
        with nothing_written():
            response = client.post("/monitoring/new", data=data, content_type="multipart/form-data",
                                   headers={"Accept-Language": "en"})
    finally:
        app.config.update(CHECKLIST_MAX_UPLOAD_BYTES=10 * 1024 * 1024, UPLOAD_FOLDER=None)
    assert response.status_code in (400, 413)
    assert message in response.get_data(as_text=True)
    assert not any(tmp_path.rglob("*.*"))
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]


# --- sensitive cases ---------------------------------------------------------------------------

INSIDERS = ("liaison", "lead_focal", "lead_head", "coord_focal", "spokesperson", "steering", "admin")
OUTSIDERS = ("other_focal", "other_liaison", "protocol", "viewer", "other_spokesperson")


def test_a_sensitive_case_tells_the_steering_committee_at_once(people, make_case):
    lead, coordinating, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, units=[coordinating], sensitive=True)
    notices = db.session.scalars(sa.select(Notification).where(
        Notification.kind == Kind.CASE_SENSITIVE)).all()
    assert [n.recipient_id for n in notices] == [p["steering"].id]
    assert notices[0].url == f"/monitoring/{case.id}"
    assert notices[0].event_id is None
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.kind == Kind.CASE_SENSITIVE))
    assert delivery.status is DeliveryStatus.PENDING  # urgent: e-mailed whatever was chosen


def test_a_case_that_is_not_sensitive_tells_nobody(people, make_case):
    lead, _c, _o, p = people
    make_case(p["liaison"], lead_unit=lead)
    assert count(Notification) == 0


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_a_sensitive_case_is_seen_only_by_its_insiders(people, client, make_case, make_outlet, who):
    lead, coordinating, _o, p = people
    outlet = make_outlet("Trang tin Sự Thật Ngầm")
    case = make_case(p["liaison"], lead_unit=lead, units=[coordinating], sensitive=True,
                     headline="Vụ việc nhạy cảm Bờ Y", outlet=outlet)
    make_case(p["liaison"], lead_unit=lead, headline="Vụ việc thường", outlet=outlet)
    user = p[who]
    assert access.can_view(user, case) is (who in INSIDERS)
    visible = db.session.scalars(sa.select(MonitoringCase.id).where(access.visible_clause(user))).all()
    assert (case.id in visible) is (who in INSIDERS)
    log_in(client, user)
    assert client.get(f"/monitoring/{case.id}").status_code == (200 if who in INSIDERS else 404)
    for query in ("", "?q=Bờ+Y", f"?outlet={outlet.id}", "?status=new", "?classification=untrue",
                  f"?unit={lead.id}"):
        page = client.get("/monitoring/" + query).get_data(as_text=True)
        assert ("Vụ việc nhạy cảm" in page) is (who in INSIDERS), query
    total = client.get(f"/monitoring/?outlet={outlet.id}").get_data(as_text=True)
    assert re.search(r'data-testid="case-count">[^<]*\b' + ("2" if who in INSIDERS else "1") + r"\b", total)


def test_outsiders_never_hear_of_a_sensitive_case_in_the_bell_or_by_mail(people, client, make_case):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, sensitive=True)
    # A notice sent to an outsider anyway (a bug elsewhere) is neither shown nor sent.
    from app.notifications.services import notify
    notify([p["other_focal"], p["lead_focal"]], Kind.CASE_OVERDUE, case, event=None, step="test",
           params=services.case_params(case, "verify", case.verify_due_at), url="/monitoring/1")
    db.session.commit()
    assert {n.recipient_id for n in db.session.scalars(
        sa.select(Notification).where(Notification.kind == Kind.CASE_OVERDUE))} == {p["lead_focal"].id}
    # The lead focal point then leaves the unit: the bell hides the notice, the send withdraws it.
    p["lead_focal"].unit = _o
    db.session.commit()
    log_in(client, p["lead_focal"])
    assert "Bờ Y" not in client.get("/notifications").get_data(as_text=True)
    from app.notifications.rules import load_rules
    from app.notifications.sending import RunReport, send_pending
    send_pending(MONITORING_NOW, load_rules(), RunReport())
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.kind == Kind.CASE_OVERDUE))
    assert delivery.status is DeliveryStatus.WITHDRAWN


def test_outsiders_may_not_download_a_sensitive_cases_files(people, client, make_case, app, tmp_path):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, sensitive=True)
    db.session.add(CaseAttachment(case_id=case.id, original_name="a.png", storage_key="monitoring/" + "x" * 48,
                                  content_type="image/png", size=3, uploaded_by_id=p["liaison"].id))
    db.session.commit()
    attachment_id = db.session.scalar(sa.select(CaseAttachment.id))
    log_in(client, p["other_focal"])
    assert client.get(f"/monitoring/attachments/{attachment_id}").status_code == 404


# --- the workflow ------------------------------------------------------------------------------

def _post(client, case, action, **data):
    return client.post(f"/monitoring/{case.id}/{action}",
                       data={"version": str(case.version), **data})


def test_the_lead_unit_verifies_and_closes_without_action(people, client, make_case):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead)
    log_in(client, p["lead_focal"])
    assert _post(client, case, "start").status_code == 302
    db.session.refresh(case)
    assert _post(client, case, "verify", findings="Đoàn vẫn nhập cảnh bình thường",
                 classification="untrue").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.VERIFYING
    assert case.verified_at == MONITORING_NOW
    assert not case.is_overdue(MONITORING_NOW + timedelta(hours=23))
    assert case.is_overdue(MONITORING_NOW + timedelta(days=2))  # the response clock still runs
    assert _post(client, case, "no-action").status_code == 400  # a reason is required
    assert _post(client, case, "no-action", comment="Đã được báo gỡ bài").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.NO_ACTION
    assert not case.is_overdue(MONITORING_NOW + timedelta(days=9))
    assert [s.action for s in services.timeline(case)] == ["recorded", "verifying", "verified", "no_action"]


@pytest.mark.parametrize("who", ["other_focal", "other_liaison", "protocol", "viewer",
                                 "other_spokesperson", "coord_focal"])
@pytest.mark.parametrize("action", ["start", "verify", "no-action", "close", "reopen"])
def test_only_the_lead_unit_steering_and_admins_move_a_case(people, client, make_case, who, action):
    lead, coordinating, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, units=[coordinating])
    log_in(client, p[who])
    with nothing_written():
        response = _post(client, case, action, findings="x", classification="untrue", comment="x")
    assert response.status_code == 403
    assert not services.actions(p[who], case).start


@pytest.mark.parametrize("who", ["other_focal", "protocol", "viewer", "other_spokesperson"])
def test_outsiders_get_404_for_every_action_on_a_sensitive_case(people, client, make_case, who):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead, sensitive=True)
    log_in(client, p[who])
    for action in ("start", "verify", "no-action", "close", "reopen"):
        with nothing_written():
            assert _post(client, case, action, comment="x").status_code == 404


@pytest.mark.parametrize("who", ["steering", "admin", "lead_head", "liaison"])
def test_steering_admins_and_the_lead_units_people_may_move_a_case(people, client, make_case, who):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead)
    log_in(client, p[who])
    assert _post(client, case, "start").status_code == 302


def test_two_people_moving_the_same_case_one_wins_the_other_sees_what_changed(people, client, app,
                                                                              make_case):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead)
    version = case.version
    log_in(client, p["lead_focal"])
    assert _post(client, case, "start", comment="Tôi xác minh").status_code == 302
    other = app.test_client()
    log_in(other, p["liaison"])
    with nothing_written():
        response = other.post(f"/monitoring/{case.id}/no-action",
                              data={"version": str(version), "comment": "Lý do của tôi"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="stale"' in page
    assert "Tôi xác minh" in page
    assert "Lý do của tôi" in page
    db.session.refresh(case)
    assert case.status is CaseStatus.VERIFYING


def test_a_racing_update_is_turned_into_a_stale_case(people, make_case):
    lead, _c, _o, p = people
    case = make_case(p["liaison"], lead_unit=lead)
    version = case.version
    db.session.execute(sa.update(MonitoringCase).where(MonitoringCase.id == case.id)
                       .values(version=version + 1))  # another transaction got there first
    with pytest.raises(services.StaleCase):
        services.start_verification(p["lead_focal"], case, version)
    db.session.rollback()
    assert count(CaseStep) == 1


# --- the list ----------------------------------------------------------------------------------

def test_the_list_filters_by_status_classification_unit_outlet_and_overdue(people, client, clock,
                                                                             make_case, make_outlet):
    lead, coordinating, other, p = people
    a, b = make_outlet("Báo A"), make_outlet("Báo B")
    make_case(p["liaison"], lead_unit=lead, headline="Một", outlet=a)
    make_case(p["liaison"], lead_unit=other, units=[coordinating], headline="Hai", outlet=b,
              classification="one_sided")
    clock(MONITORING_NOW + timedelta(hours=30))
    make_case(p["liaison"], lead_unit=lead, headline="Ba", outlet=a, classification="hostile")
    log_in(client, p["viewer"])

    def shown(query):
        page = client.get("/monitoring/" + query).get_data(as_text=True)
        return {h for h in ("Một", "Hai", "Ba") if f">{h}</a>" in page}

    assert shown("") == {"Một", "Hai", "Ba"}
    assert shown("?classification=one_sided") == {"Hai"}
    assert shown(f"?unit={coordinating.id}") == {"Hai"}
    assert shown(f"?unit={lead.id}") == {"Một", "Ba"}
    assert shown(f"?outlet={a.id}") == {"Một", "Ba"}
    assert shown("?overdue=1") == {"Một", "Hai"}
    assert shown("?status=closed") == set()
    assert shown("?status=nonsense&unit=abc&outlet=99999999999") == {"Một", "Hai", "Ba"}


def test_a_reporter_outside_a_sensitive_cases_circle_is_sent_to_the_log(people, client, make_outlet):
    lead, _c, _o, p = people
    log_in(client, p["other_liaison"])
    response = client.post("/monitoring/new", data={**_form(client, lead, make_outlet()),
                                                    "is_sensitive": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/monitoring/")
    case = db.session.scalar(sa.select(MonitoringCase))
    assert case.is_sensitive
    assert client.get(f"/monitoring/{case.id}").status_code == 404
