"""`reminders send` against a real SMTP server on a loopback port; time is frozen, never slept."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events.models import EventStatus
from app.events.signals import event_saved
from app.extensions import db
from app.notifications import sending
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
)
from app.notifications.services import notify_item_assigned
from tests.helpers import log_in

START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)


@pytest.fixture
def unit_people(make_unit, make_user):
    """A unit with a focal point and a head, and a protocol officer elsewhere."""
    unit = make_unit("so-vhttdl", name_vi="Sở Văn hóa, Thể thao và Du lịch",
                     name_en="Department of Culture, Sports and Tourism")
    focal = make_user(Role.FOCAL, unit=unit, name="Lê Văn Hùng", email="focal@example.gov.vn")
    head = make_user(Role.VIEWER, unit=unit, is_unit_head=True, name="Ngô Thị Thu",
                     email="head@example.gov.vn")
    protocol = make_user(Role.PROTOCOL, name="Nguyễn Thị Lan", email="protocol@example.gov.vn")
    return unit, focal, head, protocol


def run_many(clock, moment, times=3):
    clock(moment)
    return [sending.run() for _ in range(times)]


def subjects(smtp, email):
    return [m["Subject"] for m in smtp.to(email)]


def bell(client, user) -> int:
    log_in(client, user)
    page = client.get("/").get_data(as_text=True)
    client.post("/logout")
    if 'data-testid="bell-count"' not in page:
        return 0
    return int(page.split('data-testid="bell-count">')[1].split("<")[0])


def test_done_when_focal_point_is_reminded_in_vietnamese_then_escalated_once_each(
        app, client, smtp, clock, make_event, make_item, unit_people):
    unit, focal, head, protocol = unit_people
    event = make_event(lead_unit=unit, starts_at=START)
    make_item(event, unit=unit, due_at=DUE)

    run_many(clock, DUE - 3 * DAY + MINUTE)
    run_many(clock, DUE - DAY + MINUTE)
    run_many(clock, DUE + MINUTE)
    run_many(clock, DUE + 2 * DAY + MINUTE)

    assert subjects(smtp, focal.email) == [
        "Còn 3 ngày đến hạn: Cung cấp thông tin báo chí",
        "Còn 1 ngày đến hạn: Cung cấp thông tin báo chí",
        "Quá hạn: Cung cấp thông tin báo chí",
        "Quá hạn: Cung cấp thông tin báo chí",  # the daily repeat, day 2
    ]
    escalation = "Quá hạn 2 ngày: Cung cấp thông tin báo chí (Sở Văn hóa, Thể thao và Du lịch)"
    assert subjects(smtp, head.email) == [escalation]
    assert subjects(smtp, protocol.email) == [escalation]
    body = smtp.to(head.email)[0].get_body(("plain",)).get_content()
    assert "người đứng đầu đơn vị" in body
    assert "5 tháng 12, 2026, 08:00" in body
    assert bell(client, focal) == 4
    assert bell(client, head) == 1
    steps = db.session.scalars(sa.select(Delivery.step).where(Delivery.recipient_id == focal.id)
                               .order_by(Delivery.id)).all()
    assert steps == ["due_soon:3d@20261205T0100Z", "due_soon:1d@20261205T0100Z",
                     "overdue:0@20261205T0100Z", "overdue:2@20261205T0100Z"]


def test_a_refused_message_is_retried_with_backoff_and_does_not_block_others(
        app, smtp, clock, make_event, make_item, make_unit, make_user):
    unit = make_unit()
    first = make_user(Role.FOCAL, unit=unit)
    second = make_user(Role.FOCAL, unit=unit)
    make_item(make_event(lead_unit=unit), unit=unit, due_at=DUE)
    smtp.refuse = 1  # 451 to the first message, 250 afterwards

    clock(DUE - DAY + MINUTE)
    report = sending.run()
    assert (report.claimed, report.sent, report.failed) == (2, 1, 1)
    failed = db.session.scalars(sa.select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)).one()
    assert failed.recipient_id == first.id
    assert failed.attempts == 1
    assert "451" in failed.last_error
    assert failed.next_attempt_at == DUE - DAY + MINUTE + timedelta(minutes=5)
    assert len(smtp.to(second.email)) == 1

    assert sending.run().sent == 0  # not before the back-off has passed
    clock(DUE - DAY + 6 * MINUTE)
    assert sending.run().sent == 1
    assert sending.run().sent == 0
    assert len(smtp.to(first.email)) == 1
    db.session.refresh(failed)
    assert failed.status is DeliveryStatus.SENT
    assert failed.attempts == 1


def test_cancelling_withdraws_pending_reminders_and_sends_one_notice(
        app, client, smtp, clock, make_event, make_item, unit_people):
    unit, focal, _head, protocol = unit_people
    event = make_event(lead_unit=unit, starts_at=START)
    make_item(event, unit=unit, due_at=DUE)
    smtp.refuse = 1
    clock(DUE - 3 * DAY + MINUTE)
    sending.run()  # the 3-day reminder is claimed, refused, waiting for its retry
    assert bell(client, focal) == 1

    event.status, event.status_reason = EventStatus.CANCELLED, "Đối tác đề nghị hoãn"
    db.session.flush()
    event_saved.send(event, actor=protocol, changes={"status": ("planned", "cancelled")}, created=False)
    db.session.commit()
    run_many(clock, DUE - 3 * DAY + 10 * MINUTE)
    run_many(clock, DUE + MINUTE)  # no overdue notice for a cancelled event either

    assert subjects(smtp, focal.email) == ["Đã hủy: Hội nghị xúc tiến đầu tư"]
    reminder = db.session.scalars(sa.select(Delivery).where(Delivery.kind == Kind.ITEM_DUE_SOON)).one()
    assert reminder.status is DeliveryStatus.WITHDRAWN
    assert bell(client, focal) == 1  # the cancellation replaces the withdrawn reminder
    body = smtp.to(focal.email)[0].get_body(("plain",)).get_content()
    assert "Đối tác đề nghị hoãn" in body


def test_rescheduling_re_times_unsent_reminders(app, smtp, clock, make_event, make_item, unit_people):
    unit, focal, _head, protocol = unit_people
    event = make_event(lead_unit=unit, starts_at=START)
    item = make_item(event, unit=unit, due_at=DUE)
    run_many(clock, DUE - 3 * DAY + MINUTE)
    smtp.refuse = 1
    run_many(clock, DUE - DAY + MINUTE, times=1)  # the 1-day reminder fails, retry pending

    old_start = event.starts_at
    event.starts_at, event.ends_at = START + 7 * DAY, START + 7 * DAY + timedelta(hours=2)
    item.due_at = DUE + 7 * DAY  # the checklists service re-times the items
    db.session.flush()
    event_saved.send(event, actor=protocol, changes={"starts_at": (old_start, event.starts_at)},
                     created=False)
    db.session.commit()

    run_many(clock, DUE - DAY + 10 * MINUTE)
    run_many(clock, DUE + MINUTE)  # the old deadline: nothing
    run_many(clock, DUE + 4 * DAY + MINUTE)  # 3 days before the new one
    assert subjects(smtp, focal.email) == [
        "Còn 3 ngày đến hạn: Cung cấp thông tin báo chí",
        "Đã thay đổi thời gian: Hội nghị xúc tiến đầu tư",
        "Còn 3 ngày đến hạn: Cung cấp thông tin báo chí",
    ]
    assert "12 tháng 12, 2026" in smtp.to(focal.email)[2].get_body(("plain",)).get_content()
    stale = db.session.scalars(sa.select(Delivery).where(Delivery.step.like("due_soon:1d@20261205%"))).one()
    assert stale.status is DeliveryStatus.WITHDRAWN


def test_urgent_changes_are_emailed_to_stakeholders_whatever_they_chose(
        app, smtp, clock, make_event, make_item, make_user, unit_people):
    unit, focal, head, protocol = unit_people
    db.session.add(NotificationPreference(user_id=focal.id, mode=Mode.IN_APP))
    host = make_user(Role.VIEWER, name="Chủ trì", locale="en")
    clock(START - 30 * timedelta(hours=1))
    near = make_event(lead_unit=unit, starts_at=START, hosts=[host])
    far = make_event(lead_unit=unit, starts_at=START + 20 * DAY, title_vi="Sự kiện xa")
    for event in (near, far):
        event.location = "Khách sạn Mường Thanh"
        db.session.flush()
        event_saved.send(event, actor=protocol, changes={"location": ("", event.location)},
                         created=False)
    db.session.commit()
    sending.run()
    assert subjects(smtp, focal.email) == ["Đã thay đổi: Hội nghị xúc tiến đầu tư"]
    assert subjects(smtp, head.email) == ["Đã thay đổi: Hội nghị xúc tiến đầu tư"]
    assert subjects(smtp, host.email) == ["Changed: Investment promotion conference"]
    assert "place" in smtp.to(host.email)[0].get_body(("plain",)).get_content()


def test_digest_collects_notifications_at_half_past_seven_local(
        app, smtp, clock, make_event, make_item, unit_people):
    unit, focal, _head, _protocol = unit_people
    db.session.add(NotificationPreference(user_id=focal.id, mode=Mode.DIGEST, timezone="Asia/Tokyo"))
    event = make_event(lead_unit=unit, starts_at=START)
    clock(datetime(2026, 11, 20, 1, 0, tzinfo=UTC))  # 10:00 in Tokyo
    first = make_item(event, unit=unit, due_at=DUE, title_vi="Thông cáo báo chí")
    second = make_item(event, unit=unit, due_at=DUE, title_vi="Danh sách phóng viên")
    notify_item_assigned(first)
    notify_item_assigned(second)
    db.session.commit()
    run_many(clock, datetime(2026, 11, 20, 22, 29, tzinfo=UTC))  # 07:29 in Tokyo
    assert smtp.messages == []
    run_many(clock, datetime(2026, 11, 20, 22, 30, tzinfo=UTC))  # 07:30 in Tokyo
    assert subjects(smtp, focal.email) == ["Bản tin tổng hợp hằng ngày (2)"]
    body = smtp.to(focal.email)[0].get_body(("plain",)).get_content()
    assert "Thông cáo báo chí" in body
    assert "Danh sách phóng viên" in body


def test_overdue_items_are_emailed_even_to_in_app_only_people(
        app, client, smtp, clock, make_event, make_item, unit_people):
    unit, focal, _head, _protocol = unit_people
    db.session.add(NotificationPreference(user_id=focal.id, mode=Mode.IN_APP))
    make_item(make_event(lead_unit=unit), unit=unit, due_at=DUE)
    run_many(clock, DUE - DAY + MINUTE)
    assert smtp.to(focal.email) == []
    run_many(clock, DUE + MINUTE)
    assert subjects(smtp, focal.email) == ["Quá hạn: Cung cấp thông tin báo chí"]
    assert bell(client, focal) == 2


def test_without_mail_server_mails_go_to_the_log(app, clock, make_event, make_item, unit_people,
                                                 caplog):
    unit, _focal, _head, _protocol = unit_people
    app.config["MAIL_SERVER"] = ""
    make_item(make_event(lead_unit=unit), unit=unit, due_at=DUE)
    clock(DUE - DAY + MINUTE)
    with caplog.at_level("INFO", logger="briefdesk.mail"):
        report = sending.run()
    assert (report.logged, report.failed) == (1, 0)
    assert "Còn 1 ngày đến hạn" in caplog.text
    assert db.session.scalars(sa.select(Delivery.status)).one() is DeliveryStatus.LOGGED


def test_done_items_and_items_of_others_are_not_reminded(app, smtp, clock, make_event, make_item,
                                                          unit_people, make_user):
    unit, focal, _head, _protocol = unit_people
    person = make_user(Role.FOCAL, unit=unit)
    event = make_event(lead_unit=unit)
    make_item(event, unit=unit, due_at=DUE, status="done")
    make_item(event, user=person, due_at=DUE)  # a named person owes it, not the unit
    run_many(clock, DUE - DAY + MINUTE)
    assert smtp.to(focal.email) == []
    assert len(smtp.to(person.email)) == 1


def test_two_concurrent_runs_send_nothing_twice(app, smtp, clock, make_event, make_item, make_unit,
                                                make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers in one file; concurrent runs are a PostgreSQL matter")
    units = [make_unit() for _ in range(5)]
    people = [make_user(Role.FOCAL, unit=unit) for unit in units for _ in range(4)]
    for unit in units:
        event = make_event(lead_unit=unit)
        for n in range(3):
            make_item(event, unit=unit, due_at=DUE + n * timedelta(hours=1))
    clock(DUE - DAY + 4 * timedelta(hours=1))
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        try:
            with app.app_context():  # its own session and connection
                barrier.wait()
                reports.append(sending.run())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    expected = len(people) * 3
    assert sum(r.claimed for r in reports) == expected
    assert sum(r.sent for r in reports) == expected
    assert len(smtp.messages) == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == expected


def test_rules_are_rows_changed_from_the_command_line(app, smtp, clock, make_event, make_item,
                                                      unit_people):
    unit, focal, _head, _protocol = unit_people
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "rules", "due_soon_days", "5,2"])
    assert result.exit_code == 0
    assert "due_soon_days = 5,2" in result.output
    assert runner.invoke(args=["reminders", "rules", "overdue_limit", "0"]).exit_code != 0
    make_item(make_event(lead_unit=unit), unit=unit, due_at=DUE)
    clock(DUE - 5 * DAY + MINUTE)
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0
    assert "claimed 1, sent 1" in result.output
    assert subjects(smtp, focal.email) == ["Còn 5 ngày đến hạn: Cung cấp thông tin báo chí"]


def test_marking_a_near_event_held_or_a_draft_item_sends_nothing(app, smtp, clock, make_event,
                                                                 make_item, unit_people):
    unit, focal, _head, protocol = unit_people
    clock(START - timedelta(hours=3))
    event = make_event(lead_unit=unit, starts_at=START, status=EventStatus.CONFIRMED)
    event.status = EventStatus.HELD
    db.session.flush()
    event_saved.send(event, actor=protocol, changes={"status": ("confirmed", "held")}, created=False)
    draft = make_event(lead_unit=unit, starts_at=START, status=EventStatus.DRAFT)
    make_item(draft, unit=unit, due_at=START - timedelta(hours=1))
    db.session.commit()
    assert sending.run().claimed == 0
    assert smtp.to(focal.email) == []


def test_a_title_change_notifies_nobody(app, clock, make_event, unit_people):
    unit, _focal, _head, protocol = unit_people
    clock(START - timedelta(hours=3))
    event = make_event(lead_unit=unit, starts_at=START)
    event.title_vi = "Hội nghị xúc tiến đầu tư 2026"
    db.session.flush()
    event_saved.send(event, actor=protocol, changes={"title_vi": ("a", "b")}, created=False)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
