"""Signals the checklists send after flushing; other features (notifications) listen.

Receivers run inside the same transaction: they flush, never commit, so a failure
rolls the whole change back.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent after an event's save brought its checklist in line with the event.
#: Sender: the Event. Keyword arguments: ``actor`` (User or None).
checklist_synced = _signals.signal("checklist-synced")

#: Sent after a unit provided its information (a submission waits for review).
#: Sender: the ChecklistSubmission. Keyword arguments: ``actor`` (User).
item_submitted = _signals.signal("item-submitted")

#: Sent after a submission was accepted or returned with a comment.
#: Sender: the ChecklistSubmission. Keyword arguments: ``accepted`` (bool),
#: ``comment`` (str, may be empty), ``actor`` (User).
submission_reviewed = _signals.signal("submission-reviewed")
