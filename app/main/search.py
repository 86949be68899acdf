"""One search over what the user may read: events (with their delegations), briefings, notes.

Words are folded (``app.inputs.fold``: no case, no accents, đ → d) and every one must occur
in a row's ``search_text``; the database filters (``LIKE`` on both SQLite and PostgreSQL),
through the same visibility rules as every list (``events.access``, ``spokespeople.notes``).
No total is counted: each section reads one row more than it shows to know whether more follow.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.events import access
from app.events.models import Event
from app.events.queries import matches_words
from app.extensions import db
from app.inputs import search_words
from app.press.models import Briefing
from app.spokespeople import notes
from app.spokespeople.models import BriefingNote, BriefingNoteVersion

SECTIONS = ("events", "briefings", "notes")
MAX_QUERY = 200


@dataclass
class Section:
    rows: Sequence[Any] = ()
    has_next: bool = False


@dataclass
class Results:
    words: list[str]
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(section.rows for section in self.sections.values())


def _page(query, page: int, size: int) -> Section:
    rows = db.session.scalars(query.limit(size + 1).offset((page - 1) * size)).unique().all()
    return Section(rows[:size], len(rows) > size)


def events(user, words: list[str], page: int = 1, size: int = 10) -> Section:
    """Visible events whose text or delegation holds every word; newest first."""
    return _page(sa.select(Event).where(access.visible_clause(user), matches_words(words))
                 .options(joinedload(Event.lead_unit), joinedload(Event.delegation))
                 .order_by(Event.starts_at.desc(), Event.id.desc()), page, size)


def briefings(user, words: list[str], page: int = 1, size: int = 10) -> Section:
    """Briefings of visible events whose title, place or chair holds every word."""
    return _page(sa.select(Briefing).join(Event, Event.id == Briefing.event_id)
                 .where(access.visible_clause(user), Briefing.like_all(Briefing.search_text, words))
                 .options(joinedload(Briefing.event))
                 .order_by(Briefing.starts_at.desc(), Briefing.id.desc()), page, size)


def briefing_notes(user, words: list[str], page: int = 1, size: int = 10) -> Section:
    """Notes the user may read whose newest version holds every word."""
    return _page(sa.select(BriefingNote)
                 .join(BriefingNoteVersion, sa.and_(
                     BriefingNoteVersion.note_id == BriefingNote.id,
                     BriefingNoteVersion.number == BriefingNote.latest_number))
                 .join(Briefing, Briefing.id == BriefingNote.briefing_id)
                 .join(Event, Event.id == Briefing.event_id)
                 .where(notes.read_clause(user),
                        BriefingNoteVersion.like_all(BriefingNoteVersion.search_text, words))
                 .options(joinedload(BriefingNote.briefing).joinedload(Briefing.event))
                 .order_by(Briefing.starts_at.desc(), BriefingNote.id.desc()), page, size)


FINDERS = {"events": events, "briefings": briefings, "notes": briefing_notes}


def search(user, query: str | None, *, only: str = "", page: int = 1, size: int = 10) -> Results:
    """Every section (first ``size`` rows each), or one section's ``page`` when ``only`` names it."""
    results = Results(search_words((query or "")[:MAX_QUERY]))
    if not results.words:
        return results
    for name in ((only,) if only in FINDERS else SECTIONS):
        results.sections[name] = FINDERS[name](user, results.words, page if only else 1, size)
    return results
