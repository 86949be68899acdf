"""Briefing notes: who may read, write and approve them; versions, review and the Q&A bank.

Every save makes a new immutable version. A save or review names the version it
was based on; if the note moved on meanwhile it is refused (the form keeps the
text), and the note's lock column catches two saves racing in the same instant.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.exc import StaleDataError

from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import Delegation, Event
from app.extensions import db
from app.i18n import _
from app.inputs import country_code
from app.press.models import Briefing
from app.spokespeople.assignments import active_assignments
from app.spokespeople.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    BriefingNote,
    BriefingNoteVersion,
    NoteAnswer,
    NoteStatus,
    SpokespersonAssignment,
)
from app.spokespeople.signals import note_reviewed, note_submitted
from app.timeutil import utcnow

BANK_LIMIT = 50


# --- who may do what ------------------------------------------------------------------

def _assigned(user, briefing: Briefing) -> bool:
    return any(a.user_id == user.id for a in active_assignments(briefing))


def can_read_briefing_notes(user, briefing: Briefing) -> bool:
    """Assigned spokespeople, the lead unit, steering and admin.

    Protocol as the approver of non-sensitive notes. Always within what the user may see of the
    event.
    """
    if not is_active_user(user):
        return False
    event = briefing.event
    if not access.can_view(user, event):
        return False
    if has_role(user, Role.ADMIN, Role.STEERING) or belongs_to(user, event.lead_unit_id):
        return True
    if has_role(user, Role.PROTOCOL) and not event.is_sensitive:
        return True
    return _assigned(user, briefing)


def read_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``Briefing`` joined with its ``Event``: ``can_read_briefing_notes``."""
    if not is_active_user(user):
        return sa.false()
    if has_role(user, Role.ADMIN, Role.STEERING):
        return access.visible_clause(user)
    assigned = (sa.select(SpokespersonAssignment.id)
                .where(SpokespersonAssignment.briefing_id == Briefing.id,
                       SpokespersonAssignment.user_id == user.id,
                       SpokespersonAssignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)).exists())
    readers: list[sa.ColumnElement[bool]] = [assigned]
    if user.unit_id is not None:
        readers.append(Event.lead_unit_id == user.unit_id)
    if has_role(user, Role.PROTOCOL):
        readers.append(Event.is_sensitive.is_(False))
    return sa.and_(access.visible_clause(user), sa.or_(*readers))


def require_read(user, note: BriefingNote | None) -> BriefingNote:
    if note is None or not can_read_briefing_notes(user, note.briefing):
        raise NotVisible()
    return note


def can_write(user, briefing: Briefing) -> bool:
    """The assigned spokespeople, the lead unit's members and admins draft notes."""
    if not can_read_briefing_notes(user, briefing):
        return False
    return (has_role(user, Role.ADMIN) or belongs_to(user, briefing.event.lead_unit_id)
            or _assigned(user, briefing))


def can_approve(user, note: BriefingNote) -> bool:
    """Sensitive events: steering only. Others: the lead unit's head or protocol."""
    if not can_read_briefing_notes(user, note.briefing):
        return False
    event = note.briefing.event
    if event.is_sensitive:
        return has_role(user, Role.STEERING)
    if has_role(user, Role.PROTOCOL):
        return True
    return user.is_unit_head and belongs_to(user, event.lead_unit_id)


def approve_clause(user) -> sa.ColumnElement[bool]:
    """SQL condition on ``Briefing`` joined with its ``Event``: ``can_approve``."""
    if not is_active_user(user):
        return sa.false()
    sensitive = Event.is_sensitive.is_(True)
    approvers: list[sa.ColumnElement[bool]] = []
    if has_role(user, Role.STEERING):
        approvers.append(sensitive)
    if has_role(user, Role.PROTOCOL):
        approvers.append(~sensitive)
    elif user.is_unit_head and user.unit_id is not None:
        approvers.append(sa.and_(~sensitive, Event.lead_unit_id == user.unit_id))
    return sa.and_(read_clause(user), sa.or_(*approvers)) if approvers else sa.false()


def can_submit(user, note: BriefingNote) -> bool:
    """The newest version is a draft that ``user`` may submit for approval."""
    latest = note.latest
    return latest is not None and latest.status is NoteStatus.DRAFT and can_write(user, note.briefing)


def can_review(user, note: BriefingNote) -> bool:
    """The newest version waits for approval and ``user`` may approve or return it."""
    latest = note.latest
    return latest is not None and latest.status is NoteStatus.SUBMITTED and can_approve(user, note)


# --- content --------------------------------------------------------------------------

@dataclass
class Answer:
    question_vi: str
    answer_vi: str
    question_en: str = ""
    answer_en: str = ""


