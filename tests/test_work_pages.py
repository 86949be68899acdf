"""Work pages that scale (issue 16, item 4): filters, search and pages without a total count.

/tasks, /notifications, /admin/deliveries, the outlets register, the briefing assignments, the
roster and the event history; the bell says "99+".
"""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ItemStatus, ResponsibleRole
from app.events.models import EventChange
from app.extensions import db
from app.notifications import inbox
from app.notifications.models import Delivery, DeliveryStatus, Kind, Notification
from app.press.models import OutletScope, PressOutlet
from app.timeutil import utcnow

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def _notices(user, event, n, kind=Kind.EVENT_RESCHEDULED, read=False):
    db.session.add_all(Notification(
        recipient_id=user.id, kind=kind, object_type="event", object_id=event.id,
        event_id=event.id, url=f"/events/{event.id}", created_at=NOW - timedelta(minutes=i),
        read_at=NOW if read else None,
        params={"event_title_vi": event.title_vi, "event_title_en": event.title_en,
                "starts_at": "2026-12-10T01:00:00+00:00", "old_starts_at": "2026-12-10T01:00:00+00:00",
                "tz": "Asia/Ho_Chi_Minh"}) for i in range(n))
    db.session.commit()


def test_bell_says_99_plus_and_counts_at_most_a_hundred(client, login, make_event):
    user = login(Role.FOCAL)
    event = make_event()
    _notices(user, event, 99)
    assert 'data-testid="bell-count">99<' in client.get("/").get_data(as_text=True)
    _notices(user, event, 60)
    assert inbox.unread_count(user) == inbox.BELL_CAP == 100
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell-count">99+<' in page


