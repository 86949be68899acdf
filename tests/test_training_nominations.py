"""Training courses: creating a course, sessions, quotas, nominations and answers; denials."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events.models import Event, EventKind, Visibility
from app.extensions import db
from app.idempotency import issue
from app.notifications.models import Kind, Notification
from app.training import services
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingCourse,
    TrainingNomination,
)
from app.training.topics import active_topics
from tests.fixtures_training import COURSE_START, DEADLINE
from tests.helpers import count, log_in, nothing_written


def _switch(client, user):
    client.post("/logout")
    log_in(client, user)


def _nominate(client, course, user_id):
    return client.post(f"/training/{course.event_id}/nominations",
                       data={"form_token": issue(), "user_id": str(user_id)})


def _nominations(course, **where):
    return count(TrainingNomination, TrainingNomination.course_id == course.id,
                 *(getattr(TrainingNomination, k) == v for k, v in where.items()))


# --- creating a course -----------------------------------------------------------------------

def test_protocol_creates_a_course_with_its_details(client, training, make_user):
    log_in(client, training.organiser)
    topics = active_topics()
    trainer = make_user(Role.SPOKESPERSON, name="Nguyễn Văn Giảng")
    page = client.get("/training/new")
    assert page.status_code == 200
    response = client.post("/training/new", data={
        "form_token": issue(), "title_vi": "Bồi dưỡng người phát ngôn 2027",
        "title_en": "Spokespeople course 2027", "lead_unit_id": str(training.organiser.unit_id),
        "visibility": "internal", "start_date": "2027-03-10", "end_date": "2027-03-11",
        "location": "Hội trường Sở Ngoại vụ", "capacity": "40", "deadline_date": "2027-03-01",
        "topic_ids": [str(topics[0].id), str(topics[4].id)], "target_roles": ["spokesperson", "unit_head"],
        "trainer_ids": [str(trainer.id)], "outside_trainers": "TS. Lê Thị Báo\n\n ThS. Hồ Văn Chí "})
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(sa.select(Event).where(Event.title_vi == "Bồi dưỡng người phát ngôn 2027"))
    assert event.kind is EventKind.TRAINING
    assert event.all_day
    course = db.session.scalar(sa.select(TrainingCourse).where(TrainingCourse.event_id == event.id))
    assert course.capacity == 40
    assert [t.code for t in course.topics] == [topics[0].code, topics[4].code]
    assert course.trainers == [trainer]
    assert course.outside_trainer_names == ["TS. Lê Thị Báo", "ThS. Hồ Văn Chí"]
    assert course.target_roles == ["spokesperson", "unit_head"]
    assert response.headers["Location"].endswith(f"/training/{event.id}")
    page = client.get(f"/training/{event.id}").get_data(as_text=True)
    assert "TS. Lê Thị Báo" in page
    assert "Nguyễn Văn Giảng" in page
    assert "Spokespeople course 2027" in client.get("/training/").get_data(as_text=True)


def test_course_details_refuse_bad_input(client, training):
    log_in(client, training.organiser)
    event = training.course.event
    base = {"capacity": "20", "deadline_date": "2026-12-05", "topic_ids": [str(active_topics()[0].id)],
            "target_roles": ["focal"]}
    cases = [({"deadline_date": "2026-12-11"}, "Nominations must close before the course starts."),
             ({"topic_ids": []}, "Choose at least one topic of the curriculum."),
             ({"topic_ids": ["99999"]}, "Unknown topic."),
             ({"target_roles": []}, "Choose whom the course is for."),
             ({"capacity": "3"}, "The units&#39; quotas add up to more than this capacity")]
    for change, message in cases:
        with nothing_written():
            response = client.post(f"/training/{event.id}/details", data={**base, **change})
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change


def test_sessions_are_programme_items_within_the_course_dates(client, training):
    log_in(client, training.organiser)
    event_id = training.course.event_id
    response = client.post(f"/training/{event_id}/sessions", data={
        "form_token": issue(), "day": "2026-12-11", "start_time": "14:00", "end_time": "16:30",
        "title_vi": "Buổi 3: Xử lý thông tin sai sự thật", "room": "Phòng họp số 3"})
    assert response.status_code == 302
    assert [s.activity_vi for s in training.sessions][-1] == "Buổi 3: Xử lý thông tin sai sự thật"
    assert training.sessions[-1].place == "Phòng họp số 3"
    assert "programme-" in client.get(f"/events/{event_id}.ics").get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/training/{event_id}/sessions", data={
            "form_token": issue(), "day": "2026-12-20", "start_time": "08:00", "end_time": "10:00",
            "title_vi": "Ngoài khóa"})
    assert response.status_code == 400
    assert "A session must fall within the course" in response.get_data(as_text=True)


def test_quotas_stay_within_the_capacity(client, training, make_unit):
    log_in(client, training.organiser)
    course = training.course
    third = make_unit("so-cong-thuong")
    assert client.post(f"/training/{course.event_id}/quotas",
                       data={"unit_id": str(third.id), "seats": "3"}).status_code == 302
    assert services.quota_of(course, third.id).seats == 3
    with nothing_written():
        response = client.post(f"/training/{course.event_id}/quotas",
                               data={"unit_id": str(third.id), "seats": "7"})
    assert response.status_code == 400
    assert "more than the capacity of 10" in response.get_data(as_text=True)
    assert client.post(f"/training/{course.event_id}/quotas",
                       data={"unit_id": str(third.id), "seats": "0"}).status_code == 302
    assert services.quota_of(course, third.id) is None


# --- nominations -------------------------------------------------------------------------------

def test_a_focal_point_nominates_within_the_quota_and_the_nominee_is_notified(client, training):
    course, focal = training.course, training.focals["so-vhttdl"]
    staff = training.staff["so-vhttdl"]
    log_in(client, focal)
    page = client.get(f"/training/{course.event_id}").get_data(as_text=True)
    assert 'data-testid="nominate-form"' in page
    assert staff[0].name in page
    for person in staff[:2]:
        assert _nominate(client, course, person.id).status_code == 302
    assert _nominations(course, status=NominationStatus.NOMINATED) == 2
    told = db.session.scalars(sa.select(Notification).where(
        Notification.kind == Kind.TRAINING_NOMINATED)).all()
    assert {n.recipient_id for n in told} == {staff[0].id, staff[1].id}
    assert told[0].url == f"/training/{course.event_id}"
    # The quota of two is full: a third is refused, with the reason.
    with nothing_written():
        response = _nominate(client, course, staff[2].id)
    assert response.status_code == 400
    assert "quota is full (2 of 2 seats)" in response.get_data(as_text=True)


def test_the_unit_head_nominates_too_but_only_people_of_their_unit(client, training):
    course, head = training.course, training.heads["huyen-ngoc-hoi"]
    log_in(client, head)
    assert _nominate(client, course, training.staff["huyen-ngoc-hoi"][0].id).status_code == 302
    other = training.staff["so-vhttdl"][0]
    with nothing_written():
        response = _nominate(client, course, other.id)
    assert response.status_code == 400
    assert f"{other.name} is not in your unit" in response.get_data(as_text=True)


def test_no_nomination_after_the_deadline(client, training, clock):
    clock(DEADLINE + timedelta(minutes=1))
    log_in(client, training.focals["so-vhttdl"])
    with nothing_written():
        response = _nominate(client, training.course, training.staff["so-vhttdl"][0].id)
    assert response.status_code == 400
    assert "Nominations closed at the deadline (03/12/2026 17:00)" in response.get_data(as_text=True)


def test_a_unit_without_seats_cannot_nominate(client, training, make_unit, make_user):
    unit = make_unit("so-tu-phap")
    focal = make_user(Role.FOCAL, unit=unit, locale="en")
    person = make_user(Role.LIAISON, unit=unit)
    log_in(client, focal)
    with nothing_written():
        response = _nominate(client, training.course, person.id)
    assert response.status_code == 400
    assert "Your unit has no seats on this course." in response.get_data(as_text=True)


def test_the_same_person_twice_is_refused(client, training):
    log_in(client, training.focals["so-vhttdl"])
    person = training.staff["so-vhttdl"][0]
    assert _nominate(client, training.course, person.id).status_code == 302
    with nothing_written():
        response = _nominate(client, training.course, person.id)
    assert "is already nominated" in response.get_data(as_text=True)


def test_a_person_trained_on_the_same_topics_recently_is_flagged(client, training, make_course, clock):
    person = training.staff["so-vhttdl"][0]
    topics = training.course.topics
    past = make_course(title_vi="Lớp năm 2025", topics=[topics[0]], starts_at=COURSE_START - timedelta(days=400),
                       ends_at=COURSE_START - timedelta(days=399), deadline=COURSE_START - timedelta(days=410))
    nomination = TrainingNomination(course=past, user=person, unit_id=person.unit_id,
                                    status=NominationStatus.ACCEPTED)
    db.session.add(nomination)
    for session in past.event.programme:
        db.session.add(TrainingAttendance(nomination=nomination, session=session,
                                          status=AttendanceStatus.PRESENT))
    db.session.commit()
    log_in(client, training.focals["so-vhttdl"])
    assert _nominate(client, training.course, person.id).status_code == 302
    flagged = db.session.scalar(sa.select(TrainingNomination).where(
        TrainingNomination.course_id == training.course.id, TrainingNomination.user_id == person.id))
    assert "Lớp năm 2025" in flagged.recently_trained
    page = client.get(f"/training/{training.course.event_id}").get_data(as_text=True)
    assert 'data-testid="recently-trained"' in page
    # Absent from one of two sessions (50 % < 80 %): not trained, not flagged.
    db.session.execute(sa.update(TrainingAttendance).where(
        TrainingAttendance.session_id == past.event.programme[0].id).values(status=AttendanceStatus.ABSENT))
    other = training.staff["so-vhttdl"][1]
    assert services.recent_training_note(other, training.course) == ""
    assert services.recent_training_note(person, training.course) == ""


def test_nominees_accept_or_decline_and_a_decline_frees_the_seat(client, training):
    course, focal = training.course, training.focals["so-vhttdl"]
    first, second, third = training.staff["so-vhttdl"]
    for person in (first, second):
        services.nominate(focal, course, person.id)
    db.session.commit()
    log_in(client, first)
    page = client.get(f"/training/{course.event_id}").get_data(as_text=True)
    assert 'data-testid="accept"' in page
    nomination = next(n for n in course.nominations if n.user_id == first.id)
    assert client.post(f"/training/nominations/{nomination.id}/accept").status_code == 302
    assert nomination.status is NominationStatus.ACCEPTED
    _switch(client, second)
    declined = next(n for n in course.nominations if n.user_id == second.id)
    # Someone else's nomination is not theirs to answer.
    with nothing_written():
        assert client.post(f"/training/nominations/{nomination.id}/decline").status_code == 403
    assert client.post(f"/training/nominations/{declined.id}/decline",
                       data={"reason": "Trùng lịch tiếp khách"}).status_code == 302
    assert declined.status is NominationStatus.DECLINED
    assert declined.decline_reason == "Trùng lịch tiếp khách"
    # The seat is free again for the unit.
    services.nominate(focal, course, third.id)
    assert services.seats_held(course, focal.unit_id) == 2


def test_answers_stop_when_the_course_starts(training, clock):
    nomination = services.nominate(training.focals["so-vhttdl"], training.course,
                                   training.staff["so-vhttdl"][0].id)
    clock(COURSE_START + timedelta(minutes=5))
    with pytest.raises(ValidationFailed):
        services.respond(nomination.user, nomination, True)


def test_a_withdrawn_nomination_frees_the_seat(client, training):
    focal = training.focals["so-vhttdl"]
    nomination = services.nominate(focal, training.course, training.staff["so-vhttdl"][0].id)
    db.session.commit()
    log_in(client, training.heads["huyen-ngoc-hoi"])  # another unit's head may not withdraw it
    with nothing_written():
        assert client.post(f"/training/nominations/{nomination.id}/withdraw").status_code == 403
    _switch(client, focal)
    assert client.post(f"/training/nominations/{nomination.id}/withdraw").status_code == 302
    assert nomination.status is NominationStatus.WITHDRAWN
    assert services.seats_held(training.course, focal.unit_id) == 0


# --- denials for every role ------------------------------------------------------------------

ORGANISER_ROUTES = [("details", lambda c, u: {"capacity": "5"}),
                    ("sessions", lambda c, u: {"form_token": issue(), "day": "2026-12-10",
                                               "start_time": "13:00", "end_time": "14:00",
                                               "title_vi": "Buổi thêm"}),
                    ("quotas", lambda c, u: {"unit_id": str(u.id), "seats": "1"})]


@pytest.mark.parametrize("role", [Role.FOCAL, Role.SPOKESPERSON, Role.LIAISON, Role.STEERING, Role.VIEWER])
def test_only_the_organiser_manages_a_course(client, training, make_user, role):
    """Denied: every role but protocol and admin, even a focal point of another unit."""
    user = make_user(role, unit=training.units["so-vhttdl"])
    log_in(client, user)
    event_id = training.course.event_id
    for path, data in ORGANISER_ROUTES:
        with nothing_written():
            response = client.post(f"/training/{event_id}/{path}",
                                   data=data(training.course, training.units["so-vhttdl"]))
        assert response.status_code == 403, (role, path)
    assert client.get(f"/training/{event_id}/details").status_code == 403
    session = training.sessions[0]
    with nothing_written():
        assert client.post(f"/training/{event_id}/sessions/{session.id}/delete").status_code == 403
    page = client.get(f"/training/{event_id}").get_data(as_text=True)
    assert 'data-testid="quota-form"' not in page
    assert 'data-testid="session-form"' not in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PROTOCOL])
def test_admin_and_protocol_manage_any_course(client, training, make_user, role):
    log_in(client, make_user(role))
    response = client.post(f"/training/{training.course.event_id}/quotas",
                           data={"unit_id": str(training.units["so-vhttdl"].id), "seats": "3"})
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PROTOCOL, Role.SPOKESPERSON, Role.LIAISON,
                                  Role.STEERING, Role.VIEWER])
def test_only_a_units_head_or_focal_point_nominates(client, training, make_user, role):
    """Anyone else of the unit (of any role, admin included) is refused."""
    unit = training.units["so-vhttdl"]
    log_in(client, make_user(role, unit=unit))
    with nothing_written():
        response = _nominate(client, training.course, training.staff["so-vhttdl"][0].id)
    assert response.status_code == 403, role
    page = client.get(f"/training/{training.course.event_id}").get_data(as_text=True)
    assert 'data-testid="nominate-form"' not in page


def test_creating_courses_is_for_protocol_admin_and_focal_points(client, make_user):
    for role in (Role.SPOKESPERSON, Role.LIAISON, Role.STEERING, Role.VIEWER):
        _switch(client, make_user(role))
        with nothing_written():
            assert client.get("/training/new").status_code == 403, role
            assert client.post("/training/new", data={"form_token": issue(), "title_vi": "x"}
                               ).status_code == 403, role


def test_a_focal_point_creates_courses_for_their_own_unit_only(training, make_user):
    focal = training.focals["so-vhttdl"]
    event = training.course.event
    assert not services.can_manage(focal, event)
    with pytest.raises(PermissionDenied):
        services.set_quota(focal, training.course, focal.unit_id, 1)


def test_a_confidential_course_is_hidden_outside_its_units(client, training, make_user):
    training.course.event.visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    outsider = make_user(Role.FOCAL)
    log_in(client, outsider)
    assert client.get(f"/training/{training.course.event_id}").status_code == 404
    assert training.course.event.title_en not in client.get("/training/").get_data(as_text=True)
    with nothing_written():
        assert _nominate(client, training.course, outsider.id).status_code == 404


def test_a_visitor_is_sent_to_the_login(client, training):
    assert client.get("/training/").status_code == 302
    with nothing_written():
        assert _nominate(client, training.course, training.staff["so-vhttdl"][0].id).status_code in (302, 401)
