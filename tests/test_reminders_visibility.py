"""Confidential means confidential in every channel.

The bell, e-mails (subject, text, HTML, .ics attachment) and digests tell nobody about an
event they may not view, when the notice is created and again when it is sent.

The sweep: every notification kind, each against six events (public / internal /
confidential, sensitive or not) plus one made confidential after the notice and before the
send, and a person of every role inside the events' units and outside them, half reading
e-mail at once and half a daily digest. Every person is a recipient the kind would reach
(owner of an item, submitter, spokesperson, author, host): those who may view an event must
hear of it, the others must get nothing about it.
"""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.auth.models import User
from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus, ResponsibleRole
from app.checklists.signals import item_submitted, submission_reviewed
from app.events import access
from app.events.history import save_changes, snapshot
from app.events.models import Event, EventKind, EventStatus, Venue, Visibility
from app.events.services import change_status
from app.extensions import db
from app.monitoring.models import CaseStatus, Classification, MonitoringCase, Origin
from app.notifications import inbox, sending
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
)
from app.notifications.recipients import Directory
from app.notifications.services import notify_open_items
from app.notifications.texts import CASE_KINDS, render
from app.oversight import alerts
from app.oversight.notices import PPC_CODES
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.models import (
    AssignmentRole,
    AssignmentStatus,
    BriefingNote,
    BriefingNoteVersion,
    NoteStatus,
    SpokespersonAssignment,
    SpokespersonDesignation,
)
from app.spokespeople.signals import assignment_proposed, note_reviewed, note_submitted
from app.training.models import TrainingCourse, TrainingNomination
from app.training.signals import nomination_made
from tests.helpers import count, log_in

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)            # 10:00 in Hà Nội
NEXT_MORNING = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00: after the 07:30 digest
DAY = timedelta(days=1)
# Six events per case, and a seventh that turns confidential between the notice and the send.
CLASSES = [(v, s) for v in Visibility for s in (False, True)]
# The digest is a channel of every case. Notices about monitoring cases are not about events:
# their own rule (``notifications.guards``) is swept in tests/test_monitoring_cases.py. Nor are
# the oversight's standing alerts: their trigger is below, swept by
# ``test_sweep_standing_alerts_reach_only_those_concerned`` (and tests/test_oversight_alert_notices.py).
KINDS = [k for k in Kind if k is not Kind.DIGEST and k not in CASE_KINDS and k is not Kind.STANDING_ALERT]


def label(visibility, sensitive) -> str:
    return f"[{visibility.value}{'-sensitive' if sensitive else ''}]"


def tag(event) -> str:
    """The label the event was created with, such as "[confidential-sensitive]".

    It is written into every text of the event (and of its items and briefings) that a notice
    could carry: finding it in what someone received means they heard of that event.
    """
    return event.title_en[event.title_en.index("["):]


def texts(label: str) -> dict:
    return {"title_vi": f"Hội đàm {label}", "title_en": f"Talks {label}",
            "description_vi": f"Mô tả {label}", "description_en": f"About {label}",
            "internal_notes": f"NOTES {label}", "location": f"Place {label}"}


@dataclass
class World:
    events: list[Event]
    admin: User
    people: dict[tuple[Role, bool], User] = field(default_factory=dict)
    clerk: User | None = None  # submits and drafts in the sweep, so that everyone may be told


@pytest.fixture
def world(app, clock, make_unit, make_user):
    """One person of each role inside the events' units, and one outside.

    Inside: the lead unit (e-mail at once) or the coordinating unit (daily digest); outside:
    another unit, the other mode.
    """
    clock(T0)
    lead, coordinating, outside = make_unit("lead"), make_unit("coord"), make_unit("outside")
    people = {}
    for n, role in enumerate(Role):
        for inside in (True, False):
            digest = (n % 2 == 1) is inside
            unit = (coordinating if digest else lead) if inside else outside
            # Everyone heads their unit, so that escalations may reach them all.
            people[role, inside] = user = make_user(
                role, unit=unit, is_unit_head=True,
                email=f"{role.value}-{'in' if inside else 'out'}@example.gov.vn")
            if digest:
                db.session.add(NotificationPreference(user_id=user.id, mode=Mode.DIGEST))
    admin = people[Role.ADMIN, True]
    events = []
    for visibility, sensitive in [*CLASSES, (Visibility.INTERNAL, None)]:
        text = label(visibility, sensitive) if sensitive is not None else "[made-confidential]"
        venue = Venue(name=f"Hall {text}", address=f"Street {text}")
        events.append(Event(
            kind=EventKind.DIPLOMATIC, status=EventStatus.PLANNED, visibility=visibility,
            is_sensitive=bool(sensitive), lead_unit=lead, coordinating_units=[coordinating],
            starts_at=T0 + 10 * DAY, ends_at=T0 + 10 * DAY + timedelta(hours=2),
            timezone="Asia/Ho_Chi_Minh", venue=venue, organiser=admin,
            hosts=list(people.values()), **texts(text)))
    db.session.add_all(events)
    db.session.commit()
    clerk = make_user(Role.VIEWER, unit=make_unit("clerks"), email="clerk@example.gov.vn")
    return World(events, admin, people, clerk)


