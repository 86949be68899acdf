"""The five standing alerts of DOMAIN.md, as data with their legal basis.

1. more than ``oversight.ppc_briefing_interval_days`` since the PPC's last press conference
   (rule 2) and 2. monthly press information due (rule 1): ``checklists.overview`` already
   computes these, reused here;
3. a unit's spokesperson list changed after the press authority was last told (rule 3);
4. a 30-day answer clock running for a press agency's question or forwarded complaint
   (rule 10): a monitoring case of origin "press request" (``monitoring.alerts.answer_clocks``;
   its deadline is the monitoring setting ``monitoring.press_answer_days``);
5. a reporting date (``oversight.report_dates``, rule 20) approaching.

Each alert names its setting (whose legal basis and verified flag the page shows) and who is
concerned: the dashboard shows them all, the home page those of the reader.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.checklists import overview
from app.errors import NotVisible, PermissionDenied
from app.extensions import db
from app.i18n import _l
from app.monitoring import access as monitoring_access
from app.monitoring import alerts as monitoring_alerts
from app.oversight.models import RosterNotice
from app.oversight.services import can_see_dashboard
from app.settings import define, setting, types
from app.settings.registry import SETTINGS
from app.spokespeople.models import SpokespersonDesignation
from app.timeutil import utcnow
from app.units.models import Unit

define("oversight.monthly_information_warn_days",
       _l("Warn this many days before the end of a month without press information from the PPC"),
       types.DAYS, 7, legal_basis="Nghị định 09/2017/NĐ-CP, Điều 5 (cung cấp thông tin định kỳ hằng tháng)",
       verified=True, minimum=1, maximum=27)
define("oversight.press_authority",
       _l("The press authority told in writing of spokesperson lists and their changes"),
       types.TEXT, "Sở Văn hóa, Thể thao và Du lịch",
       legal_basis="Nghị định 09/2017/NĐ-CP (danh sách người phát ngôn thông báo bằng văn bản cho cơ quan "
                   "quản lý nhà nước về báo chí, cập nhật khi thay đổi)", verified=True)
define("oversight.answer_warn_days", _l("Warn this many days before an answer is due"),
       types.DAYS, 7, minimum=0, maximum=365)
define("oversight.report_dates", _l("Dates of the periodic report on the plan"),
       types.MONTH_DAYS, (types.MonthDay(6, 15), types.MonthDay(12, 15)),
       legal_basis="Thông tư 22/2016/TT-BTTTT, Điều 3 (kế hoạch TTĐN; ngày báo cáo chưa tìm thấy)",
       verified=False, help=_l("Set by administrators, e.g. 15/06, 15/12."))
define("oversight.report_warn_days", _l("Warn this many days before a reporting date"),
       types.DAYS, 14, minimum=1, maximum=180)


@dataclass
class Alert:
    code: str            # ppc_briefing, monthly_information, roster_changed, answer_clock, report_date
    level: str           # "warning" or "info"
    setting_key: str     # the setting that carries the rule's number and legal basis
    params: dict = field(default_factory=dict)
    unit_ids: frozenset[int] = frozenset()   # units concerned besides steering and the commission

    @property
    def legal_basis(self) -> str:
        return _setting_basis(self.setting_key)[0]

    @property
    def verified(self) -> bool:
        return _setting_basis(self.setting_key)[1]


def _setting_basis(key: str) -> tuple[str, bool]:
    definition = SETTINGS[key]
    return definition.legal_basis or "", bool(definition.verified)


def _zone() -> str:
    from flask import current_app
    return current_app.config["APP_TIMEZONE"]


def _ppc_unit_ids() -> frozenset[int]:
    unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.slug == setting("organisation.ppc_unit")))
    return frozenset({unit_id}) if unit_id else frozenset()


def _ppc_alerts(now: datetime, zone: str) -> list[Alert]:
    ppc = _ppc_unit_ids()
    keys = {"ppc_briefing": "oversight.ppc_briefing_interval_days",
            "monthly_information": "oversight.monthly_information_warn_days"}
    alerts = []
    today = now.astimezone(ZoneInfo(zone)).date()
    for found in overview.standing_alerts(now, tz=zone):
        if found.code == "monthly_information":
            # Only when the month has no press information yet and its end is near.
            days_left = (found.params["due"] - today).days
            if days_left > setting("oversight.monthly_information_warn_days") or _ppc_informed_this_month(now, zone):
                continue
        alerts.append(Alert(found.code, found.level, keys[found.code], dict(found.params), ppc))
    return alerts


def _ppc_informed_this_month(now: datetime, zone: str) -> bool:
    from app.oversight import services
    today = now.astimezone(ZoneInfo(zone)).date()
    scope = services.make_scope(period=f"{today.year}-{today.month:02d}", zone=zone, now=now)
    return any(bucket.count for bucket in services.ppc_monthly_information(scope))


def roster_changes() -> list[tuple[Unit, datetime, datetime | None]]:
    """Units whose spokesperson list changed after their last notice: (unit, changed, last notice).

    A change is a designation added; one query with a GROUP BY per table.
    """
    changed = (sa.select(SpokespersonDesignation.unit_id, sa.func.max(SpokespersonDesignation.created_at))
               .group_by(SpokespersonDesignation.unit_id))
    notified = dict(db.session.execute(sa.select(RosterNotice.unit_id, sa.func.max(RosterNotice.notified_at))
                                       .group_by(RosterNotice.unit_id)).all())
    found = []
    for unit_id, raw_change in db.session.execute(changed):
        last_change, last_notice = _aware(raw_change), _aware(notified.get(unit_id))
        if last_change is not None and (last_notice is None or last_change > last_notice):
            found.append((unit_id, last_change, last_notice))
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_([f[0] for f in found])))}
    return [(units[unit_id], change, notice) for unit_id, change, notice in found]


def _aware(moment) -> datetime | None:
    """max() of a datetime column comes back as text on SQLite."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def next_report_date(today: date) -> date:
    days = setting("oversight.report_dates")
    candidates = [d.in_year(year) for year in (today.year, today.year + 1) for d in days]
    return min(d for d in candidates if d >= today)


