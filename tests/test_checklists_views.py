"""Work views: my tasks, the event's checklist panel, the steering overview and its alerts."""
import html
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ItemStatus
from app.checklists.overview import standing_alerts
from app.checklists.services import sync_checklist
from app.extensions import db
from app.navigation import DASHBOARD_PANELS, EVENT_PANELS
from app.press.models import Briefing, BriefingStatus
from tests.helpers import log_in

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def test_my_tasks_groups_overdue_due_soon_and_done(client, setting, clock):
    # Generated on 1/11, before any due time (no short notice); on 20/11 "enter in plan"
    # (due 10/11 for the event of 10/12) is overdue.
    clock(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    sync_checklist(setting.event)
    clock(NOW)
    items = db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.unit_id == setting.lead.id)).all()
    done = next(i for i in items if i.due_at > NOW)
    done.status, done.completed_at = ItemStatus.DONE, NOW
    db.session.commit()
    log_in(client, setting.lead_focal)
    client.post("/locale", data={"locale": "en"})
    page = client.get("/tasks").get_data(as_text=True)
    overdue = page.split('data-testid="tasks-overdue"')[1].split("</section>")[0]
    assert "Enter the event in the plan" in overdue
    done_part = page.split('data-testid="tasks-done"')[1].split("</section>")[0]
    assert html.escape(done.title_en) in done_part
    # Another unit's tasks are not listed.
    assert "Provide information to the lead unit" not in page


def test_event_panel_shows_progress(client, setting):
    assert "checklists/_event_panel.html" in EVENT_PANELS
    assert "checklists/_dashboard_panel.html" in DASHBOARD_PANELS
    sync_checklist(setting.event)
    items = db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == setting.event.id)).all()
    items[0].status = ItemStatus.DONE
    db.session.commit()
    log_in(client, setting.focal_a)
    client.post("/locale", data={"locale": "en"})
    page = client.get(f"/checklists/events/{setting.event.id}").get_data(as_text=True)
    assert f"1 of {len(items)} tasks done" in page
    assert client.get("/").status_code == 200  # dashboard panel renders


def test_overview_is_for_steering_and_the_propaganda_commission(client, setting, make_user,
                                                                make_unit):
    sync_checklist(setting.event)
    db.session.commit()
    focal = make_user(Role.FOCAL, unit=setting.lead)
    log_in(client, focal)
    assert client.get("/checklists/overview").status_code == 403
    client.post("/logout")
    propaganda = make_user(Role.VIEWER, unit=make_unit("ban-tgdv"))
    log_in(client, propaganda)
    page = client.get("/checklists/overview?from=2026-11-01&to=2026-12-31")
    assert page.status_code == 200
    assert f'data-unit="{setting.lead.slug}"' in page.get_data(as_text=True)
    client.post("/logout")
    log_in(client, make_user(Role.STEERING))
    assert client.get("/checklists/overview?from=bad&to=").status_code == 200


def test_overview_counts_open_overdue_and_on_time(setting):
    from app.checklists.overview import unit_overview

    sync_checklist(setting.event)
    lead_items = db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.unit_id == setting.lead.id).order_by(ChecklistItem.due_at)).all()
    first = lead_items[0]   # overdue, now done late
    first.status, first.completed_at = ItemStatus.DONE, first.due_at + timedelta(days=1)
    db.session.commit()
    rows = {r.unit.slug: r for r in unit_overview(
        setting.admin, NOW - timedelta(days=60), NOW + timedelta(days=60))}
    lead = rows[setting.lead.slug]
    assert lead.done == 1
    assert lead.on_time_rate == 0
    assert lead.open == len(lead_items) - 1


def test_alert_when_the_ppc_has_not_held_a_press_conference_for_90_days(setting, make_unit,
                                                                        make_event):
    codes = {a.code for a in standing_alerts(NOW)}
    assert codes == {"ppc_briefing", "monthly_information"}
    ppc = make_unit("ubnd-tinh")
    event = make_event(lead_unit=ppc, starts_at=NOW - timedelta(days=30))
    db.session.add(Briefing(event=event, title_vi="Họp báo định kỳ", starts_at=NOW - timedelta(days=30),
                            ends_at=NOW - timedelta(days=30) + timedelta(hours=1),
                            status=BriefingStatus.HELD))
    db.session.commit()
    assert {a.code for a in standing_alerts(NOW)} == {"monthly_information"}
    alert = standing_alerts(NOW + timedelta(days=70))[0]
    assert alert.code == "ppc_briefing"
    assert alert.params["days"] == 100