# --- what makes each kind happen, to everyone at once ---------------------------------------

def _items(world, due_at, owners=None) -> list[ChecklistItem]:
    """Items owed by persons: by everyone, or by the ``owners`` given."""
    items = [ChecklistItem(event=event, key=f"user:{u.id}", title_vi=f"Nhiệm vụ {tag(event)}",
                           title_en=f"Task {tag(event)}", role=ResponsibleRole.LEAD_UNIT,
                           user_id=u.id, due_at=due_at, status=ItemStatus.OPEN)
             for event in world.events for u in owners or world.people.values()]
    db.session.add_all(items)
    db.session.commit()
    return items


def _escalated(world) -> None:
    """One overdue item per unit: escalations reach every head (everyone) and protocol."""
    owners = {u.unit_id: u for u in world.people.values()}.values()
    _items(world, T0 - 2 * DAY - timedelta(hours=1), owners)


def _reviewed(world, accepted: bool) -> None:
    for item in _items(world, T0 + 5 * DAY, [world.admin]):
        for user in world.people.values():
            submission = ChecklistSubmission(item=item, text="x", submitted_by=user)
            db.session.add(submission)
            db.session.flush()
            submission_reviewed.send(submission, accepted=accepted, comment="Comment",
                                     actor=world.admin)


def _submitted(world) -> None:
    """Every person reviews (the sweep asks who may view, not who reviews: that has its tests)."""
    with mock.patch.object(Directory, "item_reviewers", return_value=list(world.people.values())):
        for item in _items(world, T0 + 5 * DAY, [world.admin]):
            submission = ChecklistSubmission(item=item, text="x", submitted_by=world.clerk)
            db.session.add(submission)
            db.session.flush()
            item_submitted.send(submission, actor=world.clerk)


def _note_submitted(world) -> None:
    with mock.patch.object(Directory, "note_approvers", return_value=list(world.people.values())):
        for briefing in _briefings(world):
            note = BriefingNote(briefing=briefing)
            version = BriefingNoteVersion(note=note, number=1, author=world.clerk,
                                          status=NoteStatus.SUBMITTED, key_messages_vi="Thông điệp")
            db.session.add_all([note, version])
            db.session.flush()
            note_submitted.send(version, actor=world.clerk)


def _briefings(world) -> list[Briefing]:
    briefings = [Briefing(event=event, title_vi=f"Họp báo {tag(event)}",
                          title_en=f"Press briefing {tag(event)}", starts_at=T0 + 9 * DAY,
                          ends_at=T0 + 9 * DAY + timedelta(hours=1),
                          status=BriefingStatus.SCHEDULED) for event in world.events]
    db.session.add_all(briefings)
    db.session.flush()
    return briefings


def _assigned(world) -> None:
    for briefing in _briefings(world):
        for user in world.people.values():
            assignment = SpokespersonAssignment(briefing=briefing, user=user, unit=user.unit,
                                                role=AssignmentRole.DEPUTY,
                                                status=AssignmentStatus.PROPOSED)
            db.session.add(assignment)
            db.session.flush()
            assignment_proposed.send(assignment, actor=world.admin)


def _note_reviewed(world, approved: bool) -> None:
    status = NoteStatus.APPROVED if approved else NoteStatus.RETURNED
    for briefing in _briefings(world):
        note = BriefingNote(briefing=briefing)
        db.session.add(note)
        for number, user in enumerate(world.people.values(), start=1):
            version = BriefingNoteVersion(note=note, number=number, author=user, status=status,
                                          key_messages_vi="Thông điệp", review_comment="Comment")
            db.session.add(version)
            db.session.flush()
            note_reviewed.send(version, approved=approved, actor=world.admin)


