"""Pages of briefing notes: read, edit (new version), compare, submit, review, print, .docx."""
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.extensions import db
from app.i18n import _
from app.settings import setting
from app.spokespeople import document, notes, roster
from app.spokespeople.diff import html_diff
from app.spokespeople.forms import NoteForm, ReviewForm, VersionActionForm
from app.spokespeople.models import NOTE_STATUS_LABELS, BriefingNote, NoteStatus
from app.web import apply_and_flash

bp = Blueprint("notes", __name__, url_prefix="/notes")
EXTRA_ROWS = 2  # blank figure and answer rows offered on the form


def _note(note_id: int) -> BriefingNote:
    return notes.require_read(current_user, db.session.get(BriefingNote, note_id))


def _version(note: BriefingNote, number: int | None):
    """The requested version, else the newest; 404 for a number that does not exist."""
    if number is None:
        return note.latest
    version = note.version(number)
    if version is None:
        abort(404)
    return version


@bp.get("/")
def index():
    return render_template("spokespeople/notes.html", notes=notes.notes_for_reader(current_user),
                           status_labels=NOTE_STATUS_LABELS)


@bp.get("/<int:note_id>")
def show(note_id: int):
    note = _note(note_id)
    version = _version(note, request.args.get("version", type=int))
    return render_template(
        "spokespeople/note.html", note=note, version=version, status_labels=NOTE_STATUS_LABELS,
        sections=document.sections(version, "vi") if version else [],
        sections_en=document.sections(version, "en") if version and document.has_english(version)
        else [],
        can_write=notes.can_write(current_user, note.briefing),
        can_submit=notes.can_submit(current_user, note),
        can_review=notes.can_review(current_user, note),
        action_form=VersionActionForm(number=note.latest_number),
        review_form=ReviewForm(number=note.latest_number))


def _form_data(form: NoteForm) -> notes.NoteContent:
    return notes.NoteContent(
        form.key_messages_vi.data or "", form.key_messages_en.data or "",
        form.background_vi.data or "", form.background_en.data or "",
        [{"figure": f.figure.data or "", "source": f.source.data or ""} for f in form.figures],
        form.red_lines_vi.data or "", form.red_lines_en.data or "",
        [notes.Answer(a.question_vi.data or "", a.answer_vi.data or "", a.question_en.data or "",
                      a.answer_en.data or "") for a in form.answers])


def _prefill(note: BriefingNote) -> NoteForm:
    content = notes.NoteContent.of(note.latest)
    pulled = notes.answers_to_pull(current_user, request.args.getlist("pull", type=int))
    content.answers += pulled
    if pulled:
        flash(_("%(n)d answers from the Q&A bank added; save to keep them.", n=len(pulled)), "info")
    form = NoteForm(data={
        "base_number": note.latest_number,
        "key_messages_vi": content.key_messages_vi, "key_messages_en": content.key_messages_en,
        "background_vi": content.background_vi, "background_en": content.background_en,
        "red_lines_vi": content.red_lines_vi, "red_lines_en": content.red_lines_en,
        "figures": content.figures,
        "answers": [vars(a) for a in content.answers]})
    for _row in range(EXTRA_ROWS):
        form.figures.append_entry()
        form.answers.append_entry()
    return form


@bp.route("/<int:note_id>/edit", methods=["GET", "POST"])
def edit(note_id: int):
    note = _note(note_id)
    if not notes.can_write(current_user, note.briefing):
        abort(403)
    form = NoteForm() if request.method == "POST" else _prefill(note)
    if form.validate_on_submit():
        if apply_and_flash(
                lambda: notes.save_version(current_user, note, form.base_number.data,
                                           _form_data(form)),
                lambda version: _("Saved as version %(n)d.", n=version.number), form=form):
            return redirect(url_for("notes.show", note_id=note.id))
        if form.base_number.data != note.latest_number:
            # Stale base: keep their text; the next save goes on top of the newest version,
            # which stays in the history and can be compared.
            form.base_number.raw_data = None
            form.base_number.data = note.latest_number
    return render_template("spokespeople/note_form.html", note=note, form=form)


@bp.get("/<int:note_id>/diff")
def diff(note_id: int):
    note = _note(note_id)
    if note.latest is None:
        abort(404)
    newest = note.latest.number
    old = _version(note, request.args.get("a", type=int) or max(newest - 1, 1))
    new = _version(note, request.args.get("b", type=int) or newest)
    return render_template("spokespeople/note_diff.html", note=note, old=old, new=new,
                           diff=html_diff(document.text_lines(old), document.text_lines(new)))


@bp.post("/<int:note_id>/submit")
def submit(note_id: int):
    note = _note(note_id)
    form = VersionActionForm()
    if form.validate_on_submit():
        apply_and_flash(lambda: notes.submit(current_user, note, form.number.data),
                        lambda version: _("Version %(n)d submitted for approval.", n=version.number))
    return redirect(url_for("notes.show", note_id=note.id))


@bp.post("/<int:note_id>/review")
def review(note_id: int):
    note = _note(note_id)
    form = ReviewForm()
    approve = request.form.get("decision") == "approve"
    if form.validate_on_submit():
        apply_and_flash(
            lambda: notes.review(current_user, note, form.number.data, approve, form.comment.data or ""),
            lambda version: _("Version %(n)d approved.", n=version.number) if approve
            else _("Version %(n)d returned with comments.", n=version.number))
    return redirect(url_for("notes.show", note_id=note.id))


@bp.get("/<int:note_id>/print")
def printable(note_id: int):
    note = _note(note_id)
    version = _version(note, request.args.get("version", type=int) or note.approved_number)
    if version is None:
        abort(404)
    return render_template("spokespeople/note_print.html", note=note, version=version,
                           sections=document.sections(version, "vi"),
                           sections_en=document.sections(version, "en")
                           if document.has_english(version) else [],
                           status_labels=NOTE_STATUS_LABELS)


@bp.get("/<int:note_id>.docx")
def docx(note_id: int):
    """The approved version by default (else the newest), as a Word file."""
    note = _note(note_id)
    version = _version(note, request.args.get("version", type=int) or note.approved_number)
    if version is None:
        abort(404)
    unit = note.briefing.event.lead_unit
    content = document.build_docx(
        version, unit_name=unit.name_vi,
        parent_unit_name=unit.parent.name_vi if unit.parent else "",
        briefing_title=note.briefing.title_vi,
        place=setting("organisation.document_place"),
        day=roster.local_day(version.reviewed_at or version.created_at),
        approved_by=version.reviewed_by.name if version.status is NoteStatus.APPROVED else None)
    return Response(content, headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Content-Disposition": f"attachment; filename=briefing-note-{note.id}-v{version.number}.docx"})
