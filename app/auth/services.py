"""Authentication, throttling and user administration."""
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app.auth.models import LoginAttempt, User
from app.auth.permissions import require_admin
from app.auth.roles import Role
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from app.units.models import Unit


class InvalidCredentials(Exception):
    pass


class AccountDeactivated(Exception):
    pass


class LoginThrottled(Exception):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _minutes_until_allowed(failures: sa.Select, limit: int, window: timedelta) -> int | None:
    """Minutes until the oldest counted failure leaves the window, or None if under the limit."""
    times = db.session.scalars(failures.order_by(LoginAttempt.attempted_at.desc()).limit(limit)).all()
    if len(times) < limit:
        return None
    free_at = times[-1] + window
    return max(1, math.ceil((free_at - utcnow()).total_seconds() / 60))


def check_throttle(email: str, address: str) -> None:
    """Raise LoginThrottled if the account or the address failed too often recently."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])
    since = utcnow() - window
    last_success = (sa.select(sa.func.max(LoginAttempt.attempted_at))
                    .where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
                    .scalar_subquery())
    account = (sa.select(LoginAttempt.attempted_at)
               .where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(False),
                      LoginAttempt.attempted_at >= since,
                      sa.or_(last_success.is_(None), LoginAttempt.attempted_at > last_success)))
    by_address = (sa.select(LoginAttempt.attempted_at)
                  .where(LoginAttempt.address == address, LoginAttempt.succeeded.is_(False),
                         LoginAttempt.attempted_at >= since))
    for query, limit in ((account, config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
                         (by_address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"])):
        minutes = _minutes_until_allowed(query, limit, window)
        if minutes is not None:
            raise LoginThrottled(minutes)


def authenticate(email: str, password: str, address: str | None) -> User:
    """Return the user for these credentials, recording the attempt.

    Raises LoginThrottled before checking anything when the account or the
    address failed too often; a throttled try does not extend the lock.
    Commits, because a failed attempt must be kept even though the request fails.
    """
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    check_throttle(email, address)
    user = find_user_by_email(email)
    if user is not None and not user.check_password(password or ""):
        user = None  # a wrong password counts as an unknown account
    db.session.add(LoginAttempt(email=email[:254], address=address, succeeded=user is not None))
    if user is not None:
        user.last_login_at = utcnow()
    db.session.commit()
    if user is None:
        raise InvalidCredentials()
    if not user.active:
        raise AccountDeactivated()
    return user


@dataclass
class UserData:
    email: str
    name: str
    roles: set[Role]
    unit_id: int | None = None
    title: str = ""
    phone: str = ""
    locale: str = "vi"
    is_unit_head: bool = False
    password: str | None = None


def _apply(user: User, data: UserData) -> None:
    email = normalise_email(data.email)
    clash = find_user_by_email(email)
    if clash is not None and clash is not user:
        raise ValidationFailed(_("A user with this e-mail address already exists."), "email")
    if data.unit_id is not None and db.session.get(Unit, data.unit_id) is None:
        raise ValidationFailed(_("Unknown unit."), "unit_id")
    if not data.roles:
        raise ValidationFailed(_("Choose at least one role."), "roles")
    user.email = email
    user.name = data.name.strip()
    user.title = data.title.strip()
    user.phone = data.phone.strip()
    user.unit_id = data.unit_id
    user.locale = data.locale if data.locale in current_app.config["LANGUAGES"] else "vi"
    user.is_unit_head = data.is_unit_head
    user.roles = data.roles
    if data.password:
        user.set_password(data.password)


def create_user(actor, data: UserData) -> User:
    """Admins create users. Flushes; the caller commits."""
    require_admin(actor)
    if not data.password:
        raise ValidationFailed(_("A new user needs a password."), "password")
    user = User(role_rows=[])
    _apply(user, data)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(actor, user: User, data: UserData) -> User:
    require_admin(actor)
    if user.id == actor.id and Role.ADMIN not in data.roles:
        raise ValidationFailed(_("You cannot remove your own administrator role."), "roles")
    _apply(user, data)
    db.session.flush()
    return user


def set_user_active(actor, user: User, active: bool) -> None:
    """Deactivate or reactivate; nothing of the user's is deleted."""
    require_admin(actor)
    if user.id == actor.id and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    user.active = active
    db.session.flush()


def list_users() -> Sequence[User]:
    return db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name)).all()


def create_user_from_cli(email: str, password: str, roles: set[Role], unit_slug: str | None,
                         name: str | None = None) -> User:
    """Create a user without an acting admin (the operator at the console is trusted)."""
    unit_id = None
    if unit_slug:
        unit = db.session.scalar(sa.select(Unit).where(Unit.slug == unit_slug))
        if unit is None:
            raise ValidationFailed(f"unknown unit: {unit_slug}", "unit")
        unit_id = unit.id
    if len(password) < 8:
        raise ValidationFailed("password must be at least 8 characters", "password")
    user = User(role_rows=[])
    _apply(user, UserData(email=email, name=name or email.split("@")[0], roles=roles,
                          unit_id=unit_id, password=password))
    db.session.add(user)
    db.session.flush()
    return user
