"""The words of events: kinds, statuses and their transitions, visibility.

Pure (no Flask, no database), so that pure rule modules such as
``app.checklists.rules`` can use them; ``app.events.models`` re-exports them
with their translated labels.
"""
from enum import StrEnum


class EventKind(StrEnum):
    POLITICAL = "political"
    CULTURAL = "cultural"
    DIPLOMATIC = "diplomatic"
    DELEGATION_IN = "delegation_in"
    DELEGATION_OUT = "delegation_out"
    SIGNING = "signing"
    PROMOTION = "promotion"
    TRAINING = "training"


# Kinds that carry a Delegation record.
DELEGATION_KINDS = frozenset({EventKind.DELEGATION_IN, EventKind.DELEGATION_OUT, EventKind.SIGNING})


class EventStatus(StrEnum):
    DRAFT = "draft"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    HELD = "held"
    REPORTED = "reported"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


# Cancelled and postponed events do not take place at their recorded time: they occupy no
# venue, host or delegation member, and clash with nothing.
NOT_TAKING_PLACE = frozenset({EventStatus.CANCELLED, EventStatus.POSTPONED})

# The allowed status transitions; postponed events can be planned again.
TRANSITIONS = {
    EventStatus.DRAFT: {EventStatus.PLANNED, EventStatus.CANCELLED},
    EventStatus.PLANNED: {EventStatus.CONFIRMED, EventStatus.POSTPONED, EventStatus.CANCELLED},
    EventStatus.CONFIRMED: {EventStatus.HELD, EventStatus.POSTPONED, EventStatus.CANCELLED},
    EventStatus.HELD: {EventStatus.REPORTED},
    EventStatus.REPORTED: set(),
    EventStatus.POSTPONED: {EventStatus.PLANNED, EventStatus.CANCELLED},
    EventStatus.CANCELLED: set(),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
