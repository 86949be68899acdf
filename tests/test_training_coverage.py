"""Training records and coverage: who completed a course in the recent window, per unit."""
from datetime import timedelta

import pytest

from app.auth.roles import Role
from app.extensions import db
from app.settings import services as settings_services
from app.training import coverage
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingNomination,
)
from tests.fixtures_training import COURSE_END, COURSE_START
from tests.helpers import log_in

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def _attend(course, person, marks, status=NominationStatus.ACCEPTED):
    nomination = TrainingNomination(course=course, user=person, unit_id=person.unit_id, status=status)
    db.session.add(nomination)
    for session, mark in zip(course.event.programme, marks, strict=True):
        db.session.add(TrainingAttendance(nomination=nomination, session=session, status=mark))
    db.session.commit()
    return nomination


def _unit(rows, unit):
    return next(r for r in rows if r.unit.id == unit.id)


def test_coverage_counts_who_completed_a_course_in_the_window(training, make_user, clock):
    course = training.course
    unit = training.units["so-vhttdl"]
    focal, head = training.focals["so-vhttdl"], training.heads["so-vhttdl"]
    staff = training.staff["so-vhttdl"]
    _attend(course, focal, [P, P])
    _attend(course, staff[0], [P, A])  # 50 %: not completed
    _attend(course, staff[1], [P, P], status=NominationStatus.DECLINED)  # not accepted
    make_user(Role.VIEWER, unit=unit)  # not a counted role
    clock(COURSE_END + timedelta(days=1))
    rows = coverage.unit_coverage(COURSE_END + timedelta(days=1), training.organiser)
    row = _unit(rows, unit)
    # focal, head (spokesperson) and three liaisons count; only the focal point completed.
    assert row.total == 5
    assert [p.user for p in row.trained] == [focal]
    assert row.trained[0].course.id == course.event_id
    assert head in [p.user for p in row.untrained]
    assert row.count(Role.FOCAL) == (1, 1)
    assert row.count(Role.LIAISON) == (0, 3)
    # Before the course ended it does not count; 24 months later it no longer does.
    assert not _unit(coverage.unit_coverage(COURSE_START, training.organiser), unit).trained
    later = COURSE_END + timedelta(days=24 * 31)
    assert not _unit(coverage.unit_coverage(later, training.organiser), unit).trained
    settings_services.change("training.recent_months", value="36")
    db.session.commit()
    assert _unit(coverage.unit_coverage(later, training.organiser), unit).trained


def test_the_threshold_is_a_setting(training, clock):
    person = training.staff["so-vhttdl"][0]
    _attend(training.course, person, [P, A])
    as_of = COURSE_END + timedelta(days=1)
    assert not _unit(coverage.unit_coverage(as_of, training.organiser), training.units["so-vhttdl"]).trained
    settings_services.change("training.completion_percent", value="50")
    db.session.commit()
    assert _unit(coverage.unit_coverage(as_of, training.organiser), training.units["so-vhttdl"]).trained


def test_who_sees_coverage(training, make_user):
    unit = training.units["so-vhttdl"]
    as_of = COURSE_END
    for role in (Role.ADMIN, Role.STEERING, Role.PROTOCOL):
        assert len(coverage.unit_coverage(as_of, make_user(role))) == 2, role  # units with counted people
    # A unit's head or focal point sees their own unit only.
    for person in (training.focals["so-vhttdl"], training.heads["so-vhttdl"]):
        assert [r.unit for r in coverage.unit_coverage(as_of, person)] == [unit]
    for role in (Role.SPOKESPERSON, Role.LIAISON, Role.VIEWER):
        assert coverage.unit_coverage(as_of, make_user(role, unit=unit)) == [], role


@pytest.mark.parametrize("role", [Role.SPOKESPERSON, Role.LIAISON, Role.VIEWER])
def test_the_coverage_page_is_refused_to_others(client, make_user, role):
    log_in(client, make_user(role))
    assert client.get("/training/coverage").status_code == 403


def test_the_coverage_page_and_the_record(client, training, clock):
    _attend(training.course, training.focals["so-vhttdl"], [P, P])
    clock(COURSE_END + timedelta(days=1))
    log_in(client, training.organiser)
    page = client.get("/training/coverage").get_data(as_text=True)
    assert 'data-testid="coverage-so-vhttdl"' in page
    assert "1/5 (20%)" in page
    record = client.get(f"/training/people/{training.focals['so-vhttdl'].id}").get_data(as_text=True)
    assert training.course.event.title_en in record
    assert "2/2 (100%)" in record


def test_a_record_is_for_the_person_and_their_units_head(client, training, make_user):
    person = training.staff["so-vhttdl"][0]
    for viewer, code in ((make_user(Role.VIEWER), 404), (training.focals["huyen-ngoc-hoi"], 404),
                         (training.focals["so-vhttdl"], 200), (person, 200)):
        client.post("/logout")
        log_in(client, viewer)
        assert client.get(f"/training/people/{person.id}").status_code == code, viewer.email
