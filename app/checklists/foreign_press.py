"""Foreign-press deadlines of a briefing as checklist items (DOMAIN.md rules 8 and 9).

A briefing that invites a foreign outlet, or is held for an incoming foreign delegation, gets
three items on its event's checklist, each due a number of working days (settings, with their
legal basis and verified flag) before the briefing starts:

- the written request to the Provincial People's Committee (≥ 2 working days, rule 8);
- the host's notice to the ministry for a delegation invited by Party/State leaders or
  MOFA (≥ 1 working day, rule 8);
- foreign correspondents' applications: residents to the PPC (reply ≤ 5 working days),
  non-residents to MOFA ≥ 10 working days before entry (rule 9; unverified).

Keys ``brf:<briefing id>:<code>``: template syncs leave them alone. Open items follow the
briefing when it moves and become *not needed* when it is cancelled or no longer foreign.
Called on the press package's ``briefing_saved`` signal; flushes, never commits.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.checklists.models import OPEN_STATUSES, ChecklistItem, ItemStatus, ResponsibleRole
from app.checklists.schedule import Anchor, OffsetUnit, due_at
from app.checklists.services import RoleUnits
from app.events.models import DelegationDirection, EventKind
from app.extensions import db
from app.i18n import _l
from app.press.models import Briefing, BriefingStatus, OutletScope
from app.settings import define, types
from app.settings.services import entry_of
from app.timeutil import utcnow

LAW_41 = "Luật Báo chí 2016, Điều 41 khoản 1 → Điều 56 khoản 10 (theo luatduonggia.vn)"
define("press.foreign_request_working_days",
       _l("Written request for a press conference with foreign press, before it"),
       types.WORKING_DAYS, 2, legal_basis=LAW_41, verified=True, minimum=0, maximum=60,
       help=_l("Rule 8: a foreign mission's or organisation's press conference in the province "
               "needs a written request to the Provincial People's Committee."))
define("press.foreign_ministry_notice_working_days",
       _l("Host's notice to the ministry for a delegation's press conference, before it"),
       types.WORKING_DAYS, 1, legal_basis=LAW_41, verified=True, minimum=0, maximum=60,
       help=_l("Rule 8: a delegation invited by Party or State leaders or by MOFA: the host "
               "notifies the ministry."))
define("press.foreign_correspondents_working_days",
       _l("Foreign correspondents' applications (non-residents to MOFA), before the briefing"),
       types.WORKING_DAYS, 10,
       legal_basis="Nghị định 88/2012/NĐ-CP (thường trú: UBND tỉnh trả lời ≤ 5 ngày làm việc; "
                   "không thường trú: nộp Bộ Ngoại giao ≥ 10 ngày làm việc trước khi nhập cảnh)",
       verified=False, minimum=0, maximum=60,
       help=_l("Rule 9; the 10-day figure comes from a weak source and is unverified."))

KEY_PREFIX = "brf:"


@dataclass(frozen=True)
class ForeignItem:
    code: str
    setting: str
    role: ResponsibleRole
    title_vi: str
    title_en: str


ITEMS = [
    ForeignItem("request", "press.foreign_request_working_days", ResponsibleRole.PROTOCOL,
                "Văn bản đề nghị UBND tỉnh về họp báo có phóng viên nước ngoài",
                "Written request to the Provincial People's Committee (foreign press)"),
    ForeignItem("ministry", "press.foreign_ministry_notice_working_days", ResponsibleRole.PROTOCOL,
                "Thông báo Bộ Ngoại giao/Bộ chủ quản về họp báo của đoàn (nếu đoàn do lãnh đạo "
                "Đảng, Nhà nước hoặc Bộ Ngoại giao mời)",
                "Notice to the ministry (delegation invited by Party/State leaders or MOFA)"),
    ForeignItem("correspondents", "press.foreign_correspondents_working_days",
                ResponsibleRole.PRESS_LIAISON,
                "Hồ sơ phóng viên nước ngoài: thường trú nộp UBND tỉnh, không thường trú nộp Bộ "
                "Ngoại giao", "Foreign correspondents' applications (residents: PPC; "
                              "non-residents: MOFA)"),
]


def item_key(briefing_id: int, code: str) -> str:
    return f"{KEY_PREFIX}{briefing_id}:{code}"


def is_foreign_briefing(briefing: Briefing) -> bool:
    """Invites a foreign outlet, or is held for an incoming foreign delegation."""
    event = briefing.event
    delegation = event.delegation
    for_delegation = event.kind is EventKind.DELEGATION_IN or (
        delegation is not None and delegation.direction is DelegationDirection.INCOMING)
    return for_delegation or any(o.scope is OutletScope.FOREIGN for o in briefing.outlets)


def sync_foreign_press_items(briefing: Briefing) -> None:
    """Add, move or close the briefing's foreign-press items. Flushes."""
    wanted = (briefing.status in (BriefingStatus.PROPOSED, BriefingStatus.SCHEDULED)
              and is_foreign_briefing(briefing))
    existing = {i.key: i for i in db.session.scalars(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == briefing.event_id,
        ChecklistItem.key.startswith(f"{KEY_PREFIX}{briefing.id}:")))}
    now = utcnow()
    role_units = None
    for spec in ITEMS:
        key = item_key(briefing.id, spec.code)
        item = existing.get(key)
        if not wanted:
            if item is not None and item.status in OPEN_STATUSES:
                item.status = ItemStatus.NOT_NEEDED
            continue
        entry = entry_of(spec.setting)
        due = due_at(briefing.starts_at, -int(entry.value), OffsetUnit.WORKING_DAYS,
                     briefing.timezone)
        if item is None:
            role_units = role_units or RoleUnits()
            db.session.add(ChecklistItem(
                event_id=briefing.event_id, key=key, title_vi=spec.title_vi,
                title_en=spec.title_en, role=spec.role,
                unit_id=role_units.unit_for(spec.role, briefing.event), due_at=due,
                status=ItemStatus.OPEN, legal_basis=entry.legal_basis[:300],
                legal_verified=entry.verified, offset=-int(entry.value),
                offset_unit=OffsetUnit.WORKING_DAYS, anchor=Anchor.START, created_at=now,
                updated_at=now))
        elif item.status is ItemStatus.NOT_NEEDED:
            item.status, item.due_at = ItemStatus.OPEN, due
        elif item.status in OPEN_STATUSES and item.due_at != due:
            item.due_at = due
    db.session.flush()


def on_briefing_saved(briefing: Briefing, actor=None, **_kwargs) -> None:
    sync_foreign_press_items(briefing)
