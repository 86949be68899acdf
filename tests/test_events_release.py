"""Releasing sensitive events: one predicate with its SQL twin, history, the signal, denials."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import release
from app.events.models import Event, EventChange, Visibility
from app.events.signals import event_saved
from app.extensions import db

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
