"""Rules 8 and 9: a briefing with foreign press gets its deadlines as checklist items."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.checklists.foreign_press import item_key
from app.checklists.models import ChecklistItem, ItemStatus
from app.events.models import EventKind
from app.extensions import db
from app.press.briefings import (
    BriefingData,
    NewBriefingData,
    create_briefing,
    invite_outlets,
    update_briefing,
)
from app.press.models import BriefingKind, BriefingStatus, OutletScope, PressForm, PressOutlet

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
# Wednesday 9 Dec 2026, 09:00 in Hà Nội.
STARTS = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def _items(briefing):
    return {i.key.rsplit(":", 1)[1]: i for i in db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.key.startswith(f"brf:{briefing.id}:")))}


def _create(setting, event, starts=STARTS):
    briefing = create_briefing(setting.protocol, event, NewBriefingData(
        BriefingKind.PRE_EVENT, PressForm.PRESS_CONFERENCE, "Họp báo", "", starts,
        starts.replace(hour=3)))
    db.session.commit()
    return briefing


def test_a_briefing_for_an_incoming_delegation_gets_the_deadlines_of_rules_8_and_9(press_setting):
    briefing = _create(press_setting, press_setting.event)
    items = _items(briefing)
    assert set(items) == {"request", "ministry", "correspondents"}
    # 2 and 1 working days before Wednesday: Monday and Tuesday 17:00 in Hà Nội.
    assert items["request"].due_at == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert items["ministry"].due_at == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert items["request"].legal_verified
    assert "Điều 41" in items["request"].legal_basis
    assert not items["correspondents"].legal_verified
    assert "88/2012" in items["correspondents"].legal_basis


def test_a_domestic_briefing_gets_them_once_it_invites_a_foreign_outlet(press_setting, make_event):
    s = press_setting
    event = make_event(kind=EventKind.CULTURAL, lead_unit=s.lead)
    briefing = _create(s, event)
    assert _items(briefing) == {}
    outlet = PressOutlet(name="Khmer Times", scope=OutletScope.FOREIGN,
                         contact="editor@khmertimes.example", languages="km, en")
    db.session.add(outlet)
    db.session.commit()
    invite_outlets(s.protocol, briefing, [outlet.id])
    db.session.commit()
    assert set(_items(briefing)) == {"request", "ministry", "correspondents"}
    # Moved: the open items follow; cancelled: they are no longer needed.
    data = BriefingData(briefing.title_vi, "", datetime(2026, 12, 2, 2, 0, tzinfo=UTC),
                        datetime(2026, 12, 2, 3, 0, tzinfo=UTC), "", BriefingStatus.SCHEDULED,
                        briefing.visibility, "", "", [outlet.id])
    update_briefing(s.protocol, briefing, data)
    db.session.commit()
    assert _items(briefing)["request"].due_at == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    data.status = BriefingStatus.CANCELLED
    update_briefing(s.protocol, briefing, data)
    db.session.commit()
    assert {i.status for i in _items(briefing).values()} == {ItemStatus.NOT_NEEDED}
    assert item_key(briefing.id, "request") in {i.key for i in _items(briefing).values()}
