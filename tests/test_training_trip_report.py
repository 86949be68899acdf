"""Rule 18: the trainees of a training course held abroad report within 15 days of their return."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.checklists.models import ChecklistItem, ChecklistTemplate, Condition
from app.checklists.rules import is_abroad
from app.checklists.seed import seed_templates
from app.checklists.services import sync_checklist
from app.events.models import EventKind
from app.extensions import db


def _items(event) -> dict[str, ChecklistItem]:
    rows = db.session.execute(sa.select(ChecklistTemplate.code, ChecklistItem)
                              .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistItem.template_id)
                              .where(ChecklistItem.event_id == event.id)).all()
    return {code: item for code, item in rows}


def test_a_training_delegation_abroad_gets_the_trip_report_item(app, make_event):
    seed_templates()
    template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == "tra-abroad-report"))
    assert template.condition is Condition.ABROAD
    assert template.legal_basis == "Thông tư 03/2023/TT-BNV, Điều 12"
    assert template.legal_verified
    # A course in Vientiane, back on 12 December: the report is due on 27 December, 17:00 there.
    start = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    abroad = make_event(kind=EventKind.TRAINING, timezone="Asia/Vientiane", starts_at=start,
                        ends_at=start + timedelta(days=5, hours=8))
    at_home = make_event(kind=EventKind.TRAINING, starts_at=start, ends_at=start + timedelta(days=1))
    sync_checklist(abroad)
    sync_checklist(at_home)
    db.session.commit()
    assert is_abroad(abroad)
    assert not is_abroad(at_home)
    item = _items(abroad)["tra-abroad-report"]
    due = item.due_at.astimezone(ZoneInfo("Asia/Vientiane"))
    assert (due.date().isoformat(), due.hour) == ("2026-12-27", 17)
    assert "tra-abroad-report" not in _items(at_home)
    assert "tra-evaluation" in _items(at_home)
