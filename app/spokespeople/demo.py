"""Demo roster: designated spokespeople, one written authorisation, and a briefing to assign.

Idempotent. Called from ``app.demo.load`` after units and users exist.
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.assignments import clashes
from app.spokespeople.models import (
    AssignmentRole,
    Authorisation,
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
    return {"designated spokespeople": len(DESIGNATIONS), "authorisations": 1}


def _briefing_if_none(units, users, day) -> None:
    """Only when no other feature's demo created briefings: one event with a press briefing."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Briefing)):
        return
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.combine(day + timedelta(days=14), time(8, 0), zone).astimezone(UTC)
    event = Event(title_vi="Hội nghị xúc tiến đầu tư và du lịch tỉnh Quảng Ngãi năm 2027",
                  title_en="Quảng Ngãi investment and tourism promotion conference 2027",
                  kind=EventKind.PROMOTION, status=EventStatus.PLANNED,
                  visibility=Visibility.INTERNAL, starts_at=start,
                  ends_at=start + timedelta(hours=4), lead_unit=units["ubnd-tinh"])
    briefing = Briefing(event=event, title_vi="Họp báo giới thiệu Hội nghị xúc tiến đầu tư 2027",
                        title_en="Press briefing on the 2027 investment promotion conference",
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
