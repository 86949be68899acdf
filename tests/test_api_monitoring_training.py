"""/api/v1/monitoring/cases and /api/v1/training with personal tokens: the web pages' rules."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events.models import Visibility
from app.extensions import db
from app.monitoring.models import CaseStatus, MonitoringCase
from app.notifications.models import Kind, Notification
from app.training import services as training
from app.training.models import NominationStatus
from tests.fixtures_monitoring import MONITORING_NOW
from tests.helpers import count, nothing_written

INSIDERS = ("liaison", "lead_focal", "lead_head", "coord_focal", "spokesperson", "steering", "admin")
OUTSIDERS = ("other_focal", "other_liaison", "protocol", "viewer", "other_spokesperson")


def case_body(unit, outlet, **fields) -> dict:
    values = {"headline": "Tin sai về đoàn công tác Bờ Y", "link": "https://tin-nhanh.example/bai/1",
              "published_at": (MONITORING_NOW - timedelta(hours=2)).isoformat(),
              "classification": "untrue", "lead_unit_id": unit.id, "outlet_id": outlet.id,
              "excerpt": "Đoàn công tác bị từ chối nhập cảnh", "reach": 12000}
    values.update(fields)
    return values


@pytest.mark.parametrize("who", INSIDERS + OUTSIDERS)
def test_a_sensitive_case_is_seen_only_by_its_insiders(case_people, api_as, make_case, make_outlet,
                                                        who):
    lead, coordinating, _other, p = case_people
    outlet = make_outlet("Trang tin Sự Thật Ngầm")
    secret = make_case(p["liaison"], lead_unit=lead, units=[coordinating], sensitive=True,
                       headline="Vụ việc nhạy cảm Bờ Y", outlet=outlet)
    plain = make_case(p["liaison"], lead_unit=lead, headline="Vụ việc thường", outlet=outlet)
    api = api_as(p[who])
    insider = who in INSIDERS
    got = api.get(f"/monitoring/cases/{secret.id}")
    assert got.status_code == (200 if insider else 404)
    assert got.mimetype == ("application/json" if insider else "application/problem+json")
    for query in ("", "?q=Bờ+Y", f"?outlet={outlet.id}", "?status=new", "?classification=untrue",
                  f"?unit={lead.id}"):
        listed = api.get("/monitoring/cases" + query)
        assert listed.status_code == 200
        ids = {c["id"] for c in listed.get_json()["items"]}
        assert (plain.id in ids) is ("q=" not in query)
        assert (secret.id in ids) is insider, query
    etag = f'"m{secret.id}.{secret.version}"'
    if insider:
        assert api.send("POST", f"/monitoring/cases/{secret.id}/steps", json={"action": "start"},
                        headers={"If-Match": etag}).status_code in (200, 403)
    else:
        with nothing_written():
            assert api.send("POST", f"/monitoring/cases/{secret.id}/steps",
                            json={"action": "start"}, headers={"If-Match": etag}).status_code == 404


def test_recording_a_case_is_the_web_forms_rule_and_tells_steering(case_people, api_as,
                                                                   make_outlet):
    lead, coordinating, _other, p = case_people
    outlet = make_outlet()
    api = api_as(p["liaison"])
    created = api.send("POST", "/monitoring/cases", json=case_body(
        lead, outlet, unit_ids=[coordinating.id], is_sensitive=True))
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert case["status"] == "new"
    assert case["is_sensitive"]
    assert case["unit_ids"] == [coordinating.id]
    assert created.headers["ETag"] == f'"m{case["id"]}.1"'
    assert created.headers["Location"].endswith(f"/api/v1/monitoring/cases/{case['id']}")
    notices = db.session.scalars(sa.select(Notification).where(
        Notification.kind == Kind.CASE_SENSITIVE)).all()
    assert [n.recipient_id for n in notices] == [p["steering"].id]

    with nothing_written():
        future = api.send("POST", "/monitoring/cases", json=case_body(
            lead, outlet, published_at=(MONITORING_NOW + timedelta(hours=1)).isoformat()))
    assert future.status_code == 422
    assert future.get_json()["errors"] == [{"field": "published_at",
                                            "message": "The publication time is in the future."}]
    vi = api_as(p["liaison"], language="vi")
    with nothing_written():
        no_source = vi.send("POST", "/monitoring/cases",
                            json={**case_body(lead, outlet, link="ftp://x"), "outlet_id": None})
    assert no_source.status_code == 422
    assert no_source.get_json()["title"] == "Dữ liệu không hợp lệ"
    assert no_source.get_json()["errors"][0]["field"] == "outlet_id"


def test_a_sensitive_case_recorded_outside_ones_circle_is_202_and_unreadable(case_people, api_as,
                                                                             make_outlet):
    lead, _c, _other, p = case_people
    api = api_as(p["viewer"])
    created = api.send("POST", "/monitoring/cases", json=case_body(lead, make_outlet(),
                                                                   is_sensitive=True))
    assert created.status_code == 202
    assert set(created.get_json()) == {"id", "detail"}
    assert api.get(f"/monitoring/cases/{created.get_json()['id']}").status_code == 404
    assert count(MonitoringCase) == 1


def test_steps_need_if_match_and_a_stale_etag_gets_412(case_people, api_as, make_case):
    lead, _c, _other, p = case_people
    case = make_case(p["liaison"], lead_unit=lead)
    api = api_as(p["lead_focal"])
    etag = api.get(f"/monitoring/cases/{case.id}").headers["ETag"]
    with nothing_written():
        assert api.send("POST", f"/monitoring/cases/{case.id}/steps",
                        json={"action": "start"}).status_code == 428
    started = api.send("POST", f"/monitoring/cases/{case.id}/steps",
                       json={"action": "start", "comment": "Đang xác minh"},
                       headers={"If-Match": etag})
    assert started.status_code == 200, started.get_json()
    assert started.get_json()["status"] == "verifying"
    assert started.headers["ETag"] != etag
    with nothing_written():
        stale = api.send("POST", f"/monitoring/cases/{case.id}/steps",
                         json={"action": "no_action", "comment": "Tin đúng"},
                         headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.get_json()["current"]["status"] == "verifying"
    assert stale.headers["ETag"] == started.headers["ETag"]
    with nothing_written():
        empty = api.send("POST", f"/monitoring/cases/{case.id}/steps",
                         json={"action": "verify", "findings": "", "classification": "untrue"},
                         headers={"If-Match": started.headers["ETag"]})
    assert empty.status_code == 422
    assert empty.get_json()["errors"][0]["field"] == "findings"
    closed = api.send("POST", f"/monitoring/cases/{case.id}/steps",
                      json={"action": "no_action", "comment": "Tin đúng"},
                      headers={"If-Match": started.headers["ETag"]})
    assert closed.status_code == 200
    assert db.session.get(MonitoringCase, case.id).status is CaseStatus.NO_ACTION


@pytest.mark.parametrize("who", ["other_focal", "other_liaison", "protocol", "viewer",
                                 "other_spokesperson", "coord_focal"])
def test_only_the_lead_unit_steering_and_admins_move_a_case(case_people, api_as, make_case, who):
    lead, coordinating, _other, p = case_people
    case = make_case(p["liaison"], lead_unit=lead, units=[coordinating])
    api = api_as(p[who])
    got = api.get(f"/monitoring/cases/{case.id}")
    assert got.get_json()["actions"] == []
    with nothing_written():
        response = api.send("POST", f"/monitoring/cases/{case.id}/steps",
                            json={"action": "start"}, headers={"If-Match": got.headers["ETag"]})
    assert response.status_code == 403


def test_a_read_token_reads_cases_but_records_nothing(case_people, api_as, make_outlet):
    lead, _c, _other, p = case_people
    api = api_as(p["steering"], scope="read")
    assert api.get("/monitoring/cases").status_code == 200
    body = case_body(lead, make_outlet())
    with nothing_written():
        assert api.send("POST", "/monitoring/cases", json=body).status_code == 403


def test_the_case_list_pages_with_a_cursor(case_people, api_as, make_case, clock):
    lead, _c, _other, p = case_people
    made = []
    for n in range(5):
        clock(MONITORING_NOW + timedelta(minutes=n))
        made.append(make_case(p["liaison"], lead_unit=lead, headline=f"Tin {n}").id)
    api = api_as(p["liaison"])
    seen, cursor = [], None
    while True:
        page = api.get("/monitoring/cases?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200
        body = page.get_json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            assert "Link" not in page.headers
            break
        assert 'rel="next"' in page.headers["Link"]
    assert seen == list(reversed(made))
    assert api.get("/monitoring/cases?cursor=nonsense").status_code == 422


# --- training ---------------------------------------------------------------------------------

def test_courses_and_a_nominees_answer_through_the_service(training, api_as):
    focal = training.focals["so-vhttdl"]
    nominee, other = training.staff["so-vhttdl"][:2]
    nomination = training_nominate(focal, training.course, nominee)
    event_id = training.course.event_id

    api = api_as(nominee)
    courses = api.get("/training/courses").get_json()["items"]
    assert [c["event_id"] for c in courses] == [event_id]
    course = api.get(f"/training/courses/{event_id}").get_json()
    assert course["has_details"]
    assert course["capacity"] == 10
    assert course["seats_held"] == 1
    assert [s["activity_vi"] for s in course["sessions"]] == ["Buổi 1", "Buổi 2"]
    mine = api.get("/training/nominations").get_json()["items"]
    assert [(n["id"], n["status"], n["may_answer"]) for n in mine] == \
        [(nomination.id, "nominated", True)]

    someone_else = api_as(other)
    with nothing_written():  # someone else's nomination: the service's refusal
        assert someone_else.send("POST", f"/training/nominations/{nomination.id}/accept") \
            .status_code == 403
    accepted = api.send("POST", f"/training/nominations/{nomination.id}/accept")
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted"
    declined = api.send("POST", f"/training/nominations/{nomination.id}/decline",
                        json={"reason": "Trùng lịch tiếp khách"})
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined"
    assert nomination.status is NominationStatus.DECLINED
    assert nomination.decline_reason == "Trùng lịch tiếp khách"
    assert api.get("/training/record").get_json() == {"items": []}


def test_a_confidential_course_is_404_and_unlisted_for_outsiders(training, api_as, make_user,
                                                                  make_unit):
    training.course.event.visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    outsider = make_user(Role.FOCAL, unit=make_unit())
    api = api_as(outsider)
    assert api.get("/training/courses").get_json()["items"] == []
    assert api.get(f"/training/courses/{training.course.event_id}").status_code == 404
    assert api_as(training.organiser).get(
        f"/training/courses/{training.course.event_id}").status_code == 200


def test_a_read_token_may_not_answer_a_nomination(training, api_as):
    nominee = training.staff["so-vhttdl"][0]
    nomination = training_nominate(training.focals["so-vhttdl"], training.course, nominee)
    reader = api_as(nominee, scope="read")
    with nothing_written():
        assert reader.send(
            "POST", f"/training/nominations/{nomination.id}/accept").status_code == 403


def training_nominate(actor, course, nominee):
    nomination = training.nominate(actor, course, nominee.id)
    db.session.commit()
    return nomination


# --- the lists cost a fixed number of statements -------------------------------------------

def _statements(app, call) -> int:
    sent: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.app_context():  # its own session: nothing comes from the test's objects
            assert call().status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(sent)


def test_the_case_list_costs_the_same_for_10_and_50_cases(app, case_people, api_as, make_case,
                                                          make_event):
    lead, coordinating, _other, p = case_people
    event = make_event(lead_unit=lead)
    api = api_as(p["lead_focal"])
    counts = []
    for size in (10, 50):
        while count(MonitoringCase) < size:
            make_case(p["liaison"], lead_unit=lead, units=[coordinating], event_id=event.id,
                      sensitive=count(MonitoringCase) % 2 == 0)
        counts.append(_statements(app, lambda: api.get("/monitoring/cases?limit=200")))
    assert counts[0] == counts[1]


def test_the_course_list_costs_the_same_for_1_and_6_courses(app, training, api_as, make_course):
    api = api_as(training.organiser)
    one = _statements(app, lambda: api.get("/training/courses"))
    for _n in range(5):
        make_course()
    assert _statements(app, lambda: api.get("/training/courses")) == one
