"""The audit log for administrators: every recorded change, newest first.

Read from each feature's own history or version table (no copy of them is kept).
One UNION ALL of light rows (what kind, which row, when, who) is filtered, ordered and cut to one
page in SQL, without counting the whole; the rows of that page are then read per kind, a few
queries whatever the page size.
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import url_for

from app.auth import forms as user_forms
from app.auth.models import User, UserChange
from app.auth.permissions import require_admin
from app.auth.services import USER_ACTIONS
from app.checklists.forms import TemplateForm
from app.checklists.models import ChecklistTemplate, TemplateChange
from app.errors import ValidationFailed
from app.events import display
from app.events.forms import history_labels
from app.events.models import Event, EventChange
from app.extensions import db
from app.forms import field_labels, value_words
from app.i18n import _, _l
from app.press.models import Briefing
from app.settings import registry
from app.settings import services as settings_services
from app.settings.forms import FIELD_LABELS
from app.settings.models import SettingChange
from app.spokespeople.models import (
    NOTE_STATUS_LABELS,
    Authorisation,
    BriefingNoteVersion,
    SpokespersonAssignment,
    SpokespersonDesignation,
)

# The filter's kinds, each the sources it reads.
KINDS = {
    "events": _l("Events"),
    "briefings": _l("Press conferences and briefing notes"),
    "roster": _l("Spokespeople and assignments"),
    "templates": _l("Checklist templates"),
    "users": _l("Users"),
    "settings": _l("Settings"),
}


def _sources() -> dict[str, list[sa.Select]]:
    """Per kind, the selects of (source, row id, at, actor id)."""
    def row(source: str, id_col, at_col, actor_col):
        return (sa.select(sa.literal(source).label("source"), id_col.label("row_id"),
                          at_col.label("at"), actor_col.label("actor_id")))

    none = sa.cast(sa.null(), sa.Integer)
    return {
        "events": [row("event", EventChange.id, EventChange.changed_at, EventChange.user_id)],
        "briefings": [
            row("briefing", Briefing.id, Briefing.created_at, none),
            row("note", BriefingNoteVersion.id, BriefingNoteVersion.created_at,
                BriefingNoteVersion.author_id),
            row("note_review", BriefingNoteVersion.id, BriefingNoteVersion.reviewed_at,
                BriefingNoteVersion.reviewed_by_id).where(
                BriefingNoteVersion.reviewed_at.is_not(None))],
        "roster": [
            row("designation", SpokespersonDesignation.id, SpokespersonDesignation.created_at,
                none),
            row("authorisation", Authorisation.id, Authorisation.created_at,
                Authorisation.recorded_by_id),
            row("revocation", Authorisation.id, Authorisation.revoked_at, none).where(
                Authorisation.revoked_at.is_not(None)),
            row("assignment", SpokespersonAssignment.id, SpokespersonAssignment.created_at,
                SpokespersonAssignment.assigned_by_id)],
        "templates": [row("template", TemplateChange.id, TemplateChange.changed_at,
                          TemplateChange.changed_by_id)],
        "users": [row("user", UserChange.id, UserChange.changed_at, UserChange.changed_by_id)],
        "settings": [row("setting", SettingChange.id, SettingChange.changed_at,
                         SettingChange.changed_by_id)],
    }


@dataclass
class AuditFilters:
    kind: str = ""
    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    zone: str = "Asia/Ho_Chi_Minh"


# The first fields of a change that a row lists; "+N more" counts the others.
FIELDS_SHOWN = 3


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label and its old and new values, as words ("" for none)."""

    label: str
    old: str
    new: str
    lang: str = ""  # "vi" for a field written in Vietnamese (title_vi…), for any reader


@dataclass
class AuditRow:
    at: datetime
    kind: str
    actor: User | None
    subject: str
    details: list[str] = field(default_factory=list)
    link: str | None = None
    fields: list[FieldChange] = field(default_factory=list)  # the first FIELDS_SHOWN
    more_fields: int = 0  # how many other fields changed


