"""The bell, the notifications page, personal settings and the admin deliveries page."""
from datetime import UTC, datetime

import sqlalchemy as sa

from app.auth.roles import Role
from app.extensions import db
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
)
from app.notifications.services import notify
from tests.helpers import log_in, nothing_written

EVENT_TIME = "2026-12-10T01:00:00+00:00"


def _notify(user, event, n=1):
    for i in range(n):
        notify([user], Kind.EVENT_RESCHEDULED, event, step=f"rescheduled:v{i}",
               params={"event_title_vi": "Hội nghị", "event_title_en": "Conference",
                       "starts_at": EVENT_TIME, "old_starts_at": EVENT_TIME,
                       "tz": "Asia/Ho_Chi_Minh"},
               url=f"/events/{event.id}", event=event)
    db.session.commit()


def test_the_bell_counts_unread_and_the_list_marks_read(client, login, make_event):
    user = login(Role.FOCAL)
    event = make_event()
    _notify(user, event, n=3)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell-count">3<' in page

    listing = client.get("/notifications").get_data(as_text=True)
    assert listing.count("Đã thay đổi thời gian: Hội nghị") == 3
    first = db.session.scalars(sa.select(Notification).order_by(Notification.id)).first()
    response = client.post(f"/notifications/{first.id}/read", data={"open": "1"})
    assert response.headers["Location"] == f"/events/{event.id}"
    assert 'data-testid="bell-count">2<' in client.get("/").get_data(as_text=True)

    client.post("/notifications/read-all")
    assert 'data-testid="bell-count"' not in client.get("/").get_data(as_text=True)


def test_someone_elses_notification_does_not_exist(client, login, make_user, make_event):
    other = make_user(Role.FOCAL)
    _notify(other, make_event())
    login(Role.FOCAL)
    notification = db.session.scalars(sa.select(Notification)).one()
    with nothing_written():
        assert client.post(f"/notifications/{notification.id}/read").status_code == 404
    db.session.refresh(notification)
    assert notification.read_at is None


def test_the_list_is_in_the_readers_language(client, login, make_event):
    user = login(Role.FOCAL, locale="en")
    _notify(user, make_event())
    assert "Rescheduled: Conference" in client.get("/notifications").get_data(as_text=True)


def test_settings_save_the_mode_and_reject_a_bad_zone(client, login):
    user = login(Role.FOCAL)
    page = client.post("/notifications/settings", data={"mode": "digest", "timezone": "Mars/Base"})
    assert page.status_code == 200
    assert "Múi giờ không hợp lệ" in page.get_data(as_text=True)
    assert db.session.get(NotificationPreference, user.id) is None
    response = client.post("/notifications/settings", data={"mode": "digest", "timezone": "Asia/Tokyo"})
    assert response.status_code == 302
    preference = db.session.get(NotificationPreference, user.id)
    assert (preference.mode, preference.timezone) == (Mode.DIGEST, "Asia/Tokyo")


def test_deliveries_page_is_for_admins_and_says_when_mail_is_off(app, client, login, make_user,
                                                                 make_event):
    app.config["MAIL_SERVER"] = ""
    focal = make_user(Role.FOCAL)
    _notify(focal, make_event())
    login(Role.PROTOCOL)
    assert client.get("/admin/deliveries").status_code == 403
    client.post("/logout")
    login(Role.ADMIN)
    page = client.get("/admin/deliveries").get_data(as_text=True)
    assert 'data-testid="mail-off"' in page
    assert "Chưa cấu hình MAIL_SERVER" in page
    assert focal.email in page
    assert "Sự kiện dời lịch" in page  # the kind by its name, not its code
    assert "rescheduled:v0" not in page


def test_admin_retries_a_delivery_that_gave_up(client, login, make_user, make_event, clock):
    clock(datetime(2026, 12, 1, tzinfo=UTC))
    focal = make_user(Role.FOCAL)
    _notify(focal, make_event())
    delivery = db.session.scalars(sa.select(Delivery)).one()
    delivery.status, delivery.attempts = DeliveryStatus.GAVE_UP, 8
    db.session.commit()
    login(Role.ADMIN)
    assert client.post(f"/admin/deliveries/{delivery.id}/retry").status_code == 302
    db.session.refresh(delivery)
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.next_attempt_at == datetime(2026, 12, 1, tzinfo=UTC)
    client.post("/logout")
    log_in(client, make_user(Role.FOCAL))
    delivery.status = DeliveryStatus.GAVE_UP
    db.session.commit()
    with nothing_written():
        assert client.post(f"/admin/deliveries/{delivery.id}/retry").status_code == 403
    db.session.refresh(delivery)
    assert delivery.status is DeliveryStatus.GAVE_UP


def test_admin_changes_the_rules_and_bad_values_change_nothing(client, login):
    """The rules are the "reminders" group of /admin/settings; the old address leads there."""
    from app.notifications.rules import load_rules
    from app.settings.models import DomainSetting

    login(Role.ADMIN)
    response = client.get("/admin/reminder-rules")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/settings/#group-reminders")
    page = client.get("/admin/settings/").get_data(as_text=True)
    rules_table = page.split('data-testid="settings-reminders"')[1].split("</table>")[0]
    assert "<strong>3,1</strong>" in rules_table
    assert "<strong>07:30</strong>" in rules_table
    assert 'value="3,1"' in client.get("/admin/settings/reminders.due_soon_days").get_data(as_text=True)
    bad = client.post("/admin/settings/reminders.overdue_limit", data={"value": "0"})
    assert bad.status_code == 200
    assert db.session.get(DomainSetting, "reminders.overdue_limit") is None
    for name, value in [("due_soon_days", "5, 2"), ("overdue_limit", "3"), ("digest_time", "08:00")]:
        assert client.post(f"/admin/settings/reminders.{name}", data={"value": value}).status_code == 302
    rules = load_rules()
    assert rules.due_soon_days == (5, 2)
    assert rules.overdue_limit == 3
    assert rules.digest_time.strftime("%H:%M") == "08:00"


def test_only_admins_change_the_rules(client, login):
    login(Role.PROTOCOL)
    assert client.get("/admin/reminder-rules").status_code == 403
    assert client.post("/admin/reminder-rules", data={"due_soon_days": "9"}).status_code == 405
    with nothing_written():
        assert client.post("/admin/settings/reminders.due_soon_days",
                           data={"value": "9"}).status_code == 403