def _nominated(world) -> None:
    """Each event as a training course, with everyone nominated by their unit."""
    for event in world.events:
        course = TrainingCourse(event=event, capacity=50, target_roles=["focal"],
                                nomination_deadline=T0 + 5 * DAY)
        db.session.add(course)
        for user in world.people.values():
            nomination = TrainingNomination(course=course, user=user, unit_id=user.unit_id,
                                            nominated_by=world.admin)
            db.session.add(nomination)
            db.session.flush()
            nomination_made.send(nomination, actor=world.admin)


def _edit(world, change) -> None:
    """An editor's save of each event (``change(event)``), the one way events change."""
    for event in world.events:
        old = snapshot(event)
        change(event)
        db.session.flush()
        save_changes(world.admin, event, old, event.version)


def _moved(event) -> None:
    event.starts_at += DAY
    event.ends_at += DAY


def _changed_place(world) -> None:
    for event in world.events:  # less than 48 hours away: a change of place is urgent
        event.starts_at, event.ends_at = T0 + timedelta(hours=20), T0 + timedelta(hours=22)
    db.session.commit()
    _edit(world, lambda e: setattr(e, "venue", Venue(name=f"New hall {tag(e)}")))


def _cancelled(world) -> None:
    for event in world.events:
        change_status(world.admin, event, "cancelled", f"Reason {tag(event)}", event.version)


TRIGGERS = {
    Kind.ITEM_ASSIGNED: lambda w: notify_open_items(_items(w, T0 + 5 * DAY)),
    Kind.ITEM_DUE_SOON: lambda w: _items(w, T0 + 2 * DAY),
    Kind.ITEM_OVERDUE: lambda w: _items(w, T0 - timedelta(hours=1)),
    Kind.ITEM_ESCALATED: _escalated,
    Kind.SUBMISSION_RECEIVED: _submitted,
    Kind.SUBMISSION_ACCEPTED: lambda w: _reviewed(w, True),
    Kind.SUBMISSION_RETURNED: lambda w: _reviewed(w, False),
    Kind.SPOKESPERSON_ASSIGNED: _assigned,
    Kind.NOTE_SUBMITTED: _note_submitted,
    Kind.NOTE_APPROVED: lambda w: _note_reviewed(w, True),
    Kind.NOTE_RETURNED: lambda w: _note_reviewed(w, False),
    Kind.EVENT_RESCHEDULED: lambda w: _edit(w, _moved),
    Kind.EVENT_CANCELLED: _cancelled,
    Kind.EVENT_CHANGED: _changed_place,
    Kind.TRAINING_NOMINATED: _nominated,
    Kind.STANDING_ALERT: lambda w: _standing_alerts(w),
}


def _standing_alerts(world) -> None:
    """The lead unit's spokesperson list changes; a sensitive press question nears its answer.

    The question is the lead unit's, 27 days into its 30; T0 is also 14 days before the report
    of 15/12.
    """
    lead = world.events[0].lead_unit
    speaker = world.people[Role.SPOKESPERSON, True]
    db.session.add(SpokespersonDesignation(unit_id=lead.id, user_id=speaker.id, title="Phó Giám đốc",
                                           since=T0.date(), created_at=T0 - timedelta(hours=1)))
    received = T0 - 27 * DAY
    db.session.add(MonitoringCase(
        platform="Báo X", account="Ban Thời sự", url="https://bao.example/q", published_at=received,
        headline=f"Câu hỏi {tag(world.events[3])}", lead_unit_id=lead.id, classification=Classification.INCOMPLETE,
        origin=Origin.PRESS_REQUEST, is_sensitive=True, status=CaseStatus.VERIFYING, created_by_id=world.admin.id,
        created_at=received, updated_at=received, verify_due_at=received + DAY,
        respond_due_at=received + 30 * DAY, verified_at=received + timedelta(hours=2)))


def trigger(world, kind) -> None:
    TRIGGERS[kind](world)
    db.session.commit()


def send() -> None:
    """This morning's run (item reminders are claimed here), then tomorrow's (digests)."""
    sending.run(T0)
    sending.run(NEXT_MORNING)


# --- what each person received --------------------------------------------------------------

@dataclass
class Received:
    bell: list[tuple[Notification, str]]  # each entry with its text in both languages
    unread: int
    emails: list[tuple[str, str]]  # (subject, text and HTML; attachments) of each e-mail

    def about(self, event) -> tuple[list, list]:
        """The bell entries and e-mails that speak of ``event``."""
        marker = tag(event)
        return ([n for n, text in self.bell if n.event_id == event.id or marker in text],
                [e for e in self.emails if marker in "".join(e) or f"event-{event.id}.ics" in e[1]])


