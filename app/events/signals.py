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
