"""Domain settings as rows an administrator edits, and the history of their changes."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import Model
from app.timeutil import UTCDateTime, utcnow


class DomainSetting(Model):
    """The stored value of a setting declared in code (app/settings/registry.py).

    ``value`` is the type's canonical text; a row that no longer parses is ignored
    (the code default applies) and flagged on the admin page.
    """

    __tablename__ = "domain_settings"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
    legal_basis: Mapped[str] = mapped_column(sa.String(300), default="")
    verified: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()


class SettingChange(Model):
    """One changed field of a setting: who (none: the command line), when, old → new."""

    __tablename__ = "setting_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        sa.ForeignKey("domain_settings.key", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(sa.String(20))   # value, legal_basis, verified, note
    old: Mapped[str] = mapped_column(sa.Text, default="")
    new: Mapped[str] = mapped_column(sa.Text, default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    changed_by: Mapped[User | None] = relationship()
