"""The header menu.

Each entry asks the service's own permission function whether the user may open its page, so the
menu never disagrees with the pages. Features add their entries here.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from app.api.tokens import can_have_tokens
from app.auth.permissions import is_admin
from app.checklists.overview import can_see_overview
from app.events.access import can_create_events
from app.events.venues import can_manage_venues
from app.i18n import _l
from app.monitoring.access import can_record
from app.oversight.reports import can_see_reports
from app.oversight.services import can_see_dashboard
from app.press.briefings import can_manage_outlets
from app.press.defaults import can_edit_defaults
from app.spokespeople.assignments import is_assigner
from app.timeutil import utcnow
from app.training.coverage import can_see_coverage


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # lazy string
    # The page's own permission (user -> bool); None: everyone logged in.
    visible: Callable[[object], bool] | None = None


NAV = [
    NavEntry("main.dashboard", _l("Dashboard")),
    NavEntry("checklists.tasks", _l("My tasks")),
    NavEntry("events.index", _l("Events")),
    NavEntry("calendar.calendar", _l("Calendar")),
    NavEntry("press.briefings", _l("Press conferences")),
    NavEntry("notes.index", _l("Briefing notes")),
    NavEntry("spokespeople.roster_index", _l("Spokespeople")),
    NavEntry("training.index", _l("Training")),
    NavEntry("monitoring.index", _l("Press monitoring"), can_record),
]

# The second menu row: registers, directories and administration.
TOOLS_NAV = [
    NavEntry("feeds.index", _l("Calendar feeds")),
    NavEntry("apipages.token_list", _l("API tokens"), can_have_tokens),
    NavEntry("spokespeople.briefings", _l("Briefing assignments"), is_assigner),
    NavEntry("spokespeople.bank", _l("Q&A bank")),
    NavEntry("events.venues", _l("Venues"), can_manage_venues),
    NavEntry("imports.upload", _l("Import events"), can_create_events),
    NavEntry("press.outlets", _l("Press outlets"), can_manage_outlets),
    NavEntry("checklists.overview", _l("Checklist overview"), can_see_overview),
    NavEntry("training.coverage_page", _l("Training coverage"), can_see_coverage),
    NavEntry("oversight.dashboard", _l("Oversight"), can_see_dashboard),
    NavEntry("reports.index", _l("Periodic reports"), can_see_reports),
    NavEntry("checklists.templates", _l("Checklist templates"), is_admin),
    NavEntry("press.briefing_defaults", _l("Briefing defaults"), can_edit_defaults),
    NavEntry("users.index", _l("Users"), is_admin),
    NavEntry("units.index", _l("Units"), is_admin),
    NavEntry("notifications.deliveries", _l("E-mail deliveries"), is_admin),
    NavEntry("settings.index", _l("Settings"), is_admin),
    NavEntry("main.audit_log", _l("Audit log"), is_admin),
]

# Templates included on the dashboard, in order; each decides what to show to whom.
DASHBOARD_PANELS: list[str] = ["oversight/_dashboard_panel.html", "checklists/_dashboard_panel.html",
                               "spokespeople/_dashboard_panel.html", "events/_dashboard_panel.html",
                               "monitoring/_dashboard_panel.html"]

# Templates included on an event's page below its details (context: ``event``);
# each checks what the current user may see.
EVENT_PANELS: list[str] = ["press/_event_panel.html", "checklists/_event_panel.html",
                           "feeds/_event_panel.html"]

# Templates included on a briefing's page (/briefings/<id>) below its details
# (context: ``briefing``); each checks what the current user may see.
BRIEFING_PANELS: list[str] = ["spokespeople/_briefing_panel.html",
                              "notifications/_briefing_outlets_panel.html"]


def nav_items(entries: list[NavEntry]) -> list[dict]:
    items = []
    for entry in entries:
        if entry.visible is not None and not entry.visible(current_user):
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
