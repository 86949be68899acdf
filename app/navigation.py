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
    NavEntry("checklists.tasks", _l("My tasks")),
    NavEntry("events.index", _l("Events")),
    NavEntry("calendar.calendar", _l("Calendar")),
    NavEntry("press.briefings", _l("Press conferences")),
    NavEntry("notes.index", _l("Briefing notes")),
    NavEntry("spokespeople.roster_index", _l("Spokespeople")),
]

# The second menu row: registers, directories and administration.
TOOLS_NAV = [
    NavEntry("feeds.index", _l("Calendar feeds")),
    NavEntry("spokespeople.briefings", _l("Briefing assignments"), (Role.ADMIN, Role.PROTOCOL)),
    NavEntry("spokespeople.bank", _l("Q&A bank")),
    NavEntry("events.venues", _l("Venues"), (Role.PROTOCOL, Role.ADMIN)),
    NavEntry("press.outlets", _l("Press outlets"), (Role.ADMIN, Role.PROTOCOL, Role.LIAISON)),
    NavEntry("checklists.overview", _l("Checklist overview"), (Role.STEERING, Role.ADMIN)),
    NavEntry("checklists.templates", _l("Checklist templates"), (Role.ADMIN,)),
    NavEntry("users.index", _l("Users"), (Role.ADMIN,)),
    NavEntry("units.index", _l("Units"), (Role.ADMIN,)),
    NavEntry("notifications.deliveries", _l("E-mail deliveries"), (Role.ADMIN,)),
]

# Templates included on the dashboard, in order; each decides what to show to whom.
DASHBOARD_PANELS: list[str] = ["checklists/_dashboard_panel.html", "spokespeople/_dashboard_panel.html"]

# Templates included on an event's page below its details (context: ``event``);
# each checks what the current user may see.
EVENT_PANELS: list[str] = ["checklists/_event_panel.html", "feeds/_event_panel.html"]

# Templates included on a briefing's page (/briefings/<id>) below its details
# (context: ``briefing``); each checks what the current user may see.
BRIEFING_PANELS: list[str] = ["spokespeople/_briefing_panel.html"]


def nav_items(entries: list[NavEntry]) -> list[dict]:
    items = []
    for entry in entries:
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
            return {"nav_items": [], "tools_nav_items": [], "dashboard_panels": [],
                    "event_panels": [], "briefing_panels": [], "now": utcnow()}
        return {"nav_items": nav_items(NAV), "tools_nav_items": nav_items(TOOLS_NAV),
                "dashboard_panels": DASHBOARD_PANELS, "event_panels": EVENT_PANELS,
                "briefing_panels": BRIEFING_PANELS, "now": utcnow()}
