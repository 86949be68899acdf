"""The words, language, structure and .ics attachment of each kind of e-mail."""
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from app.auth.roles import Role
from app.events.models import EventStatus
from app.events.signals import event_saved
from app.extensions import db
from app.notifications import sending
from app.notifications.services import (
    notify_assignment,
    notify_item_assigned,
    notify_note_reviewed,
    notify_submission_reviewed,
)
from app.press.models import Briefing
from app.spokespeople.models import AssignmentRole, SpokespersonAssignment

START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock, make_unit, make_user, make_event, make_item):
    clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    unit = make_unit(name_vi="Sở Ngoại vụ", name_en="Department of Foreign Affairs")
    vi = make_user(Role.FOCAL, unit=unit, locale="vi", name="Lê Văn Hùng")
    en = make_user(Role.SPOKESPERSON, unit=unit, locale="en", name="Jane Doe")
    event = make_event(lead_unit=unit, starts_at=START, location="Hội trường UBND tỉnh")
    item = make_item(event, unit=unit, due_at=DUE)
    briefing = Briefing(event=event, title_vi="Họp báo thường kỳ", title_en="Regular press briefing",
                        starts_at=START - timedelta(days=1), ends_at=START - timedelta(days=1, hours=-1))
    db.session.add(briefing)
    db.session.commit()
    return SimpleNamespace(unit=unit, vi=vi, en=en, event=event, item=item, briefing=briefing)


def sent_to(smtp, user):
    sending.run()
    messages = smtp.to(user.email)
    assert messages, f"nothing sent to {user.email}"
    message = messages[-1]
    return (message["Subject"], message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content(), message)


def _assign_item_to(world, user):
    world.item.user_id = user.id
    db.session.commit()
    notify_item_assigned(world.item)
    db.session.commit()


@pytest.mark.parametrize(("who", "subject", "phrase"), [
    ("vi", "Nhiệm vụ mới: Cung cấp thông tin báo chí", "Thời hạn: 5 tháng 12, 2026, 08:00."),
    ("en", "New task: Provide press information", "Due: 5 December 2026, 08:00."),
])
def test_item_assigned(world, smtp, who, subject, phrase):
    user = getattr(world, who)
    _assign_item_to(world, user)
    got_subject, text, html, message = sent_to(smtp, user)
    assert got_subject == subject
    assert phrase in text
    assert phrase in html
    assert message["Content-Language"] == who
    assert "http://localhost/events/" in text


@pytest.mark.parametrize(("accepted", "who", "subject", "phrase"), [
    (True, "vi", "Đã tiếp nhận: Cung cấp thông tin báo chí", "đã được tiếp nhận"),
    (False, "vi", "Bị trả lại: Cung cấp thông tin báo chí", "Ý kiến: Thiếu số liệu"),
    (True, "en", "Accepted: Provide press information", "was accepted"),
    (False, "en", "Returned: Provide press information", "Comment: Thiếu số liệu"),
])
def test_submission_reviewed(world, smtp, accepted, who, subject, phrase):
    user = getattr(world, who)
    submission = SimpleNamespace(id=7, item=world.item, submitted_by=user)
    notify_submission_reviewed(submission, accepted, comment="Thiếu số liệu")
    db.session.commit()
    got_subject, text, _html, _m = sent_to(smtp, user)
    assert got_subject == subject
    assert phrase in text


@pytest.mark.parametrize(("who", "subject", "phrase"), [
    ("vi", "Đồng chí được phân công phát ngôn: Họp báo thường kỳ", "Bắt đầu: 9 tháng 12, 2026, 08:00."),
    ("en", "You are a spokesperson: Regular press briefing", "Starts: 9 December 2026, 08:00."),
])
def test_spokesperson_assigned_with_the_events_ics(world, smtp, who, subject, phrase):
    user = getattr(world, who)
    assignment = SpokespersonAssignment(briefing=world.briefing, user=user, unit=world.unit,
                                        role=AssignmentRole.LEAD)
    db.session.add(assignment)
    db.session.flush()
    notify_assignment(assignment)
    db.session.commit()
    got_subject, text, _html, message = sent_to(smtp, user)
    assert got_subject == subject
    assert phrase in text
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"event-{world.event.id}@localhost"
    assert vevent.decoded("DTSTART") == START
    assert str(vevent["SUMMARY"]) == world.event.title(who)
    assert str(vevent["LOCATION"]) == "Hội trường UBND tỉnh"


