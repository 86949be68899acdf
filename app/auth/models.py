from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.roles import Role
from app.extensions import Model, enum_type
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit

role_type = enum_type(Role)


def hash_password(password: str) -> str:
    """A salted hash of ``password`` by the app's ``PASSWORD_HASH_METHOD``.

    The one place that reads that key. Checking accepts any method Werkzeug knows, so changing
    it needs no migration: older hashes keep working.
    """
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    # Head of their unit: approves for it and receives escalations.
    is_unit_head: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(sa.String(5), default="vi")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session cookie (``get_id``): raising it (logout, new password) makes
    # every cookie issued before worthless, copies included.
    session_version: Mapped[int] = mapped_column(default=1)
    # An administrator forced a password reset: at the next login the user must set a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit | None] = relationship()
    role_rows: Mapped[list["UserRole"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="user")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    @roles.setter
    def roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - self.roles)]

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(role_type, primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserChange(Model):
    """Who changed which user account, when and how (the audit page lists these).

    ``changes`` is {"field": [old, new], ...} as text; passwords are never written, only
    that one was set.
    """

    __tablename__ = "user_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(sa.String(30))  # USER_ACTIONS
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])


class LoginAttempt(Model):
    """One evaluated login try, kept for auditing (throttling uses ``LoginThrottle``)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_email_at", "email", "attempted_at"),
        sa.Index("ix_login_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool] = mapped_column(default=False)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThrottleScope(StrEnum):
    ACCOUNT = "account"  # key: the e-mail address typed (known or not)
    ADDRESS = "address"  # key: the client's network address
    PAIR = "pair"  # key: e-mail and address; the hard lock lives here


class LoginThrottle(Model):
    """Failed logins counted per account, per address and per account-and-address.

    In the database, so that every worker and host applies the same delays; the
    counters change only through single UPDATE statements (``app.auth.throttle``).
    """

    __tablename__ = "login_throttles"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[ThrottleScope] = mapped_column(enum_type(ThrottleScope, length=10))
    key: Mapped[str] = mapped_column(sa.String(320))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Attempts are refused without being evaluated until then (exponential back-off).
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Pairs only: refused until an administrator unlocks the account.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
