"""Who may hear of objects that are not events: the visibility rules of higher features.

Notices about an event are filtered with ``events.access.can_view``. A feature above
notifications whose objects have their own visibility (a sensitive monitoring case)
registers its rule pair here from its ``subscriptions.register``: a predicate
``(user, object_id) -> bool`` and its SQL twin ``user -> condition on Notification.object_id``.
Every channel applies it: ``notify`` when the notice is created, the send when it goes out
(withdrawn otherwise), the bell and the list page when they are shown.

Such a feature may also have reminders of its own deadlines: ``register_reminders(claim)``
makes every ``reminders send`` call ``claim(now)`` (which calls ``notify``) before the
digests are assembled and the e-mails sent.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa


@dataclass(frozen=True)
class Guard:
    may_view: Callable[[object, int], bool]
    clause: Callable[[object], sa.ColumnElement[bool]]


GUARDS: dict[str, Guard] = {}


def register(object_type: str, may_view: Callable[[object, int], bool],
             clause: Callable[[object], sa.ColumnElement[bool]]) -> None:
    """Guard the notices about ``object_type`` (registering again replaces the rule)."""
    GUARDS[object_type] = Guard(may_view, clause)


def may_view(user, object_type: str, object_id: int) -> bool:
    """The registered rule for ``object_type``; True when none is registered."""
    guard = GUARDS.get(object_type)
    return guard is None or guard.may_view(user, object_id)


REMINDERS: dict[str, Callable[[datetime], int]] = {}


def register_reminders(name: str, claim: Callable[[datetime], int]) -> None:
    """Have ``reminders send`` call ``claim(now)``; it returns how many notices it created."""
    REMINDERS[name] = claim
