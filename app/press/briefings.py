"""Press briefings (họp báo) of events: proposal, editing, outlets, notice and release.

Every function takes the acting user where a permission applies, flushes and
never commits.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import Event, EventStatus
from app.extensions import db
from app.i18n import _
from app.press.models import Briefing, BriefingStatus, OutletScope, PressOutlet
from app.timeutil import utcnow

# A proposed briefing is set at this local time on the day its checklist item is due.
PROPOSED_START = time(9, 0)
PROPOSED_LENGTH = timedelta(hours=1)
# Press Law Art. 41(3): written notice to the press authority at least 24 h before.
NOTICE_LEAD_TIME = timedelta(hours=24)
OPEN_EVENT_STATUSES = frozenset({EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.POSTPONED})
MANAGE_OUTLET_ROLES = (Role.ADMIN, Role.PROTOCOL, Role.LIAISON)


# --- proposal from the checklist ------------------------------------------------------

def _proposed_times(event: Event, template) -> tuple[datetime, datetime]:
    from app.checklists.services import compute_due

    zone = ZoneInfo(event.timezone or "Asia/Ho_Chi_Minh")
    due = compute_due(event, template.offset, template.offset_unit, template.anchor)
    starts = datetime.combine(due.astimezone(zone).date(), PROPOSED_START, tzinfo=zone)
    starts = starts.astimezone(timezone.utc)
    return starts, starts + PROPOSED_LENGTH


def sync_proposed_briefings(events: list[Event], templates, with_delegation: set[int]) -> None:
    """Propose a briefing for each template with ``creates_briefing`` that applies to an event.

    A briefing still only *proposed* follows the event when it moves and is
    cancelled when the event is cancelled or its kind no longer asks for one;
    once scheduled by a person it is theirs (only an event cancellation cancels it).
    """
    from app.checklists.services import applies, item_key

    briefing_templates = [t for t in templates if t.creates_briefing]
    ids = [e.id for e in events]
    existing: dict[int, dict[str, Briefing]] = {}
    for start in range(0, len(ids), 500):
        for briefing in db.session.scalars(sa.select(Briefing).where(
                Briefing.event_id.in_(ids[start:start + 500]), Briefing.checklist_key.is_not(None))):
            existing.setdefault(briefing.event_id, {})[briefing.checklist_key] = briefing
    if not briefing_templates and not existing:
        return
    moves = []  # proposed briefings following their event: one executemany, not one UPDATE each
    for event in events:
        wanted = {}
        if event.status in OPEN_EVENT_STATUSES:
            wanted = {item_key(t.id): t for t in briefing_templates
                      if t.kind in (None, event.kind)
                      and applies(t, event, event.id in with_delegation)}
        mine = existing.get(event.id, {})
        for key, template in wanted.items():
            briefing = mine.get(key)
            starts, ends = _proposed_times(event, template)
            if briefing is None:
                db.session.add(Briefing(
                    event=event, checklist_key=key, status=BriefingStatus.PROPOSED,
                    title_vi="Họp báo: " + event.title_vi,
                    title_en=("Press conference: " + event.title_en) if event.title_en else "",
                    starts_at=starts, ends_at=ends, timezone=event.timezone,
                    venue_id=event.venue_id, location=event.location or ""))
            elif briefing.status is BriefingStatus.PROPOSED and briefing.starts_at != starts:
                moves.append({"b_id": briefing.id, "b_version": briefing.version,
                              "b_starts": starts, "b_ends": ends})
        cancel = (BriefingStatus.PROPOSED, BriefingStatus.SCHEDULED) \
            if event.status is EventStatus.CANCELLED else (BriefingStatus.PROPOSED,)
        for key, briefing in mine.items():
            if key not in wanted and briefing.status in cancel:
                briefing.status = BriefingStatus.CANCELLED
                briefing.sequence += 1
    db.session.flush()
    if moves:
        _move_proposed(moves)


def _move_proposed(moves: list[dict]) -> None:
    """Move proposed briefings with their event. The version and status guards leave alone a
    briefing someone changed meanwhile (it is no longer this sync's to move)."""
    table = Briefing.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == sa.bindparam("b_id"), table.c.version == sa.bindparam("b_version"),
               table.c.status == BriefingStatus.PROPOSED)
        .values(starts_at=sa.bindparam("b_starts"), ends_at=sa.bindparam("b_ends"),
                sequence=table.c.sequence + 1, version=table.c.version + 1, updated_at=utcnow()),
        moves)
    for move in moves:  # loaded objects re-read their rows
        briefing = db.session.get(Briefing, move["b_id"])
        if briefing is not None:
            db.session.expire(briefing)


# --- permissions ------------------------------------------------------------------------

def is_event_insider(user, event: Event) -> bool:
    """Members of the event's lead and coordinating units, steering and admins."""
    if has_role(user, Role.ADMIN, Role.STEERING):
        return True
    return user is not None and getattr(user, "is_authenticated", False) and user.active \
        and user.unit_id is not None and user.unit_id in event.unit_ids