def mailboxes(smtp) -> dict[str, list[tuple[str, str]]]:
    """Each recipient's e-mails as (subject, text and HTML; attachments with their names)."""
    boxes: dict[str, list[tuple[str, str]]] = {}
    for message in smtp.messages:
        body = "\n".join([message["Subject"], message.get_body(("plain",)).get_content(),
                          message.get_body(("html",)).get_content()])
        attached = "\n".join(f"{a.get_filename()}\n{a.get_content()}"
                             for a in message.iter_attachments())
        boxes.setdefault(message["To"].addresses[0].addr_spec, []).append((body, attached))
    return boxes


def received(user, boxes) -> Received:
    bell = []
    for n in inbox.list_notifications(user):
        rendered = []
        for locale in ("vi", "en"):
            with force_locale(locale):
                text = render(n.kind, n.params, locale)
                rendered += [text.subject, *text.lines]
        bell.append((n, "\n".join(rendered)))
    return Received(bell, inbox.unread_count(user), boxes.get(user.email, []))


def assert_only_viewers_hear(world, smtp, kind) -> int:
    """Checks every (person, event) pair; returns how many pairs were denied."""
    denied = 0
    boxes = mailboxes(smtp)
    for (role, inside), user in world.people.items():
        got = received(user, boxes)
        for event in world.events:
            who = f"{role.value} {'inside' if inside else 'outside'}, {tag(event)} event"
            bell, emails = got.about(event)
            if access.can_view(user, event):
                assert kind in {n.kind for n in bell}, f"{who}: may view it but was not told"
                assert emails, f"{who}: may view it but got no e-mail about it"
            else:
                denied += 1
                assert (bell, emails) == ([], []), f"{who}: was told"
                assert not count(Delivery, Delivery.recipient_id == user.id,
                                 Delivery.event_id == event.id,
                                 Delivery.status != DeliveryStatus.WITHDRAWN), who
        # Never published, so never in a notice's words, whoever reads it.
        assert not any("NOTES" in text for _n, text in got.bell)
        assert not any("NOTES" in body for body, _attached in got.emails)
        assert got.unread == len(got.bell)
    return denied


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_sweep_nobody_hears_of_an_event_they_may_not_view(world, smtp, kind):
    trigger(world, kind)
    # One more internal event, made confidential after the notices and before the send.
    lost = world.events[-1]
    told = set(db.session.scalars(sa.select(Delivery.recipient_id)
                                  .where(Delivery.event_id == lost.id)))
    old = snapshot(lost)
    lost.visibility = Visibility.CONFIDENTIAL
    save_changes(world.admin, lost, old, lost.version)
    db.session.commit()

    send()
    denied = assert_only_viewers_hear(world, smtp, kind)
    # Outside the units of the three confidential events, everyone but steering and admin.
    assert denied == 3 * (len(Role) - 2)
    # Who lost sight had their notices withdrawn, with the reason; item reminders, created
    # by the run itself, were never created for them.
    outsiders = {u.id for u in world.people.values() if not access.can_view(u, lost)}
    rows = db.session.execute(sa.select(Delivery.recipient_id, Delivery.status, Delivery.last_error)
                              .where(Delivery.recipient_id.in_(outsiders),
                                     Delivery.event_id == lost.id)).all()
    assert {r.recipient_id for r in rows} == told & outsiders
    assert {(r.status, r.last_error) for r in rows} <= {(DeliveryStatus.WITHDRAWN,
                                                         sending.NOT_VISIBLE)}


def test_sweep_standing_alerts_reach_only_those_concerned(world, smtp):
    """Each person hears of exactly the alerts of their home page (``alerts.concerns``).

    A sensitive case's answer clock reaches only its circle, and no alert speaks of any event.
    """
    trigger(world, Kind.STANDING_ALERT)
    send()
    boxes = mailboxes(smtp)
    denied = 0

    def sent(found) -> list[str]:   # the PPC's alerts need a unit set as the PPC (none here)
        return sorted(a.code for a in found if not (a.code in PPC_CODES and not a.unit_ids))

    everything = set(sent(alerts.standing_alerts(T0, "Asia/Ho_Chi_Minh")))
    assert everything == {"roster_changed", "answer_clock", "report_date"}
    for (role, inside), user in world.people.items():
        who = f"{role.value} {'inside' if inside else 'outside'}"
        expected = sent(alerts.alerts_for(user, T0))
        got = received(user, boxes)
        notices = [n for n, _text in got.bell if n.kind is Kind.STANDING_ALERT]
        assert sorted(n.params["code"] for n in notices) == expected, who
        denied += len(everything) - len(expected)
        mailed = [body for body, _attached in got.emails if any(
            text.split("\n")[0] in body for n, text in got.bell if n.kind is Kind.STANDING_ALERT)]
        assert bool(mailed) == bool(expected), who
        for event in world.events:   # nobody hears of an event through an alert
            assert not any(tag(event) in text for n, text in got.bell
                           if n.kind is Kind.STANDING_ALERT and n.params["code"] != "answer_clock"), who
        secret_case = any(n.params["code"] == "answer_clock" for n in notices)
        assert secret_case == (role in (Role.STEERING, Role.ADMIN) or (inside and role in (
            Role.FOCAL, Role.SPOKESPERSON, Role.PROTOCOL, Role.LIAISON, Role.VIEWER)
            and user.unit_id == world.events[0].lead_unit_id)), who
    assert denied > 0


