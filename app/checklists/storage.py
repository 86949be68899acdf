"""Attachment files: checked, then stored under the instance folder with random names.

Files never live under ``static``: they are served by a route that checks who
may see the event. The stored name is random, so a client-chosen name can
neither collide nor climb out of the folder.
"""
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from app.errors import ValidationFailed
from app.i18n import _
from app.inputs import safe_filename

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


@dataclass
class CheckedFile:
    original_name: str
    content_type: str
    data: bytes


def max_bytes() -> int:
    return int(current_app.config.get("CHECKLIST_MAX_UPLOAD_BYTES") or DEFAULT_MAX_BYTES)


def upload_folder() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    return folder / "checklists"


def check_upload(upload: FileStorage) -> CheckedFile:
    """Read and validate one upload; raises ValidationFailed with a clear reason."""
    name = safe_filename(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("%(name)s: this type of file is not accepted (allowed: %(types)s).", name=name,
              types="PDF, DOCX, XLSX, JPG, PNG, TXT"), "attachments")
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(_("%(name)s is larger than %(size)d MB.", name=name,
                                 size=limit // (1024 * 1024) or 1), "attachments")
    if not data:
        raise ValidationFailed(_("%(name)s is empty.", name=name), "attachments")
    content_type, magic = ALLOWED_TYPES[extension]
    valid = data.startswith(magic) if magic else _is_text(data)
    if not valid:
        raise ValidationFailed(_("%(name)s does not contain what its name says.", name=name),
                               "attachments")
    return CheckedFile(name, content_type, data)


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def store(data: bytes) -> str:
    """Write the bytes under a new random name; returns the name."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(24)
    (folder / stored_name).write_bytes(data)
    return stored_name


def remove(stored_name: str) -> None:
    (upload_folder() / stored_name).unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    return upload_folder() / stored_name
