"""What monitoring connects at start-up.

Its visibility rule for the notices about cases, its reminders, and its clocks as a deadline
source of the calendar feeds.
"""
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.monitoring import access, clocks, deadlines
from app.monitoring.models import MonitoringCase
from app.notifications import guards
from app.notifications.models import Notification


def may_view_case(user, case_id: int) -> bool:
    case = db.session.get(MonitoringCase, case_id)
    return case is not None and access.can_view(user, case)


def case_notice_clause(user):
    """SQL twin of ``may_view_case`` on ``Notification.object_id``."""
    return Notification.object_id.in_(
        sa.select(MonitoringCase.id).where(access.visible_clause(user)))


def register(app: Flask) -> None:
    guards.register("case", may_view_case, case_notice_clause)
    guards.register_reminders("monitoring", clocks.claim_reminders)
    deadlines.register(app)
