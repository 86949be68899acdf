"""The database backend's tables: one row per file, its bytes in numbered chunks."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.timeutil import UTCDateTime, utcnow


class StoredFile(Model):
    """A file kept in the database (``STORAGE_BACKEND=db``): its size and SHA-256."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredChunk(Model):
    """One piece of a stored file's bytes (``CHUNK_SIZE`` each, the last one shorter)."""

    __tablename__ = "stored_file_chunks"

    key: Mapped[str] = mapped_column(sa.ForeignKey("stored_files.key", ondelete="CASCADE"),
                                     primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