@pytest.mark.parametrize(("approved", "who", "subject"), [
    (True, "vi", "Đề cương phát ngôn đã được duyệt: Họp báo thường kỳ"),
    (False, "vi", "Đề cương phát ngôn bị trả lại: Họp báo thường kỳ"),
    (True, "en", "Briefing note approved: Regular press briefing"),
    (False, "en", "Briefing note returned: Regular press briefing"),
])
def test_note_reviewed(world, smtp, approved, who, subject):
    user = getattr(world, who)
    version = SimpleNamespace(note=SimpleNamespace(id=3, briefing=world.briefing), author=user,
                              number=2, review_comment="Bổ sung phần hỏi đáp")
    notify_note_reviewed(version, approved)
    db.session.commit()
    got_subject, text, _html, _m = sent_to(smtp, user)
    assert got_subject == subject
    assert ("Bổ sung phần hỏi đáp" in text) is (not approved)


@pytest.mark.parametrize(("who", "subject", "phrase"), [
    ("vi", "Đã thay đổi thời gian: Hội nghị xúc tiến đầu tư", "nay bắt đầu lúc 11 tháng 12, 2026, 10:00"),
    ("en", "Rescheduled: Investment promotion conference", "now starts at 11 December 2026, 10:00"),
])
def test_event_rescheduled(world, smtp, who, subject, phrase):
    user = getattr(world, who)
    world.event.hosts = [user]
    old = world.event.starts_at
    world.event.starts_at = START + timedelta(days=1, hours=2)
    world.event.ends_at = world.event.starts_at + timedelta(hours=2)
    db.session.flush()
    event_saved.send(world.event, actor=None, changes={"starts_at": (old, world.event.starts_at)},
                     created=False)
    db.session.commit()
    got_subject, text, _html, message = sent_to(smtp, user)
    assert got_subject == subject
    assert phrase in text
    vevent = Calendar.from_ical(next(message.iter_attachments()).get_content()).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == world.event.starts_at


@pytest.mark.parametrize(("who", "subject"), [
    ("vi", "Đã hủy: Hội nghị xúc tiến đầu tư"), ("en", "Cancelled: Investment promotion conference")])
def test_event_cancelled(world, smtp, who, subject):
    user = getattr(world, who)
    world.event.hosts = [user]
    world.event.status = EventStatus.CANCELLED
    db.session.flush()
    event_saved.send(world.event, actor=None, changes={"status": ("planned", "cancelled")},
                     created=False)
    db.session.commit()
    got_subject, _text, _html, message = sent_to(smtp, user)
    assert got_subject == subject
    vevent = Calendar.from_ical(next(message.iter_attachments()).get_content()).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_every_kind_of_reminder_reads_in_english_too(world, smtp, clock):
    world.item.user_id = world.en.id
    db.session.commit()
    clock(DUE - timedelta(days=3) + timedelta(minutes=1))
    assert sent_to(smtp, world.en)[0] == "Due in 3 day(s): Provide press information"
    clock(DUE + timedelta(minutes=1))
    subject, text, _html, _m = sent_to(smtp, world.en)
    assert subject == "Overdue: Provide press information"
    assert "was due at 5 December 2026, 08:00 and is not done" in text


def test_times_in_another_zone_name_it(world, smtp):
    world.event.timezone = "Asia/Vientiane"
    world.item.user_id = world.en.id
    db.session.commit()
    notify_item_assigned(world.item)
    db.session.commit()
    assert "Due: 5 December 2026, 08:00 (Laos Time)." in sent_to(smtp, world.en)[1]


def test_a_host_from_outside_a_confidential_event_hears_nothing_of_it(world, smtp, make_user):
    from app.events.models import Visibility
    outsider = make_user(Role.VIEWER)
    world.event.visibility = Visibility.CONFIDENTIAL
    world.event.hosts = [outsider]
    old = world.event.starts_at
    world.event.starts_at = old + timedelta(hours=1)
    world.event.ends_at = world.event.starts_at + timedelta(hours=1)
    db.session.flush()
    event_saved.send(world.event, actor=None, changes={"starts_at": (old, world.event.starts_at)},
                     created=False)
    db.session.commit()
    sending.run()
    assert smtp.messages
    assert smtp.to(outsider.email) == []
