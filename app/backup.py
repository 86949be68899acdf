"""``briefdesk backup FILE`` and ``briefdesk restore FILE [--force]``.

One tar archive holds:

- ``manifest.json``: when, which database kind and migration, the row count of every table
  and the size and SHA-256 of every stored file, all taken from the same snapshot as the dump;
- ``database.sqlite`` (SQLite's online backup API) or ``database.dump`` (``pg_dump -Fc`` on an
  exported snapshot): the app keeps serving while either runs;
- ``files/<key>``: the files of the ``local`` storage backend (files of the ``db`` backend are
  rows of the dump).

Restore refuses a database with rows or a storage folder with files unless ``force``; it
loads
the dump, writes the files into the configured backend while hashing them, then compares
every table's row count and every file's SHA-256 with the manifest.
"""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from app import storage
from app.extensions import db
from app.storage.models import StoredFile
from app.timeutil import utcnow

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


@dataclass
class Outcome:
    tables: dict[str, int]
    files: dict[str, dict]
    problems: list[str] = field(default_factory=list)


def _table_names() -> list[str]:
    return [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]


def _count_rows(execute, names: list[str]) -> dict[str, int]:
    """Rows per table (a table missing from this database is left out)."""
    counts = {}
    for name in names:
        try:
            counts[name] = int(execute(f'SELECT count(*) FROM "{name}"'))
        except (sa.exc.DBAPIError, sqlite3.Error):
            raise BackupError(f"cannot count the rows of {name}") from None
    return counts


def _existing_tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


# --- libpq -------------------------------------------------------------------------------

def _libpq_env() -> dict[str, str]:
    """pg_dump's and pg_restore's connection, given in the environment (no password in argv)."""
    url = db.engine.url
    env = {**os.environ, "PGHOST": url.host or "", "PGPORT": str(url.port or 5432),
           "PGUSER": url.username or "", "PGDATABASE": url.database or ""}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    options = url.query.get("options")
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    return env


def _client(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is missing: install postgresql-client of the server's version")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    client_major = int(found.group(1)) if found else 0
    server_major = int(db.session.scalar(sa.text("SHOW server_version_num"))) // 10000
    if client_major < server_major:
        raise BackupError(f"{tool} {client_major} is older than the server ({server_major}): "
                          f"install postgresql-client-{server_major}")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- backup ------------------------------------------------------------------------------

def backup(target: Path) -> dict:
    """Write the archive to ``target`` (written beside it, then renamed); returns the manifest."""
    target = target.resolve()
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=target.parent))
    try:
        if db.engine.dialect.name == "postgresql":
            dump, tables, db_files = _dump_postgresql(work)
        else:
            dump, tables, db_files = _dump_sqlite(work)
        local = storage.local_folder()
        files = {key: {"size": size, "sha256": sha, "in": "db"} for key, size, sha in db_files}
        partial = work / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            for key in local.list_keys():
                if not storage.valid_key(key) or key in files:
                    continue
                size, sha = _add_file(archive, local.path(key), key)
                files[key] = {"size": size, "sha256": sha, "in": "local"}
            manifest = {"format": FORMAT, "created_at": utcnow().isoformat(),
                        "database": db.engine.dialect.name, "dump": dump.name,
                        "tables": tables, "files": files}
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        os.replace(partial, target)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _dump_sqlite(work: Path) -> tuple[Path, dict[str, int], list]:
    path = work / "database.sqlite"
    source = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(path)
        source.driver_connection.backup(copy)  # type: ignore[union-attr]  # consistent, while others write
        tables = _count_rows(lambda q: copy.execute(q).fetchone()[0],
                             [n for n in _table_names() if _sqlite_has(copy, n)])
        files = copy.execute("SELECT key, size, sha256 FROM stored_files").fetchall()
        copy.close()
    finally:
        source.close()
    return path, tables, files


