"""What imports remember: each imported row's stable key, and uploads waiting for their commit."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.timeutil import UTCDateTime, utcnow


class ImportedEvent(Model):
    """A row of an imported file (sheet row or calendar UID) and the event it created."""

    __tablename__ = "imported_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The calendar a UID was last imported from (``ics.calendar_key``), so that a re-import of
    # that calendar lists what left it; NULL for sheet rows and UIDs imported before it was kept.
    calendar_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)


class ImportUpload(Model):
    """A file previewed in the browser, kept until its import is committed (or a day passes).

    In the database, so that the preview and the commit may reach different workers and hosts.
    """

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    source_url: Mapped[str | None] = mapped_column(sa.String(2000))  # a calendar's address
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportedProgrammeItem(Model):
    """A VEVENT of a partner's calendar imported into an event's programme, by its UID."""

    __tablename__ = "imported_programme_items"
    __table_args__ = (sa.UniqueConstraint("event_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(sa.String(200))
    programme_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme_items.id", ondelete="SET NULL"), index=True)
    # Of summary, place, start and end: a re-import replaces the item only when it changed.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
