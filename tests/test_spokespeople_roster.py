"""Who may speak for a unit: designations, written authorisations and their edges."""
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.spokespeople import roster
from tests.helpers import nothing_written

# The briefing day is 10 Dec 2026 in Hà Nội; 23:30 UTC on 9 Dec is already 10 Dec there.
AT = datetime(2026, 12, 9, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(("valid_from", "valid_until", "eligible"), [
    (date(2026, 12, 11), date(2026, 12, 20), False),  # starts the day after
    (date(2026, 12, 10), date(2026, 12, 20), True),   # starts on the day
    (date(2026, 12, 1), date(2026, 12, 10), True),    # ends on the day
    (date(2026, 12, 1), date(2026, 12, 9), False),    # ended the day before
])
def test_an_authorisation_covers_the_briefing_day_at_its_edges(
        make_unit, make_user, authorise, valid_from, valid_until, eligible):
    unit = make_unit()
    person = make_user(Role.FOCAL, unit=unit)
    authorise(person, unit, valid_from, valid_until)
    assert roster.is_eligible(person, unit, AT) is eligible


@pytest.mark.parametrize(("since", "until", "eligible"), [
    (date(2026, 12, 11), None, False),
    (date(2026, 12, 10), None, True),
    (date(2026, 1, 1), date(2026, 12, 10), True),
    (date(2026, 1, 1), date(2026, 12, 9), False),
])
def test_a_designation_covers_the_briefing_day_at_its_edges(
        make_unit, make_user, designate, since, until, eligible):
    unit = make_unit()
    person = make_user(Role.SPOKESPERSON, unit=unit)
    designate(person, unit, since=since, until=until)
    assert roster.is_eligible(person, unit, AT) is eligible


def test_eligibility_is_per_unit_and_ends_with_revocation_or_deactivation(
        app, make_unit, make_user, authorise, designate):
    unit, other = make_unit(), make_unit()
    person = make_user(Role.FOCAL, unit=unit)
    authorisation = authorise(person, unit, date(2026, 12, 1), date(2026, 12, 31))
    assert not roster.is_eligible(person, other, AT)
    admin = make_user(Role.ADMIN)
    roster.revoke(admin, authorisation)
    assert not roster.is_eligible(person, unit, AT)
    designate(person, unit)
    person.active = False
    assert not roster.is_eligible(person, unit, AT)


def _eligible_in_sql(unit) -> set[int]:
    return set(db.session.scalars(sa.select(User.id).where(roster.eligible_clause(unit.id, AT))))


@pytest.mark.parametrize("how", ["designated", "authorised"])
def test_eligibility_in_python_and_sql_agree_and_need_an_active_unit(
        make_unit, make_user, authorise, designate, how):
    unit = make_unit()
    person = make_user(Role.SPOKESPERSON, unit=unit)
    if how == "designated":
        designate(person, unit)
    else:
        authorise(person, unit, date(2026, 12, 1), date(2026, 12, 31))
    assert roster.is_eligible(person, unit, AT)
    heads = set(db.session.scalars(sa.select(User.id).where(User.unit_id == unit.id,
                                                            User.is_unit_head.is_(True))))
    assert _eligible_in_sql(unit) == {person.id} | heads  # the issuer, the unit's head, too
    assert {u.id for u in roster.eligible_users(unit, AT)} == {person.id} | heads
    unit.active = False  # a deactivated unit has no spokespeople (as in the public directory)
    db.session.commit()
    assert not roster.is_eligible(person, unit, AT)
    assert _eligible_in_sql(unit) == set()
    assert roster.eligible_users(unit, AT) == []


def test_the_head_of_the_unit_always_speaks_for_it_without_designation(make_unit, make_user):
    """Decree 09/2017 (rule 3): the head may speak; an undesignated member may not."""
    unit, other = make_unit(), make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    member = make_user(Role.FOCAL, unit=unit)
    assert roster.is_eligible(head, unit, AT)
    assert not roster.is_eligible(head, other, AT)
    assert not roster.is_eligible(member, unit, AT)
    assert _eligible_in_sql(unit) == {head.id}
    assert _eligible_in_sql(other) == set()
    head.active = False
    db.session.commit()
    assert not roster.is_eligible(head, unit, AT)
    assert _eligible_in_sql(unit) == set()


def _data(unit, issuer, person, valid_from=date(2026, 12, 1), valid_until=date(2026, 12, 31)):
    return roster.AuthorisationData("12/GUQ-UBND", date(2026, 11, 30), issuer.id, person.id,
                                    unit.id, valid_from, valid_until, "Hội nghị xúc tiến đầu tư")


def test_only_the_head_of_the_unit_issues_an_authorisation(app, make_unit, make_user):
    unit = make_unit()
    protocol = make_user(Role.PROTOCOL)
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    other_head = make_user(Role.FOCAL, is_unit_head=True)
    person = make_user(Role.FOCAL, unit=unit)
    with pytest.raises(ValidationFailed) as refused:
        roster.authorise(protocol, _data(unit, other_head, person))
    assert refused.value.field == "issued_by_id"
    authorisation = roster.authorise(protocol, _data(unit, head, person))
    assert authorisation.issued_by is head
    assert authorisation.recorded_by_id == protocol.id


def test_an_authorised_person_cannot_pass_it_on(app, make_unit, make_user):
    unit = make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    person = make_user(Role.FOCAL, unit=unit)
    third = make_user(Role.FOCAL, unit=unit)
    roster.authorise(head, _data(unit, head, person))
    with pytest.raises(ValidationFailed, match="không được ủy quyền lại"):
        roster.authorise(head, _data(unit, person, third))


def test_a_window_ending_before_it_starts_is_refused(app, make_unit, make_user):
    unit = make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    person = make_user(Role.FOCAL, unit=unit)
    with pytest.raises(ValidationFailed) as refused:
        roster.authorise(head, _data(unit, head, person, date(2026, 12, 10), date(2026, 12, 9)))
    assert refused.value.field == "valid_until"


def test_only_protocol_admin_or_the_unit_head_keep_the_roster(app, make_unit, make_user):
    unit = make_unit()
    focal = make_user(Role.FOCAL, unit=unit)
    data = roster.DesignationData(unit.id, focal.id, "Người phát ngôn", "", "", date(2026, 1, 1))
    with nothing_written(), pytest.raises(PermissionDenied):
        roster.designate(focal, data)
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    assert roster.designate(head, data).unit is unit


def test_the_authorisation_form_keeps_input_and_names_the_reversed_window(
        client, login, make_unit, make_user):
    login(Role.PROTOCOL)
    unit = make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    person = make_user(Role.FOCAL, unit=unit)
    response = client.post("/spokespeople/authorisations/new", data={
        "unit_id": unit.id, "user_id": person.id, "issued_by_id": head.id,
        "document_number": "99/GUQ-SNV", "document_date": "2026-11-30",
        "valid_from": "2026-12-10", "valid_until": "2026-12-01", "matters": "Đoàn Attapeu"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thời hạn ủy quyền kết thúc trước ngày bắt đầu." in page
    assert "99/GUQ-SNV" in page
    assert "Đoàn Attapeu" in page
