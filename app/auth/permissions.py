"""Permission checks that services call. Templates may hide buttons; these decide."""
from app.auth.roles import Role
from app.errors import PermissionDenied


def is_active_user(user) -> bool:
    """True if ``user`` is logged in and their account is active."""
    return user is not None and getattr(user, "is_authenticated", False) and bool(user.active)


def has_role(user, *roles: Role) -> bool:
    """True if ``user`` is a logged-in, active user holding any of ``roles``."""
    return is_active_user(user) and bool(user.roles & set(roles))


def require_role(user, *roles: Role) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied()


def is_admin(user) -> bool:
    """The predicate of ``require_admin`` (for the menu)."""
    return has_role(user, Role.ADMIN)


def require_admin(user) -> None:
    require_role(user, Role.ADMIN)


def belongs_to(user, unit_id: int | None) -> bool:
    """True if ``user`` is an active member of the unit ``unit_id``."""
    return unit_id is not None and is_active_user(user) and user.unit_id == unit_id
