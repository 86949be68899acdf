"""Domain settings: the deadlines, thresholds and references of the domain as data.

A feature declares each of its settings once, at import time, next to the code that
uses it, and reads it with ``setting(key)``::

    from app.settings import define, group, setting, types

    group("press", _l("Press conferences"))
    define("press.notice_lead_hours", _l("Notice to the press authority before a press conference"),
           types.HOURS, 24, legal_basis="Luật Báo chí 2016, khoản 3 Điều 41", verified=True,
           minimum=1)
    ...
    deadline = briefing.starts_at - timedelta(hours=setting("press.notice_lead_hours"))

Administrators change the rows at /admin/settings (or ``briefdesk settings set``);
see README "Settings (rules as data)".
"""
from app.settings import organisation  # noqa: F401  (declares the shared settings)
from app.settings.registry import define, group  # noqa: F401
from app.settings.services import setting  # noqa: F401
