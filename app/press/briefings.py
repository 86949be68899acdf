"""Press briefings (họp báo) of events.

Editing, outlets, notice and release (proposals from the checklist are in
``app.checklists.proposals``).

Every function takes the acting user where a permission applies, flushes and
never commits.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import Event, EventStatus, Visibility
from app.extensions import db
from app.i18n import _, _l
from app.press.models import (
    BEFORE_EVENT_KINDS,
    Briefing,
    BriefingKind,
    BriefingStatus,
    InvitationStatus,
    OutletScope,
    PressForm,
    PressOutlet,
    briefing_outlets,
)
from app.press.signals import briefing_saved
from app.settings import define, group, setting, types
from app.timeutil import utcnow

group("press", _l("Press conferences"))
define("press.notice_lead_hours", _l("Written notice to the press authority before a press conference"),
       types.HOURS, 24, legal_basis="Luật Báo chí 2016, khoản 3 Điều 41", verified=True, minimum=1,
       help=_l("At least this long before it starts; a briefing closer than this shows a warning."))
# A proposed briefing (app/checklists/proposals.py) is set at this local time on the day its
# checklist item is due.
define("press.proposed_start", _l("Start of a proposed press conference"), types.TIME_OF_DAY,
       time(9, 0), help=_l("Local time, on the day the checklist asks for the press conference."))
define("press.proposed_length_minutes", _l("Length of a proposed press conference"), types.MINUTES,
       60, minimum=15, maximum=24 * 60)
define("press.authority_name", _l("Press authority (addressee of the notice letter)"), types.TEXT,
       "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi",
       legal_basis="Nghị định 43/2025/NĐ-CP; Thông tư 10/2025/TT-BVHTTDL (Sở VHTTDL quản lý báo chí "
                   "từ 1/7/2025)", verified=True,
       help=_l("Printed after “To:” on the written notice of a press conference."))
define("press.authority_address", _l("Press authority's address"), types.TEXT, "Quảng Ngãi",
       help=_l("Printed under the addressee on the notice letter; enter the street address."))
define("press.notice_number", _l("Number line of the notice letter"), types.TEXT, "Số: …/TB",
       help=_l("Printed at the top left of the notice letter, e.g. “Số: …/TB-SNgV”; the number is "
               "filled in by hand when the letter is registered."))
define("press.notice_signatory", _l("Signatory of the notice letter"), types.TEXT,
       "Thủ trưởng đơn vị", help=_l("Title printed above the signature of the notice letter."))
MANAGE_OUTLET_ROLES = (Role.ADMIN, Role.PROTOCOL, Role.LIAISON)
CREATE_ANY_ROLES = (Role.ADMIN, Role.PROTOCOL)
# --- permissions ------------------------------------------------------------------------

def can_manage(user, briefing: Briefing) -> bool:
    """Protocol, admins, press liaisons and whoever may edit the event."""
    return access.can_view(user, briefing.event) and (
        has_role(user, Role.ADMIN, Role.PROTOCOL, Role.LIAISON)
        or access.can_edit(user, briefing.event))


def require_manage(user, briefing: Briefing) -> None:
    access.require_view(user, briefing.event)
    if not can_manage(user, briefing):
        raise PermissionDenied()


def can_create_for(user, event: Event) -> bool:
    """Protocol and admins; the lead unit's head or focal point (for an event they may view)."""
    if not access.can_view(user, event):
        return False
    if has_role(user, *CREATE_ANY_ROLES):
        return True
    return (user.unit_id is not None and user.unit_id == event.lead_unit_id
            and (bool(user.is_unit_head) or has_role(user, Role.FOCAL)))


def can_see_release(user, briefing: Briefing, now: datetime | None = None) -> bool:
    """The press release is for the event's units only until its embargo ends."""
    if not access.can_view(user, briefing.event):
        return False
    embargo = briefing.release_embargo_until
    if embargo is None or (now or utcnow()) >= embargo:
        return True
    return access.is_insider(user, briefing.event)


def get_visible(user, briefing_id: int) -> Briefing:
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        raise NotVisible()
    access.require_view(user, briefing.event)
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
    visibility: Visibility
    purpose: str
    chair: str
    outlet_ids: list[int]
    kind: BriefingKind | None = None   # None: unchanged
    form: PressForm | None = None


