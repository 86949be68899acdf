"""Demo roster: designated spokespeople, one written authorisation, and a briefing to assign.

Idempotent. Called from ``app.demo.load`` after units and users exist.
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.press.defaults import with_prefix
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.assignments import clashes
from app.spokespeople.models import (
    AssignmentRole,
    Authorisation,
    ListNoticeEntry,
    SpokespersonAssignment,
    SpokespersonDesignation,
)
from app.spokespeople.roster import today
from app.timeutil import utcnow
from app.units.models import Unit

# user e-mail, unit slug, title in the directory
DESIGNATIONS = [
    ("spokesperson@demo.example", "ubnd-tinh", "Chánh Văn phòng UBND tỉnh, Người phát ngôn UBND tỉnh"),
    ("head.ngoaivu@demo.example", "so-ngoai-vu", "Giám đốc Sở Ngoại vụ"),
    ("head.vhttdl@demo.example", "so-vhttdl", "Giám đốc Sở Văn hóa, Thể thao và Du lịch"),
]
AUTHORISATION_NUMBER = "15/GUQ-SVHTTDL"


def load(units: dict[str, Unit], users: dict[str, User]) -> dict[str, int]:
    """Create what is missing; returns counts for the summary. Flushes only."""
    day = today()
    existing = {(d.user_id, d.unit_id) for d in db.session.scalars(sa.select(SpokespersonDesignation))}
    for email, slug, title in DESIGNATIONS:
        user, unit = users[email], units[slug]
        if (user.id, unit.id) not in existing:
            db.session.add(SpokespersonDesignation(
                unit=unit, user=user, title=title, phone=user.phone, email=email,
                since=day - timedelta(days=365)))
    if db.session.scalar(sa.select(Authorisation)
                         .where(Authorisation.document_number == AUTHORISATION_NUMBER)) is None:
        db.session.add(Authorisation(
            document_number=AUTHORISATION_NUMBER, document_date=day - timedelta(days=10),
            issued_by=users["head.vhttdl@demo.example"], user=users["focal@demo.example"],
            unit=units["so-vhttdl"], valid_from=day - timedelta(days=7),
            valid_until=day + timedelta(days=90),
            matters="Phát ngôn về Lễ hội văn hóa các dân tộc và chương trình xúc tiến du lịch năm "
                    "2027"))
    db.session.flush()
    _briefing_if_none(units, users, day)
    _assign_demo_spokesperson(units, users)
    _assign_unit_heads(users)
    _list_notice_log(users)
    return {"designated spokespeople": len(DESIGNATIONS), "authorisations": 1}


def _briefing_if_none(units, users, day) -> None:
    """Only when no other feature's demo created briefings: one event with a press briefing."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Briefing)):
        return
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    # Prefer an upcoming demo event of the People's Committee, then any open upcoming one;
    # invent an event only when there are none at all.
    upcoming = (sa.select(Event)
                .where(Event.visibility != Visibility.CONFIDENTIAL, Event.is_sensitive.is_(False),
                       Event.status.in_([EventStatus.PLANNED, EventStatus.CONFIRMED]),
                       Event.starts_at >= datetime.combine(day + timedelta(days=7), time(0), zone))
                .order_by(Event.starts_at).limit(1))
    event = (db.session.scalar(upcoming.where(Event.lead_unit_id == units["ubnd-tinh"].id))
             or db.session.scalar(upcoming))
    if event is None:
        if db.session.scalar(sa.select(Event.id).limit(1)) is not None:
            return
        start = datetime.combine(day + timedelta(days=14), time(8, 0), zone).astimezone(UTC)
        event = Event(title_vi="Hội nghị xúc tiến đầu tư và du lịch tỉnh Quảng Ngãi năm 2027",
                      title_en="Quảng Ngãi investment and tourism promotion conference 2027",
                      kind=EventKind.PROMOTION, status=EventStatus.PLANNED,
                      visibility=Visibility.INTERNAL, starts_at=start,
                      ends_at=start + timedelta(hours=4), lead_unit=units["ubnd-tinh"])
    start = event.starts_at
    briefing = Briefing(event=event, title_vi=with_prefix("Họp báo: ", event.title_vi)[:300],
                        title_en=with_prefix("Press briefing: ",
                                             event.title_en or event.title_vi)[:300],
                        starts_at=start - timedelta(days=3), ends_at=start - timedelta(days=3, hours=-1),
                        status=BriefingStatus.SCHEDULED, location="Hội trường UBND tỉnh")
    db.session.add_all([event, briefing])
    db.session.flush()


def _assign_demo_spokesperson(units, users) -> None:
    """Propose the demo spokesperson for the next briefing nobody speaks at, if free then."""
    speaker = users["spokesperson@demo.example"]
    if db.session.scalar(sa.select(SpokespersonAssignment.id)
                         .where(SpokespersonAssignment.user_id == speaker.id).limit(1)):
        return
    taken = sa.select(SpokespersonAssignment.briefing_id)
    upcoming = db.session.scalars(
        sa.select(Briefing).where(Briefing.starts_at > utcnow(),
                                  Briefing.status != BriefingStatus.CANCELLED,
                                  Briefing.id.not_in(taken))
        .order_by(Briefing.starts_at).limit(20))
    for briefing in upcoming:
        if not clashes(speaker, briefing.starts_at, briefing.ends_at):
            db.session.add(SpokespersonAssignment(
                briefing=briefing, user=speaker, unit=units["ubnd-tinh"], role=AssignmentRole.LEAD,
                assigned_by=users["protocol@demo.example"]))
            db.session.flush()
            return


def _assign_unit_heads(users) -> None:
    """Briefings made by hand for delegations and signings: the lead unit's head speaks.

    The head needs no designation (Decree 09/2017, rule 3); only when free then.
    """
    heads = {u.unit_id: u for u in users.values() if u.is_unit_head and u.active}
    taken = sa.select(SpokespersonAssignment.briefing_id)
    briefings = db.session.scalars(
        sa.select(Briefing).join(Event, Event.id == Briefing.event_id)
        .where(Briefing.checklist_key.is_(None), Briefing.starts_at > utcnow(),
               Briefing.status == BriefingStatus.SCHEDULED, Briefing.id.not_in(taken),
               Event.kind.in_([EventKind.DELEGATION_IN, EventKind.DELEGATION_OUT,
                               EventKind.SIGNING]))
        .order_by(Briefing.starts_at).limit(20)).all()
    for briefing in briefings:
        head = heads.get(briefing.event.lead_unit_id)
        if head is not None and not clashes(head, briefing.starts_at, briefing.ends_at):
            db.session.add(SpokespersonAssignment(
                briefing=briefing, user=head, unit=briefing.event.lead_unit,
                role=AssignmentRole.LEAD, assigned_by=users["protocol@demo.example"]))
            db.session.flush()


def _list_notice_log(users) -> None:
    """The list went to the press authority a month ago and changed since: the alert stands."""
    if db.session.scalar(sa.select(ListNoticeEntry.id).limit(1)) is not None:
        return
    now = utcnow()
    protocol = users["protocol@demo.example"]
    db.session.add_all([
        ListNoticeEntry(kind="sent", at=now - timedelta(days=30), by_id=protocol.id,
                        note="Công văn gửi Sở VHTTDL"),
        ListNoticeEntry(kind="changed", at=now - timedelta(days=2), by_id=protocol.id,
                        note="+ Ngô Thị Thu (Sở VHTTDL)")])
    db.session.flush()
