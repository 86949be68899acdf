"""Demo press directory, the PPC's periodic press conferences, briefings made by hand.

Called from ``app.demo.load``; idempotent.
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.events.models import Event, EventKind, EventStatus, Visibility
from app.extensions import db
from app.press.defaults import briefing_titles, defaults_for, proposed_times, seed_defaults
from app.press.models import (
    Anchor,
    Briefing,
    BriefingKind,
    BriefingStatus,
    InvitationStatus,
    OutletScope,
    PressForm,
    PressOutlet,
    briefing_outlets,
)
from app.timeutil import utcnow

DEMO_OUTLETS = [
    ("Báo Quảng Ngãi", OutletScope.DOMESTIC, "toasoan@baoquangngai.example", "vi"),
    ("Đài Phát thanh và Truyền hình Quảng Ngãi", OutletScope.DOMESTIC, "thoisu@ptqn.example", "vi"),
    ("Thông tấn xã Việt Nam", OutletScope.DOMESTIC, "vna@vna.example", "vi, en"),
    ("Báo Nhân Dân", OutletScope.DOMESTIC, "bandoc@nhandan.example", "vi, en"),
    ("Vientiane Times", OutletScope.FOREIGN, "news@vientianetimes.example", "lo, en"),
    ("Khmer Times", OutletScope.FOREIGN, "editor@khmertimes.example", "km, en"),
]


def seed_outlets() -> int:
    """Demo press directory; idempotent by name."""
    known = set(db.session.scalars(sa.select(PressOutlet.name)))
    added = 0
    for name, scope, contact, languages in DEMO_OUTLETS:
        if name not in known:
            db.session.add(PressOutlet(name=name, scope=scope, contact=contact, languages=languages))
            added += 1
    db.session.flush()
    return added


# The People's Committee's periodic press conferences (Decree 09/2017 Art. 5: at least every
# three months): (days from today, held?). The last one held 20 days ago clears the 90-day
# alert, which returns by itself 70 days later unless the next one is held.
PPC_CONFERENCES = [(-110, True), (-20, True), (70, False)]
PPC_TITLE = "Họp báo định kỳ của UBND tỉnh"
# Demo briefings made by hand: the delegation and signing events starting soonest.
HAND_MADE_KINDS = (EventKind.DELEGATION_IN, EventKind.DELEGATION_OUT, EventKind.SIGNING)
HAND_MADE_EVENTS = 4


def load_briefings(units: dict, users: dict) -> dict[str, int]:
    """PPC periodic press conferences; briefings by hand with invited outlets. Idempotent."""
    seed_defaults()
    seed_outlets()
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    today = utcnow().astimezone(zone).date()
    _ppc_conferences(units["ubnd-tinh"], today, zone)
    made = _hand_made_briefings(today, zone)
    db.session.flush()
    return {"briefings by hand": made}


def _ppc_conferences(ppc, today, zone) -> None:
    known = set(db.session.scalars(sa.select(Event.title_vi).where(
        Event.title_vi.startswith(PPC_TITLE))))
    for days, held in PPC_CONFERENCES:
        day = today + timedelta(days=days)
        quarter = (day.month - 1) // 3 + 1
        title = f"{PPC_TITLE} quý {quarter}/{day.year}"
        if title in known:
            continue
        starts = datetime.combine(day, time(15, 0), zone).astimezone(UTC)
        event = Event(title_vi=title,
                      title_en=f"Provincial People's Committee periodic press conference, "
                               f"Q{quarter} {day.year}",
                      kind=EventKind.POLITICAL, visibility=Visibility.PUBLIC,
                      status=EventStatus.HELD if held else EventStatus.PLANNED,
                      starts_at=starts, ends_at=starts + timedelta(hours=2), lead_unit=ppc,
                      location="Hội trường UBND tỉnh")
        briefing = Briefing(event=event, kind=BriefingKind.PRE_EVENT, form=PressForm.PRESS_CONFERENCE,
                            title_vi=title, title_en=event.title_en, starts_at=starts,
                            ends_at=starts + timedelta(hours=2), location="Hội trường UBND tỉnh",
                            status=BriefingStatus.HELD if held else BriefingStatus.SCHEDULED,
                            visibility=Visibility.PUBLIC, chair="Phó Chủ tịch UBND tỉnh",
                            purpose="Thông tin định kỳ về tình hình kinh tế – xã hội, đối ngoại")
        db.session.add_all([event, briefing])


def _hand_made_briefings(today, zone) -> int:
    """Upcoming delegations and signings get their kind's briefings, two outlets invited."""
    if db.session.scalar(sa.select(Briefing.id).join(
            briefing_outlets, briefing_outlets.c.briefing_id == Briefing.id)
            .where(Briefing.checklist_key.is_(None)).limit(1)):
        return 0
    events = db.session.scalars(
        sa.select(Event).where(Event.kind.in_(HAND_MADE_KINDS),
                               Event.status.in_([EventStatus.PLANNED, EventStatus.CONFIRMED]),
                               Event.visibility != Visibility.CONFIDENTIAL,
                               Event.starts_at >= datetime.combine(today + timedelta(days=3),
                                                                   time(0), zone))
        .order_by(Event.starts_at).limit(HAND_MADE_EVENTS)).all()
    outlets = {o.name: o for o in db.session.scalars(sa.select(PressOutlet))}
    invited = [outlets["Báo Quảng Ngãi"], outlets["Vientiane Times"]]
    made = 0
    for event in events:
        for default in defaults_for(event.kind):
            if default.anchor is not Anchor.START or default.offset_days > 0:
                continue
            starts, ends = proposed_times(event, default)
            title_vi, title_en = briefing_titles(default.briefing_kind, event.title_vi,
                                                 event.title_en or event.title_vi)
            briefing = Briefing(
                event=event, kind=default.briefing_kind, form=default.form,
                status=BriefingStatus.SCHEDULED, title_vi=title_vi, title_en=title_en,
                starts_at=min(starts, event.starts_at - timedelta(hours=2)),
                ends_at=min(ends, event.starts_at - timedelta(hours=1)), timezone=event.timezone,
                location=event.location or "Sở Ngoại vụ", visibility=Visibility.INTERNAL,
                outlets=list(invited))
            db.session.add(briefing)
            made += 1
    db.session.flush()
    # One answer of each kind, so the page shows them.
    first = db.session.scalar(sa.select(Briefing.id).where(Briefing.checklist_key.is_(None),
                                                           Briefing.event_id.in_([e.id for e in events]))
                              .order_by(Briefing.id))
    if first is not None:
        db.session.execute(sa.update(briefing_outlets).where(
            briefing_outlets.c.briefing_id == first,
            briefing_outlets.c.outlet_id == invited[0].id).values(status=InvitationStatus.CONFIRMED))
    return made
