"""Was the press informed before the event? One rule, with its SQL twin.

An event *requires* a pre-event briefing when an active briefing default of its kind is
marked ``required`` (``/admin/briefing-defaults``) and it is planned or confirmed. It is
*briefed before* when one of its briefings is scheduled or held and starts no later than
the event (a proposal nobody agreed to does not count, nor a cancelled one). An event that
requires one and is not briefed before shows a warning on its page and in its lead unit's
tasks, and counts as "not briefed" for oversight.
"""
from datetime import datetime

import sqlalchemy as sa

from app.events.models import Event, EventStatus
from app.extensions import db
from app.press.models import Briefing, BriefingDefault, BriefingStatus

BRIEFED_STATUSES = (BriefingStatus.SCHEDULED, BriefingStatus.HELD)
# Events still to be briefed: cancelled, postponed, draft and past-tense ones are not.
REQUIRING_STATUSES = (EventStatus.PLANNED, EventStatus.CONFIRMED)


def _required_kinds_query() -> sa.Select:
    return sa.select(BriefingDefault.event_kind).where(
        BriefingDefault.active.is_(True), BriefingDefault.required.is_(True))


def required_kinds() -> set:
    return set(db.session.scalars(_required_kinds_query()))


def is_briefed_before(event: Event) -> bool:
    """A scheduled or held briefing of the event starts at or before the event."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Briefing.event_id == event.id, Briefing.status.in_(BRIEFED_STATUSES),
        Briefing.starts_at <= event.starts_at))))


def briefed_before_clause() -> sa.ColumnElement[bool]:
    """SQL condition on ``Event``, twin of ``is_briefed_before``."""
    return sa.exists().where(Briefing.event_id == Event.id, Briefing.status.in_(BRIEFED_STATUSES),
                             Briefing.starts_at <= Event.starts_at)


def requires_briefing(event: Event) -> bool:
    """Planned or confirmed, of a kind whose defaults require a pre-event briefing."""
    return event.status in REQUIRING_STATUSES and event.kind in required_kinds()


def requires_briefing_clause() -> sa.ColumnElement[bool]:
    """SQL condition on ``Event``, twin of ``requires_briefing``."""
    return sa.and_(Event.status.in_(REQUIRING_STATUSES), Event.kind.in_(_required_kinds_query()))


def lacks_briefing(event: Event) -> bool:
    """Requires a pre-event briefing and has none: the warning, and "not briefed" in oversight."""
    return requires_briefing(event) and not is_briefed_before(event)


def lacks_briefing_clause() -> sa.ColumnElement[bool]:
    """SQL condition on ``Event``, twin of ``lacks_briefing``."""
    return sa.and_(requires_briefing_clause(), ~briefed_before_clause())


def unbriefed_events_led_by(unit_id: int | None, now: datetime, limit: int = 50) -> list[Event]:
    """Upcoming events the unit leads that lack a pre-event briefing, soonest first.

    For the unit's tasks page: its members may view the events it leads.
    """
    if unit_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Event).where(Event.lead_unit_id == unit_id, Event.ends_at >= now,
                               lacks_briefing_clause())
        .order_by(Event.starts_at).limit(limit)))