def _bounded(changes: list[FieldChange]) -> tuple[list[FieldChange], int]:
    """The first FIELDS_SHOWN fields that read differently, and how many others did."""
    changed = [c for c in changes if c.old != c.new]  # e.g. empty fields of a new record
    return changed[:FIELDS_SHOWN], max(0, len(changed) - FIELDS_SHOWN)


def list_changes(actor, filters: AuditFilters, page: int, per_page: int) -> tuple[list[AuditRow], bool]:
    """One page of changes, newest first, and whether there is a next page (no total count)."""
    require_admin(actor)
    if filters.kind and filters.kind not in KINDS:
        raise ValidationFailed(_("Unknown kind of change."), "kind")
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise ValidationFailed(_("The end date is before the start date."), "to")
    zone = ZoneInfo(filters.zone)
    selects = []
    for kind, found in _sources().items():
        if filters.kind and kind != filters.kind:
            continue
        for select in found:
            at = select.selected_columns.at
            actor_id = select.selected_columns.actor_id
            if filters.user_id is not None:
                select = select.where(actor_id == filters.user_id)
            if filters.date_from:
                select = select.where(at >= datetime.combine(filters.date_from, time(0), zone))
            if filters.date_to:
                select = select.where(at < datetime.combine(filters.date_to + timedelta(days=1),
                                                             time(0), zone))
            selects.append(select)
    union = sa.union_all(*selects).subquery()
    rows = db.session.execute(
        sa.select(union.c.source, union.c.row_id, union.c.at, union.c.actor_id)
        .order_by(union.c.at.desc(), union.c.source, union.c.row_id.desc())
        .offset((page - 1) * per_page).limit(per_page + 1)).all()
    has_next = len(rows) > per_page
    return _describe(rows[:per_page]), has_next


def _by_id(model, ids) -> dict:
    return {obj.id: obj for obj in db.session.scalars(sa.select(model).where(model.id.in_(ids)))} \
        if ids else {}


