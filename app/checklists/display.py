"""Template filters: times shown in the event's own time zone, named when it is not the app's."""
from datetime import datetime

from flask import Blueprint, current_app

from app.events.display import zone_name
from app.i18n import format_moment


def in_zone(moment: datetime | None, tz: str | None = None, fmt: str = "short") -> str:
    """``moment`` (aware) formatted for the user's locale in ``tz`` (default: the app's zone)."""
    if moment is None:
        return "—"
    app_zone = current_app.config["APP_TIMEZONE"]
    zone = tz or app_zone
    text = format_moment(moment, fmt, zone)
    return f"{text} ({zone_name(zone)})" if zone != app_zone else text


def event_checklist_panel(event) -> dict:
    """What the event page's checklist panel shows: items, progress, briefings."""
    import sqlalchemy as sa
    from flask_login import current_user

    from app.checklists import work
    from app.extensions import db
    from app.press.models import Briefing

    items = work.event_checklist(event)
    briefings = list(db.session.scalars(sa.select(Briefing).where(Briefing.event_id == event.id)
                                        .order_by(Briefing.starts_at)))
    return {"items": items, "progress": work.progress(items), "briefings": briefings,
            "can_see": {i.id for i in items if work.can_see(current_user, i)}}


def my_task_counts() -> dict:
    from flask_login import current_user

    from app.checklists import work

    counts = work.task_counts(current_user)
    return {"overdue": counts["overdue"], "due_soon": counts["due_soon"],
            "waiting": counts["waiting"], "to_review": counts["review"]}


def register_filters(bp: Blueprint) -> None:
    bp.add_app_template_filter(in_zone, "in_zone")
    bp.add_app_template_global(event_checklist_panel, "event_checklist_panel")
    bp.add_app_template_global(my_task_counts, "my_task_counts")
    bp.add_app_template_global(checklist_status_label, "checklist_status_label")
    bp.add_app_template_global(briefing_status_label, "briefing_status_label")


def checklist_status_label(status) -> str:
    from app.checklists.models import ITEM_STATUS_LABELS

    return str(ITEM_STATUS_LABELS[status])


def briefing_status_label(status) -> str:
    from app.press.models import BRIEFING_STATUS_LABELS

    return str(BRIEFING_STATUS_LABELS[status])
