"""The two places files live: a folder on this host, or the shared database.

Both read and write in chunks of ``CHUNK_SIZE``, so a file is never held whole in memory.
"""
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.storage.models import StoredChunk, StoredFile

CHUNK_SIZE = 256 * 1024


@dataclass(frozen=True)
class FileInfo:
    key: str
    size: int
    sha256: str


class LocalFolder:
    """Files under one folder, ``<root>/<namespace>/<name>``: fast, but seen by one host only.

    Writes go to a temporary name first and are renamed into place, so a reader never
    sees half a file. Not transactional: a caller whose transaction fails deletes what it stored.
    """

    name = "local"
    transactional = False

    def __init__(self, root: Path):
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key

    def save(self, key: str, chunks: Iterable[bytes]) -> FileInfo:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        digest, size = hashlib.sha256(), 0
        try:
            with open(partial, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return FileInfo(key, size, digest.hexdigest())

    def chunks(self, key: str) -> Iterator[bytes]:
        with open(self.path(key), "rb") as source:
            while chunk := source.read(CHUNK_SIZE):
                yield chunk

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except OSError:
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield path.relative_to(self.root).as_posix()


class Database:
    """Files in the tables ``stored_files`` and ``stored_file_chunks``: every host sees them.

    Writes go through the current session, so a file commits or rolls back with what
    refers to it. Reads fetch one chunk per query.
    """

    name = "db"
    transactional = True

    def save(self, key: str, chunks: Iterable[bytes]) -> FileInfo:
        self.delete(key)
        digest, size = hashlib.sha256(), 0
        db.session.execute(sa.insert(StoredFile.__table__).values(key=key, size=0, sha256=""))
        for seq, chunk in enumerate(_rechunk(chunks)):
            db.session.execute(sa.insert(StoredChunk.__table__).values(key=key, seq=seq, data=chunk))
            digest.update(chunk)
            size += len(chunk)
        info = FileInfo(key, size, digest.hexdigest())
        db.session.execute(sa.update(StoredFile.__table__).where(StoredFile.key == key)
                           .values(size=size, sha256=info.sha256))
        return info

    def chunks(self, key: str) -> Iterator[bytes]:
        seq = 0
        while True:
            chunk = db.session.scalar(sa.select(StoredChunk.data).where(
                StoredChunk.key == key, StoredChunk.seq == seq))
            if chunk is None:
                return
            yield bytes(chunk)
            seq += 1

    def size(self, key: str) -> int | None:
        return db.session.scalar(sa.select(StoredFile.size).where(StoredFile.key == key))

    def sha256(self, key: str) -> str | None:
        return db.session.scalar(sa.select(StoredFile.sha256).where(StoredFile.key == key))

    def delete(self, key: str) -> None:
        db.session.execute(sa.delete(StoredChunk.__table__).where(StoredChunk.key == key))
        db.session.execute(sa.delete(StoredFile.__table__).where(StoredFile.key == key))

    def keys(self) -> Iterator[str]:
        yield from db.session.scalars(sa.select(StoredFile.key).order_by(StoredFile.key)).all()


def _rechunk(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes again, in pieces of exactly CHUNK_SIZE (the last one shorter)."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        while len(pending) >= CHUNK_SIZE:
            yield bytes(pending[:CHUNK_SIZE])
            del pending[:CHUNK_SIZE]
    if pending:
        yield bytes(pending)


def sha256_of(chunks: Iterable[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()
