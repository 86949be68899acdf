"""Briefings follow their event when it is rescheduled (``app.events.reschedule``).

A briefing still *proposed* moves by the event's offset unless the person keeps it, which
schedules it where it is (a person's decision: the checklist no longer moves it). A *scheduled*
briefing is listed too, kept by default (outlets may have been invited for that time); it moves
only when the person says so. Held and cancelled briefings stay in the past.
"""
from datetime import timedelta

import sqlalchemy as sa

from app.events.history import describe
from app.events.models import Event
from app.events.reschedule import AFTER_START, BEFORE_START, Moving
from app.extensions import db
from app.i18n import _
from app.press.models import BEFORE_EVENT_KINDS, Briefing, BriefingKind, BriefingStatus
from app.press.signals import briefing_saved

FOLLOWING = (BriefingStatus.PROPOSED, BriefingStatus.SCHEDULED)


def _briefings(event: Event) -> list[Briefing]:
    if event.id is None:
        return []
    return list(db.session.scalars(sa.select(Briefing).where(
        Briefing.event_id == event.id, Briefing.status.in_(FOLLOWING)).order_by(Briefing.starts_at)))


def key(briefing: Briefing) -> str:
    return f"briefing:{briefing.id}"


def on_preview(event: Event, offset: timedelta, **_kwargs) -> list[Moving]:
    """Receiver of ``reschedule_preview``: the event's proposed and scheduled briefings."""
    return [Moving(key(b), "briefing", b.title_vi, b.starts_at, b.ends_at, b.timezone,
                   keep=b.status is BriefingStatus.SCHEDULED,
                   note=str(_("Scheduled: outlets may be invited for this time."))
                   if b.status is BriefingStatus.SCHEDULED else
                   str(_("Proposed: kept, it becomes scheduled at this time.")),
                   place=_place(b.kind))
            for b in _briefings(event)]


def _place(kind: BriefingKind) -> str:
    """Where a briefing of ``kind`` belongs relative to its event (``Moving.place``).

    Before the event (the rule that refuses a later pre-event press conference,
    ``BEFORE_EVENT_KINDS``); results once it has started; other kinds anywhere.
    """
    if kind in BEFORE_EVENT_KINDS:
        return BEFORE_START
    return AFTER_START if kind is BriefingKind.RESULTS else ""


def on_rescheduled(event: Event, actor=None, offset: timedelta = timedelta(0),
                   keep: frozenset = frozenset(), **_kwargs) -> dict:
    """Receiver of ``event_rescheduled``: move the briefings not kept; flushes."""
    moved, before = [], []
    changed = []
    for briefing in _briefings(event):
        if key(briefing) in keep:
            if briefing.status is BriefingStatus.PROPOSED:
                briefing.status = BriefingStatus.SCHEDULED
                briefing.sequence += 1
                changed.append(briefing)
            continue
        before.append(_text(briefing))
        briefing.starts_at += offset
        briefing.ends_at += offset
        briefing.sequence += 1
        moved.append(briefing)
        changed.append(briefing)
    db.session.flush()
    for briefing in changed:
        briefing_saved.send(briefing, actor=actor)
    if not moved:
        return {}
    return {"briefings": ("; ".join(before), "; ".join(_text(b) for b in moved))}


def _text(briefing: Briefing) -> str:
    return f"{describe('t', briefing.starts_at, briefing.timezone)} {briefing.title_vi}"
