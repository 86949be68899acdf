"""Signals other features listen to; the events service sends them after flushing.

Receivers run inside the same transaction: they flush, never commit, so a
failure rolls the whole save back.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent after an event is created or changed (including status changes).
#: Sender: the Event. Keyword arguments: ``actor`` (User or None), ``changes``
#: (dict field name -> (old, new); on creation every set field with old None),
#: ``created`` (bool).
event_saved = _signals.signal("event-saved")

#: Sent when an event's start is about to move, to list what else would move with it.
#: Sender: the Event (not yet changed). Keyword argument: ``offset`` (timedelta).
#: Receivers return a list of ``app.events.reschedule.Moving`` (their keys are theirs).
reschedule_preview = _signals.signal("reschedule-preview")

#: Sent while an event's start moves, before the event is saved: receivers move what is theirs
#: by ``offset`` except the keys in ``keep`` (a set of ``Moving.key``), flush, and return the
#: history changes ({field: (old, new)}) or None. Sender: the Event. Keyword arguments:
#: ``actor``, ``offset``, ``keep``.
event_rescheduled = _signals.signal("event-rescheduled")