def _sqlite_has(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone() is not None


def _dump_postgresql(work: Path) -> tuple[Path, dict[str, int], list]:
    """pg_dump on a snapshot exported by a transaction that counts the rows in it too."""
    path = work / "database.dump"
    pg_dump = _client("pg_dump")
    with (db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
          conn.begin()):
        snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
        _run([pg_dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "-f", str(path)], _libpq_env())
        present = set(sa.inspect(conn).get_table_names())
        tables = _count_rows(lambda q: conn.scalar(sa.text(q)),
                             [n for n in _table_names() if n in present])
        files = conn.execute(sa.select(StoredFile.key, StoredFile.size, StoredFile.sha256)).all()
    return path, tables, [tuple(f) for f in files]


def _add_file(archive: tarfile.TarFile, path: Path, key: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        info = archive.gettarinfo(fileobj=source, arcname=f"files/{key}")
        archive.addfile(info, _Hashing(source, digest))
    return info.size, digest.hexdigest()


class _Hashing:
    """A file object that hashes what tarfile reads through it."""

    def __init__(self, source: IO[bytes], digest):
        self.source, self.digest = source, digest

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore -----------------------------------------------------------------------------

def target_is_empty() -> list[str]:
    """What the target already holds: tables with rows, stored files (empty list: nothing)."""
    present = _existing_tables()
    held = [f"table {t.name}" for t in db.metadata.sorted_tables
            if t.name in present and db.session.scalar(sa.select(sa.exists().select_from(t)))]
    if next(storage.local_folder().list_keys(), None) is not None:
        held.append(f"files in {storage.local_folder().root}")
    db.session.rollback()
    return held


def restore(source: Path, force: bool = False) -> Outcome:
    """Load the archive into this database and storage; compares everything with the manifest."""
    with tarfile.open(source, "r") as archive:
        manifest = json.loads(_member(archive, MANIFEST).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        if manifest["database"] != db.engine.dialect.name:
            raise BackupError(f"the archive holds a {manifest['database']} database, "
                              f"this is {db.engine.dialect.name}")
        held = target_is_empty()
        if held and not force:
            raise BackupError("the target is not empty (" + ", ".join(held[:5]) +
                              "): restore into an empty database and storage, or pass --force")
        work = Path(tempfile.mkdtemp(prefix=".restore-"))
        try:
            dump = work / manifest["dump"]
            with open(dump, "wb") as out:
                shutil.copyfileobj(_member(archive, manifest["dump"]), out, storage.CHUNK_SIZE)
            db.session.remove()
            db.engine.dispose()
            if manifest["database"] == "postgresql":
                _load_postgresql(dump)
            else:
                _load_sqlite(dump)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if force:
            for key in list(storage.local_folder().list_keys()):
                storage.local_folder().delete(key)
        target = storage.backend()
        for key, meta in manifest["files"].items():
            if meta["in"] == "local" and storage.valid_key(key):
                target.save(key, _chunks(_member(archive, f"files/{key}")))
                db.session.commit()
    return verify(manifest)


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    try:
        found = archive.extractfile(name)
    except KeyError:
        found = None
    if found is None:
        raise BackupError(f"the archive has no {name}")
    return found


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(storage.CHUNK_SIZE):
        yield chunk


def _load_sqlite(dump: Path) -> None:
    copy = sqlite3.connect(dump)
    target = db.engine.raw_connection()
    try:
        copy.backup(target.driver_connection)  # type: ignore[arg-type]  # a sqlite3 connection
    finally:
        target.close()
        copy.close()


def _load_postgresql(dump: Path) -> None:
    pg_restore = _client("pg_restore")
    db.session.remove()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "-d", db.engine.url.database or "", str(dump)], _libpq_env())


def verify(manifest: dict) -> Outcome:
    """This database and storage against the manifest: row counts and SHA-256s."""
    present = _existing_tables()
    tables = _count_rows(lambda q: db.session.scalar(sa.text(q)),
                         [n for n in manifest["tables"] if n in present])
    problems = [f"table {name}: {tables.get(name)} rows, the archive has {count}"
                for name, count in manifest["tables"].items() if tables.get(name) != count]
    files = {}
    for key, meta in manifest["files"].items():
        try:
            size, sha = storage.sha256_of(storage.read(key))
        except FileNotFoundError:
            problems.append(f"file {key}: missing")
            continue
        files[key] = {"size": size, "sha256": sha}
        if (size, sha) != (meta["size"], meta["sha256"]):
            problems.append(f"file {key}: SHA-256 {sha}, the archive has {meta['sha256']}")
    db.session.rollback()
    return Outcome(tables, files, problems)
