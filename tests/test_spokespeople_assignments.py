"""Assigning spokespeople to briefings: suggestions, clashes, accept and decline."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events.models import ProgrammeItem
from app.extensions import db
from app.spokespeople import assignments
from app.spokespeople.models import AssignmentRole, AssignmentStatus, SpokespersonAssignment
from tests.fixtures_spokespeople import BRIEFING_START, NOW
from tests.helpers import nothing_written


@pytest.fixture
def setting(app, clock, make_unit, make_user, make_briefing, designate):
    """A unit with three designated spokespeople and a briefing of an event it leads."""
    clock(NOW)
    unit = make_unit("ubnd")
    people = [make_user(Role.SPOKESPERSON, unit=unit, name=name)
              for name in ("An Văn Bình", "Bùi Thị Chi", "Cao Văn Dũng")]
    for person in people:
        designate(person, unit)
    briefing = make_briefing(event=None)
    briefing.event.lead_unit = unit
    db.session.commit()
    protocol = make_user(Role.PROTOCOL)
    return unit, people, briefing, protocol


def test_candidates_are_ordered_by_freedom_then_recent_briefings(
        setting, make_briefing, make_event):
    unit, (an, bui, cao), briefing, protocol = setting
    past = make_briefing(starts_at=NOW - timedelta(days=10))
    db.session.add(SpokespersonAssignment(briefing=past, user=an, unit=unit, role=AssignmentRole.LEAD,
                                          status=AssignmentStatus.ACCEPTED))
    make_event(title_vi="Tiếp đoàn Attapeu", starts_at=BRIEFING_START, hosts=[bui])
    db.session.commit()
    order = assignments.candidates(briefing, unit, protocol)
    assert [c.user for c in order] == [cao, an, bui]
    assert [c.recent for c in order] == [0, 1, 0]
    assert "Tiếp đoàn Attapeu" in order[2].clashes[0].title


def test_an_ineligible_person_is_refused(setting, make_user):
    unit, _people, briefing, protocol = setting
    outsider = make_user(Role.SPOKESPERSON, unit=unit)
    with pytest.raises(ValidationFailed) as refused:
        assignments.assign(protocol, briefing, outsider, unit, AssignmentRole.LEAD)
    assert refused.value.field == "user_id"
    assert db.session.query(SpokespersonAssignment).count() == 0


def test_double_booking_against_another_briefing_is_refused_and_named(setting, make_briefing):
    unit, (an, *_rest), briefing, protocol = setting
    other = make_briefing(title_vi="Họp báo Lễ hội văn hóa", starts_at=BRIEFING_START + timedelta(minutes=30))
    assignments.assign(protocol, other, an, unit, AssignmentRole.LEAD)
    with pytest.raises(ValidationFailed, match="Họp báo Lễ hội văn hóa"):
        assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)


def test_a_back_to_back_briefing_is_no_clash(setting, make_briefing):
    unit, (an, *_rest), briefing, protocol = setting
    later = make_briefing(starts_at=BRIEFING_START + timedelta(hours=1))
    assignments.assign(protocol, later, an, unit, AssignmentRole.LEAD)
    assert assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD).status is \
        AssignmentStatus.PROPOSED


def test_hosting_an_event_or_programme_item_is_a_clash(setting, make_event):
    unit, (an, bui, _cao), briefing, protocol = setting
    make_event(title_vi="Hội đàm với tỉnh Attapeu", starts_at=BRIEFING_START - timedelta(hours=1),
               hosts=[an])
    with pytest.raises(ValidationFailed, match="Hội đàm với tỉnh Attapeu"):
        assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    event = make_event(title_vi="Đoàn Sekong", starts_at=BRIEFING_START - timedelta(days=1),
                       ends_at=BRIEFING_START + timedelta(days=1))
    item = ProgrammeItem(event=event, starts_at=BRIEFING_START, ends_at=BRIEFING_START + timedelta(hours=1),
                         activity_vi="Thăm cửa khẩu Bờ Y", hosts=[bui])
    db.session.add(item)
    db.session.commit()
    with pytest.raises(ValidationFailed, match="Thăm cửa khẩu Bờ Y"):
        assignments.assign(protocol, briefing, bui, unit, AssignmentRole.LEAD)


def test_a_confidential_clash_is_not_named_to_whoever_cannot_see_it(setting, make_event, make_unit):
    from app.events.models import Visibility
    unit, (an, *_rest), briefing, protocol = setting
    make_event(title_vi="Làm việc mật", starts_at=BRIEFING_START, hosts=[an],
               visibility=Visibility.CONFIDENTIAL, lead_unit=make_unit())
    with pytest.raises(ValidationFailed) as refused:
        assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    assert "Làm việc mật" not in refused.value.message


def test_one_lead_and_deputies(setting):
    unit, (an, bui, cao), briefing, protocol = setting
    assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    with pytest.raises(ValidationFailed) as refused:
        assignments.assign(protocol, briefing, bui, unit, AssignmentRole.LEAD)
    assert refused.value.field == "role"
    assignments.assign(protocol, briefing, bui, unit, AssignmentRole.DEPUTY)
    assignments.assign(protocol, briefing, cao, unit, AssignmentRole.DEPUTY)
    assert len(assignments.active_assignments(briefing)) == 3


def test_only_protocol_and_admin_assign(setting, make_user):
    unit, (an, *_rest), briefing, _protocol = setting
    focal = make_user(Role.FOCAL, unit=unit)
    with nothing_written(), pytest.raises(PermissionDenied):
        assignments.assign(focal, briefing, an, unit, AssignmentRole.LEAD)


def test_a_decline_proposes_the_next_free_candidate(setting):
    unit, (an, bui, cao), briefing, protocol = setting
    first = assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    with pytest.raises(ValidationFailed):
        assignments.decline(an, first, "  ")
    successor = assignments.decline(an, first, "Đi công tác Hà Nội")
    assert first.status is AssignmentStatus.DECLINED
    assert first.decline_reason == "Đi công tác Hà Nội"
    assert successor.user is bui
    assert successor.role is AssignmentRole.LEAD
    assert successor.status is AssignmentStatus.PROPOSED
    third = assignments.decline(bui, successor, "Trùng lịch tiếp dân")
    assert third.user is cao  # people who declined are not proposed again
    assert assignments.decline(cao, third, "Nghỉ phép") is None


def test_only_the_person_answers_their_assignment(setting):
    unit, (an, bui, _cao), briefing, protocol = setting
    assignment = assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    db.session.commit()
    from app.errors import NotVisible
    with nothing_written(), pytest.raises(NotVisible):
        assignments.accept(bui, assignment)
    assert assignment.status is AssignmentStatus.PROPOSED
    assignments.accept(an, assignment)
    assert assignment.status is AssignmentStatus.ACCEPTED


def test_protocol_assigns_through_the_page_and_sees_the_clash(setting, client, make_event):
    unit, (an, bui, _cao), briefing, protocol = setting
    from tests.helpers import log_in
    log_in(client, protocol)
    make_event(title_vi="Tiếp Tổng Lãnh sự Lào", starts_at=BRIEFING_START, hosts=[an])
    page = client.get(f"/spokespeople/briefings/{briefing.id}").get_data(as_text=True)
    assert page.index("Bùi Thị Chi") < page.index("An Văn Bình")  # free candidates first
    response = client.post(f"/spokespeople/briefings/{briefing.id}",
                           data={"unit_id": unit.id, "user_id": an.id, "role": "lead"})
    assert response.status_code == 200
    assert "Tiếp Tổng Lãnh sự Lào" in response.get_data(as_text=True)
    response = client.post(f"/spokespeople/briefings/{briefing.id}",
                           data={"unit_id": unit.id, "user_id": bui.id, "role": "lead"})
    assert response.status_code == 302
    assert [a.user for a in assignments.active_assignments(briefing)] == [bui]


def test_the_dashboard_panel_shows_and_answers_assignments(setting, client):
    unit, (an, bui, _cao), briefing, protocol = setting
    from tests.helpers import log_in
    assignment = assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    db.session.commit()
    log_in(client, an)
    page = client.get("/").get_data(as_text=True)
    assert "Họp báo thông tin sự kiện" in page
    assert 'data-testid="my-briefing-assignments"' in page
    client.post(f"/spokespeople/assignments/{assignment.id}/decline",
                data={"reason": "Đi công tác", "next": "/"})
    db.session.expire_all()
    assert assignment.status is AssignmentStatus.DECLINED
    assert [a.user for a in assignments.active_assignments(briefing)] == [bui]


def test_a_briefing_of_an_invisible_event_is_404(setting, client, make_user, make_event, make_briefing,
                                                 make_unit):
    from app.events.models import Visibility
    from tests.helpers import log_in
    secret = make_briefing(event=make_event(visibility=Visibility.CONFIDENTIAL, lead_unit=make_unit()))
    unit, (an, *_rest), _briefing, _protocol = setting
    log_in(client, make_user(Role.SPOKESPERSON))
    assert client.get(f"/spokespeople/briefings/{secret.id}").status_code == 404
    with nothing_written():
        assert client.post(f"/spokespeople/briefings/{secret.id}", data={
            "unit_id": unit.id, "user_id": an.id, "role": "lead"}).status_code == 404


def test_two_officers_booking_the_same_person_at_once(setting, app, make_briefing):
    """PostgreSQL: the second assignment waits for the first and then sees the clash."""
    import threading

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer; the row lock matters on PostgreSQL")
    from app.auth.models import User
    from app.press.models import Briefing
    from app.units.models import Unit
    unit, (an, *_rest), briefing, protocol = setting
    other = make_briefing(starts_at=briefing.starts_at)
    ids = (unit.id, an.id, protocol.id, other.id)
    outcome = {}

    def second_officer():
        with app.app_context():
            try:
                assignments.assign(db.session.get(User, ids[2]), db.session.get(Briefing, ids[3]),
                                   db.session.get(User, ids[1]), db.session.get(Unit, ids[0]),
                                   AssignmentRole.LEAD)
                db.session.commit()
                outcome["second"] = "assigned"
            except ValidationFailed as exc:
                db.session.rollback()
                outcome["second"] = exc.message
            finally:
                db.session.remove()

    assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)  # holds the row lock
    thread = threading.Thread(target=second_officer)
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive()  # waiting for the first officer's transaction
    db.session.commit()
    thread.join(timeout=10)
    assert outcome["second"] != "assigned"
    assert briefing.title_vi in outcome["second"]


def test_the_assigned_person_is_notified_once(setting):
    from app.notifications.models import Notification

    unit, (an, *_rest), briefing, protocol = setting
    assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    db.session.commit()
    notes = db.session.scalars(sa.select(Notification).where(Notification.recipient_id == an.id)).all()
    assert [n.kind.value for n in notes] == ["spokesperson_assigned"]
