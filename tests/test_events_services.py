"""Event services: creation, history, transitions, locking, clashes, permissions, bad input."""
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import delegations, history, services, venues
from app.events.clashes import ClashesFound
from app.events.models import ClashOverride, EventChange, EventKind, EventStatus, Visibility
from app.events.signals import event_saved
from app.extensions import db
from tests.fixtures_events import event_data
from tests.helpers import nothing_written


@pytest.fixture
def protocol(make_user):
    return make_user(Role.PROTOCOL)


@pytest.fixture
def unit(make_unit):
    return make_unit("so-ngoai-vu")


def _create(actor, unit, **fields):
    event = services.create_event(actor, event_data(unit.id, **fields))
    db.session.commit()
    return event


def test_create_stores_utc_writes_history_and_sends_the_signal(protocol, unit):
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs))

    with event_saved.connected_to(listener):
        event = _create(protocol, unit, timezone="Asia/Tokyo")
    assert event.starts_at == datetime(2026, 12, 9, 23, 0, tzinfo=UTC)
    assert event.status is EventStatus.DRAFT
    assert event.version == 1
    assert event.sequence == 0
    assert event.organiser_id == protocol.id
    (sender, kwargs), = received
    assert sender is event
    assert kwargs["created"] is True
    assert kwargs["actor"] is protocol
    assert kwargs["changes"]["title_vi"] == (None, "Tiếp đoàn tỉnh Attapeu")
    change = db.session.scalar(sa.select(EventChange).where(EventChange.event_id == event.id))
    assert change.user_id == protocol.id
    assert change.changes["title_vi"][1] == "Tiếp đoàn tỉnh Attapeu"


def test_all_day_and_multi_day_events(protocol, unit):
    event = _create(protocol, unit, all_day=True, start_time=None, end_time=None,
                    start_date=date(2026, 12, 10), end_date=date(2026, 12, 12))
    assert event.starts_at == datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 12, 12, 17, 0, tzinfo=UTC)


def test_update_records_old_and_new_bumps_sequence_and_version(protocol, unit):
    event = _create(protocol, unit)
    received = []
    with event_saved.connected_to(lambda s, **kw: received.append(kw)):
        changes = services.update_event(protocol, event, event_data(
            unit.id, title_vi="Tiếp đoàn tỉnh Salavan", start_time=time(9, 0)), 1)
    db.session.commit()
    assert set(changes) == {"title_vi", "starts_at"}
    assert event.version == 2
    assert event.sequence == 1
    assert received[0]["created"] is False
    assert "starts_at" in received[0]["changes"]
    last = db.session.scalars(sa.select(EventChange).order_by(EventChange.id.desc())).first()
    assert last.changes["title_vi"] == ["Tiếp đoàn tỉnh Attapeu", "Tiếp đoàn tỉnh Salavan"]
    assert last.version == 2


def test_description_change_keeps_the_sequence(protocol, unit):
    event = _create(protocol, unit)
    services.update_event(protocol, event, event_data(unit.id, description_vi="Nội dung"), 1)
    db.session.commit()
    assert event.sequence == 0
    assert event.version == 2


def test_stale_version_is_refused_with_the_changes_since(protocol, make_user, unit):
    event = _create(protocol, unit)
    services.update_event(protocol, event, event_data(unit.id, title_vi="Bản của người thứ nhất"), 1)
    db.session.commit()
    other = make_user(Role.PROTOCOL)
    with pytest.raises(history.StaleVersion) as caught:
        services.update_event(other, event, event_data(unit.id, title_vi="Bản thứ hai"), 1)
    db.session.rollback()
    assert caught.value.changes[0].changes["title_vi"][1] == "Bản của người thứ nhất"
    db.session.expire_all()
    assert event.title_vi == "Bản của người thứ nhất"


