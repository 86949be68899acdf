"""Overview for the steering committee and the propaganda commission.

Who is late, and the standing alerts of DOMAIN.md (rules 1 and 2).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import has_role, is_active_user
from app.checklists.models import OPEN_STATUSES, ChecklistItem, ItemStatus
from app.errors import PermissionDenied
from app.events import access
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
# The overview's default period around today.
DEFAULT_DAYS_BACK, DEFAULT_DAYS_AHEAD = 90, 30


def can_see_overview(user) -> bool:
    """Those who see every event (steering, admins) and the propaganda commission."""
    if has_role(user, *access.SEE_ALL_ROLES):
        return True
    return (is_active_user(user) and user.unit is not None
            and user.unit.slug == setting("organisation.propaganda_unit"))


def require_overview(user) -> None:
    if not can_see_overview(user):
        raise PermissionDenied()


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The days the overview covers.

    Those given (in order), by default 90 days back and 30 ahead of ``today``.
    """
    start = start or today - timedelta(days=DEFAULT_DAYS_BACK)
    end = end or today + timedelta(days=DEFAULT_DAYS_AHEAD)
    return (start, end) if start <= end else (end, start)


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
    """Items due in [start, end) per responsible unit: open, overdue, on-time rate of done ones.

    One aggregate query; "overdue" is ``ChecklistItem.overdue_clause``.
    """
    require_overview(user)
    now = now or utcnow()

    def count(condition) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    done = ChecklistItem.status == ItemStatus.DONE
    query = (sa.select(ChecklistItem.unit_id,
                       count(ChecklistItem.status.in_(OPEN_STATUSES)),
                       count(ChecklistItem.overdue_clause(now)),
                       count(done),
                       count(sa.and_(done, ChecklistItem.completed_at <= ChecklistItem.due_at)))
             .where(ChecklistItem.due_at >= start, ChecklistItem.due_at < end,
                    ChecklistItem.unit_id.is_not(None),
                    ChecklistItem.status != ItemStatus.NOT_NEEDED)
             .group_by(ChecklistItem.unit_id))
    counts = db.session.execute(query).all()
    units: dict[int | None, Unit] = {u.id: u for u in db.session.scalars(  # keys: the rows' unit_id
        sa.select(Unit).where(Unit.id.in_([row[0] for row in counts])))}
    rows = [UnitRow(units[unit_id], int(n_open), int(overdue), int(n_done), int(on_time))
            for unit_id, n_open, overdue, n_done, on_time in counts]
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.unit.name_vi))


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
