"""Venues: protocol staff and admins keep the list."""
from collections.abc import Sequence

import sqlalchemy as sa

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events.models import Venue
from app.events.validation import SHORT_MAX, TITLE_MAX, check_length
from app.extensions import db
from app.i18n import _

MANAGER_ROLES = (Role.PROTOCOL, Role.ADMIN)


def can_manage_venues(user) -> bool:
    """Protocol staff and admins keep the list of venues."""
    return has_role(user, *MANAGER_ROLES)


def require_manage_venues(user) -> None:
    if not can_manage_venues(user):
        raise PermissionDenied()


def list_venues(active_only: bool = False) -> Sequence[Venue]:
    query = sa.select(Venue).order_by(Venue.name)
    if active_only:
        query = query.where(Venue.active.is_(True))
    return db.session.scalars(query).all()


def save_venue(actor, venue: Venue | None, name: str, address: str = "",
               capacity: int | None = None, active: bool = True) -> Venue:
    """Create or edit a venue (``venue`` None: a new one)."""
    require_manage_venues(actor)
    name = check_length(name, SHORT_MAX, "name")
    if not name:
        raise ValidationFailed(_("Enter the venue's name."), "name")
    if capacity is not None and not 0 < capacity <= 100_000:
        raise ValidationFailed(_("Enter a capacity between 1 and 100,000."), "capacity")
    venue = venue or Venue()
    venue.name, venue.address = name, check_length(address, TITLE_MAX, "address")
    venue.capacity, venue.active = capacity, bool(active)
    db.session.add(venue)
    db.session.flush()
    return venue
