"""Authentication, sessions and user administration (throttling: ``app.auth.throttle``)."""
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.auth import throttle
from app.auth.models import LoginAttempt, User, UserChange
from app.auth.permissions import require_admin
from app.auth.roles import Role
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _, _l
from app.inputs import parse_sql_int
from app.timeutil import utcnow
from app.units.models import Unit


class InvalidCredentials(Exception):
    pass


class AccountDeactivated(Exception):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _dummy_user() -> User:
    """A user nobody is, with a hash made like real ones (``User.set_password``).

    Checking a password against it costs what checking a real account costs.
    """
    key = "briefdesk.dummy_password_hash"
    if key not in current_app.extensions:
        dummy = User()
        dummy.set_password(secrets.token_urlsafe(16))
        current_app.extensions[key] = dummy.password_hash
    return User(password_hash=current_app.extensions[key])


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the session names ``id:session_version`` (``User.get_id``).

    A deactivated user, or a version since ended by a logout or a new password, is nobody.
    """
    user_id, _colon, version = (session_id or "").partition(":")
    try:
        user = db.session.get(User, parse_sql_int(user_id))
    except ValueError:
        return None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def authenticate(email: str, password: str, address: str | None) -> User:
    """Return the user for these credentials, recording the attempt.

    A deactivated account is refused whatever the password. Otherwise the attempt is
    throttled first (``app.auth.throttle``: raises LoginThrottled or LoginLocked, and
    nothing is checked), then the password is checked, against a dummy hash for an
    unknown address so that both take the same time. Commits, twice: the attempt must
    be counted before the password is checked, and kept even though the request fails.
    """
    email = normalise_email(email)[:254]
    address = (address or "unknown")[:64]
    now = utcnow()
    user = find_user_by_email(email)
    if user is not None and not user.active:
        db.session.add(LoginAttempt(email=email, address=address, succeeded=False))
        db.session.commit()
        raise AccountDeactivated()
    try:
        throttle.claim_attempt(email, address, now)
    except (throttle.LoginThrottled, throttle.LoginLocked):
        db.session.rollback()
        raise
    db.session.commit()
    if not (user or _dummy_user()).check_password(password or ""):
        user = None  # a wrong password counts as an unknown account
    db.session.add(LoginAttempt(email=email, address=address, succeeded=user is not None))
    if user is not None:
        throttle.record_success(email, address)
        user.last_login_at = now
    else:
        throttle.record_failure(email, address, now)
    db.session.commit()
    if user is None:
        raise InvalidCredentials()
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie of ``user`` worthless (logout, new password). Flushes."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    """The user replaces their password; their other sessions end. Flushes."""
    if not user.check_password(current or ""):
        raise ValidationFailed(_("The current password is wrong."), "current")
    if len(new or "") < 8:
        raise ValidationFailed(_("At least 8 characters."), "new")
    if new == current:
        raise ValidationFailed(_("Choose a password different from the current one."), "new")
    user.set_password(new)
    user.must_change_password = False
    end_sessions(user)


def must_change_password(user) -> bool:
    """An administrator forced a reset: the user sets a new password before anything else."""
    return bool(getattr(user, "must_change_password", False))


def force_password_reset(actor, user: User) -> None:
    """Admins: the user must set a new password at their next login; their sessions end."""
    require_admin(actor)
    if user.id == actor.id:
        raise ValidationFailed(_("Change your own password on your account page."))
    user.must_change_password = True
    end_sessions(user)
    _record(actor, user, "password_reset", {"must_change_password": ["", "✓"]})


def unlock(actor, user: User) -> int:
    """Admins: end the account's login delay and its locks at every address. Flushes."""
    require_admin(actor)
    removed = throttle.unlock(user.email)
    _record(actor, user, "unlocked", {})
    db.session.flush()
    return removed


# What the audit page says a change of a user account was.
USER_ACTIONS = {"created": _l("Account created"), "updated": _l("Account changed"),
                "deactivated": _l("Account deactivated"), "reactivated": _l("Account reactivated"),
                "password_reset": _l("Password reset forced"), "unlocked": _l("Logins unlocked")}


def _snapshot(user: User) -> dict:
    unit = db.session.get(Unit, user.unit_id) if user.unit_id else None
    return {"email": user.email, "name": user.name, "title": user.title, "phone": user.phone,
            "unit": unit.slug if unit else "", "locale": user.locale,
            "is_unit_head": "✓" if user.is_unit_head else "",
            "roles": ", ".join(sorted(r.value for r in user.roles))}


def _record(actor, user: User, action: str, changes: dict) -> None:
    db.session.add(UserChange(user_id=user.id, changed_by_id=getattr(actor, "id", None),
                              changed_at=utcnow(), action=action, changes=changes))


def _record_edit(actor, user: User, action: str, old: dict, password_set: bool) -> None:
    new = _snapshot(user)
    changes = {k: [old.get(k, ""), v] for k, v in new.items() if old.get(k, "") != v}
    if password_set:
        changes["password"] = ["", "✓"]  # that it was set, never what
    if changes or action != "updated":
        _record(actor, user, action, changes)


def held_accounts() -> set[str]:
    """E-mail addresses whose logins now wait or are locked somewhere (for the user list)."""
    return throttle.held_accounts(utcnow())


# Roles held for a unit: their tasks, roster and notices follow the unit.
ROLES_OF_A_UNIT = frozenset({Role.FOCAL, Role.SPOKESPERSON})


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
    if data.unit_id is None and (data.roles & ROLES_OF_A_UNIT or data.is_unit_head):
        raise ValidationFailed(_("A focal point, a spokesperson or a unit head belongs to a unit: "
                                 "choose it."), "unit_id")
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
        if user.id is not None:
            end_sessions(user)  # a new password ends the sessions opened with the old one


def create_user(actor, data: UserData) -> User:
    """Admins create users. Flushes; the caller commits."""
    require_admin(actor)
    if not data.password:
        raise ValidationFailed(_("A new user needs a password."), "password")
    user = User(role_rows=[])
    _apply(user, data)
    db.session.add(user)
    db.session.flush()
    _record_edit(actor, user, "created", {}, password_set=False)
    db.session.flush()
    return user


def update_user(actor, user: User, data: UserData) -> User:
    require_admin(actor)
    if user.id == actor.id and Role.ADMIN not in data.roles:
        raise ValidationFailed(_("You cannot remove your own administrator role."), "roles")
    old = _snapshot(user)
    _apply(user, data)
    db.session.flush()
    _record_edit(actor, user, "updated", old, password_set=bool(data.password))
    db.session.flush()
    return user


def set_user_active(actor, user: User, active: bool) -> None:
    """Deactivate or reactivate; nothing of the user's is deleted."""
    require_admin(actor)
    if user.id == actor.id and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    if user.active != active:
        _record(actor, user, "reactivated" if active else "deactivated", {})
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