@dataclass
class NoteContent:
    key_messages_vi: str = ""
    key_messages_en: str = ""
    background_vi: str = ""
    background_en: str = ""
    figures: list[dict] = field(default_factory=list)  # [{"figure", "source"}]
    red_lines_vi: str = ""
    red_lines_en: str = ""
    answers: list[Answer] = field(default_factory=list)

    @classmethod
    def of(cls, version: BriefingNoteVersion | None) -> "NoteContent":
        if version is None:
            return cls()
        return cls(version.key_messages_vi, version.key_messages_en, version.background_vi,
                   version.background_en, [dict(f) for f in version.figures or []],
                   version.red_lines_vi, version.red_lines_en,
                   [Answer(a.question_vi, a.answer_vi, a.question_en, a.answer_en)
                    for a in version.answers])


def _clean(content: NoteContent) -> NoteContent:
    """Strip blanks and refuse half-filled pairs; the message names what is missing."""
    figures = []
    for f in content.figures:
        figure, source = (f.get("figure") or "").strip(), (f.get("source") or "").strip()
        if not figure and not source:
            continue
        if not figure or not source:
            raise ValidationFailed(_("Give every figure together with its source."), "figures")
        figures.append({"figure": figure, "source": source})
    answers = []
    for a in content.answers:
        a = Answer(*(s.strip() for s in (a.question_vi, a.answer_vi, a.question_en, a.answer_en)))
        if not any((a.question_vi, a.answer_vi, a.question_en, a.answer_en)):
            continue
        if not a.question_vi or not a.answer_vi:
            raise ValidationFailed(_("Every anticipated question needs the question and its "
                                     "answer in Vietnamese."), "answers")
        if bool(a.question_en) != bool(a.answer_en):
            raise ValidationFailed(_("Give the English question and answer together, or "
                                     "neither."), "answers")
        answers.append(a)
    if not content.key_messages_vi.strip():
        raise ValidationFailed(_("Write at least the key messages in Vietnamese."),
                               "key_messages_vi")
    return NoteContent(content.key_messages_vi.strip(), content.key_messages_en.strip(),
                       content.background_vi.strip(), content.background_en.strip(), figures,
                       content.red_lines_vi.strip(), content.red_lines_en.strip(), answers)


# --- notes and versions ---------------------------------------------------------------

def note_for(briefing: Briefing) -> BriefingNote | None:
    return db.session.scalar(sa.select(BriefingNote).where(BriefingNote.briefing_id == briefing.id))


def notes_by_briefing(briefing_ids) -> dict[int, BriefingNote]:
    """The notes of several briefings, by briefing id, in one query."""
    ids = set(briefing_ids)
    if not ids:
        return {}
    return {n.briefing_id: n for n in db.session.scalars(
        sa.select(BriefingNote).where(BriefingNote.briefing_id.in_(ids)))}


def start_note(actor, briefing: Briefing) -> BriefingNote:
    """The briefing's note, created empty on first use."""
    if not can_read_briefing_notes(actor, briefing):
        raise NotVisible()
    note = note_for(briefing)
    if note is not None:
        return note
    if not can_write(actor, briefing):
        raise PermissionDenied()
    note = BriefingNote(briefing=briefing, created_by_id=actor.id)
    db.session.add(note)
    _flush_or_refuse()
    return note