def test_a_racing_update_raises_stale_version(protocol, unit):
    event = _create(protocol, unit)
    assert event.version == 1  # loaded by this request...
    with db.engine.begin() as other:  # ...when another process commits a save
        other.execute(sa.text("UPDATE events SET version = 2, title_vi = 'x' WHERE id = :id"),
                      {"id": event.id})
    with pytest.raises(history.StaleVersion):
        services.update_event(protocol, event, event_data(unit.id, title_vi="Của tôi"), 1)
    db.session.rollback()
    db.session.expire_all()
    assert event.title_vi == "x"


@pytest.mark.parametrize("path", [
    ["planned", "confirmed", "held", "reported"],
    ["planned", "postponed", "planned", "cancelled"],
    ["cancelled"],
])
def test_allowed_transitions(protocol, unit, path):
    event = _create(protocol, unit)
    for status in path:
        services.change_status(protocol, event, status, "Lý do", event.version)
        db.session.commit()
    assert event.status.value == path[-1]


def test_disallowed_transition_and_missing_reason(protocol, unit):
    event = _create(protocol, unit)
    with pytest.raises(ValidationFailed):
        services.change_status(protocol, event, "held", "", 1)
    db.session.rollback()
    services.change_status(protocol, event, "planned", "", 1)
    with pytest.raises(ValidationFailed) as caught:
        services.change_status(protocol, event, "cancelled", "  ", event.version)
    assert caught.value.field == "reason"
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        services.change_status(protocol, event, "nonsense", "", event.version)


def test_cancelling_keeps_the_reason_and_bumps_the_sequence(protocol, unit):
    event = _create(protocol, unit)
    services.change_status(protocol, event, "planned", "", 1)
    services.change_status(protocol, event, "cancelled", "Đối tác hoãn chuyến thăm", event.version)
    db.session.commit()
    assert event.status_reason == "Đối tác hoãn chuyến thăm"
    assert event.sequence == 2


@pytest.mark.parametrize(("fields", "field"), [
    ({"end_time": time(7, 0)}, "end_time"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"lead_unit_id": 99999}, "lead_unit_id"),
    ({"venue_id": 99999}, "venue_id"),
    ({"title_vi": "x" * 301}, "title_vi"),
    ({"start_date": date(1999, 12, 31)}, "start_date"),
    ({"end_date": date(2101, 1, 1)}, "end_date"),
    ({"kind": "party"}, "kind"),
    ({"host_ids": [99999]}, "host_ids"),
    ({"kind": "delegation_in", "country": "XX"}, "country"),
    ({"end_date": date(2027, 3, 1)}, "end_date"),
])
def test_bad_input_is_refused_and_nothing_is_written(protocol, unit, fields, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_event(protocol, event_data(unit.id if "lead_unit_id" not in fields
                                                   else fields.pop("lead_unit_id"), **fields))
    assert caught.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventChange)) == 0


# --- permissions --------------------------------------------------------------------------

def test_focal_point_creates_and_edits_only_for_their_unit(make_user, make_unit, unit):
    focal = make_user(Role.FOCAL, unit=unit)
    own = services.create_event(focal, event_data(unit.id))
    db.session.commit()
    elsewhere, other_focal = make_unit(), make_user(Role.FOCAL)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            services.create_event(focal, event_data(elsewhere.id))
        with pytest.raises(PermissionDenied):
            services.update_event(other_focal, own, event_data(unit.id, title_vi="x"), 1)
        with pytest.raises(PermissionDenied):
            services.change_status(other_focal, own, "planned", "", 1)
        # ...nor may they hand their event to a unit that is not theirs.
        with pytest.raises(PermissionDenied):
            services.update_event(focal, own, event_data(elsewhere.id), 1)
    assert (own.title_vi, own.lead_unit_id, own.status, own.version) == (
        "Tiếp đoàn tỉnh Attapeu", unit.id, EventStatus.DRAFT, 1)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SPOKESPERSON, Role.LIAISON, Role.STEERING])
def test_other_roles_cannot_create_or_edit(make_user, protocol, unit, role):
    event = _create(protocol, unit)
    user = make_user(role)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            services.create_event(user, event_data(unit.id))
        with pytest.raises(PermissionDenied):
            services.update_event(user, event, event_data(unit.id, title_vi="x"), 1)
    assert event.title_vi == "Tiếp đoàn tỉnh Attapeu"
    assert event.version == 1


