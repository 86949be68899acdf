"""Signals about spokespeople, sent after flushing; other features (notifications) listen.

Receivers run inside the same transaction: they flush, never commit.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent after a person was proposed to brief at a press briefing (by protocol, or as the
#: next candidate after a decline). Sender: the SpokespersonAssignment. Keyword
#: arguments: ``actor`` (User or None).
assignment_proposed = _signals.signal("assignment-proposed")

#: Sent after a briefing-note version was submitted for approval. Sender: the
#: BriefingNoteVersion. Keyword arguments: ``actor`` (User).
note_submitted = _signals.signal("note-submitted")

#: Sent after a briefing-note version was approved or returned. Sender: the
#: BriefingNoteVersion. Keyword arguments: ``approved`` (bool), ``actor`` (User).
note_reviewed = _signals.signal("note-reviewed")
