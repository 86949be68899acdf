"""Stored files: the one interface for every file the app keeps.

Checklist attachments use it, and so should any other file (screenshots, documents)::

    from app import storage

    info = storage.put("checklists", upload.stream)  # FileInfo(key, size, sha256), streamed
    storage.send(info.key, mimetype="application/pdf")  # a Response, streamed
    storage.discard(info.key)                        # the caller's transaction failed
    storage.delete(info.key)                         # the record that named it is gone

A key is ``<namespace>/<random name>``; keep it in your row. ``send`` checks nothing:
the caller has already decided that the user may have the file.

Two backends, chosen by ``STORAGE_BACKEND``:

- ``local`` (default): a folder, ``UPLOAD_FOLDER`` (default ``<instance>/uploads``). Fast and
  simple, but only the host that received a file has it.
- ``db``: the tables ``stored_files`` and ``stored_file_chunks`` (chunks of 256 KiB, bytea on
  PostgreSQL), so every host behind the proxy sees every file. The file is written in the
  request's transaction: it exists exactly when the row that names it does.

Reads look in the configured backend first and then in the other one, so a site can switch
the setting first and move its files afterwards (``briefdesk storage migrate --to db``).
"""
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask import Response, abort, current_app, send_file, stream_with_context

from app.storage.backends import CHUNK_SIZE, Database, FileInfo, LocalFolder, sha256_of

__all__ = ["BACKENDS", "CHUNK_SIZE", "FileInfo", "backend", "delete", "discard", "put", "read",
           "send", "sha256_of", "size", "valid_key"]

BACKENDS = ("local", "db")
NAMESPACE = re.compile(r"[a-z0-9_-]{1,40}")
KEY = re.compile(r"[a-z0-9_-]{1,40}/[A-Za-z0-9_-]{1,200}")

Backend = LocalFolder | Database


def local_root() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def backend(name: str | None = None) -> Backend:
    """The backend named, or the configured one (``STORAGE_BACKEND``, default ``local``)."""
    name = name or current_app.config.get("STORAGE_BACKEND") or "local"
    if name == "local":
        return LocalFolder(local_root())
    if name == "db":
        return Database()
    raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")


def _both() -> list[Backend]:
    first = backend()
    return [first, backend("db" if first.name == "local" else "local")]


def valid_key(key: str) -> bool:
    return isinstance(key, str) and KEY.fullmatch(key) is not None


def _stream_chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_SIZE):
        yield chunk


def put(namespace: str, stream: BinaryIO) -> FileInfo:
    """Store the stream's bytes (read in chunks) under a new random key of the namespace."""
    if not NAMESPACE.fullmatch(namespace):
        raise ValueError(f"bad namespace {namespace!r}")
    return backend().save(f"{namespace}/{secrets.token_hex(24)}", _stream_chunks(stream))


def _locate(key: str) -> tuple[Backend, int] | None:
    if not valid_key(key):
        return None
    for candidate in _both():
        found = candidate.size(key)
        if found is not None:
            return candidate, found
    return None


def size(key: str) -> int | None:
    """The file's size, or None when neither backend has it."""
    found = _locate(key)
    return found[1] if found else None


def read(key: str) -> Iterator[bytes]:
    """The file's bytes in chunks; FileNotFoundError when neither backend has it."""
    found = _locate(key)
    if found is None:
        raise FileNotFoundError(key)
    return found[0].chunks(key)


def delete(key: str) -> None:
    """Remove the file from both backends (in the database: with the current transaction)."""
    if valid_key(key):
        for each in _both():
            each.delete(key)


def discard(key: str) -> None:
    """Undo a ``put`` whose transaction failed (the database backend rolls back by itself)."""
    found = backend()
    if not found.transactional and valid_key(key):
        found.delete(key)


def send(key: str, *, mimetype: str) -> Response:
    """The file as a response (404 when it is missing). Check access before calling this.

    The caller adds its own headers (``Content-Disposition``, ``Cache-Control``).
    """
    found = _locate(key)
    if found is None:
        abort(404)
    where, length = found
    if isinstance(where, LocalFolder):
        response = send_file(where.path(key), mimetype=mimetype, max_age=0)
    else:
        response = Response(stream_with_context(where.chunks(key)), mimetype=mimetype)
        response.content_length = length
    return response
