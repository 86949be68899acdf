"""Issue 10 items 2 and 4: internal fields only for editors; delegation edits reach feeds.

"full" detail carries internal notes and the delegation's security and logistics only when
the feed's owner may edit the event (``events.access.can_edit``); the single-event .ics
likewise per viewer. Delegation saves and member changes move the feeds' change counter and
the event's block, so the next poll gets a new ETag and the new body.
"""
import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events import delegations
from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    EventKind,
    EventStatus,
)
from app.extensions import db
from app.feeds import changes, validators
from app.feeds.models import ChangeCounter, DetailLevel
from tests.fixtures_feeds import parse_three, vevents
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("feed_cache_dir")

SECRETS = ("Ghi chú nội bộ XYZ", "Xe biển số 12A")


def _unfolded(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


@pytest.fixture(name="delegation_event")
def delegation_event_fixture(make_event):
    event = make_event(kind=EventKind.DELEGATION_IN, status=EventStatus.CONFIRMED,
                       internal_notes=SECRETS[0])
    event.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                  locality="Attapeu", logistics=SECRETS[1],
                                  members=[DelegationMember(name="Ông Khamphan")])
    db.session.commit()
    return event


def test_outsiders_full_feed_has_no_internal_fields(client, make_user, make_feed,
                                                    delegation_event):
    outsider = make_user(Role.LIAISON)  # may view (internal event), may not edit
    _feed, token = make_feed(outsider, detail=DetailLevel.FULL)
    body = _unfolded(client.get(f"/feeds/{token}.ics").data)
    assert "Khamphan" in body  # the page shows members to every viewer
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.parametrize("role", [Role.PROTOCOL, Role.ADMIN])
def test_editors_full_feed_has_internal_fields(client, make_user, make_feed, delegation_event,
                                               role):
    editor = make_user(role)
    _feed, token = make_feed(editor, detail=DetailLevel.FULL)
    body = _unfolded(client.get(f"/feeds/{token}.ics").data)
    for secret in SECRETS:
        assert secret in body


def test_focal_point_sees_internal_fields_of_own_units_events_only(
        client, make_user, make_event, make_feed, delegation_event):
    own = make_event(status=EventStatus.CONFIRMED, internal_notes="Ghi chú của đơn vị mình")
    focal = make_user(Role.FOCAL, unit=own.lead_unit)
    _feed, token = make_feed(focal, detail=DetailLevel.FULL)
    body = _unfolded(client.get(f"/feeds/{token}.ics").data)
    assert "Ghi chú của đơn vị mình" in body
    for secret in SECRETS:
        assert secret not in body


def test_single_event_ics_per_viewer(client, make_user, delegation_event):
    path = f"/events/{delegation_event.id}.ics"
    log_in(client, make_user(Role.LIAISON))
    body = _unfolded(client.get(path).data)
    assert "Khamphan" in body
    for secret in SECRETS:
        assert secret not in body
    client.post("/logout")
    log_in(client, make_user(Role.VIEWER))  # press-safe (issue 16): not even the members
    assert "Khamphan" not in _unfolded(client.get(path).data)
    client.post("/logout")
    log_in(client, make_user(Role.PROTOCOL))
    body = _unfolded(client.get(path).data)
    for secret in SECRETS:
        assert secret in body


def test_unreleased_sensitive_event_ics_has_no_title_anywhere(client, make_user, make_event):
    event = make_event(status=EventStatus.CONFIRMED, is_sensitive=True,
                       title_vi="Chuyến thăm bí mật", title_en="Secret visit")
    log_in(client, make_user(Role.PROTOCOL))
    response = client.get(f"/events/{event.id}.ics")
    calendar = parse_three(response.data)
    assert "bí mật" not in response.get_data(as_text=True)
    assert str(calendar["NAME"]) == "Hoạt động đối ngoại"
    assert str(calendar["X-WR-CALNAME"]) == "Hoạt động đối ngoại"


def _poll(client, token, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/feeds/{token}.ics", headers=headers)


def test_delegation_save_and_member_changes_reach_the_feed(client, make_user, make_feed,
                                                           delegation_event):
    editor = make_user(Role.PROTOCOL)
    _feed, token = make_feed(editor, detail=DetailLevel.FULL)
    first = _poll(client, token)
    assert _poll(client, token, first.headers["ETag"]).status_code == 304

    delegations.save_delegation(editor, delegation_event, delegations.DelegationData(
        direction="incoming", country="LA", locality="Attapeu", logistics="Xe biển số 99B"))
    db.session.commit()
    second = _poll(client, token, first.headers["ETag"])
    assert second.status_code == 200
    assert "Xe biển số 99B" in _unfolded(second.data)

    delegations.add_member(editor, delegation_event, "Bà Vilayvanh", "Phó Giám đốc Sở")
    db.session.commit()
    third = _poll(client, token, second.headers["ETag"])
    assert third.status_code == 200
    assert "Vilayvanh" in _unfolded(third.data)

    member = db.session.scalar(sa.select(DelegationMember).where(
        DelegationMember.name == "Ông Khamphan"))
    delegations.remove_member(editor, delegation_event, member.id)
    db.session.commit()
    fourth = _poll(client, token, third.headers["ETag"])
    assert fourth.status_code == 200
    assert "Khamphan" not in _unfolded(fourth.data)
    assert "Vilayvanh" in _unfolded(fourth.data)
    uid = f"event-{delegation_event.id}@localhost"
    stamps = [vevents(parse_three(r.data))[uid]["LAST-MODIFIED"].dt
              for r in (first, second, third, fourth)]
    assert stamps == sorted(stamps)


def test_counter_moves_with_the_write_and_not_with_a_rollback(app, make_event):
    def counter():
        return db.session.execute(changes.counter_statement()).first()

    event = make_event()
    before = counter()
    event.title_vi = "Tiêu đề mới"
    db.session.flush()
    assert counter().value == before.value + 1
    db.session.rollback()
    assert counter().value == before.value
    db.session.execute(sa.update(ChangeCounter).values(value=ChangeCounter.value))  # not watched
    assert counter().value == before.value


def test_the_validator_is_one_primary_key_lookup(app):
    sql = str(validators.fingerprint_statement().compile(db.engine)).lower()
    assert "count(" not in sql
    assert "max(" not in sql
    assert "change_counters" in sql