def _check_times(event: Event, kind: BriefingKind, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise ValidationFailed(_("The briefing must end after it starts."), "ends_at")
    if kind in BEFORE_EVENT_KINDS and starts_at >= event.starts_at:
        raise ValidationFailed(_("A pre-event press conference must start before the event "
                                 "(it starts %(time)s).", time=_local_text(event)), "starts_at")


def _local_text(event: Event) -> str:
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).strftime("%d/%m/%Y %H:%M")


@dataclass
class NewBriefingData:
    kind: BriefingKind
    form: PressForm
    title_vi: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    visibility: Visibility = Visibility.INTERNAL


def create_briefing(user, event: Event, data: NewBriefingData) -> Briefing:
    """A briefing made by hand from the event's page: scheduled at once."""
    access.require_view(user, event)
    if not can_create_for(user, event):
        raise PermissionDenied()
    if event.status is EventStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled: it gets no new briefing."))
    if not data.title_vi.strip():
        raise ValidationFailed(_("Enter a Vietnamese title."), "title_vi")
    _check_times(event, data.kind, data.starts_at, data.ends_at)
    briefing = Briefing(
        event=event, kind=data.kind, form=data.form, status=BriefingStatus.SCHEDULED,
        title_vi=data.title_vi.strip()[:300], title_en=data.title_en.strip()[:300],
        starts_at=data.starts_at, ends_at=data.ends_at, timezone=event.timezone,
        venue_id=None, location=data.location.strip()[:300], visibility=data.visibility)
    db.session.add(briefing)
    db.session.flush()
    briefing_saved.send(briefing, actor=user)
    return briefing


def update_briefing(user, briefing: Briefing, data: BriefingData) -> Briefing:
    require_manage(user, briefing)
    kind = data.kind or briefing.kind
    if data.status is not BriefingStatus.CANCELLED:
        _check_times(briefing.event, kind, data.starts_at, data.ends_at)
    elif data.ends_at < data.starts_at:
        raise ValidationFailed(_("The briefing must end after it starts."), "ends_at")
    if briefing.event.status is EventStatus.CANCELLED and data.status is not BriefingStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled: its briefing can only be cancelled."),
                               "status")
    briefing.kind = kind
    briefing.form = data.form or briefing.form
    outlets = list(db.session.scalars(sa.select(PressOutlet).where(
        PressOutlet.id.in_(data.outlet_ids or [0]))))
    _check_outlets_reachable([o for o in outlets if o not in briefing.outlets], "outlet_ids")
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
    briefing_saved.send(briefing, actor=user)
    return briefing


def update_release(user, briefing: Briefing, release_vi: str, release_en: str,
                   embargo_until: datetime | None) -> Briefing:
    require_manage(user, briefing)
    if (embargo_until is not None and embargo_until != briefing.release_embargo_until
            and embargo_until < utcnow()):
        raise ValidationFailed(_("The embargo must end after the release is written: choose a "
                                 "later time, or leave it empty to publish at once."),
                               "embargo_until")
    briefing.release_vi, briefing.release_en = release_vi, release_en
    briefing.release_embargo_until = embargo_until
    db.session.flush()
    return briefing


def notice_deadline(briefing: Briefing) -> datetime:
    """Latest time the written notice may reach the press authority (rule 7)."""
    return briefing.starts_at - timedelta(hours=setting("press.notice_lead_hours"))


def notice_is_late(briefing: Briefing, now: datetime | None = None) -> bool:
    """True when a briefing not yet held is closer than the notice lead time (or past)."""
    if briefing.status in (BriefingStatus.HELD, BriefingStatus.CANCELLED):
        return False
    return (now or utcnow()) > notice_deadline(briefing)


# --- invitations -------------------------------------------------------------------------

def _check_outlets_reachable(outlets: list[PressOutlet], field: str) -> None:
    """Every newly invited outlet is in use and has an e-mail address (else nothing is saved)."""
    for outlet in outlets:
        if not outlet.active:
            raise ValidationFailed(_("%(outlet)s is no longer in use.", outlet=outlet.name), field)
        if not outlet.email:
            raise ValidationFailed(_("%(outlet)s has no e-mail address: add one to its contact in "
                                     "the press directory before inviting it.", outlet=outlet.name),
                                   field)


def can_invite(user, briefing: Briefing) -> bool:
    return can_manage(user, briefing) and briefing.status in (BriefingStatus.PROPOSED,
                                                               BriefingStatus.SCHEDULED)


