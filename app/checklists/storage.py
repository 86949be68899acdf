"""Attachment files: checked, then kept in app.storage under random names.

Files never live under ``static``: they are served by a route that checks who
may see the event. The stored name is random, so a client-chosen name can
neither collide nor climb out of the folder. Nothing here holds a whole file in memory.
"""
import codecs
import shutil
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from werkzeug.datastructures import FileStorage

from app import storage
from app.errors import ValidationFailed
from app.i18n import _
from app.inputs import safe_filename
from app.storage import CHUNK_SIZE

# extension -> (content type, leading bytes the content must start with, or None)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "txt": ("text/plain", None),  # the response adds "; charset=utf-8"
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


NAMESPACE = "checklists"  # their keys in app.storage: checklists/<stored_name>


@dataclass
class CheckedFile:
    original_name: str
    content_type: str
    stream: BinaryIO  # at its start, ready to be stored
    size: int


def max_bytes() -> int:
    return int(current_app.config.get("CHECKLIST_MAX_UPLOAD_BYTES") or DEFAULT_MAX_BYTES)


def key_of(stored_name: str) -> str:
    return f"{NAMESPACE}/{stored_name}"


def check_upload(upload: FileStorage) -> CheckedFile:
    """Check one upload, reading it in chunks; raises ValidationFailed with a clear reason."""
    name = safe_filename(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("%(name)s: this type of file is not accepted (allowed: %(types)s).", name=name,
              types="PDF, DOCX, XLSX, JPG, PNG, TXT"), "attachments")
    content_type, magic = ALLOWED_TYPES[extension]
    stream = _seekable(upload.stream)
    limit = max_bytes()
    head, size = b"", 0
    text = codecs.getincrementaldecoder("utf-8")() if magic is None else None
    is_text = True
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(_("%(name)s is larger than %(size)d MB.", name=name,
                                     size=limit // (1024 * 1024) or 1), "attachments")
        if len(head) < 16:
            head += chunk[:16]
        if text is not None and is_text:
            is_text = _decodes(text, chunk)
    if not size:
        raise ValidationFailed(_("%(name)s is empty.", name=name), "attachments")
    valid = head.startswith(magic) if magic else is_text and _decodes(text, b"", final=True)
    if not valid:
        raise ValidationFailed(_("%(name)s does not contain what its name says.", name=name),
                               "attachments")
    stream.seek(0)
    return CheckedFile(name, content_type, stream, size)


def _seekable(stream) -> BinaryIO:
    """The upload's stream if it can be read twice, else a spooled copy of it."""
    if stream.seekable():
        stream.seek(0)
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=CHUNK_SIZE)  # noqa: SIM115  (returned open)
    shutil.copyfileobj(stream, copy, CHUNK_SIZE)
    copy.seek(0)
    return copy  # type: ignore[return-value]


def _decodes(decoder, chunk: bytes, final: bool = False) -> bool:
    """Text files are UTF-8 without NUL (checked chunk by chunk)."""
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in chunk


def store(checked: CheckedFile) -> str:
    """Store the checked file under a new random name (app.storage); returns the name."""
    return storage.put(NAMESPACE, checked.stream).key.split("/", 1)[1]


def discard(stored_name: str) -> None:
    """Undo ``store`` after the transaction failed."""
    storage.discard(key_of(stored_name))
