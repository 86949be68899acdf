"""The standing alerts through the notifications: each occurrence told once to those it concerns.

``claim(now)`` runs inside every ``reminders send`` (the cron entry point; registered with
``notifications.guards.register_reminders``). Each alert of ``alerts.standing_alerts`` is
an occurrence (``AlertOccurrence``, unique by its key: the same alert found again, by a
later run or by another host at the same moment, is the same row); everyone it concerns
(``alerts.concerns``: the one rule the home page uses too) is told once through ``notify``
(bell, and e-mail as each person chose), the delivery ledger's unique key keeping it once.

Who may read such a notice is checked again when it is sent and when the bell shows it
(``may_view_alert`` and its SQL twin ``alert_notice_clause``): someone who no longer
answers for the unit, or who may not see an answer clock's (sensitive) monitoring case,
gets nothing.
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.auth.permissions import is_active_user
from app.extensions import db, insert_ignoring_conflicts
from app.monitoring import access as monitoring_access
from app.monitoring.models import MonitoringCase
from app.notifications.models import Kind, Notification
from app.notifications.services import notify
from app.oversight import alerts
from app.oversight.models import AlertOccurrence

OBJECT_TYPE = "alert"
PPC_CODES = frozenset({"ppc_briefing", "monthly_information"})


def _iso(value) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else None


def occurrence_key(alert: alerts.Alert) -> str:
    """What makes this alert the same one next time (a new key: a new occurrence, told again)."""
    p = alert.params
    if alert.code == "ppc_briefing":
        return f"ppc_briefing:{_iso(p.get('last')) or 'none'}"
    if alert.code == "monthly_information":
        return f"monthly_information:{p['due']:%Y-%m}"
    if alert.code == "roster_changed":
        return f"roster_changed:{p['unit'].id}:{p['changed'].isoformat()}"
    if alert.code == "answer_clock":
        return f"answer_clock:{p['case'].id}:{p['case'].respond_due_at.isoformat()}"
    return f"{alert.code}:{_iso(p.get('due'))}"


def _unit_id(alert: alerts.Alert) -> int | None:
    return min(alert.unit_ids) if alert.unit_ids else None


def params(alert: alerts.Alert) -> dict:
    """What the notice's words need (``notifications.texts``), in both languages."""
    p = alert.params
    found: dict = {"code": alert.code, "basis": alert.legal_basis, "due": _iso(p.get("due")),
                   "days": p.get("days"), "last": _iso(p.get("last"))}
    unit = p.get("unit") or (p["case"].lead_unit if alert.code == "answer_clock" else None)
    if unit is not None:
        found.update(unit_vi=unit.name_vi, unit_en=unit.name_en)
    if alert.code == "answer_clock":
        found.update(headline=p["case"].headline, source=p["case"].source)
    return found


def url(alert: alerts.Alert) -> str:
    if alert.code == "roster_changed":
        return f"/oversight/roster/{alert.params['unit'].id}/letter"
    if alert.code == "answer_clock":
        return f"/monitoring/{alert.params['case'].id}"
    if alert.code == "report_date":
        return "/oversight/reports/"
    return "/oversight"


def occurrence(alert: alerts.Alert, now: datetime) -> AlertOccurrence:
    """The alert's row, created unless it exists (INSERT … ON CONFLICT DO NOTHING)."""
    key = occurrence_key(alert)[:200]
    db.session.execute(insert_ignoring_conflicts(AlertOccurrence.__table__).values(
        key=key, code=alert.code, unit_id=_unit_id(alert),
        case_id=alert.params["case"].id if alert.code == "answer_clock" else None,
        created_at=now).on_conflict_do_nothing())
    found = db.session.scalar(sa.select(AlertOccurrence).where(AlertOccurrence.key == key))
    assert found is not None
    return found


def claim(now: datetime) -> int:
    """Tell everyone concerned of each standing alert, once per occurrence; how many notices."""
    found = alerts.standing_alerts(now, current_app.config["APP_TIMEZONE"])
    if not found:
        return 0
    people = db.session.scalars(sa.select(User).options(selectinload(User.role_rows), selectinload(User.unit))
                                .where(User.active.is_(True)).order_by(User.id)).all()
    created = 0
    for alert in found:
        if alert.code in PPC_CODES and not alert.unit_ids:
            continue   # no unit is the PPC (setting organisation.ppc_unit): shown, not sent
        row = occurrence(alert, now)
        concerned = [user for user in people if alerts.concerns(user, alert)]
        created += len(notify(concerned, Kind.STANDING_ALERT, row, event=None, step="alert",
                              params=params(alert), url=url(alert)))
    return created


# --- who may read such a notice (registered with notifications.guards) ---------------------------

def may_view_alert(user, occurrence_id: int) -> bool:
    row = db.session.get(AlertOccurrence, occurrence_id)
    if row is None:
        return False
    case = db.session.get(MonitoringCase, row.case_id) if row.case_id else None
    if row.code == "answer_clock" and case is None:
        return False
    alert = alerts.Alert(row.code, "", "", {"case": case} if case else {},
                         frozenset({row.unit_id}) if row.unit_id else frozenset())
    return alerts.concerns(user, alert)


def alert_notice_clause(user) -> sa.ColumnElement[bool]:
    """SQL twin of ``may_view_alert`` on ``Notification.object_id``."""
    if not is_active_user(user):
        return sa.false()
    case_ok = sa.or_(AlertOccurrence.code != "answer_clock", AlertOccurrence.case_id.in_(
        sa.select(MonitoringCase.id).where(monitoring_access.visible_clause(user))))
    if alerts.is_commission(user):
        mine = sa.true()
    elif alerts.answers_for_unit(user):
        mine = AlertOccurrence.unit_id == user.unit_id
    else:
        return sa.false()
    return Notification.object_id.in_(sa.select(AlertOccurrence.id).where(mine, case_ok))