def _flush_or_refuse() -> None:
    """Flush; a concurrent change to the same note becomes a clear refusal, not a 500."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise ValidationFailed(_("Someone else changed this note at the same moment. "
                                 "Your text is kept below: reload the note, compare and save "
                                 "again.")) from None


def _stale(note: BriefingNote, base_number: int) -> ValidationFailed:
    return ValidationFailed(_("This note was saved as version %(latest)d by someone else after "
                              "you opened version %(base)d. Your text is kept below: compare "
                              "with the new version and save again.",
                              latest=note.latest_number, base=base_number))


def save_version(actor, note: BriefingNote, base_number: int,
                 content: NoteContent) -> BriefingNoteVersion:
    """Save ``content`` as a new draft version based on version ``base_number``.

    An approved version stays locked: saving after approval starts a new draft.
    """
    require_read(actor, note)
    if not can_write(actor, note.briefing):
        raise PermissionDenied()
    if base_number != note.latest_number:
        raise _stale(note, base_number)
    content = _clean(content)
    version = BriefingNoteVersion(
        note=note, number=note.latest_number + 1, status=NoteStatus.DRAFT, author_id=actor.id,
        key_messages_vi=content.key_messages_vi, key_messages_en=content.key_messages_en,
        background_vi=content.background_vi, background_en=content.background_en,
        figures=content.figures, red_lines_vi=content.red_lines_vi,
        red_lines_en=content.red_lines_en,
        answers=[NoteAnswer(position=i, question_vi=a.question_vi, answer_vi=a.answer_vi,
                            question_en=a.question_en, answer_en=a.answer_en)
                 for i, a in enumerate(content.answers)])
    db.session.add(version)
    note.latest_number = version.number
    note.status = NoteStatus.DRAFT
    note.updated_at = utcnow()
    _flush_or_refuse()
    return version


def _latest_for_action(note: BriefingNote, number: int) -> BriefingNoteVersion:
    if number != note.latest_number or note.latest is None:
        raise ValidationFailed(_("Version %(number)d is no longer the newest: version %(latest)d "
                                 "was saved since. Open the newest version and act on it.",
                                 number=number, latest=note.latest_number))
    return note.latest


def submit(actor, note: BriefingNote, number: int) -> BriefingNoteVersion:
    require_read(actor, note)
    if not can_write(actor, note.briefing):
        raise PermissionDenied()
    version = _latest_for_action(note, number)
    if version.status is not NoteStatus.DRAFT:
        raise ValidationFailed(_("Only a draft can be submitted."))
    version.status = note.status = NoteStatus.SUBMITTED
    version.submitted_at = utcnow()
    _flush_or_refuse()
    note_submitted.send(version, actor=actor)
    return version


def review(actor, note: BriefingNote, number: int, approve: bool,
           comment: str = "") -> BriefingNoteVersion:
    """Approve version ``number`` or return it with comments; refused if it is stale."""
    require_read(actor, note)
    if not can_approve(actor, note):
        raise PermissionDenied()
    version = _latest_for_action(note, number)
    if version.status is not NoteStatus.SUBMITTED:
        raise ValidationFailed(_("Only a submitted version can be approved or returned."))
    if not approve and not comment.strip():
        raise ValidationFailed(_("Say what needs to change when returning a note."), "comment")
    version.status = note.status = NoteStatus.APPROVED if approve else NoteStatus.RETURNED
    if approve:
        note.approved_number = version.number
    version.reviewed_by_id = actor.id
    version.reviewed_at = utcnow()
    version.review_comment = comment.strip()
    _flush_or_refuse()
    note_reviewed.send(version, approved=approve, actor=actor)
    return version


def notes_for_reader(user, limit: int = 100) -> list[BriefingNote]:
    """Notes the user may read, newest activity first."""
    notes = db.session.scalars(
        sa.select(BriefingNote).join(BriefingNote.briefing).join(Briefing.event)
        .where(access.visible_clause(user)).order_by(BriefingNote.updated_at.desc())
        .limit(limit * 3)).all()
    return [n for n in notes if can_read_briefing_notes(user, n.briefing)][:limit]


def awaiting_approval_page(user, size: int = 20) -> tuple[list[BriefingNote], bool]:
    """Submitted notes ``user`` may approve or return (``can_review``), oldest first.

    At most ``size``, and whether more wait: filtered in SQL (``approve_clause``), one row more
    than shown, no count, so the dashboard costs the same with 2 or 2,000 notes waiting.
    """
    submitted = list(db.session.scalars(
        sa.select(BriefingNote).join(BriefingNote.briefing).join(Briefing.event)
        .where(BriefingNote.status == NoteStatus.SUBMITTED, approve_clause(user))
        .options(contains_eager(BriefingNote.briefing).contains_eager(Briefing.event))
        .order_by(BriefingNote.updated_at, BriefingNote.id).limit(size + 1)))
    return submitted[:size], len(submitted) > size


def awaiting_approval(user, limit: int = 20) -> list[BriefingNote]:
    return awaiting_approval_page(user, limit)[0]


# --- the Q&A bank ---------------------------------------------------------------------

def search_bank(user, text: str = "", partner: str = "") -> list[NoteAnswer]:
    """Answers of approved versions the user may read, matching topic text and partner.

    ``partner`` matches the delegation's country, named ("Lào", "Laos") or by its code (LA),
    or its locality.
    """
    query = (sa.select(NoteAnswer)
             .join(NoteAnswer.version).join(BriefingNoteVersion.note)
             .join(BriefingNote.briefing).join(Briefing.event)
             .outerjoin(Delegation, Delegation.event_id == Event.id)
             .where(BriefingNoteVersion.status == NoteStatus.APPROVED,
                    access.visible_clause(user))
             .order_by(BriefingNoteVersion.reviewed_at.desc(), NoteAnswer.position))
    for word in text.split():
        pattern = f"%{word}%"
        query = query.where(sa.or_(NoteAnswer.question_vi.ilike(pattern),
                                   NoteAnswer.answer_vi.ilike(pattern),
                                   NoteAnswer.question_en.ilike(pattern),
                                   NoteAnswer.answer_en.ilike(pattern)))
    if partner.strip():
        partner = partner.strip()
        query = query.where(sa.or_(Delegation.country == (country_code(partner) or partner.upper()),
                                   Delegation.locality.ilike(f"%{partner}%")))
    results = []
    for answer in db.session.scalars(query.limit(BANK_LIMIT * 3)):
        if can_read_briefing_notes(user, answer.version.note.briefing):
            results.append(answer)
        if len(results) == BANK_LIMIT:
            break
    return results


def answers_to_pull(user, ids: list[int]) -> list[Answer]:
    """Approved answers by id, for a new note; ones the user may not read are skipped."""
    if not ids:
        return []
    rows = db.session.scalars(
        sa.select(NoteAnswer).join(NoteAnswer.version)
        .where(NoteAnswer.id.in_(ids), BriefingNoteVersion.status == NoteStatus.APPROVED)
        .order_by(NoteAnswer.id)).all()
    return [Answer(a.question_vi, a.answer_vi, a.question_en, a.answer_en) for a in rows
            if can_read_briefing_notes(user, a.version.note.briefing)]
