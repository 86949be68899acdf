"""Who sees which event: the rule in Python and in SQL must agree."""
import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied
from app.events import access
from app.events.models import Event, Visibility
from app.extensions import db


def _visible_ids(user) -> set[int]:
    return set(db.session.scalars(sa.select(Event.id).where(access.visible_clause(user))))


@pytest.fixture
def world(make_unit, make_user, make_event):
    lead, coord, other = make_unit("lead"), make_unit("coord"), make_unit("other")
    events = {v: make_event(visibility=v, lead_unit=lead, coordinating_units=[coord])
              for v in Visibility}
    events["sensitive_public"] = make_event(visibility=Visibility.PUBLIC, is_sensitive=True,
                                            lead_unit=lead)
    return lead, coord, other, events


@pytest.mark.parametrize(("role", "unit_key", "sees_confidential"), [
    (Role.VIEWER, "lead", True),
    (Role.FOCAL, "coord", True),
    (Role.PROTOCOL, "other", False),
    (Role.SPOKESPERSON, "other", False),
    (Role.LIAISON, "other", False),
    (Role.VIEWER, "other", False),
    (Role.STEERING, "other", True),
    (Role.ADMIN, "other", True),
])
def test_confidential_events_only_for_their_units_steering_and_admin(
        world, make_user, role, unit_key, sees_confidential):
    lead, coord, other, events = world
    user = make_user(role, unit={"lead": lead, "coord": coord, "other": other}[unit_key])
    confidential = events[Visibility.CONFIDENTIAL]
    assert access.can_view(user, confidential) is sees_confidential
    assert (confidential.id in _visible_ids(user)) is sees_confidential
    assert events[Visibility.INTERNAL].id in _visible_ids(user)
    if not sees_confidential:
        with pytest.raises(NotVisible):
            access.require_view(user, confidential)


def test_anonymous_sees_only_public_non_sensitive(world):
    *_, events = world
    anonymous = AnonymousUserMixin()
    assert _visible_ids(anonymous) == {events[Visibility.PUBLIC].id}
    assert not access.can_view(anonymous, events["sensitive_public"])


def test_deactivated_user_sees_nothing_confidential(world, make_user):
    lead, _, _, events = world
    user = make_user(Role.ADMIN, unit=lead, active=False)
    assert not access.can_view(user, events[Visibility.CONFIDENTIAL])


def test_focal_point_edits_only_events_its_unit_leads(world, make_user):
    lead, coord, _, events = world
    internal = events[Visibility.INTERNAL]
    assert access.can_edit(make_user(Role.FOCAL, unit=lead), internal)
    with pytest.raises(PermissionDenied):
        access.require_edit(make_user(Role.FOCAL, unit=coord), internal)
    with pytest.raises(PermissionDenied):
        access.require_edit(make_user(Role.VIEWER, unit=lead), internal)
    assert access.can_edit(make_user(Role.PROTOCOL), internal)
    with pytest.raises(NotVisible):  # protocol of another unit cannot learn it exists
        access.require_edit(make_user(Role.PROTOCOL), events[Visibility.CONFIDENTIAL])


@pytest.mark.parametrize(("role", "unit_key", "insider"), [
    (Role.VIEWER, "lead", True),
    (Role.FOCAL, "coord", True),
    (Role.PROTOCOL, "other", False),
    (Role.VIEWER, None, False),
    (Role.STEERING, "other", True),
    (Role.ADMIN, None, True),
])
def test_insiders_in_python_and_sql(world, make_user, role, unit_key, insider):
    lead, coord, other, events = world
    units = {"lead": lead, "coord": coord, "other": other}
    user = make_user(role)
    user.unit = units.get(unit_key)
    db.session.commit()
    internal = events[Visibility.INTERNAL]
    assert access.is_insider(user, internal) is insider
    found = db.session.scalar(sa.select(Event.id).where(Event.id == internal.id,
                                                        access.insider_clause(user)))
    assert (found is not None) is insider
    assert not access.is_insider(AnonymousUserMixin(), internal)
