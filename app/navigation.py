"""The header menu, following the user's roles. Features add their entries here."""
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from app.auth.permissions import has_role
from app.auth.roles import Role
from app.i18n import _l
from app.timeutil import utcnow


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # lazy string
    roles: tuple[Role, ...] = ()  # empty: everyone logged in


NAV = [
    NavEntry("main.dashboard", _l("Dashboard")),
    NavEntry("users.index", _l("Users"), (Role.ADMIN,)),
    NavEntry("units.index", _l("Units"), (Role.ADMIN,)),
    NavEntry("checklists.tasks", _l("My tasks")),
    NavEntry("press.briefings", _l("Press conferences")),
    NavEntry("checklists.overview", _l("Checklist overview"), (Role.STEERING, Role.ADMIN)),
    NavEntry("press.outlets", _l("Press outlets"), (Role.ADMIN, Role.PROTOCOL, Role.LIAISON)),
    NavEntry("checklists.templates", _l("Checklist templates"), (Role.ADMIN,)),
]

# Templates included on the dashboard, in order; each decides what to show to whom.
DASHBOARD_PANELS: list[str] = ["checklists/_dashboard_panel.html"]

# Templates included on an event's page below its details (context: ``event``);
# each checks what the current user may see.
EVENT_PANELS: list[str] = ["checklists/_event_panel.html"]

# Templates included on a briefing's page (/briefings/<id>) below its details
# (context: ``briefing``); each checks what the current user may see.
BRIEFING_PANELS: list[str] = []


def nav_items() -> list[dict]:
    items = []
    for entry in NAV:
        if entry.roles and not has_role(current_user, *entry.roles):
            continue
        try:
            url = url_for(entry.endpoint)
        except BuildError:  # feature not installed in this app
            continue
        items.append({"url": url, "label": entry.label,
                      "active": request.endpoint == entry.endpoint})
    return items


def register(app: Flask) -> None:
    @app.context_processor
    def layout_context():
        if not current_user.is_authenticated:
            return {"nav_items": [], "dashboard_panels": [], "event_panels": [], "now": utcnow()}
        return {"nav_items": nav_items(), "dashboard_panels": DASHBOARD_PANELS,
                "event_panels": EVENT_PANELS, "now": utcnow()}
