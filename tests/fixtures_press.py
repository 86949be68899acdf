"""Fixtures of the press package: briefing defaults, an incoming delegation and its people."""
from datetime import UTC, datetime

import pytest

from app.auth.roles import Role
from app.events.models import EventKind
from app.extensions import db
from app.press.defaults import seed_defaults


@pytest.fixture
def briefing_defaults(app):
    seed_defaults()
    db.session.commit()


@pytest.fixture
def press_setting(briefing_defaults, make_unit, make_user, make_event):
    """A planned incoming Lao delegation (10 Dec 2026, 08:00 in Hà Nội) and people of every role."""
    class Setting:
        pass

    s = Setting()
    s.lead, s.other = make_unit("so-ngoai-vu"), make_unit("u-other")
    s.protocol = make_user(Role.PROTOCOL, unit=s.lead)
    s.focal = make_user(Role.FOCAL, unit=s.lead)
    s.head = make_user(Role.VIEWER, unit=s.lead, is_unit_head=True)
    s.viewer = make_user(Role.VIEWER, unit=s.lead)
    s.spokesperson = make_user(Role.SPOKESPERSON, unit=s.lead)
    s.liaison = make_user(Role.LIAISON, unit=s.other)
    s.focal_other = make_user(Role.FOCAL, unit=s.other)
    s.steering = make_user(Role.STEERING, unit=s.other)
    s.admin = make_user(Role.ADMIN, unit=s.other)
    s.event = make_event(kind=EventKind.DELEGATION_IN, lead_unit=s.lead,
                         title_vi="Đoàn tỉnh Attapeu (Lào) thăm và làm việc",
                         title_en="Delegation of Attapeu province (Laos)",
                         starts_at=datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
    return s