def test_confidential_events_are_not_visible_to_outsiders(make_user, make_unit, protocol, unit):
    event = _create(protocol, unit, visibility=Visibility.CONFIDENTIAL.value)
    outsider = make_user(Role.FOCAL)
    with nothing_written():
        with pytest.raises(NotVisible):
            services.update_event(outsider, event, event_data(unit.id, title_vi="x"), 1)
        with pytest.raises(NotVisible):
            services.change_status(outsider, event, "planned", "", 1)
        with pytest.raises(NotVisible):
            delegations.add_member(outsider, event, "Somphone")
    assert (event.title_vi, event.status, event.version) == (
        "Tiếp đoàn tỉnh Attapeu", EventStatus.DRAFT, 1)


def test_only_protocol_and_admin_manage_venues(make_user):
    focal = make_user(Role.FOCAL)
    with nothing_written(), pytest.raises(PermissionDenied):
        venues.save_venue(focal, None, "Hội trường")
    venue = venues.save_venue(make_user(Role.PROTOCOL), None, "Hội trường", capacity=200)
    assert venue.id


# --- clashes ------------------------------------------------------------------------------

def test_venue_clash_is_a_warning_that_can_be_overridden(protocol, unit, make_venue):
    venue = make_venue()
    _create(protocol, unit, venue_id=venue.id)
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(unit.id, venue_id=venue.id,
                                                   start_time=time(9, 0), end_time=time(11, 0)))
    assert [c.kind for c in caught.value.clashes] == ["venue"]
    db.session.rollback()
    event = services.create_event(protocol, event_data(
        unit.id, venue_id=venue.id, start_time=time(9, 0), end_time=time(11, 0),
        override_reason="Hai phòng khác nhau trong hội trường"))
    db.session.commit()
    override = db.session.scalar(sa.select(ClashOverride).where(ClashOverride.event_id == event.id))
    assert override.reason == "Hai phòng khác nhau trong hội trường"
    assert override.clashes[0]["kind"] == "venue"


def test_back_to_back_and_cancelled_events_do_not_clash(protocol, unit, make_venue):
    venue = make_venue()
    first = _create(protocol, unit, venue_id=venue.id)  # 08:00-10:00
    # Starting in the hall when the first event ends is no clash (saved without a reason).
    after = _create(protocol, unit, venue_id=venue.id, start_time=time(10, 0), end_time=time(11, 0))
    assert after.id is not None
    # 08:30-09:30 clashes with the first event while it takes place...
    inside = dict(venue_id=venue.id, start_time=time(8, 30), end_time=time(9, 30))
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(unit.id, **inside))
    assert [(c.kind, c.other_event_id) for c in caught.value.clashes] == [("venue", first.id)]
    db.session.rollback()
    # ...and no longer once it is cancelled.
    services.change_status(protocol, first, "cancelled", "Hủy", first.version)
    db.session.commit()
    assert _create(protocol, unit, **inside).id is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClashOverride)) == 0


def test_same_host_in_overlapping_event_or_programme_item(protocol, unit, make_user):
    host = make_user(Role.SPOKESPERSON, name="Phạm Minh Tuấn")
    other = _create(protocol, unit, title_vi="Sự kiện khác", start_date=date(2026, 12, 11),
                    end_date=date(2026, 12, 11))
    delegations.add_programme_item(protocol, other, delegations.ProgrammeData(
        day=date(2026, 12, 11), start_time=time(8, 0), end_time=time(9, 0),
        activity_vi="Hội đàm", host_ids=[host.id]))
    _create(protocol, unit, host_ids=[host.id])
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(unit.id, host_ids=[host.id]))
    assert [(c.kind, c.subject) for c in caught.value.clashes] == [("host", "Phạm Minh Tuấn")]
    db.session.rollback()
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(
            unit.id, host_ids=[host.id], start_date=date(2026, 12, 11),
            end_date=date(2026, 12, 11), start_time=time(8, 30), end_time=time(12, 0)))
    assert {c.other_event_id for c in caught.value.clashes} == {other.id}


