"""Checklists end to end, in a real browser.

A coordinating unit's focal point provides information before the due time, the lead unit
accepts it, the event's checklist shows progress, and moving the event shifts the open items
but not the done one.

The event form belongs to another feature, so the event is set up (and later moved) in the
live server's database from this process, through the same signal the events service sends.
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.checklists.models import ChecklistItem, ItemStatus, ResponsibleRole
from app.events.models import Event, EventKind, EventStatus
from app.events.signals import event_saved
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit

pytestmark = pytest.mark.browser


def _unit(slug):
    return db.session.scalar(sa.select(Unit).where(Unit.slug == slug))


def _log_in(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")


def _items(event_id):
    db.session.expire_all()
    return {i.key: i for i in db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.event_id == event_id))}


def test_provide_accept_progress_and_move(live_server, live_db, page, tmp_path):
    starts = (utcnow() + timedelta(days=40)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = Event(title_vi="Lễ hội văn hóa cồng chiêng E2E", title_en="Gong festival E2E",
                  kind=EventKind.POLITICAL, status=EventStatus.PLANNED, starts_at=starts,
                  ends_at=starts + timedelta(hours=3), lead_unit=_unit("so-vhttdl"))
    event.coordinating_units = [_unit("huyen-uy-ngoc-hoi")]
    db.session.add(event)
    db.session.flush()
    event_saved.send(event, actor=None, changes={"status": (None, "planned")}, created=True)
    db.session.commit()
    event_id = event.id
    provide = next(i for i in _items(event_id).values()
                   if i.role is ResponsibleRole.COORDINATING_UNIT)
    assert provide.due_at > utcnow()

    # The coordinating unit's focal point finds the item in "my tasks" and uploads a file.
    _log_in(page, live_server, "focal.ngochoi@demo.example")
    page.goto(live_server + "/tasks")
    row = page.locator(f"tr[data-event='{event_id}'][data-item='{provide.key}']")
    assert "Lễ hội văn hóa cồng chiêng E2E" in row.inner_text()
    row.locator("a").first.click()
    report = tmp_path / "thong-tin.txt"
    report.write_text("Số liệu về đoàn nghệ nhân huyện Ngọc Hồi.", encoding="utf-8")
    page.fill("textarea[name=text]", "Danh sách nghệ nhân và chương trình biểu diễn.")
    page.set_input_files("input[name=attachments]", str(report))
    page.click("[data-testid=submit]")
    page.wait_for_selector(".flash-success")
    assert "thong-tin.txt" in page.locator("[data-testid=submission]").inner_text()
    item_url = page.url
    page.click("[data-testid=logout]")

    # The lead unit's focal point accepts it.
    _log_in(page, live_server, "focal@demo.example")
    page.goto(item_url)
    page.fill("textarea[name=comment]", "Đã tiếp nhận.")
    page.click("[data-testid=accept]")
    page.wait_for_selector(".flash-success")
    assert _items(event_id)[provide.key].status is ItemStatus.DONE

    # The event's checklist shows the progress.
    page.goto(f"{live_server}/checklists/events/{event_id}")
    total = sum(i.status is not ItemStatus.NOT_NEEDED for i in _items(event_id).values())
    assert f"1/{total}" in page.locator("[data-testid=checklist-progress]").inner_text()
    due_text = {key: page.locator(f"tr[data-item='{key}'] td.due").inner_text()
                for key in _items(event_id)}

    # Moving the event a week later shifts the open items, not the done one.
    before = {k: i.due_at for k, i in _items(event_id).items()}
    event = db.session.get(Event, event_id)
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    db.session.flush()
    event_saved.send(event, actor=None, changes={"starts_at": (None, None)}, created=False)
    db.session.commit()
    after = _items(event_id)
    assert after[provide.key].due_at == before[provide.key]
    assert all(after[k].due_at == before[k] + timedelta(days=7) for k in after if k != provide.key)

    page.reload()
    for key in after:
        shown = page.locator(f"tr[data-item='{key}'] td.due").inner_text()
        assert (shown == due_text[key]) == (key == provide.key), key
