"""The pure rules of checklist templates.

Which template applies to an event, the key of the item it generates, and when that item is due. No
Flask, no database: callers pass objects (or anything with the same attributes), so every feature
and the benchmark can use them without importing the services.
"""
from datetime import datetime
from enum import StrEnum

from app.checklists.schedule import Anchor, as_soon_as_possible, due_at
from app.events.vocabulary import DELEGATION_KINDS, EventKind

# Kinds that are foreign-related even without a delegation record.
FOREIGN_KINDS = DELEGATION_KINDS | {EventKind.PROMOTION}
# Keys of items generated from templates start with this; other keys are left alone.
TEMPLATE_KEY_PREFIX = "tpl:"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


class Condition(StrEnum):
    """When a template applies (labels in ``app.checklists.models``)."""

    ALWAYS = "always"
    SENSITIVE = "sensitive"
    FOREIGN = "foreign"                            # delegations, signings, promotion
    SENSITIVE_OR_FOREIGN = "sensitive_or_foreign"
    ABROAD = "abroad"                              # held outside Vietnam (its zone is not the home zone)


def item_key(template_id: int, unit_id: int | None = None) -> str:
    """Stable identity of an item within its event (unique with event_id)."""
    base = f"{TEMPLATE_KEY_PREFIX}{template_id}"
    return base if unit_id is None else f"{base}:unit:{unit_id}"


def is_foreign_related(event, has_delegation: bool) -> bool:
    """A delegation, signing or promotion event, or any event with a delegation record."""
    return event.kind in FOREIGN_KINDS or has_delegation


def is_abroad(event) -> bool:
    """Held abroad: events are entered in their own time zone, Vietnam's is Asia/Ho_Chi_Minh."""
    return (getattr(event, "timezone", None) or DEFAULT_TIMEZONE) != DEFAULT_TIMEZONE


def applies(template, event, has_delegation: bool) -> bool:
    """Does the template's kind and condition hold for the event?

    :param template: needs ``kind`` (None: every kind) and ``condition``.
    :param event: needs ``kind`` and ``is_sensitive`` (and ``timezone`` for ``ABROAD``).
    """
    if template.kind not in (None, event.kind):
        return False
    foreign = is_foreign_related(event, has_delegation)
    return {Condition.ALWAYS: True,
            Condition.SENSITIVE: event.is_sensitive,
            Condition.FOREIGN: foreign,
            Condition.SENSITIVE_OR_FOREIGN: event.is_sensitive or foreign,
            Condition.ABROAD: is_abroad(event)}[template.condition]


def compute_due(event, offset: int, offset_unit, anchor: Anchor) -> datetime:
    """The one place an item's due time is derived from its event (start or end, zone)."""
    base = event.ends_at if anchor is Anchor.END else event.starts_at
    return due_at(base, offset, offset_unit, event.timezone or DEFAULT_TIMEZONE)


def due_with_notice(event, due: datetime, now: datetime, grace_working_days: int,
                    already_short_notice: bool = False,
                    current_due: datetime | None = None) -> tuple[datetime, bool]:
    """An item's due time and whether it is *short notice*.

    An item whose due time ``due`` (``compute_due``) has already passed when it is generated
    for an event that has not started yet (planned at short notice) could never have been
    done on time: it is due as soon as possible, by ``as_soon_as_possible`` (the grace
    period), and marked short notice. An item already short notice keeps its
    ``current_due`` while its rule's due time is still past (saving the event again does not
    push it further); a reschedule that makes its rule's due time possible again ends it.
    """
    if due >= now or now >= event.starts_at:
        return due, False
    if already_short_notice and current_due is not None:
        return current_due, True
    return as_soon_as_possible(now, grace_working_days,
                               event.timezone or DEFAULT_TIMEZONE), True
