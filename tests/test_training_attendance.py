"""Attendance per session, the sign-in sheet, evaluations (anonymous) and the certificate."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from app.auth.roles import Role
from app.extensions import db
from app.idempotency import issue
from app.training import attendance, services
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingEvaluation,
)
from tests.fixtures_training import COURSE_END, COURSE_START
from tests.helpers import count, log_in, nothing_written

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED


@pytest.fixture
def accepted(training, clock):
    """Two accepted nominees of one unit, one awaiting an answer in the other; then the course starts."""
    focal = training.focals["so-vhttdl"]
    people = training.staff["so-vhttdl"][:2]
    nominations = [services.nominate(focal, training.course, p.id) for p in people]
    for nomination in nominations:
        services.respond(nomination.user, nomination, True)
    waiting = services.nominate(training.focals["huyen-ngoc-hoi"], training.course,
                                training.staff["huyen-ngoc-hoi"][0].id)
    db.session.commit()
    clock(COURSE_START + timedelta(hours=10))
    return nominations, waiting


def _mark(client, training, session, marks):
    return client.post(f"/training/{training.course.event_id}/attendance?session={session.id}",
                       data={f"n-{n.id}": status.value for n, status in marks})


def test_the_organiser_takes_attendance_per_session(client, training, accepted):
    (first, second), _waiting = accepted
    log_in(client, training.organiser)
    page = client.get(f"/training/{training.course.event_id}/attendance").get_data(as_text=True)
    assert first.user.name in page
    assert training.staff["huyen-ngoc-hoi"][0].name not in page  # not accepted: not on the list
    one, two = training.sessions
    assert _mark(client, training, one, [(first, P), (second, E)]).status_code == 302
    assert _mark(client, training, two, [(first, P), (second, A)]).status_code == 302
    assert attendance.marks(training.course) == {(first.id, one.id): P, (second.id, one.id): E,
                                                 (first.id, two.id): P, (second.id, two.id): A}
    # Changing a mark updates the row.
    assert _mark(client, training, two, [(second, P)]).status_code == 302
    assert count(TrainingAttendance) == 4
    assert attendance.marks(training.course)[(second.id, two.id)] is P
    sheet = client.get(f"/training/{training.course.event_id}/sessions/{one.id}/sheet")
    assert sheet.status_code == 200
    assert "Ký tên" in sheet.get_data(as_text=True)
    assert first.user.name in sheet.get_data(as_text=True)


def test_attendance_only_for_accepted_nominees(client, training, accepted, make_user):
    (first, _second), waiting = accepted
    log_in(client, training.organiser)
    session = training.sessions[0]
    with nothing_written():
        response = _mark(client, training, session, [(waiting, P)])
    assert response.status_code == 400
    assert "has not accepted the nomination" in response.get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/training/{training.course.event_id}/attendance?session={session.id}",
                               data={"n-99999": "present"})
    assert "This person is not nominated for the course" in response.get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/training/{training.course.event_id}/attendance?session={session.id}",
                               data={f"n-{first.id}": "late"})
    assert "Choose present, absent or excused." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.FOCAL, Role.SPOKESPERSON, Role.LIAISON, Role.STEERING, Role.VIEWER])
def test_only_the_organiser_keeps_attendance(client, training, accepted, make_user, role):
    (first, _second), _waiting = accepted
    log_in(client, make_user(role, unit=training.units["so-vhttdl"]))
    session = training.sessions[0]
    with nothing_written():
        assert _mark(client, training, session, [(first, P)]).status_code == 403
    assert client.get(f"/training/{training.course.event_id}/attendance").status_code == 403
    assert client.get(f"/training/{training.course.event_id}/sessions/{session.id}/sheet").status_code == 403
    assert client.get(f"/training/{training.course.event_id}/evaluations").status_code == 403


def _attend_all(training, nominations, marks):
    for nomination, statuses in zip(nominations, marks, strict=True):
        for session, status in zip(training.sessions, statuses, strict=True):
            db.session.add(TrainingAttendance(nomination=nomination, session=session, status=status))
    db.session.commit()


def _evaluation(**values):
    data = {"form_token": issue(), "content": "5", "trainers": "4", "organisation": "3",
            "usefulness": "5", "comments": "Rất bổ ích"}
    data.update(values)
    return data


def test_participants_evaluate_once_and_reports_are_anonymous(client, training, accepted):
    (first, second), _waiting = accepted
    _attend_all(training, [first, second], [[P, P], [P, A]])
    event_id = training.course.event_id
    log_in(client, first.user)
    assert 'data-testid="evaluate"' in client.get(f"/training/{event_id}").get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/training/{event_id}/evaluation", data=_evaluation(content="9"))
    assert "Give a rating from 1 to 5." in response.get_data(as_text=True)
    assert client.post(f"/training/{event_id}/evaluation", data=_evaluation()).status_code == 302
    with nothing_written():
        response = client.post(f"/training/{event_id}/evaluation", data=_evaluation())
    assert "You have already evaluated this course." in response.get_data(as_text=True)
    client.post("/logout")
    log_in(client, second.user)
    assert client.post(f"/training/{event_id}/evaluation",
                       data=_evaluation(content="3", comments="Cần thêm thời gian thảo luận")).status_code == 302
    assert count(TrainingEvaluation) == 2
    client.post("/logout")
    log_in(client, training.organiser)
    report = client.get(f"/training/{event_id}/evaluations").get_data(as_text=True)
    assert "4.0" in report  # content: (5 + 3) / 2
    assert "Rất bổ ích" in report
    assert "Cần thêm thời gian thảo luận" in report
    assert first.user.name not in report
    assert second.user.name not in report


def test_who_may_not_evaluate(client, training, accepted, make_user):
    (first, _second), waiting = accepted
    event_id = training.course.event_id
    log_in(client, first.user)  # accepted, but not present at any session yet
    with nothing_written():
        response = client.post(f"/training/{event_id}/evaluation", data=_evaluation())
    assert "The evaluation opens once the course has started" in response.get_data(as_text=True)
    for person in (waiting.user, make_user(Role.VIEWER)):
        client.post("/logout")
        log_in(client, person)
        with nothing_written():
            assert client.post(f"/training/{event_id}/evaluation", data=_evaluation()).status_code == 403


def test_a_certificate_for_attendance_at_the_threshold(client, training, accepted, clock):
    (first, second), _waiting = accepted
    _attend_all(training, [first, second], [[P, P], [P, A]])
    event_id = training.course.event_id
    log_in(client, first.user)
    # Not before the course is over.
    assert client.get(f"/training/nominations/{first.id}/certificate.docx").status_code == 403
    clock(COURSE_END + timedelta(hours=1))
    page = client.get(f"/training/{event_id}").get_data(as_text=True)
    assert 'data-testid="my-certificate"' in page
    response = client.get(f"/training/nominations/{first.id}/certificate.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "GIẤY CHỨNG NHẬN" in text
    assert first.user.name in text
    assert training.course.event.title_vi in text
    assert "từ ngày 10/12/2026 đến ngày 11/12/2026" in text
    assert "Số buổi có mặt: 2/2" in text
    # 1 of 2 sessions (50 %) is below the 80 % threshold.
    client.post("/logout")
    log_in(client, second.user)
    assert client.get(f"/training/nominations/{second.id}/certificate.docx").status_code == 403
    # The unit's focal point and the organiser may download it too; another unit's head may not.
    for person, code in ((training.focals["so-vhttdl"], 200), (training.organiser, 200),
                         (training.heads["huyen-ngoc-hoi"], 403)):
        client.post("/logout")
        log_in(client, person)
        assert client.get(f"/training/nominations/{first.id}/certificate.docx").status_code == code


def test_completion_follows_the_threshold_setting(training, accepted):
    from app.settings import services as settings_services

    (first, second), _waiting = accepted
    _attend_all(training, [first, second], [[P, P], [P, A]])
    assert attendance.has_completed(training.course, first)
    assert not attendance.has_completed(training.course, second)
    settings_services.change("training.completion_percent", value="50")
    db.session.commit()
    assert attendance.has_completed(training.course, second)
    second.status = NominationStatus.DECLINED
    assert not attendance.has_completed(training.course, second)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingAttendance)) == 4
