"""Work that waits for someone reaches them: submissions their reviewers, notes their approvers."""
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists import work
from app.checklists.models import ChecklistItem
from app.extensions import db
from app.notifications.models import Kind, Notification
from app.spokespeople import notes
from tests.fixtures_checklists import provide_item
from tests.helpers import log_in


def told(kind: Kind) -> set[int]:
    return set(db.session.scalars(sa.select(Notification.recipient_id).where(Notification.kind == kind)))


def test_a_submission_reaches_the_lead_units_reviewers_and_no_one_else(setting, uploads,
                                                                        make_user):
    s = setting
    lead_head = make_user(Role.VIEWER, unit=s.lead, is_unit_head=True)
    item = provide_item(s, s.coord_a)
    work.submit(s.focal_a, item, "Số liệu hợp tác năm 2026", [], item.version)
    db.session.commit()
    # The lead unit's focal point and head review it; protocol, who may review too, is not
    # told of every submission while the lead unit has reviewers.
    assert told(Kind.SUBMISSION_RECEIVED) == {s.lead_focal.id, lead_head.id}
    bell = db.session.scalar(sa.select(Notification).where(
        Notification.recipient_id == s.lead_focal.id, Notification.kind == Kind.SUBMISSION_RECEIVED))
    assert bell.url == f"/checklists/items/{item.id}"


def test_without_reviewers_in_the_lead_unit_protocol_hears(setting, uploads):
    s = setting
    s.lead_focal.active = False
    db.session.commit()
    item = provide_item(s, s.coord_a)
    work.submit(s.focal_a, item, "Số liệu", [], item.version)
    db.session.commit()
    assert told(Kind.SUBMISSION_RECEIVED) == {s.protocol.id}


def test_the_lead_units_own_submission_does_not_notify_its_author(setting, uploads):
    s = setting
    provide_item(s, s.coord_a)  # generates the checklist
    item = db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == s.event.id, ChecklistItem.unit_id == s.lead.id).limit(1))
    work.submit(s.lead_focal, item, "Thông tin của đơn vị chủ trì", [], item.version)
    db.session.commit()
    assert s.lead_focal.id not in told(Kind.SUBMISSION_RECEIVED)


def test_a_submitted_note_reaches_the_lead_head_and_protocol(note_setting, make_user):
    unit, speaker, _briefing, note, protocol = note_setting
    head = make_user(Role.VIEWER, unit=unit, is_unit_head=True)
    steering = make_user(Role.STEERING)
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp chính"))
    notes.submit(speaker, note, 1)
    db.session.commit()
    assert told(Kind.NOTE_SUBMITTED) == {head.id, protocol.id}
    assert steering.id not in told(Kind.NOTE_SUBMITTED)
    assert notes.can_approve(head, note)
    assert notes.can_approve(protocol, note)


def test_a_sensitive_events_note_reaches_steering_only(note_setting, make_user):
    unit, speaker, briefing, note, protocol = note_setting
    head = make_user(Role.VIEWER, unit=unit, is_unit_head=True)
    steering = make_user(Role.STEERING)
    briefing.event.is_sensitive = True
    db.session.commit()
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp chính"))
    notes.submit(speaker, note, 1)
    db.session.commit()
    assert told(Kind.NOTE_SUBMITTED) == {steering.id}
    assert notes.can_approve(steering, note)
    assert not notes.can_approve(protocol, note)
    assert not notes.can_approve(head, note)


def test_the_dashboard_lists_notes_waiting_for_my_approval(note_setting, make_user, client):
    unit, speaker, briefing, note, protocol = note_setting
    other_protocol = make_user(Role.PROTOCOL)
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp chính"))
    notes.submit(speaker, note, 1)
    db.session.commit()
    assert notes.awaiting_approval(protocol) == [note]
    assert notes.awaiting_approval(speaker) == []
    log_in(client, other_protocol)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="notes-to-approve"' in page
    assert f"/notes/{note.id}" in page
    briefing.event.is_sensitive = True
    db.session.commit()
    assert notes.awaiting_approval(protocol) == []


def test_the_dashboard_shows_the_next_weeks_events_the_reader_may_see(
        app, clock, client, make_unit, make_user, make_event):
    from datetime import UTC, datetime, timedelta

    from app.events.models import EventStatus, Visibility
    clock(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    unit, other = make_unit("u-a"), make_unit("u-b")
    reader = make_user(Role.VIEWER, unit=unit)
    soon = make_event(lead_unit=unit, title_vi="Tiếp đoàn Attapeu",
                      starts_at=datetime(2026, 12, 9, 1, 0, tzinfo=UTC))
    make_event(lead_unit=other, visibility=Visibility.CONFIDENTIAL, title_vi="Họp kín",
               starts_at=datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    make_event(lead_unit=unit, title_vi="Đã hủy", status=EventStatus.CANCELLED,
               starts_at=datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
    make_event(lead_unit=unit, title_vi="Tháng sau",
               starts_at=datetime(2026, 12, 7, 2, 0, tzinfo=UTC) + timedelta(days=30))
    log_in(client, reader)
    page = client.get("/").get_data(as_text=True)
    panel = page[page.index('data-testid="upcoming-events"'):]
    assert f"/events/{soon.id}" in panel
    assert "Tiếp đoàn Attapeu" in panel
    for hidden in ("Họp kín", "Đã hủy", "Tháng sau"):
        assert hidden not in panel


def test_notes_approve_clause_agrees_with_the_python_rule(demo_app):
    """The SQL twin of ``can_approve`` (the dashboard's notes to approve) says the same."""
    from types import SimpleNamespace

    from app.auth.models import User
    from app.events.models import Event
    from app.press.models import Briefing

    briefings = db.session.scalars(sa.select(Briefing)).all()
    approvers = 0
    for user in db.session.scalars(sa.select(User)).all():
        in_sql = set(db.session.scalars(
            sa.select(Briefing.id).join(Event, Event.id == Briefing.event_id)
            .where(notes.approve_clause(user))))
        in_python = {b.id for b in briefings
                     if notes.can_approve(user, SimpleNamespace(briefing=b))}
        assert in_sql == in_python, user.email
        approvers += bool(in_sql)
    assert approvers > 1
