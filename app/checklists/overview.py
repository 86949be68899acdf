"""Overview for the steering committee and the propaganda commission: who is late,
and the standing alerts of DOMAIN.md (rules 1 and 2).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.checklists.models import OPEN_STATUSES, ChecklistItem, ItemStatus
from app.errors import PermissionDenied
from app.events.models import Event
from app.extensions import db
from app.i18n import _l
from app.press.models import Briefing, BriefingStatus
from app.settings import define, group, setting, types
from app.timeutil import utcnow
from app.units.models import Unit

group("oversight", _l("Oversight and standing alerts"))
define("oversight.ppc_briefing_interval_days",
       _l("Longest interval between the Provincial People's Committee's press conferences"),
       types.DAYS, 90, legal_basis="Nghị định 09/2017/NĐ-CP, Điều 5 (ít nhất 3 tháng một lần)",
       verified=True, minimum=1,
       help=_l("The overview warns when the last one held is older than this (rule 2: every 3 months)."))


def can_see_overview(user) -> bool:
    if has_role(user, Role.STEERING, Role.ADMIN):
        return True
    return (user is not None and getattr(user, "is_authenticated", False) and user.active
            and user.unit is not None and user.unit.slug == setting("organisation.propaganda_unit"))


def require_overview(user) -> None:
    if not can_see_overview(user):
        raise PermissionDenied()


@dataclass
class UnitRow:
    unit: Unit
    open: int = 0
    overdue: int = 0
    done: int = 0
    done_on_time: int = 0

    @property
    def on_time_rate(self) -> int | None:
        return round(100 * self.done_on_time / self.done) if self.done else None


def unit_overview(user, start: datetime, end: datetime, now: datetime | None = None) -> list[UnitRow]:
    """Items due in [start, end) per responsible unit: open, overdue, on-time rate of done ones."""
    require_overview(user)
    now = now or utcnow()
    rows: dict[int, UnitRow] = {}
    units = {u.id: u for u in db.session.scalars(sa.select(Unit))}
    query = (sa.select(ChecklistItem.unit_id, ChecklistItem.status, ChecklistItem.due_at,
                       ChecklistItem.completed_at)
             .where(ChecklistItem.due_at >= start, ChecklistItem.due_at < end,
                    ChecklistItem.unit_id.is_not(None),
                    ChecklistItem.status != ItemStatus.NOT_NEEDED))
    for unit_id, status, due, completed in db.session.execute(query):
        row = rows.setdefault(unit_id, UnitRow(units[unit_id]))
        if status is ItemStatus.DONE:
            row.done += 1
            row.done_on_time += completed is not None and completed <= due
        elif status in OPEN_STATUSES:
            row.open += 1
            row.overdue += status is not ItemStatus.SUBMITTED and due < now
    return sorted(rows.values(), key=lambda r: (-r.overdue, -r.open, r.unit.name_vi))


@dataclass
class Alert:
    code: str
    level: str            # "warning" or "info"
    params: dict = field(default_factory=dict)


def standing_alerts(now: datetime | None = None, tz: str = "Asia/Ho_Chi_Minh") -> list[Alert]:
    """Too long since the PPC's last press conference (a setting); monthly press information."""
    now = now or utcnow()
    alerts = []
    last = db.session.scalar(
        sa.select(sa.func.max(Briefing.starts_at)).join(Event, Event.id == Briefing.event_id)
        .join(Unit, Unit.id == Event.lead_unit_id)
        .where(Unit.slug == setting("organisation.ppc_unit"), Briefing.status == BriefingStatus.HELD,
               Briefing.starts_at <= now))
    if last is not None and last.tzinfo is None:  # max() loses the column type on SQLite
        last = datetime.fromisoformat(str(last)).replace(tzinfo=ZoneInfo("UTC"))
    if last is None or now - last > timedelta(days=setting("oversight.ppc_briefing_interval_days")):
        alerts.append(Alert("ppc_briefing", "warning",
                            {"last": last, "days": (now - last).days if last else None}))
    today = now.astimezone(ZoneInfo(tz)).date()
    alerts.append(Alert("monthly_information", "info", {"due": _last_day_of_month(today)}))
    return alerts


def _last_day_of_month(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)
