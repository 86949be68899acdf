"""What the oversight connects at start-up: its rollups' session events, its alerts' notices."""
from flask import Flask

from app.notifications import guards
from app.oversight import notices, rollup


def register(app: Flask) -> None:
    rollup.register(app)
    guards.register(notices.OBJECT_TYPE, notices.may_view_alert, notices.alert_notice_clause)
    guards.register_reminders("oversight", notices.claim)