def standing_alerts(now: datetime | None = None, zone: str | None = None) -> list[Alert]:
    now = now or utcnow()
    zone = zone or _zone()
    today = now.astimezone(ZoneInfo(zone)).date()
    alerts = _ppc_alerts(now, zone)
    for unit, changed, notice in roster_changes():
        alerts.append(Alert("roster_changed", "warning", "oversight.press_authority",
                            {"unit": unit, "changed": changed, "notice": notice}, frozenset({unit.id})))
    warn = timedelta(days=setting("oversight.answer_warn_days"))
    for case in monitoring_alerts.answer_clocks(now, warn):
        due = case.respond_due_at.astimezone(ZoneInfo(zone)).date()
        alerts.append(Alert("answer_clock", "warning" if case.respond_due_at <= now else "info",
                            "monitoring.press_answer_days",
                            {"case": case, "due": due, "days": (due - today).days},
                            frozenset({case.lead_unit_id})))
    report_day = next_report_date(today)
    if (report_day - today).days <= setting("oversight.report_warn_days"):
        alerts.append(Alert("report_date", "info", "oversight.report_dates",
                            {"due": report_day, "days": (report_day - today).days}))
    return alerts


def is_commission(user) -> bool:
    return can_see_dashboard(user)


def alerts_for(user, now: datetime | None = None) -> list[Alert]:
    """The alerts that concern ``user``: all for steering, admins and the commission; else their unit's.

    An answer clock shows only to those who may see its monitoring case (a sensitive case
    stays in its circle).
    """
    if not (is_commission(user) or answers_for_unit(user)):
        return []   # nothing can concern them: not computed
    return [alert for alert in standing_alerts(now) if concerns(user, alert)]


def answers_for_unit(user) -> bool:
    """The head, focal points and spokespeople of a unit hear of its alerts."""
    return (is_active_user(user) and user.unit_id is not None
            and bool(user.is_unit_head or has_role(user, Role.FOCAL, Role.SPOKESPERSON)))


def concerns(user, alert: Alert) -> bool:
    """Whether ``alert`` is one of ``alerts_for(user)`` (the same rule, for one alert)."""
    if not is_active_user(user):
        return False
    if not (is_commission(user) or (answers_for_unit(user) and user.unit_id in alert.unit_ids)):
        return False
    return alert.code != "answer_clock" or monitoring_access.can_view(user, alert.params["case"])


# --- rule 3: the notice of a unit's spokesperson list ----------------------------------------------

def can_notify_roster(user, unit: Unit) -> bool:
    """The unit's head, protocol, admins and the propaganda commission record the notice."""
    return (has_role(user, Role.PROTOCOL, Role.ADMIN) or is_commission(user)
            or (belongs_to(user, unit.id) and bool(user.is_unit_head)))


def roster(unit: Unit, day: date) -> list[SpokespersonDesignation]:
    """The unit's spokespeople in force on ``day``, for the notice letter."""
    return list(db.session.scalars(
        sa.select(SpokespersonDesignation).where(SpokespersonDesignation.unit_id == unit.id,
                                                 SpokespersonDesignation.covers_clause(day))
        .order_by(SpokespersonDesignation.since, SpokespersonDesignation.id)))


def get_unit(user, unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise NotVisible()
    if not can_notify_roster(user, unit):
        raise PermissionDenied()
    return unit


def record_roster_notice(user, unit: Unit, reference: str) -> RosterNotice:
    if not can_notify_roster(user, unit):
        raise PermissionDenied()
    notice = RosterNotice(unit_id=unit.id, reference=reference.strip()[:100], notified_at=utcnow(),
                          recorded_by_id=user.id)
    db.session.add(notice)
    db.session.flush()
    return notice
