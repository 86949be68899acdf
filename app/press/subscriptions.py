"""What the press package does when other features announce something."""
from flask import Flask

from app.events.signals import event_rescheduled, reschedule_preview
from app.press.reschedule import on_preview, on_rescheduled


def register(app: Flask) -> None:
    """Connect the receivers (once per process: blinker keeps one connection per function)."""
    reschedule_preview.connect(on_preview)
    event_rescheduled.connect(on_rescheduled)
