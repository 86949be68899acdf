"""Keeping uploaded files between their preview and their commit; the commit itself."""
from datetime import timedelta

import sqlalchemy as sa

from app.errors import NotVisible, ValidationFailed
from app.extensions import db
from app.i18n import _
from app.imports import ics, sheet
from app.imports.models import ImportUpload
from app.inputs import safe_filename
from app.timeutil import utcnow

KEEP = timedelta(days=1)


def keep_upload(actor, file, limit: int = sheet.MAX_BYTES) -> ImportUpload:
    """Store the file for its preview and commit; the user's older uploads are dropped."""
    content = file.read(limit + 1) if file else b""
    if not content:
        raise ValidationFailed(_("Choose a file."), "file")
    if len(content) > limit:
        raise ValidationFailed(_("The file is larger than %(n)d MB.",
                                 n=limit // 1024 // 1024), "file")
    return keep_content(actor, file.filename, content)


def keep_content(actor, filename: str, content: bytes) -> ImportUpload:
    """Store ``content`` (an upload, or a calendar fetched from its address) until its commit."""
    db.session.execute(sa.delete(ImportUpload).where(sa.or_(
        ImportUpload.user_id == actor.id, ImportUpload.created_at < utcnow() - KEEP)))
    upload = ImportUpload(user_id=actor.id, filename=safe_filename(filename, "import"),
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


def keep_calendar(actor, file, url: str) -> ImportUpload:
    """A partner's calendar, uploaded or fetched from its http(s) address, kept for its preview."""
    url = url.strip()
    if url:
        upload = keep_content(actor, url.rstrip("/").rsplit("/", 1)[-1] or "calendar.ics",
                              ics.fetch(url))
        upload.source_url = url[:2000]
        return upload
    return keep_upload(actor, file, limit=ics.MAX_BYTES)


def calendar_preview(actor, event, upload_id: int) -> ics.ProgrammePreview:
    """The preview of a kept calendar in ``event``'s programme; ValidationFailed if malformed."""
    upload = own_upload(actor, upload_id)
    return ics.preview_programme(actor, event, ics.parse(upload.content, event.timezone))


def commit_calendar(actor, event, upload_id: int) -> ics.Outcome:
    """Import the kept calendar into the programme, all or nothing; the upload is then dropped."""
    upload = own_upload(actor, upload_id)
    outcome = ics.import_into_programme(actor, event, ics.parse(upload.content, event.timezone))
    db.session.delete(upload)
    db.session.flush()
    return outcome


def calendar_events_preview(actor, upload_id: int, kind: str, lead_unit_id: int | None,
                            zone: str) -> ics.EventsPreview:
    """The preview of a kept calendar as events of their own; ValidationFailed if malformed."""
    upload = own_upload(actor, upload_id)
    return ics.preview_events(actor, ics.parse(upload.content, zone), kind, lead_unit_id, zone,
                              upload.filename, ics.calendar_key(upload.content, upload.filename,
                                                                upload.source_url, lead_unit_id))


def commit_calendar_events(actor, upload_id: int, kind: str, lead_unit_id: int | None,
                           zone: str) -> ics.Outcome:
    """Create (or update) the calendar's events, all or nothing; the upload is then dropped."""
    outcome = ics.import_events(actor, calendar_events_preview(actor, upload_id, kind,
                                                                lead_unit_id, zone))
    db.session.delete(own_upload(actor, upload_id))
    db.session.flush()
    return outcome
