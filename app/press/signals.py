"""Signals the press package sends after flushing; higher features (checklists) listen.

Receivers run inside the same transaction: they flush, never commit.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent after a briefing was created, edited or got invited outlets.
#: Sender: the Briefing. Keyword arguments: ``actor`` (User or None).
briefing_saved = _signals.signal("briefing-saved")
