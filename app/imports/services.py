"""Keeping uploaded files between their preview and their commit; the commit itself."""
from datetime import timedelta

import sqlalchemy as sa

from app.errors import NotVisible, ValidationFailed
from app.extensions import db
from app.i18n import _
from app.imports import sheet
from app.imports.models import ImportUpload
from app.inputs import safe_filename
from app.timeutil import utcnow

KEEP = timedelta(days=1)


def keep_upload(actor, file) -> ImportUpload:
    """Store the file for its preview and commit; the user's older uploads are dropped."""
    content = file.read(sheet.MAX_BYTES + 1) if file else b""
    if not content:
        raise ValidationFailed(_("Choose a file."), "file")
    if len(content) > sheet.MAX_BYTES:
        raise ValidationFailed(_("The file is larger than %(n)d MB.",
                                 n=sheet.MAX_BYTES // 1024 // 1024), "file")
    db.session.execute(sa.delete(ImportUpload).where(sa.or_(
        ImportUpload.user_id == actor.id, ImportUpload.created_at < utcnow() - KEEP)))
    upload = ImportUpload(user_id=actor.id, filename=safe_filename(file.filename, "import"),
                          content=content, created_at=utcnow())
    db.session.add(upload)
    db.session.flush()
    return upload


def own_upload(actor, upload_id: int) -> ImportUpload:
    upload = db.session.get(ImportUpload, upload_id)
    if upload is None or upload.user_id != actor.id:
        raise NotVisible()
    return upload


def commit_upload(actor, upload_id: int, zone: str) -> list[int]:
    """Import every new row of the previewed file, all or nothing; the upload is then dropped."""
    upload = own_upload(actor, upload_id)
    result = sheet.preview(actor, upload.filename, upload.content, zone)
    created = sheet.commit(actor, result)
    db.session.delete(upload)
    db.session.flush()
    return created
