"""What notifications listen to: the features' signals, each turned into notices.

The features never import notifications; they announce what happened and these receivers
decide who hears of it. Receivers flush, never commit.
"""
from collections.abc import Callable

from blinker import NamedSignal
from flask import Flask

from app.checklists.services import generated_items
from app.checklists.signals import checklist_synced, item_submitted, submission_reviewed
from app.events.signals import event_saved
from app.notifications import services
from app.spokespeople.signals import assignment_proposed, note_reviewed, note_submitted


def on_checklist_synced(event, **_extra) -> None:
    """Tell the owners of the event's open items that they owe them (each hears once)."""
    services.notify_open_items(generated_items(event))


def on_item_submitted(submission, **_extra) -> None:
    services.notify_submission_received(submission)


def on_note_submitted(version, **_extra) -> None:
    services.notify_note_submitted(version)


def on_submission_reviewed(submission, accepted: bool, comment: str = "", **_extra) -> None:
    services.notify_submission_reviewed(submission, accepted, comment=comment)


def on_assignment_proposed(assignment, **_extra) -> None:
    services.notify_assignment(assignment)


def on_note_reviewed(version, approved: bool, **_extra) -> None:
    services.notify_note_reviewed(version, approved)


RECEIVERS: list[tuple[NamedSignal, Callable[..., None]]] = [
    (event_saved, services.on_event_saved),
    (checklist_synced, on_checklist_synced),
    (item_submitted, on_item_submitted),
    (submission_reviewed, on_submission_reviewed),
    (assignment_proposed, on_assignment_proposed),
    (note_submitted, on_note_submitted),
    (note_reviewed, on_note_reviewed),
]


def register(app: Flask) -> None:
    """Connect the receivers.

    Called by ``create_app``; blinker keeps one connection per receiver function, so calling it for
    every app (tests build many) connects once.
    """
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