def invite_outlets(user, briefing: Briefing, outlet_ids: list[int]) -> list[PressOutlet]:
    """Add outlets to the invited ones; ``reminders send`` e-mails each of them once.

    A proposed briefing becomes scheduled (inviting the press agrees to it). Refused, with
    nothing saved: an unknown outlet, one without an e-mail address, a held or cancelled
    briefing.
    """
    require_manage(user, briefing)
    if not can_invite(user, briefing):
        raise ValidationFailed(_("Only a proposed or scheduled briefing can invite the press."))
    wanted = sorted(set(outlet_ids))
    if not wanted:
        raise ValidationFailed(_("Choose at least one outlet."), "outlet_ids")
    outlets = list(db.session.scalars(sa.select(PressOutlet).where(PressOutlet.id.in_(wanted))
                                      .order_by(PressOutlet.name)))
    if len(outlets) != len(wanted):
        raise ValidationFailed(_("Unknown outlet."), "outlet_ids")
    new = [o for o in outlets if o not in briefing.outlets]
    _check_outlets_reachable(new, "outlet_ids")
    briefing.outlets.extend(new)
    if briefing.status is BriefingStatus.PROPOSED:
        briefing.status = BriefingStatus.SCHEDULED
        briefing.sequence += 1
    db.session.flush()
    briefing_saved.send(briefing, actor=user)
    return new


@dataclass
class Invitation:
    outlet: PressOutlet
    status: InvitationStatus
    invited_at: datetime | None


def invitations(briefing: Briefing) -> list[Invitation]:
    rows = db.session.execute(
        sa.select(PressOutlet, briefing_outlets.c.status, briefing_outlets.c.invited_at)
        .join(briefing_outlets, briefing_outlets.c.outlet_id == PressOutlet.id)
        .where(briefing_outlets.c.briefing_id == briefing.id).order_by(PressOutlet.name)).all()
    return [Invitation(o, InvitationStatus(status), at) for o, status, at in rows]


def set_invitation_status(user, briefing: Briefing, outlet_id: int,
                          status: InvitationStatus) -> None:
    """Record an invited outlet's answer or presence."""
    require_manage(user, briefing)
    mine = sa.and_(briefing_outlets.c.briefing_id == briefing.id,
                   briefing_outlets.c.outlet_id == outlet_id)
    if db.session.scalar(sa.select(sa.func.count()).select_from(briefing_outlets).where(mine)) == 0:
        raise ValidationFailed(_("This outlet is not invited to the briefing."))
    db.session.execute(sa.update(briefing_outlets).where(mine).values(status=status.value))
    db.session.flush()


def outlets_to_invite(briefing: Briefing, scope: OutletScope | None = None,
                      language: str = "") -> list[PressOutlet]:
    """Outlets in use, not yet invited, filtered by domestic/foreign and a language code."""
    query = sa.select(PressOutlet).where(PressOutlet.active.is_(True)).order_by(PressOutlet.name)
    if scope is not None:
        query = query.where(PressOutlet.scope == scope)
    invited = {o.id for o in briefing.outlets}
    code = language.strip().lower()
    return [o for o in db.session.scalars(query) if o.id not in invited
            and (not code or code in [c.strip() for c in o.languages.lower().replace(";", ",")
                                      .split(",")])]


# --- press outlets ------------------------------------------------------------------------

@dataclass
class OutletData:
    name: str
    scope: OutletScope
    contact: str
    languages: str
    active: bool = True


def outlet_page(*, scope: str = "", state: str = "", words: list[str] | None = None,
                page: int = 1, size: int = 50) -> tuple[list[PressOutlet], bool]:
    """One page of the outlets register by name, and whether another page follows (no count)."""
    query = sa.select(PressOutlet)
    if scope in set(OutletScope):
        query = query.where(PressOutlet.scope == OutletScope(scope))
    if state in ("active", "inactive"):
        query = query.where(PressOutlet.active.is_(state == "active"))
    if words:
        query = query.where(PressOutlet.like_all(PressOutlet.search_text, words))
    rows = list(db.session.scalars(query.order_by(PressOutlet.name, PressOutlet.id)
                                   .limit(size + 1).offset((page - 1) * size)))
    return rows[:size], len(rows) > size


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
