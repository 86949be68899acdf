"""What the checklists do when other features announce something."""
from flask import Flask

from app.checklists.foreign_press import on_briefing_saved
from app.checklists.services import on_event_saved
from app.events.signals import event_saved
from app.press.signals import briefing_saved


def register(app: Flask) -> None:
    """Connect the receivers.

    Called by ``create_app``; blinker keeps one connection per receiver function, so calling it for
    every app (tests build many) connects once.
    """
    event_saved.connect(on_event_saved)
    briefing_saved.connect(on_briefing_saved)
