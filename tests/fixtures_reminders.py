"""Fixtures for the reminders tests: a real SMTP server on a loopback port, checklist items.

Registered for every test by ``pytest_plugins`` in conftest.py.
"""
from email import message_from_bytes, policy
from itertools import count

import pytest
from aiosmtpd.controller import Controller

from app.checklists.models import ChecklistItem, ItemStatus, ResponsibleRole
from app.extensions import db
from tests.helpers import free_port


class RecordingHandler:
    """Keeps every message; answers ``refuse`` DATA commands with 451 first."""

    def __init__(self):
        self.messages = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 OK"

    def to(self, email: str):
        return [m for m in self.messages if email in m["To"]]


@pytest.fixture
def smtp(app):
    """A loopback SMTP server; the app is configured to send through it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False,
                      MAIL_USERNAME="", MAIL_PASSWORD="",
                      MAIL_DEFAULT_SENDER="Briefing Desk <desk@example.gov.vn>")
    yield handler
    controller.stop()


@pytest.fixture
def make_item(app):
    keys = count(1)

    def _make(event, *, due_at, unit=None, user=None, **fields) -> ChecklistItem:
        item = ChecklistItem(event=event, key=fields.pop("key", f"k{next(keys)}"),
                             title_vi=fields.pop("title_vi", "Cung cấp thông tin báo chí"),
                             title_en=fields.pop("title_en", "Provide press information"),
                             role=fields.pop("role", ResponsibleRole.LEAD_UNIT),
                             unit_id=unit.id if unit else None, user_id=user.id if user else None,
                             due_at=due_at, status=fields.pop("status", ItemStatus.OPEN), **fields)
        db.session.add(item)
        db.session.commit()
        return item

    return _make
