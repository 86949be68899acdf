"""Sensitive events: their details stay out of calendar feeds until released.

A sensitive event reaches feeds as "busy" only, until the steering committee (or an
admin) releases it or its embargo passes. ``is_unreleased`` is that rule and
``unreleased_clause`` its SQL twin; feeds, the event page and reports use them.
"""
from datetime import datetime

import sqlalchemy as sa

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events import access
from app.events.history import save_changes, snapshot
from app.events.models import Event
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow

RELEASE_ROLES = (Role.STEERING, Role.ADMIN)


def is_unreleased(event: Event, now: datetime) -> bool:
    """Sensitive, not released by hand, and its embargo (if any) not yet passed."""
    return (bool(event.is_sensitive) and event.released_at is None
            and (event.embargo_until is None or event.embargo_until > now))


def _not_released_by_hand() -> sa.ColumnElement[bool]:
    return sa.and_(Event.is_sensitive.is_(True), Event.released_at.is_(None))


def unreleased_clause(now: datetime) -> sa.ColumnElement[bool]:
    """SQL twin of ``is_unreleased``."""
    return sa.and_(_not_released_by_hand(),
                   sa.or_(Event.embargo_until.is_(None), Event.embargo_until > now))


def embargo_times() -> list[datetime]:
    """The embargo times of sensitive events not released by hand, ascending.

    The moments at which details reach the feeds without any row changing.
    """
    return sorted(db.session.scalars(sa.select(Event.embargo_until).where(
        _not_released_by_hand(), Event.embargo_until.is_not(None))))


def release_state(event: Event, now: datetime) -> str | None:
    """The release state of ``event``, for the event page.

    None (not sensitive), "released" (by hand), "embargo_passed" or "withheld".
    """
    if not event.is_sensitive:
        return None
    if event.released_at is not None:
        return "released"
    return "withheld" if is_unreleased(event, now) else "embargo_passed"


def can_release(user, event: Event) -> bool:
    """The steering committee and admins release the sensitive events they may see."""
    return has_role(user, *RELEASE_ROLES) and access.can_view(user, event)


def release_event(actor, event_id: int) -> Event:
    """Let a sensitive event's details reach feeds now.

    Recorded in the event's history and announced with ``event_saved`` like every change; releasing
    twice changes nothing.
    """
    event = access.require_view(actor, db.session.get(Event, event_id))
    if not can_release(actor, event):
        raise PermissionDenied()
    if not event.is_sensitive:
        raise ValidationFailed(_("Only sensitive events need releasing."))
    if event.released_at is None:
        old = snapshot(event)
        event.released_at = utcnow()
        event.released_by_id = actor.id
        save_changes(actor, event, old, event.version)
    return event