def _describe(rows) -> list[AuditRow]:
    """The page's rows in words: what changed, on what, with a link to it."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for source, row_id, _at, _actor in rows:
        wanted[source].add(row_id)
    actors = _by_id(User, {r.actor_id for r in rows if r.actor_id is not None})
    loaded = {
        "event": _by_id(EventChange, wanted["event"]),
        "briefing": _by_id(Briefing, wanted["briefing"]),
        "note": _by_id(BriefingNoteVersion, wanted["note"] | wanted["note_review"]),
        "designation": _by_id(SpokespersonDesignation, wanted["designation"]),
        "authorisation": _by_id(Authorisation, wanted["authorisation"] | wanted["revocation"]),
        "assignment": _by_id(SpokespersonAssignment, wanted["assignment"]),
        "template": _by_id(TemplateChange, wanted["template"]),
        "user": _by_id(UserChange, wanted["user"]),
        "setting": _by_id(SettingChange, wanted["setting"]),
    }
    event_ids = {c.event_id for c in loaded["event"].values()}
    events = _by_id(Event, event_ids)
    template_ids = {c.template_id for c in loaded["template"].values()}
    templates = _by_id(ChecklistTemplate, template_ids)
    event_labels = history_labels() if loaded["event"] else {}
    out = []
    for source, row_id, at, actor_id in rows:
        table = "note" if source == "note_review" else "authorisation" \
            if source == "revocation" else source
        obj = loaded[table].get(row_id)
        if obj is None:
            continue
        described = _DESCRIBE[source](obj, events=events, templates=templates,
                                      event_labels=event_labels)
        out.append(AuditRow(at, str(_SOURCE_LABELS[source]), actors.get(actor_id), *described))
    return out


def _event(change: EventChange, events, event_labels, **_kw):
    event = events.get(change.event_id)
    changed = [FieldChange(str(event_labels.get(name, name)),
                           *display.history_values(name, values), display.text_lang(name))
               for name, values in (change.changes or {}).items()]
    return (display.reader_title(event) if event else "—",
            [change.note] if change.note else [],
            url_for("events.detail", event_id=change.event_id), *_bounded(changed))


def _briefing(briefing: Briefing, **_kw):
    return display.reader_title(briefing), [], url_for("press.briefing", briefing_id=briefing.id)


def _note(version: BriefingNoteVersion, **_kw):
    return (display.reader_title(version.note.briefing),
            [_("Version %(number)d", number=version.number)],
            url_for("notes.show", note_id=version.note_id, version=version.number))


def _note_review(version: BriefingNoteVersion, **_kw):
    title, _details, link = _note(version)
    details = [_("Version %(number)d", number=version.number),
               str(NOTE_STATUS_LABELS[version.status])]
    if version.review_comment:
        details.append(version.review_comment)
    return title, details, link


def _designation(designation: SpokespersonDesignation, **_kw):
    return (designation.user.name,
            [designation.title, designation.unit.name(display.locale_name())],
            url_for("spokespeople.roster_index"))


def _authorisation(authorisation: Authorisation, **_kw):
    return (authorisation.user.name,
            [authorisation.document_number, authorisation.unit.name(display.locale_name())],
            url_for("spokespeople.roster_index"))


def _assignment(assignment: SpokespersonAssignment, **_kw):
    return (assignment.user.name, [display.reader_title(assignment.briefing)],
            url_for("press.briefing", briefing_id=assignment.briefing_id))


def _template(change: TemplateChange, templates, **_kw):
    template = templates.get(change.template_id)
    labels = field_labels(TemplateForm)
    changed = [FieldChange(str(labels.get(name, name)), value_words(TemplateForm, name, old),
                           value_words(TemplateForm, name, new), display.text_lang(name))
               for name, (old, new) in (change.changes or {}).items()]
    return (display.reader_title(template) if template else "—", [],
            url_for("checklists.edit_template", template_id=change.template_id),
            *_bounded(changed))


def _user(change: UserChange, **_kw):
    labels = user_forms.change_labels()
    changed = [FieldChange(str(labels.get(name, name)), user_forms.change_words(name, old),
                           user_forms.change_words(name, new))
               for name, (old, new) in (change.changes or {}).items()]
    return (change.user.name, [str(USER_ACTIONS.get(change.action, change.action))],
            url_for("users.edit", user_id=change.user_id), *_bounded(changed))


def _setting(change: SettingChange, **_kw):
    try:
        label = str(registry.get(change.key).label)
    except LookupError:
        label = change.key
    changed = FieldChange(str(FIELD_LABELS.get(change.field, change.field)),
                          *settings_services.change_words(change))
    return label, [], url_for("settings.index"), [changed], 0


_DESCRIBE: dict[str, Callable[..., tuple]] = {"event": _event, "briefing": _briefing, "note": _note, "note_review": _note_review,
             "designation": _designation, "authorisation": _authorisation,
             "revocation": _authorisation, "assignment": _assignment, "template": _template,
             "user": _user, "setting": _setting}

_SOURCE_LABELS = {
    "event": _l("Event changed"), "briefing": _l("Press conference created"),
    "note": _l("Briefing note saved"), "note_review": _l("Briefing note reviewed"),
    "designation": _l("Spokesperson designated"), "authorisation": _l("Authorisation recorded"),
    "revocation": _l("Authorisation revoked"), "assignment": _l("Spokesperson assigned"),
    "template": _l("Checklist template changed"), "user": _l("User account changed"),
    "setting": _l("Setting changed"),
}


def actor_choices() -> list[tuple[int, str]]:
    """Everyone who may have changed something: every account, by name."""
    return [(u.id, u.name) for u in db.session.scalars(sa.select(User).order_by(User.name))]
