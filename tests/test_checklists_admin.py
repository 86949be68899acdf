"""Admins edit checklist templates; wrong-side offsets are refused."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistTemplate, ItemStatus
from app.checklists.rules import item_key
from app.checklists.seed import SEEDS, seed_templates
from app.checklists.services import sync_checklist
from app.extensions import db
from tests.helpers import nothing_written

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def _template(code):
    return db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == code))


def _form(template, **changes):
    data = {"title_vi": template.title_vi, "title_en": template.title_en,
            "kind": template.kind.value if template.kind else "", "phase": template.phase.value,
            "offset": str(template.offset), "offset_unit": template.offset_unit.value,
            "anchor": template.anchor.value, "role": template.role.value,
            "condition": template.condition.value, "legal_basis": template.legal_basis,
            "active": "y"}
    for flag in ("requires_submission", "creates_briefing", "legal_verified"):
        if getattr(template, flag):
            data[flag] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_seeding_is_idempotent_and_keeps_admin_edits(app):
    assert seed_templates() == len(SEEDS)
    _template("core-plan").title_vi = "Đã sửa"
    assert seed_templates() == 0
    assert _template("core-plan").title_vi == "Đã sửa"
    assert db.session.scalar(sa.select(sa.func.count(ChecklistTemplate.id))) == len(SEEDS)


def test_seed_command(app):
    result = app.test_cli_runner().invoke(args=["checklists", "seed"])
    assert f"{len(SEEDS)} checklist templates added" in result.output
    result = app.test_cli_runner().invoke(args=["checklists", "seed"])
    assert "0 checklist templates added" in result.output


def test_only_admins_reach_the_template_pages(client, login, templates):
    login(Role.FOCAL)
    assert client.get("/admin/checklist-templates/").status_code == 403
    template = _template("core-plan")
    with nothing_written():
        assert client.post(f"/admin/checklist-templates/{template.id}/edit",
                           data=_form(template, offset="-40")).status_code == 403
        assert client.post("/admin/checklist-templates/new",
                           data=_form(template, title_vi="Mẫu lén")).status_code == 403
    db.session.expire_all()
    assert _template("core-plan").offset == -30


@pytest.mark.parametrize(("changes", "message"), [
    ({"offset": "3"}, "needs a negative offset"),
    ({"offset": "0"}, "needs a negative offset"),
    ({"anchor": "end"}, "counts from its start"),
])
def test_an_offset_that_puts_a_before_item_after_the_event_is_refused(client, login, templates,
                                                                      changes, message):
    login(Role.ADMIN, locale="en")
    template = _template("core-plan")
    response = client.post(f"/admin/checklist-templates/{template.id}/edit",
                           data=_form(template, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert _template("core-plan").offset == -30
    assert _template("core-plan").anchor.value == "start"


def test_after_items_need_a_positive_offset(client, login, templates):
    login(Role.ADMIN, locale="en")
    template = _template("core-report")
    response = client.post(f"/admin/checklist-templates/{template.id}/edit",
                           data=_form(template, offset="-2"))
    assert response.status_code == 400
    assert "needs a positive offset" in response.get_data(as_text=True)


def test_an_edit_reaches_existing_open_items_only_on_request(client, login, setting, make_event):
    past = make_event(lead_unit=setting.lead, starts_at=NOW - timedelta(days=3))
    for event in (setting.event, past):
        sync_checklist(event)
    db.session.commit()
    template = _template("core-plan")
    key = item_key(template.id)

    def item(event):
        db.session.expire_all()
        return db.session.scalar(sa.select(ChecklistItem).where(
            ChecklistItem.event_id == event.id, ChecklistItem.key == key))

    old_due = item(setting.event).due_at
    login(Role.ADMIN)
    client.post(f"/admin/checklist-templates/{template.id}/edit",
                data=_form(template, offset="-40", title_vi="Đưa vào kế hoạch năm"))
    assert item(setting.event).due_at == old_due  # not asked for: existing items unchanged
    assert item(setting.event).title_vi != "Đưa vào kế hoạch năm"
    # A reschedule still uses the item's own offset.
    sync_checklist(setting.event)
    assert item(setting.event).due_at == old_due

    template = _template("core-plan")
    client.post(f"/admin/checklist-templates/{template.id}/edit",
                data=_form(template, update_open_items="y"))
    assert item(setting.event).due_at == old_due - timedelta(days=10)
    assert item(setting.event).title_vi == "Đưa vào kế hoạch năm"
    assert item(past).title_vi != "Đưa vào kế hoạch năm"  # past events keep theirs


def test_done_items_are_not_touched_by_a_template_update(client, login, setting):
    sync_checklist(setting.event)
    template = _template("core-plan")
    done = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.key == item_key(template.id)))
    done.status = ItemStatus.DONE
    db.session.commit()
    due = done.due_at
    login(Role.ADMIN)
    client.post(f"/admin/checklist-templates/{template.id}/edit",
                data=_form(template, offset="-45", update_open_items="y"))
    db.session.expire_all()
    assert done.due_at == due


def test_admin_creates_a_template(client, login, templates, setting):
    login(Role.ADMIN)
    response = client.post("/admin/checklist-templates/new", data={
        "title_vi": "Chuẩn bị phiên dịch", "title_en": "Book interpreters", "kind": "",
        "phase": "before", "offset": "-3", "offset_unit": "working_days", "anchor": "start",
        "role": "protocol", "condition": "foreign", "active": "y"})
    assert response.status_code == 302
    created = db.session.scalar(sa.select(ChecklistTemplate).where(
        ChecklistTemplate.title_vi == "Chuẩn bị phiên dịch"))
    assert created.code == f"custom-{created.id}"
    assert "Chuẩn bị phiên dịch" in client.get("/admin/checklist-templates/").get_data(as_text=True)


def test_sync_command_generates_missing_items(app, setting):
    result = app.test_cli_runner().invoke(args=["checklists", "sync"])
    assert "items created" in result.output
    count = db.session.scalar(sa.select(sa.func.count(ChecklistItem.id)))
    assert count > 0
    app.test_cli_runner().invoke(args=["checklists", "sync"])
    assert db.session.scalar(sa.select(sa.func.count(ChecklistItem.id))) == count


def test_demo_load_seeds_templates_and_the_press_directory(demo_app):
    from app import demo
    from app.press.models import PressOutlet

    demo.load(password="demo")
    demo.load(password="demo")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ChecklistTemplate.id))) == len(SEEDS)
    assert db.session.scalar(sa.select(sa.func.count(PressOutlet.id))) >= 5