def test_same_delegation_member_in_overlapping_events(protocol, unit):
    first = _create(protocol, unit, kind="delegation_in", country="LA", locality="Attapeu")
    delegations.add_member(protocol, first, "Leuth Xaiyaphone", "Governor", is_head=True)
    db.session.commit()
    second = _create(protocol, unit, kind="signing", country="LA", start_time=time(9, 0),
                     end_time=time(11, 0), override_reason="LA holiday irrelevant")
    with pytest.raises(ClashesFound) as caught:
        delegations.add_member(protocol, second, "leuth xaiyaphone")
    assert caught.value.clashes[0].kind == "member"
    db.session.rollback()
    delegations.add_member(protocol, second, "Leuth Xaiyaphone",
                        override_reason="Cùng đoàn, hai hoạt động liên tiếp")
    db.session.commit()


def test_tet_is_a_vietnamese_holiday_clash(protocol, unit):
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(unit.id, start_date=date(2027, 2, 6),
                                                   end_date=date(2027, 2, 6)))
    kinds = {(c.kind, c.subject.split(":")[0]) for c in caught.value.clashes}
    assert kinds == {("holiday", "VN")}
    assert any("Lunar New Year" in c.subject for c in caught.value.clashes)


def test_lao_new_year_clashes_for_a_lao_delegation_only(protocol, unit):
    lao_new_year = {"start_date": date(2027, 4, 14), "end_date": date(2027, 4, 14)}
    with pytest.raises(ClashesFound) as caught:
        services.create_event(protocol, event_data(unit.id, kind="delegation_in", country="LA",
                                                   locality="Attapeu", **lao_new_year))
    assert [c.subject.split(":")[0] for c in caught.value.clashes] == ["LA"]
    db.session.rollback()
    _create(protocol, unit, kind="political", **lao_new_year)  # no partner: no Lao holiday


def test_delegation_programme_and_members(protocol, unit):
    event = _create(protocol, unit, kind=EventKind.DELEGATION_IN.value, country="LA",
                    locality="Attapeu")
    delegations.save_delegation(protocol, event, delegations.DelegationData(
        direction="incoming", country="LA", locality="Attapeu", border_gate="Bờ Y",
        arrival_date=date(2026, 12, 10), arrival_time=time(7, 0), languages="Lào, Việt"))
    delegations.add_member(protocol, event, "Leuth Xaiyaphone", "Tỉnh trưởng", is_head=True)
    delegations.add_programme_item(protocol, event, delegations.ProgrammeData(
        day=date(2026, 12, 10), start_time=time(8, 0), end_time=time(9, 0),
        activity_vi="Hội đàm", activity_en="Talks"))
    db.session.commit()
    assert event.delegation.head.name == "Leuth Xaiyaphone"
    assert event.delegation.border_gate == "Bờ Y"
    assert event.programme[0].starts_at == datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
    with pytest.raises(ValidationFailed):
        delegations.add_programme_item(protocol, event, delegations.ProgrammeData(
            day=date(2026, 12, 10), start_time=time(9, 0), end_time=time(8, 0), activity_vi="x"))


def test_editing_the_description_does_not_repeat_overridden_warnings(protocol, unit, make_venue):
    venue = make_venue()
    _create(protocol, unit, venue_id=venue.id)
    second = _create(protocol, unit, venue_id=venue.id, override_reason="Hai phòng khác nhau")
    services.update_event(protocol, second, event_data(unit.id, venue_id=venue.id,
                                                       description_vi="Bổ sung nội dung"), 1)
    db.session.commit()
    with pytest.raises(ClashesFound):  # moving it is checked again
        services.update_event(protocol, second, event_data(
            unit.id, venue_id=venue.id, start_time=time(9, 0), end_time=time(11, 0)), 2)
