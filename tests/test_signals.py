"""Features talk through signals; receivers are connected by create_app, once per process."""
import weakref

from app import create_app
from app.checklists.services import on_event_saved as checklist_receiver
from app.config import TestConfig
from app.events.signals import event_saved
from app.notifications.subscriptions import RECEIVERS


def _connected(signal) -> list:
    """The receiver functions (blinker keeps weak references to them)."""
    return [r() if isinstance(r, weakref.ref) else r for r in signal.receivers.values()]


def test_receivers_are_connected_once_however_many_apps_are_built(app):
    signals = {signal for signal, _receiver in RECEIVERS}
    before = {signal: len(signal.receivers) for signal in signals}
    create_app(TestConfig)
    create_app(TestConfig)
    assert {signal: len(signal.receivers) for signal in signals} == before
    for signal, receiver in RECEIVERS:
        assert receiver in _connected(signal)
    assert checklist_receiver in _connected(event_saved)
