"""The words of each kind of notification, rendered from stored params in any language.

Call inside ``flask_babel.force_locale(locale)`` (or a request in that
locale): the bell, the list page and the e-mails all use ``render``.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale

from app.events.display import zone_name
from app.i18n import _, format_day, format_moment
from app.notifications.models import Kind


@dataclass
class Text:
    subject: str
    lines: list[str] = field(default_factory=list)


def when(value: str | None, zone: str | None, locale: str) -> str:
    """An ISO datetime from params, in ``zone``: "10 tháng 12 2026, 08:00 (Giờ Nhật Bản)"."""
    if not value:
        return ""
    app_zone = current_app.config["APP_TIMEZONE"]
    tz = zone or app_zone
    text = format_moment(datetime.fromisoformat(value), "long", tz, locale)
    if tz == app_zone:
        return text
    with force_locale(locale):
        return f"{text} ({zone_name(tz)})"


def pick(params: dict, name: str, locale: str) -> str:
    """``name_en`` in English when there is one, else ``name_vi``."""
    if locale == "en" and params.get(f"{name}_en"):
        return params[f"{name}_en"]
    return params.get(f"{name}_vi", "")


def render(kind: str, params: dict, locale: str) -> Text:
    p = params
    title = pick(p, "title", locale)
    event = pick(p, "event_title", locale)
    due = when(p.get("due_at"), p.get("tz"), locale)
    start = when(p.get("starts_at"), p.get("tz"), locale)
    kind = Kind(kind)
    if kind is Kind.ITEM_ASSIGNED:
        return Text(_("New task: %(title)s", title=title),
                    [_("You are responsible for “%(title)s” for %(event)s.", title=title, event=event),
                     _("Due: %(due)s.", due=due)])
    if kind is Kind.ITEM_DUE_SOON:
        return Text(_("Due in %(days)d day(s): %(title)s", days=p.get("days", 0), title=title),
                    [_("“%(title)s” for %(event)s is due at %(due)s.", title=title, event=event,
                       due=due),
                     _("Please provide it before the deadline.")])
    if kind is Kind.ITEM_OVERDUE:
        return Text(_("Overdue: %(title)s", title=title),
                    [_("“%(title)s” for %(event)s was due at %(due)s and is not done.",
                       title=title, event=event, due=due),
                     _("Please provide it as soon as possible.")])
    if kind is Kind.ITEM_ESCALATED:
        return Text(_("Overdue by %(days)d days: %(title)s (%(unit)s)", days=p.get("days", 0),
                      title=title, unit=pick(p, "unit", locale)),
                    [_("“%(title)s” for %(event)s, owed by %(unit)s, was due at %(due)s and is "
                       "still not done.", title=title, event=event, unit=pick(p, "unit", locale),
                       due=due),
                     _("You receive this as the head of the unit or as protocol staff.")])
    if kind is Kind.SUBMISSION_RECEIVED:
        return Text(_("To review: %(title)s (%(unit)s)", title=title, unit=pick(p, "unit", locale)),
                    [_("%(unit)s provided “%(title)s” for %(event)s.", unit=pick(p, "unit", locale),
                       title=title, event=event),
                     _("Please accept it or return it with a comment.")])
    if kind is Kind.SUBMISSION_ACCEPTED:
        return Text(_("Accepted: %(title)s", title=title),
                    [_("Your submission for “%(title)s” (%(event)s) was accepted.", title=title,
                       event=event)])
    if kind is Kind.SUBMISSION_RETURNED:
        return Text(_("Returned: %(title)s", title=title),
                    [_("Your submission for “%(title)s” (%(event)s) was returned.", title=title,
                       event=event),
                     *([_("Comment: %(comment)s", comment=p["comment"])] if p.get("comment") else [])])
    if kind is Kind.SPOKESPERSON_ASSIGNED:
        return Text(_("You are a spokesperson: %(title)s", title=title),
                    [_("You are assigned to speak at the press briefing “%(title)s” (%(event)s).",
                       title=title, event=event),
                     _("Starts: %(start)s.", start=start)])
    if kind is Kind.NOTE_SUBMITTED:
        return Text(_("Briefing note to approve: %(title)s", title=title),
                    [_("Version %(number)d of the briefing note for “%(title)s” (%(event)s) waits "
                       "for your approval.", number=p.get("number", 0), title=title, event=event)])
    if kind is Kind.NOTE_APPROVED:
        return Text(_("Briefing note approved: %(title)s", title=title),
                    [_("Your briefing note for “%(title)s” was approved.", title=title)])
    if kind is Kind.NOTE_RETURNED:
        return Text(_("Briefing note returned: %(title)s", title=title),
                    [_("Your briefing note for “%(title)s” was returned for changes.", title=title),
                     *([_("Comment: %(comment)s", comment=p["comment"])] if p.get("comment") else [])])
    if kind is Kind.EVENT_RESCHEDULED:
        return Text(_("Rescheduled: %(event)s", event=event),
                    [_("%(event)s now starts at %(start)s (was %(old)s).", event=event, start=start,
                       old=when(p.get("old_starts_at"), p.get("tz"), locale)),
                     _("Pending reminders follow the new time.")])
    if kind is Kind.EVENT_CANCELLED:
        return Text(_("Cancelled: %(event)s", event=event),
                    [_("%(event)s, planned for %(start)s, is cancelled.", event=event, start=start),
                     *([_("Reason: %(reason)s", reason=p["reason"])] if p.get("reason") else []),
                     _("Reminders for its tasks are withdrawn.")])
    if kind is Kind.EVENT_CHANGED:
        return Text(_("Changed: %(event)s", event=event),
                    [_("%(event)s, starting at %(start)s, has changed: %(what)s.", event=event,
                       start=start, what=", ".join(_change_label(c) for c in p.get("changed", [])))])
    if kind is Kind.TRAINING_NOMINATED:
        return Text(_("Nominated for a training course: %(event)s", event=event),
                    [_("%(unit)s nominated you for the training course %(event)s, starting at %(start)s.",
                       unit=pick(p, "unit", locale), event=event, start=start),
                     _("Please accept or decline on the course's page.")])
    if kind in CASE_KINDS:
        return _case_text(kind, p, locale)
    if kind is Kind.STANDING_ALERT:
        return _alert_text(p, locale)
    return Text(_("Your daily digest"), [])


def _day(value: str | None, locale: str) -> str:
    return format_day(date.fromisoformat(value), "long", locale=locale) if value else ""


def _alert_text(p: dict, locale: str) -> Text:
    """A standing alert of the oversight: ``code`` and what it needs (``due``, ``unit_*``…)."""
    code, due, unit = p.get("code", ""), _day(p.get("due"), locale), pick(p, "unit", locale)
    basis = [_("Legal basis: %(basis)s", basis=p["basis"])] if p.get("basis") else []
    if code == "ppc_briefing":
        lines = ([_("%(days)d days since the provincial People's Committee's last press conference (%(last)s).",
                    days=p.get("days") or 0, last=_day(p.get("last"), locale))] if p.get("last") else
                 [_("No press conference of the provincial People's Committee is recorded.")])
        return Text(_("A press conference of the provincial People's Committee is due"), lines + basis)
    if code == "monthly_information":
        return Text(_("Monthly press information due by %(date)s", date=due),
                    [_("No press information of the provincial People's Committee recorded this month; "
                       "it is due by %(date)s.", date=due), *basis])
    if code == "roster_changed":
        return Text(_("Spokesperson list of %(unit)s: tell the press authority", unit=unit),
                    [_("The spokesperson list of %(unit)s changed; the press authority has not been told "
                       "in writing yet.", unit=unit), *basis])
    if code == "answer_clock":
        return Text(_("Answer due on %(date)s: “%(headline)s”", date=due, headline=p.get("headline", "")),
                    [_("Answer to %(source)s (%(subject)s) due on %(date)s.", source=p.get("source", ""),
                       subject=p.get("headline", ""), date=due), *basis])
    return Text(_("The periodic report is due on %(date)s.", date=due), basis)


CASE_KINDS = frozenset({Kind.CASE_SENSITIVE, Kind.CASE_DUE_SOON, Kind.CASE_OVERDUE,
                        Kind.CASE_ESCALATED, Kind.CASE_TO_APPROVE, Kind.CASE_FOLLOW_UP})


def _case_text(kind: Kind, p: dict, locale: str) -> Text:
    """A monitoring case: ``headline``, ``source``, ``unit_*``, ``clock`` and ``due_at``."""
    headline, source, unit = p.get("headline", ""), p.get("source", ""), pick(p, "unit", locale)
    due = when(p.get("due_at"), None, locale)
    clock = _clock_label(p.get("clock", ""))
    if kind is Kind.CASE_SENSITIVE:
        return Text(_("Sensitive report: %(headline)s", headline=headline),
                    [_("A sensitive report was recorded: “%(headline)s” (%(source)s), lead unit "
                       "%(unit)s.", headline=headline, source=source, unit=unit),
                     _("The steering committee is told at once; %(clock)s due at %(due)s.",
                       clock=clock, due=due)])
    if kind is Kind.CASE_DUE_SOON:
        return Text(_("Due soon: %(clock)s of “%(headline)s”", clock=clock, headline=headline),
                    [_("The %(clock)s of the report “%(headline)s” (%(source)s) is due at %(due)s.",
                       clock=clock, headline=headline, source=source, due=due)])
    if kind is Kind.CASE_OVERDUE:
        return Text(_("Overdue: %(clock)s of “%(headline)s”", clock=clock, headline=headline),
                    [_("The %(clock)s of the report “%(headline)s” (%(source)s) was due at %(due)s.",
                       clock=clock, headline=headline, source=source, due=due),
                     _("Please act as soon as possible.")])
    if kind is Kind.CASE_ESCALATED:
        return Text(_("Escalated: “%(headline)s” (%(unit)s)", headline=headline, unit=unit),
                    [_("The %(clock)s of the report “%(headline)s”, owed by %(unit)s, was due at "
                       "%(due)s and is still not done.", clock=clock, headline=headline, unit=unit,
                       due=due),
                     _("You receive this as a member of the steering committee.")])
    if kind is Kind.CASE_TO_APPROVE:
        return Text(_("Response to approve: “%(headline)s”", headline=headline),
                    [_("A response to the report “%(headline)s” waits for your approval.",
                       headline=headline)])
    return Text(_("Correction still missing: “%(headline)s”", headline=headline),
                [_("%(source)s has not yet published the correction requested for “%(headline)s” "
                   "(follow-up due at %(due)s).", source=source, headline=headline, due=due)])


def _clock_label(name: str) -> str:
    return {"verify": _("verification"), "respond": _("response"),
            "correction": _("correction follow-up")}.get(name, name)


def _change_label(name: str) -> str:
    return {"time": _("time"), "place": _("place"), "status": _("status")}.get(name, name)
