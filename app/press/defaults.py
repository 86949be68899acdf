"""Which briefings each event kind proposes: the defaults as data, and the proposals they make.

The rows (``BriefingDefault``) say, per event kind, which briefing kind is proposed, how many
calendar days before or after the event, in which of the six forms of Decree 09/2017/NĐ-CP
Art. 4 (DOMAIN.md rule 4), whether it is bilingual, and whether the event *requires* it
before it starts (``app.press.briefed``). ``seed_defaults`` adds the rows below when they are
missing and never overwrites an administrator's edits; ``/admin/briefing-defaults`` edits them.

Functions taking a user check permissions; they flush and never commit.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import is_admin
from app.errors import PermissionDenied, ValidationFailed
from app.events.models import Event, EventKind
from app.extensions import db
from app.i18n import _
from app.inputs import fold
from app.press.models import (
    Anchor,
    Briefing,
    BriefingDefault,
    BriefingKind,
    BriefingStatus,
    PressForm,
)
from app.settings import setting

K, B, F = EventKind, BriefingKind, PressForm
ART4 = "Nghị định 09/2017/NĐ-CP, Điều 4 (hình thức cung cấp thông tin)"
PLAN = "Kết luận 57-KL/TW; kế hoạch TTĐN của tỉnh (II.2): họp báo trước sự kiện"
FOREIGN = "Luật Báo chí 2016, Điều 41 khoản 1 và Điều 56 (họp báo có yếu tố nước ngoài)"
OFFSET_LIMIT = 365


@dataclass(frozen=True)
class DefaultRow:
    event_kind: EventKind
    briefing_kind: BriefingKind
    form: PressForm
    offset_days: int
    anchor: Anchor = Anchor.START
    bilingual: bool = False
    required: bool = False
    legal_basis: str = ART4
    verified: bool = True


# Offsets follow DOMAIN.md (b) (policy defaults); the forms are Decree 09 Art. 4's (verified).
SEEDS = [
    DefaultRow(K.POLITICAL, B.PRE_EVENT, F.PRESS_CONFERENCE, -7, required=True, legal_basis=PLAN),
    DefaultRow(K.POLITICAL, B.RESULTS, F.RELEASE, 1, Anchor.END),
    DefaultRow(K.CULTURAL, B.PRE_EVENT, F.PRESS_CONFERENCE, -10, required=True, legal_basis=PLAN),
    DefaultRow(K.CULTURAL, B.RESULTS, F.RELEASE, 1, Anchor.END),
    DefaultRow(K.DIPLOMATIC, B.PRE_EVENT, F.PRESS_CONFERENCE, -2, required=True, legal_basis=PLAN),
    DefaultRow(K.DIPLOMATIC, B.RESULTS, F.RELEASE, 1, Anchor.END),
    DefaultRow(K.DELEGATION_IN, B.PRE_EVENT, F.PRESS_CONFERENCE, -1, required=True,
               legal_basis=PLAN),
    DefaultRow(K.DELEGATION_IN, B.JOINT_RELEASE, F.RELEASE, -2, bilingual=True,
               legal_basis=FOREIGN),
    DefaultRow(K.DELEGATION_OUT, B.RELEASE_ONLY, F.RELEASE, -3, required=True, legal_basis=PLAN),
    DefaultRow(K.DELEGATION_OUT, B.RESULTS, F.PRESS_CONFERENCE, 3, Anchor.END),
    DefaultRow(K.SIGNING, B.JOINT_RELEASE, F.RELEASE, -1, bilingual=True, required=True,
               legal_basis=FOREIGN),
    DefaultRow(K.SIGNING, B.JOINT_AVAILABILITY, F.STATEMENT, 0),
    DefaultRow(K.PROMOTION, B.PRE_EVENT, F.PRESS_CONFERENCE, -10, required=True, legal_basis=PLAN),
    DefaultRow(K.TRAINING, B.RELEASE_ONLY, F.PORTAL, -3),
]


def seed_defaults() -> int:
    """Add the default rows that are missing (by event kind and briefing kind). Flushes."""
    known = {(kind, briefing_kind) for kind, briefing_kind in db.session.execute(
        sa.select(BriefingDefault.event_kind, BriefingDefault.briefing_kind))}
    added = 0
    for row in SEEDS:
        if (row.event_kind, row.briefing_kind) in known:
            continue
        db.session.add(BriefingDefault(
            event_kind=row.event_kind, briefing_kind=row.briefing_kind, form=row.form,
            offset_days=row.offset_days, anchor=row.anchor, bilingual=row.bilingual,
            required=row.required, active=True, legal_basis=row.legal_basis,
            legal_verified=row.verified))
        added += 1
    db.session.flush()
    return added


def all_defaults() -> list[BriefingDefault]:
    return list(db.session.scalars(sa.select(BriefingDefault).order_by(
        BriefingDefault.event_kind, BriefingDefault.offset_days, BriefingDefault.id)))


def defaults_for(kind: EventKind) -> list[BriefingDefault]:
    return list(db.session.scalars(sa.select(BriefingDefault).where(
        BriefingDefault.event_kind == kind, BriefingDefault.active.is_(True))
        .order_by(BriefingDefault.anchor.desc(), BriefingDefault.offset_days, BriefingDefault.id)))


# --- proposals on an event's page ---------------------------------------------------------

@dataclass
class Proposal:
    default: BriefingDefault
    starts_at: datetime
    ends_at: datetime


def proposed_times(event: Event, default: BriefingDefault) -> tuple[datetime, datetime]:
    """``offset_days`` from the event's start or end day, at ``press.proposed_start`` local time."""
    zone = ZoneInfo(event.timezone)
    base = event.ends_at if default.anchor is Anchor.END else event.starts_at
    day = base.astimezone(zone).date() + timedelta(days=default.offset_days)
    starts = datetime.combine(day, setting("press.proposed_start"), tzinfo=zone).astimezone(UTC)
    return starts, starts + timedelta(minutes=setting("press.proposed_length_minutes"))


