"""Releasing sensitive events: one predicate with its SQL twin, history, the signal, denials."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import release, services
from app.events.models import Event, EventChange, EventStatus, Visibility
from app.events.signals import event_saved
from app.extensions import db
from tests.fixtures_events import event_data, form_fields
from tests.helpers import log_in, nothing_written

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("sensitive", "released", "embargo", "unreleased"), [
    (False, False, None, False),
    (True, False, None, True),
    (True, True, None, False),
    (True, False, NOW + timedelta(hours=1), True),
    (True, False, NOW - timedelta(hours=1), False),
    (True, False, NOW, False),
])
def test_predicate_and_clause_agree(make_event, sensitive, released, embargo, unreleased):
    event = make_event(is_sensitive=sensitive, embargo_until=embargo,
                       released_at=NOW - timedelta(days=1) if released else None)
    assert release.is_unreleased(event, NOW) is unreleased
    found = db.session.scalar(sa.select(Event.id).where(Event.id == event.id,
                                                        release.unreleased_clause(NOW)))
    assert (found is not None) is unreleased


def test_release_writes_history_and_sends_event_saved(clock, make_user, make_event):
    clock(NOW)
    event = make_event(is_sensitive=True)
    steering = make_user(Role.STEERING)
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs))

    with event_saved.connected_to(listener):
        release.release_event(steering, event.id)
        db.session.commit()
    assert event.released_at == NOW
    assert event.released_by_id == steering.id
    assert [(sender.id, kwargs["created"], set(kwargs["changes"])) for sender, kwargs in received] \
        == [(event.id, False, {"released_at"})]
    change = db.session.scalars(sa.select(EventChange).where(EventChange.event_id == event.id)).one()
    assert change.user_id == steering.id
    assert change.version == event.version
    assert change.changes["released_at"][0] == ""
    assert change.changes["released_at"][1]
    assert release.release_state(event, NOW) == "released"

    # Releasing again changes nothing and sends nothing.
    with event_saved.connected_to(listener):
        release.release_event(steering, event.id)
    assert len(received) == 1


def test_release_denials_write_nothing(make_user, make_event):
    sensitive = make_event(is_sensitive=True)
    plain = make_event()
    secret = make_event(is_sensitive=True, visibility=Visibility.CONFIDENTIAL)
    with pytest.raises(PermissionDenied):
        release.release_event(make_user(Role.PROTOCOL), sensitive.id)
    with pytest.raises(NotVisible):
        release.release_event(make_user(Role.FOCAL), secret.id)
    with pytest.raises(ValidationFailed):
        release.release_event(make_user(Role.ADMIN), plain.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventChange)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)
                             .where(Event.released_at.is_not(None))) == 0


def test_release_state_follows_the_embargo(make_event):
    event = make_event(is_sensitive=True, embargo_until=NOW + timedelta(hours=1))
    assert release.release_state(event, NOW) == "withheld"
    assert release.release_state(event, NOW + timedelta(hours=2)) == "embargo_passed"
    assert release.release_state(make_event(), NOW) is None
    assert release.embargo_times() == [NOW + timedelta(hours=1)]


# --- only steering and admins change the sensitivity -----------------------------------------

@pytest.fixture
def sensitive_event(make_unit, make_event):
    lead = make_unit("so-ngoai-vu")
    return make_event(lead_unit=lead, is_sensitive=True, visibility=Visibility.PUBLIC,
                      status=EventStatus.CONFIRMED, title_vi="Hội đàm nhạy cảm chưa công bố")


@pytest.mark.parametrize("role", [Role.FOCAL, Role.PROTOCOL])
def test_an_editor_cannot_clear_the_flag_of_an_unreleased_event(client, make_user, sensitive_event,
                                                                role):
    """The bypass: saving the form without the box ticked published the event.

    It went to the public feed with released_at NULL. The service refuses; the form's field
    is disabled and ignored.
    """
    editor = make_user(role, unit=sensitive_event.lead_unit)
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        services.update_event(editor, sensitive_event,
                              event_data(sensitive_event.lead_unit_id, is_sensitive=False,
                                         title_vi=sensitive_event.title_vi),
                              sensitive_event.version)
    assert refused.value.field == "is_sensitive"
    db.session.rollback()

    log_in(client, editor)
    page = client.get(f"/events/{sensitive_event.id}/edit").get_data(as_text=True)
    assert '<input checked disabled id="is_sensitive"' in page
    # A browser leaves a disabled box out of the form: the save goes through, the flag stays.
    response = client.post(f"/events/{sensitive_event.id}/edit", data=form_fields(
        sensitive_event.lead_unit_id, title_vi="Hội đàm (đã sửa)",
        version=str(sensitive_event.version), visibility="public"))
    assert response.status_code == 302
    db.session.expire_all()
    assert sensitive_event.is_sensitive
    assert sensitive_event.released_at is None
    assert sensitive_event.title_vi == "Hội đàm (đã sửa)"
    changes = db.session.scalars(sa.select(EventChange.changes)).all()
    assert changes
    assert all("is_sensitive" not in c for c in changes)
    feed = client.get("/feeds/public.ics").get_data(as_text=True)
    assert "Hội đàm" not in feed


def test_an_editor_cannot_mark_an_event_sensitive_either(make_user, make_event):
    event = make_event()
    focal = make_user(Role.FOCAL, unit=event.lead_unit)
    with nothing_written(), pytest.raises(ValidationFailed):
        services.update_event(focal, event, event_data(event.lead_unit_id, is_sensitive=True,
                                                       title_vi=event.title_vi), event.version)
    db.session.rollback()
    assert not db.session.get(Event, event.id).is_sensitive


def test_steering_changes_the_sensitivity_from_the_event_page_recorded_in_the_history(
        client, clock, make_user, sensitive_event):
    clock(NOW)
    steering = make_user(Role.STEERING)
    log_in(client, steering)
    page = client.get(f"/events/{sensitive_event.id}").get_data(as_text=True)
    assert 'data-testid="change-sensitivity"' in page
    assert client.post(f"/events/{sensitive_event.id}/sensitivity",
                       data={"sensitive": ""}).status_code == 302
    db.session.expire_all()
    assert not sensitive_event.is_sensitive
    change = db.session.scalars(sa.select(EventChange)).one()
    assert change.user_id == steering.id
    assert change.changes["is_sensitive"] == ["✓", "✗"]
    assert "Hội đàm nhạy cảm" in client.get("/feeds/public.ics").get_data(as_text=True)

    # Released, then marked sensitive again: withheld again until the next release.
    assert client.post(f"/events/{sensitive_event.id}/sensitivity",
                       data={"sensitive": "1"}).status_code == 302
    release.release_event(steering, sensitive_event.id)
    db.session.commit()
    assert client.post(f"/events/{sensitive_event.id}/sensitivity",
                       data={"sensitive": ""}).status_code == 302
    assert client.post(f"/events/{sensitive_event.id}/sensitivity",
                       data={"sensitive": "1"}).status_code == 302
    db.session.expire_all()
    assert sensitive_event.is_sensitive
    assert sensitive_event.released_at is None
    assert release.is_unreleased(sensitive_event, NOW)
    assert len(db.session.scalars(sa.select(EventChange)).all()) == 5


@pytest.mark.parametrize("role", [Role.FOCAL, Role.PROTOCOL, Role.VIEWER, Role.LIAISON])
def test_others_may_not_press_the_button(client, make_user, sensitive_event, role):
    log_in(client, make_user(role, unit=sensitive_event.lead_unit))
    assert 'data-testid="change-sensitivity"' not in \
        client.get(f"/events/{sensitive_event.id}").get_data(as_text=True)
    with nothing_written():
        assert client.post(f"/events/{sensitive_event.id}/sensitivity",
                           data={"sensitive": ""}).status_code == 403
    db.session.expire_all()
    assert sensitive_event.is_sensitive


def test_an_admin_changes_it_with_the_form(client, make_user, sensitive_event):
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    page = client.get(f"/events/{sensitive_event.id}/edit").get_data(as_text=True)
    assert '<input checked id="is_sensitive"' in page
    response = client.post(f"/events/{sensitive_event.id}/edit", data=form_fields(
        sensitive_event.lead_unit_id, title_vi=sensitive_event.title_vi,
        version=str(sensitive_event.version), visibility="public"))
    assert response.status_code == 302
    db.session.expire_all()
    assert not sensitive_event.is_sensitive


def test_whoever_creates_an_event_may_mark_it_sensitive(make_user, make_unit):
    unit = make_unit()
    focal = make_user(Role.FOCAL, unit=unit)
    event = services.create_event(focal, event_data(unit.id, is_sensitive=True))
    db.session.commit()
    assert event.is_sensitive
    assert release.is_unreleased(event, NOW)