def can_manage(user, briefing: Briefing) -> bool:
    """Protocol, admins, press liaisons and whoever may edit the event."""
    return access.can_view(user, briefing.event) and (
        has_role(user, Role.ADMIN, Role.PROTOCOL, Role.LIAISON)
        or access.can_edit(user, briefing.event))


def require_manage(user, briefing: Briefing) -> None:
    access.require_view(user, briefing.event)
    if not can_manage(user, briefing):
        raise PermissionDenied()


def can_see_release(user, briefing: Briefing, now: datetime | None = None) -> bool:
    """The press release is for the event's units only until its embargo ends."""
    if not access.can_view(user, briefing.event):
        return False
    embargo = briefing.release_embargo_until
    if embargo is None or (now or utcnow()) >= embargo:
        return True
    return is_event_insider(user, briefing.event)


def get_visible(user, briefing_id: int) -> Briefing:
    briefing = db.session.get(Briefing, briefing_id)
    access.require_view(user, briefing.event if briefing else None)
    return briefing


def visible_briefings(user, *, upcoming_from: datetime | None = None, limit: int = 200):
    query = (sa.select(Briefing).join(Event, Event.id == Briefing.event_id)
             .where(access.visible_clause(user)).order_by(Briefing.starts_at).limit(limit))
    if upcoming_from is not None:
        query = query.where(Briefing.starts_at >= upcoming_from)
    return list(db.session.scalars(query))


# --- editing ----------------------------------------------------------------------------

@dataclass
class BriefingData:
    title_vi: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: BriefingStatus
    visibility: object
    purpose: str
    chair: str
    outlet_ids: list[int]


def update_briefing(user, briefing: Briefing, data: BriefingData) -> Briefing:
    require_manage(user, briefing)
    if data.ends_at < data.starts_at:
        raise ValidationFailed(_("The briefing must end after it starts."), "ends_at")
    if briefing.event.status is EventStatus.CANCELLED and data.status is not BriefingStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled: its briefing can only be cancelled."),
                               "status")
    outlets = list(db.session.scalars(sa.select(PressOutlet).where(
        PressOutlet.id.in_(data.outlet_ids or [0]))))
    moved = (briefing.starts_at, briefing.ends_at, briefing.location, briefing.status) != (
        data.starts_at, data.ends_at, data.location, data.status)
    briefing.title_vi, briefing.title_en = data.title_vi, data.title_en
    briefing.starts_at, briefing.ends_at = data.starts_at, data.ends_at
    briefing.location, briefing.status, briefing.visibility = data.location, data.status, data.visibility
    briefing.purpose, briefing.chair = data.purpose, data.chair
    briefing.outlets = outlets
    if moved:
        briefing.sequence += 1
    db.session.flush()
    return briefing


def update_release(user, briefing: Briefing, release_vi: str, release_en: str,
                   embargo_until: datetime | None) -> Briefing:
    require_manage(user, briefing)
    briefing.release_vi, briefing.release_en = release_vi, release_en
    briefing.release_embargo_until = embargo_until
    db.session.flush()
    return briefing


def notice_deadline(briefing: Briefing) -> datetime:
    """Latest time the written notice may reach the press authority (rule 7)."""
    return briefing.starts_at - NOTICE_LEAD_TIME


def notice_is_late(briefing: Briefing, now: datetime | None = None) -> bool:
    """True when a briefing not yet held is less than 24 hours away (or past)."""
    if briefing.status in (BriefingStatus.HELD, BriefingStatus.CANCELLED):
        return False
    return (now or utcnow()) > notice_deadline(briefing)


# --- press outlets ------------------------------------------------------------------------

@dataclass
class OutletData:
    name: str
    scope: OutletScope
    contact: str
    languages: str
    active: bool = True


def list_outlets(active_only: bool = False) -> list[PressOutlet]:
    query = sa.select(PressOutlet).order_by(PressOutlet.name)
    if active_only:
        query = query.where(PressOutlet.active.is_(True))
    return list(db.session.scalars(query))


def save_outlet(user, outlet: PressOutlet | None, data: OutletData) -> PressOutlet:
    if not has_role(user, *MANAGE_OUTLET_ROLES):
        raise PermissionDenied()
    name = data.name.strip()
    # The exact name too: SQLite's lower() folds only ASCII ("Đài" stays "Đài").
    clash = db.session.scalar(sa.select(PressOutlet.id).where(
        sa.or_(PressOutlet.name == name, sa.func.lower(PressOutlet.name) == name.lower()),
        PressOutlet.id != (outlet.id if outlet else 0)))
    if clash:
        raise ValidationFailed(_("An outlet with this name already exists."), "name")
    if outlet is None:
        outlet = PressOutlet()
        db.session.add(outlet)
    outlet.name, outlet.scope, outlet.contact = name, data.scope, data.contact
    outlet.languages, outlet.active = data.languages, data.active
    db.session.flush()
    return outlet


def can_manage_outlets(user) -> bool:
    return has_role(user, *MANAGE_OUTLET_ROLES)


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