def test_notifications_are_paged_and_filtered(client, login, make_event, app):
    app.config["PAGE_SIZE"] = 20
    user = login(Role.FOCAL)
    first = make_event(title_vi="Đoàn đại biểu Attapeu")
    second = make_event(title_vi="Hội nghị xúc tiến")
    _notices(user, first, 25)
    _notices(user, second, 3, kind=Kind.EVENT_CANCELLED, read=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count('<li class="notification') == 20
    assert 'rel="next"' in page
    # The event is a link.
    assert f'href="/events/{first.id}"' in page
    last = client.get("/notifications?page=2").get_data(as_text=True)
    assert last.count('<li class="notification') == 8
    assert 'rel="next"' not in last
    assert 'rel="prev"' in last
    unread = client.get("/notifications?unread=1&page=2").get_data(as_text=True)
    assert unread.count('<li class="notification') == 5
    cancelled = client.get("/notifications?kind=event_cancelled").get_data(as_text=True)
    assert cancelled.count('<li class="notification') == 3
    found = client.get("/notifications?q=doan+ATTAPEU").get_data(as_text=True)
    assert found.count('<li class="notification') == 20
    assert "xúc tiến" not in found
    by_event = client.get(f"/notifications?event={second.id}").get_data(as_text=True)
    assert by_event.count('<li class="notification') == 3
    for junk in ("?page=abc", "?page=-1", "?page=99999999999", "?kind=nope", "?event=x"):
        assert client.get("/notifications" + junk).status_code == 200


def test_another_users_notices_are_never_listed(client, login, make_user, make_event):
    other = make_user(Role.FOCAL)
    event = make_event(title_vi="Sự kiện riêng")
    _notices(other, event, 3)
    login(Role.FOCAL)
    page = client.get(f"/notifications?event={event.id}").get_data(as_text=True)
    assert '<li class="notification' not in page


def _items(event, unit, n, status=ItemStatus.OPEN, start=NOW + timedelta(days=1), title="Việc"):
    db.session.add_all(ChecklistItem(
        event=event, key=f"k{status}{i}{title}", title_vi=f"{title} {i}", title_en=f"Task {i}",
        role=ResponsibleRole.LEAD_UNIT, unit_id=unit.id, due_at=start + timedelta(hours=i),
        status=status, completed_at=NOW if status is ItemStatus.DONE else None) for i in range(n))
    db.session.commit()


def test_tasks_show_ten_per_group_then_page_through_one_group(client, login, make_unit, make_event,
                                                            app):
    app.config["PAGE_SIZE"] = 25
    unit = make_unit()
    other_unit = make_unit()
    event = make_event(lead_unit=unit, title_vi="Đoàn đại biểu Attapeu")
    other = make_event(lead_unit=unit, title_vi="Lễ hội cồng chiêng")
    _items(event, unit, 30)                                   # due within a week
    _items(other, unit, 4, start=NOW - timedelta(days=2))     # overdue
    _items(event, other_unit, 5, title="Của đơn vị khác")     # not this user's
    login(Role.FOCAL, unit=unit)
    page = client.get("/tasks").get_data(as_text=True)
    soon = page.split('data-testid="tasks-due-soon"')[1].split("</section>")[0]
    assert soon.count("<tr data-item") == 10
    assert 'data-testid="tasks-more-due-soon"' in page
    assert "Của đơn vị khác" not in page
    assert f'href="/events/{event.id}"' in soon  # event names are links
    first = client.get("/tasks?show=due_soon").get_data(as_text=True)
    assert first.count("<tr data-item") == 25
    assert 'rel="next"' in first
    second = client.get("/tasks?show=due_soon&page=2").get_data(as_text=True)
    assert second.count("<tr data-item") == 5
    assert 'rel="next"' not in second
    overdue = client.get("/tasks?show=overdue").get_data(as_text=True)
    assert overdue.count("<tr data-item") == 4
    assert client.get("/tasks?show=due_soon&q=cong+chieng").get_data(as_text=True) \
        .count("<tr data-item") == 0
    assert client.get(f"/tasks?show=overdue&event={other.id}").get_data(as_text=True) \
        .count("<tr data-item") == 4
    assert client.get(f"/tasks?show=due_soon&unit={other_unit.id}").get_data(as_text=True) \
        .count("<tr data-item") == 0
    window = client.get("/tasks?show=due_soon&from=2026-11-21&to=2026-11-21").get_data(as_text=True)
    assert 0 < window.count("<tr data-item") < 25
    for junk in ("?show=nope", "?page=x", "?from=2026-99-99", "?unit=abc", "?event=99999999999"):
        assert client.get("/tasks" + junk).status_code == 200


def test_tasks_of_a_confidential_event_stay_hidden_from_outsiders(client, login, make_unit,
                                                                  make_event):
    from app.events.models import Visibility

    lead, outsider_unit = make_unit(), make_unit()
    secret = make_event(lead_unit=lead, visibility=Visibility.CONFIDENTIAL, title_vi="Mật")
    _items(secret, outsider_unit, 3)  # given to a unit that cannot see the event
    login(Role.FOCAL, unit=outsider_unit)
    for url in ("/tasks", "/tasks?show=due_soon", f"/tasks?show=due_soon&event={secret.id}"):
        assert "<tr data-item" not in client.get(url).get_data(as_text=True)


def test_deliveries_are_paged_filtered_and_show_words(client, login, make_user, make_event, app):
    app.config["PAGE_SIZE"] = 10
    focal = make_user(Role.FOCAL, email="tuan@example.com")
    event = make_event(title_vi="Đoàn đại biểu Attapeu")
    db.session.add_all(Delivery(recipient_id=focal.id, object_type="note", object_id=1,
                                step=f"approved:v{i}", kind=Kind.NOTE_APPROVED, event_id=event.id,
                                status=DeliveryStatus.SENT if i % 2 else DeliveryStatus.GAVE_UP)
                       for i in range(15))
    db.session.commit()
    login(Role.PROTOCOL)
    assert client.get("/admin/deliveries").status_code == 403
    client.post("/logout")
    login(Role.ADMIN)
    page = client.get("/admin/deliveries").get_data(as_text=True)
    rows = page.split('data-testid="deliveries"')[1].split("</table>")[0]
    assert rows.count('<tr class="delivery-') == 10
    assert 'rel="next"' in page
    assert "approved:v" not in page
    assert "note:1" not in page
    assert "Đề cương đã được duyệt" in rows
    assert f'href="/events/{event.id}"' in rows
    gave_up = client.get("/admin/deliveries?status=gave_up").get_data(as_text=True)
    assert gave_up.split('data-testid="deliveries"')[1].count('<tr class="delivery-gave_up') == 8
    assert client.get("/admin/deliveries?q=TUAN@").get_data(as_text=True).count("tuan@example.com") == 10
    assert "tuan@example.com" not in client.get("/admin/deliveries?q=nobody").get_data(as_text=True)
    assert client.get("/admin/deliveries?kind=note_approved&page=2").get_data(as_text=True) \
        .count('<tr class="delivery-') == 5


def test_outlets_are_searched_and_paged(client, login, app):
    app.config["PAGE_SIZE"] = 5
    db.session.add_all(PressOutlet(name=f"Báo Điện tử {i:02d}", contact=f"toa-soan{i}@bao.vn",
                                   scope=OutletScope.DOMESTIC, active=i != 3) for i in range(8))
    db.session.add(PressOutlet(name="Thông tấn xã Lào", scope=OutletScope.FOREIGN, languages="lo"))
    db.session.commit()
    login(Role.VIEWER)
    assert client.get("/press/outlets/").status_code == 403
    client.post("/logout")
    login(Role.PROTOCOL)
    page = client.get("/press/outlets/").get_data(as_text=True)
    assert page.count('<td class="actions">') == 5
    assert 'rel="next"' in page
    assert client.get("/press/outlets/?q=bao+dien+tu").get_data(as_text=True).count('<td class="actions">') == 5
    assert client.get("/press/outlets/?q=thong+tan+LAO").get_data(as_text=True).count('<td class="actions">') == 1
    assert client.get("/press/outlets/?scope=foreign").get_data(as_text=True).count('<td class="actions">') == 1
    assert client.get("/press/outlets/?state=inactive").get_data(as_text=True).count('<td class="actions">') == 1


def test_event_history_is_paged(client, login, make_event):
    event = make_event()
    db.session.add_all(EventChange(event_id=event.id, changed_at=utcnow(), version=i,
                                   changes={"location": ["", f"Nơi {i}"]}) for i in range(25))
    db.session.commit()
    login(Role.PROTOCOL)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    history = page.split('data-testid="history"')[1]
    assert history.count("Nơi ") == 20
    assert "Nơi 24" in history
    assert re.search(r'href="/events/\d+\?page=2#history" rel="next"', history)
    older = client.get(f"/events/{event.id}?page=2").get_data(as_text=True).split('data-testid="history"')[1]
    assert older.count("Nơi ") == 5
    assert "Nơi 0" in older


def test_briefing_assignments_and_roster_filters(client, login, make_unit, make_event, clock):
    from app.press.models import Briefing, BriefingStatus

    unit, other = make_unit(), make_unit()
    for lead, title in ((unit, "Họp báo Attapeu"), (other, "Họp báo cồng chiêng")):
        event = make_event(lead_unit=lead, starts_at=NOW + timedelta(days=3))
        db.session.add(Briefing(event=event, title_vi=title, starts_at=NOW + timedelta(days=2),
                                ends_at=NOW + timedelta(days=2, hours=1),
                                status=BriefingStatus.SCHEDULED))
    db.session.commit()
    login(Role.PROTOCOL)
    page = client.get("/spokespeople/briefings/").get_data(as_text=True)
    assert "Họp báo Attapeu" in page
    assert "Họp báo cồng chiêng" in page
    filtered = client.get(f"/spokespeople/briefings/?unit={unit.id}").get_data(as_text=True)
    assert "Họp báo Attapeu" in filtered
    assert "cồng chiêng" not in filtered
    searched = client.get("/spokespeople/briefings/?q=cong+CHIENG&unassigned=1").get_data(as_text=True)
    assert "cồng chiêng" in searched
    assert "Attapeu" not in searched
    roster = client.get(f"/spokespeople/?unit={unit.id}").get_data(as_text=True)
    assert unit.name_vi in roster
    assert other.name_vi not in roster.split('data-testid="roster-filters"')[1].split("</form>")[1]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Briefing)) == 2


def test_dashboard_counts_are_the_task_pages_groups(demo_app):
    """``task_counts`` (one aggregate) counts what ``task_page`` lists, for every demo user."""
    from app.auth.models import User
    from app.checklists import work

    # Two days after the first open item's due time: some overdue, some due within a week.
    now = db.session.scalar(sa.select(sa.func.min(ChecklistItem.due_at))
                            .where(ChecklistItem.status == ItemStatus.OPEN)) + timedelta(days=2)
    for item in db.session.scalars(sa.select(ChecklistItem).where(
            ChecklistItem.status == ItemStatus.OPEN).order_by(ChecklistItem.id).limit(9)):
        item.status = ItemStatus.SUBMITTED  # waiting for the lead unit, to review
    db.session.commit()
    counted = 0
    for user in db.session.scalars(sa.select(User)).all():
        counts = work.task_counts(user, now)
        for view in work.COUNTED_VIEWS:
            rows, more = work.task_page(user, view, work.TaskFilters(), size=100_000, now=now)
            assert not more
            assert counts[view] == len(rows), (user.email, view)
            counted += bool(counts[view])
    assert counted > 4  # the demo data has work of every group
