"""Permission checks that services call. Templates may hide buttons; these decide."""
from app.auth.roles import Role
from app.errors import PermissionDenied


def has_role(user, *roles: Role) -> bool:
    """True if ``user`` is a logged-in, active user holding any of ``roles``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return bool(user.roles & set(roles))


def require_role(user, *roles: Role) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied()


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def require_admin(user) -> None:
    require_role(user, Role.ADMIN)


def belongs_to(user, unit_id: int | None) -> bool:
    """True if ``user`` is an active member of the unit ``unit_id``."""
    return (unit_id is not None and user is not None and getattr(user, "is_authenticated", False)
            and user.active and user.unit_id == unit_id)


def require_role_or_unit(user, unit_id: int | None, unit_roles: tuple[Role, ...],
                         *any_unit_roles: Role) -> None:
    """Allow holders of ``any_unit_roles`` everywhere, holders of ``unit_roles`` in their own unit."""
    if has_role(user, *any_unit_roles):
        return
    if has_role(user, *unit_roles) and belongs_to(user, unit_id):
        return
    raise PermissionDenied()