def test_the_bell_page_follows_the_visibility_of_now(world, client):
    """The header count and /notifications follow the visibility of now.

    A notice about an event the reader no longer sees disappears, and comes back when they
    see it again.
    """
    event = world.events[-1]  # internal
    world.events = [event]
    outsider = world.people[Role.FOCAL, False]
    trigger(world, Kind.EVENT_RESCHEDULED)
    log_in(client, outsider)
    page = client.get("/notifications").get_data(as_text=True)
    assert tag(event) in page
    assert 'data-testid="bell-count">1<' in page
    notice = inbox.list_notifications(outsider)[0]

    _edit(world, lambda e: setattr(e, "visibility", Visibility.CONFIDENTIAL))
    db.session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "Talks" not in page
    assert "Hội đàm" not in page
    assert 'data-testid="bell-count"' not in page
    assert client.post(f"/notifications/{notice.id}/read").status_code == 404
    assert client.post("/notifications/read-all").status_code == 302
    _edit(world, lambda e: setattr(e, "visibility", Visibility.INTERNAL))
    db.session.commit()
    assert inbox.unread_count(outsider) == 1  # not marked read while hidden


# --- the case, end to end: generation, notices, reminders, escalation ----------------

def test_a_confidential_event_planned_by_an_admin_reaches_only_its_lead_unit(
        app, smtp, clock, templates, make_unit, make_user):
    """Its press-liaison, protocol and steering items go to the lead unit.

    The other units' focal points, heads and protocol staff hear nothing, neither now nor
    when it escalates.
    """
    from app.events.services import create_event
    from app.units.models import UnitKind
    from tests.fixtures_events import event_data

    clock(T0)
    lead = make_unit("so-cong-thuong")
    liaison_unit, foreign_affairs = make_unit("so-vhttdl"), make_unit("so-ngoai-vu")
    steering_unit = make_unit("bcd-ttdn", kind=UnitKind.STEERING)
    insiders = [make_user(Role.FOCAL, unit=lead), make_user(Role.VIEWER, unit=lead, is_unit_head=True)]
    outsiders = [make_user(Role.LIAISON, unit=liaison_unit),
                 make_user(Role.FOCAL, unit=liaison_unit),
                 make_user(Role.VIEWER, unit=liaison_unit, is_unit_head=True),
                 make_user(Role.PROTOCOL, unit=foreign_affairs),
                 make_user(Role.FOCAL, unit=foreign_affairs, is_unit_head=True),
                 make_user(Role.FOCAL, unit=steering_unit)]
    make_user(Role.STEERING, unit=steering_unit)
    admin = make_user(Role.ADMIN, unit=foreign_affairs)
    start = T0 + 40 * DAY
    event = create_event(admin, event_data(
        lead.id, kind="delegation_in", visibility="confidential", is_sensitive=True,
        title_vi="Hội đàm [confidential-sensitive]", start_date=start.date(),
        end_date=start.date()))
    change_status(admin, event, "planned", "", event.version)
    db.session.commit()

    units = set(db.session.scalars(sa.select(ChecklistItem.unit_id).where(
        ChecklistItem.event_id == event.id)))
    assert units == {lead.id}
    for moment in (T0, T0 + 20 * DAY, T0 + 30 * DAY, T0 + 38 * DAY, T0 + 45 * DAY):
        sending.run(moment)  # due soon, overdue, escalated
    for user in insiders:
        assert smtp.to(user.email)
        assert inbox.list_notifications(user)
    assert {Kind.ITEM_ESCALATED} <= {n.kind for n in inbox.list_notifications(insiders[1])}
    for user in outsiders:
        assert smtp.to(user.email) == []
        assert inbox.unread_count(user) == 0
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
        Delivery.recipient_id.in_([u.id for u in outsiders])))
