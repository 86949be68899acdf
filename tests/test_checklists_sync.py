"""Generation and regeneration of checklists: idempotent and safe."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.checklists.models import (
    ChecklistItem,
    ChecklistSubmission,
    ChecklistTemplate,
    ItemStatus,
    ResponsibleRole,
)
from app.checklists.rules import item_key
from app.checklists.services import sync_checklist
from app.events.models import Delegation, DelegationDirection, EventKind, EventStatus
from app.events.signals import event_saved
from app.extensions import db
from app.press.models import Briefing, BriefingStatus

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def items(event):
    db.session.expire_all()
    return {i.key: i for i in db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.event_id == event.id))}


def template(code):
    return db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == code))


def provide_key(unit):
    return item_key(template("core-provide-info").id, unit.id)


def test_planned_event_gets_core_and_kind_items_with_one_item_per_coordinating_unit(setting):
    sync_checklist(setting.event)
    db.session.commit()
    got = items(setting.event)
    codes = {db.session.get(ChecklistTemplate, i.template_id).code for i in got.values()}
    assert {"core-plan", "core-report", "pol-comms-plan", "pol-press-conf"} <= codes
    assert "core-guidance" not in codes  # neither sensitive nor foreign-related
    assert "cul-press-conf" not in codes
    provide = [i for i in got.values() if i.role is ResponsibleRole.COORDINATING_UNIT]
    assert {i.unit_id for i in provide} == {setting.coord_a.id, setting.coord_b.id}
    plan = got[item_key(template("core-plan").id)]
    assert plan.unit_id == setting.lead.id
    # T-30 calendar days from Thursday 10/12 08:00 (Hà Nội) = 10/11 17:00 local.
    assert plan.due_at == datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
    assert all(i.status is ItemStatus.OPEN for i in got.values())


def test_regeneration_is_idempotent(setting):
    sync_checklist(setting.event)
    first = {k: (i.id, i.due_at) for k, i in items(setting.event).items()}
    result = sync_checklist(setting.event)
    db.session.commit()
    assert result.created == 0
    assert result.updated == 0
    assert {k: (i.id, i.due_at) for k, i in items(setting.event).items()} == first


def test_a_draft_event_has_no_checklist(setting, make_event):
    draft = make_event(status=EventStatus.DRAFT, lead_unit=setting.lead)
    sync_checklist(draft)
    assert items(draft) == {}


def test_moving_the_event_shifts_open_items_but_not_done_ones(setting):
    sync_checklist(setting.event)
    got = items(setting.event)
    done = got[item_key(template("core-plan").id)]
    done.status, done.completed_at = ItemStatus.DONE, NOW
    db.session.commit()
    before = {k: i.due_at for k, i in got.items()}
    briefing = db.session.scalar(sa.select(Briefing).where(Briefing.event_id == setting.event.id))
    briefing_start = briefing.starts_at

    setting.event.starts_at += timedelta(days=7)
    setting.event.ends_at += timedelta(days=7)
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()

    after = items(setting.event)
    assert after[done.key].due_at == before[done.key]
    assert after[done.key].status is ItemStatus.DONE
    for key, item in after.items():
        if key != done.key:
            assert item.due_at - before[key] == timedelta(days=7), key
    db.session.refresh(briefing)
    assert briefing.starts_at == briefing_start + timedelta(days=7)


def test_coordinating_units_added_removed_and_added_back(setting, make_unit):
    sync_checklist(setting.event)
    item_b = items(setting.event)[provide_key(setting.coord_b)]
    db.session.add(ChecklistSubmission(item=item_b, text="Số liệu", submitted_by=setting.focal_b))
    item_b.status = ItemStatus.SUBMITTED
    db.session.commit()

    new_unit = make_unit("u-new")
    setting.event.coordinating_units = [setting.coord_a, new_unit]
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    got = items(setting.event)
    assert got[provide_key(new_unit)].status is ItemStatus.OPEN
    assert got[provide_key(setting.coord_b)].status is ItemStatus.NOT_NEEDED
    assert len(got[provide_key(setting.coord_b)].submissions) == 1  # kept

    setting.event.coordinating_units = [setting.coord_a, new_unit, setting.coord_b]
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    assert items(setting.event)[provide_key(setting.coord_b)].status is ItemStatus.OPEN
    keys = db.session.scalars(sa.select(ChecklistItem.key).where(
        ChecklistItem.event_id == setting.event.id)).all()
    assert len(keys) == len(set(keys))


def test_changing_the_kind_applies_the_difference(setting):
    sync_checklist(setting.event)
    db.session.commit()
    setting.event.kind = EventKind.CULTURAL
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    got = items(setting.event)
    by_code = {db.session.get(ChecklistTemplate, i.template_id).code: i for i in got.values()}
    assert by_code["pol-press-conf"].status is ItemStatus.NOT_NEEDED
    assert by_code["cul-press-conf"].status is ItemStatus.OPEN
    assert by_code["core-plan"].status is ItemStatus.OPEN
    briefings = {b.checklist_key: b.status for b in db.session.scalars(
        sa.select(Briefing).where(Briefing.event_id == setting.event.id))}
    assert briefings == {item_key(template("pol-press-conf").id): BriefingStatus.CANCELLED,
                         item_key(template("cul-press-conf").id): BriefingStatus.PROPOSED}


def test_cancelling_closes_open_items_and_keeps_done_ones(setting):
    sync_checklist(setting.event)
    done = items(setting.event)[item_key(template("core-plan").id)]
    done.status = ItemStatus.DONE
    db.session.commit()
    setting.event.status = EventStatus.CANCELLED
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    statuses = {k: i.status for k, i in items(setting.event).items()}
    assert statuses.pop(done.key) is ItemStatus.DONE
    assert set(statuses.values()) == {ItemStatus.NOT_NEEDED}
    briefing = db.session.scalar(sa.select(Briefing).where(Briefing.event_id == setting.event.id))
    assert briefing.status is BriefingStatus.CANCELLED


def test_sensitive_and_foreign_related_conditions(setting, make_event):
    sensitive = make_event(lead_unit=setting.lead, is_sensitive=True)
    incoming = make_event(lead_unit=setting.lead, kind=EventKind.DELEGATION_IN)
    cultural_with_delegation = make_event(lead_unit=setting.lead, kind=EventKind.CULTURAL)
    db.session.add(Delegation(event=cultural_with_delegation, direction=DelegationDirection.INCOMING,
                              country="LA"))
    db.session.commit()
    guidance = item_key(template("core-guidance").id)
    for event in (sensitive, incoming, cultural_with_delegation):
        sync_checklist(event)
        assert guidance in items(event), event


def test_protocol_items_go_to_the_unit_of_the_protocol_officers(setting, make_event):
    incoming = make_event(lead_unit=setting.lead, kind=EventKind.DELEGATION_IN)
    sync_checklist(incoming)
    got = items(incoming)
    assert got[item_key(template("din-programme").id)].unit_id == setting.foreign_affairs.id


def test_the_event_saved_signal_keeps_the_checklist_in_step(setting):
    event_saved.send(setting.event, actor=setting.lead_focal, changes={"status": (None, "planned")},
                     created=True)
    db.session.commit()
    assert provide_key(setting.coord_a) in items(setting.event)
    setting.event.status = EventStatus.CANCELLED
    event_saved.send(setting.event, actor=setting.lead_focal,
                     changes={"status": ("planned", "cancelled")}, created=False)
    db.session.commit()
    assert {i.status for i in items(setting.event).values()} == {ItemStatus.NOT_NEEDED}