def proposals(event: Event) -> list[Proposal]:
    """The kind's defaults that the event has no briefing of yet (cancelled ones don't count)."""
    have = set(db.session.scalars(sa.select(Briefing.kind).where(
        Briefing.event_id == event.id, Briefing.status != BriefingStatus.CANCELLED)))
    return [Proposal(d, *proposed_times(event, d)) for d in defaults_for(event.kind)
            if d.briefing_kind not in have]


def title_prefix(kind: BriefingKind) -> tuple[str, str]:
    """How a briefing of this kind is titled, in Vietnamese and English (before the event's title)."""
    return {
        BriefingKind.PRE_EVENT: ("Họp báo: ", "Press conference: "),
        BriefingKind.RESULTS: ("Thông tin kết quả: ", "Results: "),
        BriefingKind.JOINT_AVAILABILITY: ("Gặp gỡ báo chí chung: ", "Joint press availability: "),
        BriefingKind.RELEASE_ONLY: ("Thông cáo báo chí: ", "Press release: "),
        BriefingKind.JOINT_RELEASE: ("Thông cáo chung: ", "Joint release: "),
    }[kind]


def with_prefix(prefix: str, title: str) -> str:
    """``prefix`` + ``title``, unless the title already says it ("Họp báo định kỳ…" stays as is).

    No doubled titles such as "Họp báo: Họp báo định kỳ" (case and accents do not matter).
    """
    word = fold(prefix.rstrip(": "))
    return title if not title or (word and word in fold(title)) else prefix + title


def briefing_titles(kind: BriefingKind, title_vi: str, title_en: str) -> tuple[str, str]:
    """A briefing's titles from its event's (Vietnamese, and English when there is one)."""
    prefix_vi, prefix_en = title_prefix(kind)
    return (with_prefix(prefix_vi, title_vi)[:300],
            with_prefix(prefix_en, title_en)[:300] if title_en else "")


# --- administration -----------------------------------------------------------------------

@dataclass
class DefaultData:
    event_kind: EventKind
    briefing_kind: BriefingKind
    form: PressForm
    offset_days: int
    anchor: Anchor
    bilingual: bool
    required: bool
    active: bool
    legal_basis: str
    legal_verified: bool


def can_edit_defaults(user) -> bool:
    return is_admin(user)


def save_default(user, default: BriefingDefault | None, data: DefaultData) -> BriefingDefault:
    """Create or change a row (administrators only)."""
    if not can_edit_defaults(user):
        raise PermissionDenied()
    if not -OFFSET_LIMIT <= data.offset_days <= OFFSET_LIMIT:
        raise ValidationFailed(_("The offset is at most %(n)d days.", n=OFFSET_LIMIT), "offset_days")
    clash = db.session.scalar(sa.select(BriefingDefault.id).where(
        BriefingDefault.event_kind == data.event_kind,
        BriefingDefault.briefing_kind == data.briefing_kind,
        BriefingDefault.id != (default.id if default else 0)))
    if clash:
        raise ValidationFailed(_("This event kind already has a default of this briefing kind."),
                               "briefing_kind")
    if default is None:
        default = BriefingDefault()
        db.session.add(default)
    default.event_kind, default.briefing_kind, default.form = (
        data.event_kind, data.briefing_kind, data.form)
    default.offset_days, default.anchor = data.offset_days, data.anchor
    default.bilingual, default.required, default.active = data.bilingual, data.required, data.active
    default.legal_basis = data.legal_basis.strip()[:300]
    default.legal_verified = data.legal_verified
    db.session.flush()
    return default
