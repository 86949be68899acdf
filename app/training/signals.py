"""Signals about training courses, sent after flushing; other features (notifications) listen.

Receivers run inside the same transaction: they flush, never commit.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent after a unit nominated a person for a training course. Sender: the
#: TrainingNomination. Keyword arguments: ``actor`` (User).
nomination_made = _signals.signal("training-nomination-made")
