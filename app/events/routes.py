"""Event pages: list, detail, create/edit, status, delegation, programme, venues, calendars.

Thin: parse the form, call a service, commit, render or redirect.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import idempotency
from app.auth.models import User
from app.events import (
    access,
    delegations,
    display,
    history,
    queries,
    release,
    reschedule,
    services,
    timegrid,
)
from app.events.clashes import ClashesFound
from app.events.forms import (
    DelegationForm,
    EventForm,
    MemberForm,
    NewEventForm,
    ProgrammeForm,
    SensitivityForm,
    StatusForm,
    VenueForm,
    history_labels,
)
from app.events.models import (
    DELEGATION_KINDS,
    EVENT_KIND_LABELS,
    EVENT_STATUS_LABELS,
    TRANSITIONS,
    VISIBILITY_LABELS,
    Event,
    EventStatus,
    Venue,
)
from app.events.venues import list_venues, require_manage_venues, save_venue
from app.extensions import db
from app.i18n import _
from app.inputs import parse_date
from app.units.services import unit_choices
from app.web import Outcome, apply_and_flash, choices, page_number

bp = Blueprint("events", __name__, url_prefix="/events")
calendar_bp = Blueprint("calendar", __name__, url_prefix="/calendar")

# A time zone by its name in the reader's language, for every package's pages:
# {{ briefing.timezone|zone_name }} shows "Giờ Đông Dương", never "Asia/Ho_Chi_Minh".
bp.add_app_template_filter(display.zone_name, "zone_name")


@bp.app_context_processor
def event_helpers():
    return {"ev": display, "kind_labels": EVENT_KIND_LABELS, "status_labels": EVENT_STATUS_LABELS,
            "visibility_labels": VISIBILITY_LABELS, "upcoming_events": _upcoming}


def _upcoming(user):
    return queries.upcoming(user, _zone())


def _zone() -> str:
    return current_app.config["APP_TIMEZONE"]


# --- choices ----------------------------------------------------------------------------

def _venue_choices(current_id=None):
    venues = [v for v in list_venues() if v.active or v.id == current_id]
    return choices([(0, "—"), *((v.id, v.name) for v in venues)])


def _user_choices():
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.name))
    return choices((u.id, f"{u.name} — {u.title}" if u.title else u.name) for u in users)


def _fill_event_choices(form: EventForm, event: Event | None = None) -> None:
    form.venue_id.choices = _venue_choices(event.venue_id if event else None)
    form.lead_unit_id.choices = unit_choices()
    form.coordinating_unit_ids.choices = unit_choices()
    form.host_ids.choices = _user_choices()
    form.country.choices = choices(display.country_choices())


# --- list and detail ----------------------------------------------------------------------

def _date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query parameter within the app's years; anything else is ignored."""
    return parse_date(request.args.get(name))


# The list's filters: the only parameters its pager carries from page to page.
LIST_FILTERS = ("kind", "status", "unit", "from", "to", "q")


@bp.get("/lookup.json")
def lookup():
    """Suggestions for event pickers (feeds): visible events matching ``q``, by title and day."""
    found = queries.lookup(current_user, request.args.get("q", "")[:200])
    return {"events": [{"id": e.id, "label": display.event_label(e)} for e in found]}


@bp.get("/")
def index():
    zone = _zone()
    # Upcoming events unless the user chose dates; an empty "from" means no lower bound.
    date_from = _date_arg("from") if "from" in request.args else queries.local_today(zone)
    filters = queries.EventFilters(
        kind=request.args.get("kind", ""), status=request.args.get("status", ""),
        unit_id=request.args.get("unit", type=int), date_from=date_from, date_to=_date_arg("to"),
        text=request.args.get("q", "")[:200])
    page = max(1, min(request.args.get("page", 1, type=int), 10_000))
    events, has_next = queries.list_events(current_user, filters, zone, page,
                                           current_app.config["PAGE_SIZE"])
    args = {k: request.args[k] for k in LIST_FILTERS if k in request.args}
    if "from" not in args:
        args["from"] = date_from.isoformat() if date_from else ""
    return render_template("events/list.html", events=events, filters=filters, page=page,
                           has_next=has_next, args=args, units=unit_choices(),
                           can_create=access.can_create_for(current_user, current_user.unit_id))


def _visible_event(event_id: int) -> Event:
    return access.require_view(current_user, queries.load_event(event_id))


@bp.get("/<int:event_id>")
def detail(event_id: int):
    event = _visible_event(event_id)
    return _render_detail(event, StatusForm(formdata=None))


def _render_detail(event: Event, status_form: StatusForm, stale=None, code: int = 200):
    status_form.version.data = event.version
    allowed = sorted(TRANSITIONS[event.status], key=list(EventStatus).index)
    status_form.status.choices = choices((s.value, EVENT_STATUS_LABELS[s]) for s in allowed)
    overrides = queries.overrides(event)
    can_edit = access.can_edit(current_user, event)
    full_detail = access.sees_full_detail(current_user)
    titles = queries.visible_titles(current_user, [c.get("other_event_id") for o in overrides
                                                   for c in o.clashes], display.locale_name())
    history_page = page_number(request.args)
    changes, more_history = queries.history(event, editor=can_edit, full_detail=full_detail,
                                            page=history_page)
    return render_template(
        "events/detail.html", event=event, full_detail=full_detail, history=changes,
        history_page=history_page, more_history=more_history,
        overrides=overrides,
        override_texts={o.id: [display.clash_text(_stored_clash(c), titles) for c in o.clashes]
                        for o in overrides},
        status_form=status_form, can_edit=can_edit,
        sensitivity_form=SensitivityForm(formdata=None, sensitive="" if event.is_sensitive else "1")
        if release.can_release(current_user, event) else None,
        field_labels=history_labels(), stale=stale,
        delegation_kind=event.kind in DELEGATION_KINDS), code


def _stored_clash(row: dict):
    from app.events.clashes import Clash

    return Clash(row.get("kind", ""), row.get("other_event_id"), row.get("subject", ""),
                 date.fromisoformat(row["day"]) if row.get("day") else None)


# --- create and edit -----------------------------------------------------------------------

def _event_data(form: EventForm, classifies: bool = True) -> services.EventData:
    """The form's values.

    The sensitivity stays unchanged (None) when the user does not ``classify`` events (their
    field is disabled).
    """
    return services.EventData(
        title_vi=form.title_vi.data or "", title_en=form.title_en.data or "",
        description_vi=form.description_vi.data or "", description_en=form.description_en.data or "",
        internal_notes=form.internal_notes.data or "", kind=form.kind.data,
        visibility=form.visibility.data,
        is_sensitive=form.is_sensitive.data if classifies else None,
        timezone=form.timezone.data or "", start_date=form.start_date.data,
        start_time=form.start_time.data, end_date=form.end_date.data, end_time=form.end_time.data,
        all_day=form.all_day.data, venue_id=form.venue_id.data, location=form.location.data or "",
        lead_unit_id=form.lead_unit_id.data,
        coordinating_unit_ids=[i for i in form.coordinating_unit_ids.data or [] if i],
        host_ids=[i for i in form.host_ids.data or [] if i],
        country=form.country.data or "", locality=form.locality.data or "",
        override_reason=_override_reason(form), embargo_local=form.embargo_until.data,
        keep_embargo=not classifies)


def _override_reason(form) -> str:
    """The reason counts only when the user ticked "save anyway"."""
    return (form.override_reason.data or "").strip() if form.override.data else ""


def _clash_context(exc: ClashesFound, form) -> list[str]:
    """Roll back, list the warnings, and ask for a reason if the box was ticked without one."""
    db.session.rollback()
    if form.override.data and not (form.override_reason.data or "").strip():
        form.override_reason.errors = [_("Give the reason for going ahead despite the warnings.")]
    titles = queries.visible_titles(current_user, [c.other_event_id for c in exc.clashes],
                                    display.locale_name())
    return [display.clash_text(c, titles) for c in exc.clashes]


def _stale_context(exc: history.StaleVersion, form, event_id: int | None):
    """Roll back, then let the next save apply over what is now in the database."""
    db.session.rollback()
    fresh = db.session.get(Event, event_id)
    if fresh is not None:
        form.version.data = fresh.version
    form.form_errors.append(_("Someone else saved this event after you opened the form. Your "
                              "input is kept below; check their changes, then save again."))
    return exc.changes


@dataclass
class Saved:
    """``apply_and_flash`` on an event form, with what the form shows when it did not apply."""

    outcome: Outcome
    clashes: list[str] = field(default_factory=list)  # warnings to confirm with a reason
    stale: list | None = None  # the changes someone else saved meanwhile
    preview: reschedule.Preview | None = None  # what would move with the event (not saved yet)


def _save(action, success, form, event_id: int | None = None) -> Saved:
    try:
        return Saved(apply_and_flash(action, success, form=form))
    except ClashesFound as exc:
        return Saved(Outcome(False), clashes=_clash_context(exc, form))
    except history.StaleVersion as exc:
        return Saved(Outcome(False), stale=_stale_context(exc, form, event_id))
    except reschedule.RescheduleNeeded as exc:
        db.session.rollback()
        return Saved(Outcome(False), preview=exc.preview)


@bp.route("/new", methods=["GET", "POST"])
def create():
    if not access.can_create_events(current_user):
        abort(403)
    form = NewEventForm()
    _fill_event_choices(form)
    if not form.is_submitted():
        form.timezone.data = _zone()
        form.lead_unit_id.data = current_user.unit_id
        form.start_date.data = form.end_date.data = queries.local_today(_zone()) + timedelta(days=7)
    saved = Saved(Outcome(False))
    if form.validate_on_submit():
        saved = _save(lambda: idempotency.once(
            form.form_token.data, current_user, "event",
            lambda: services.create_event(current_user, _event_data(form)),
            lambda event: url_for("events.detail", event_id=event.id)),
            _("Event created."), form)
        if saved.outcome:
            return redirect(url_for("events.detail", event_id=saved.outcome.result.id))
    return render_template("events/form.html", form=form, event=None, clashes=saved.clashes,
                           stale=None, field_labels=history_labels())


def _prefill(form: EventForm, event: Event) -> None:
    start = display.local(event.starts_at, event.timezone)
    end = display.local(event.ends_at, event.timezone)
    form.version.data = event.version
    form.kind.data, form.visibility.data = event.kind.value, event.visibility.value
    form.start_date.data, form.start_time.data = start.date(), start.time().replace(tzinfo=None)
    if event.all_day:
        form.end_date.data, form.end_time.data = (end - timedelta(days=1)).date(), None
        form.start_time.data = None
    else:
        form.end_date.data, form.end_time.data = end.date(), end.time().replace(tzinfo=None)
    form.venue_id.data = event.venue_id or 0
    form.embargo_until.data = (display.local(event.embargo_until, event.timezone).replace(tzinfo=None)
                               if event.embargo_until else None)
    form.coordinating_unit_ids.data = [u.id for u in event.coordinating_units]
    form.host_ids.data = [u.id for u in event.hosts]
    if event.delegation:
        form.country.data, form.locality.data = event.delegation.country, event.delegation.locality


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    event = _visible_event(event_id)
    access.require_edit(current_user, event)
    form = EventForm(obj=event)
    _fill_event_choices(form, event)
    if not form.is_submitted():
        _prefill(form, event)
    classifies = release.can_release(current_user, event)
    if not classifies:  # changing the sensitivity is steering's (release.classify)
        form.is_sensitive.render_kw = {"disabled": True}
        form.is_sensitive.data = event.is_sensitive
        form.embargo_until.render_kw = {"disabled": True}
        form.embargo_until.data = (
            display.local(event.embargo_until, event.timezone).replace(tzinfo=None)
            if event.embargo_until else None)
    saved = Saved(Outcome(False))
    if form.validate_on_submit():
        # The reschedule preview's confirmation: what the person keeps where it is.
        confirming = request.form.get("reschedule") == "1"
        keep = frozenset(request.form.getlist("keep")) if confirming else None
        saved = _save(lambda: services.update_event(current_user, event,
                                                    _event_data(form, classifies),
                                                    form.version.data, keep=keep),
                      _("Changes saved."), form, event_id)
        if saved.outcome:
            for item, place in reschedule.kept_misplaced(event, keep or ()):
                flash(display.misplaced_after_save(item, place), "warning")
            return redirect(url_for("events.detail", event_id=event_id))
        if saved.preview is None and confirming and saved.clashes:
            saved.preview = services.reschedule_preview(
                current_user, db.session.get_one(Event, event_id), _event_data(form, classifies))
        if saved.preview is not None:
            return _reschedule_page(event_id, form, saved, keep)
    event = db.session.get_one(Event, event_id)
    return render_template("events/form.html", form=form, event=event, clashes=saved.clashes,
                           stale=saved.stale,
                           field_labels=history_labels()), (409 if saved.stale is not None else 200)


# Fields the preview page renders itself; every other field of the edit form is carried as is.
PREVIEW_OWN_FIELDS = {"keep", "reschedule", "override", "override_reason"}


def _reschedule_page(event_id: int, form: EventForm, saved: Saved, keep):
    """The preview of a reschedule: what moves, what the person keeps, then confirm."""
    preview = saved.preview
    assert preview is not None
    own = PREVIEW_OWN_FIELDS | {f.name for f in form if f.type in ("HiddenField", "CSRFTokenField")}
    carried = [(name, value) for name, values in request.form.lists() if name not in own
               for value in values]
    kept = {m.key for m in preview.items if m.keep} if keep is None else set(keep)
    return render_template("events/reschedule.html", event=db.session.get_one(Event, event_id),
                           form=form, preview=preview, carried=carried, kept=kept,
                           clashes=saved.clashes)


@bp.post("/<int:event_id>/status")
def change_status(event_id: int):
    event = _visible_event(event_id)
    access.require_edit(current_user, event)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            changed = apply_and_flash(
                lambda: services.change_status(current_user, event, form.status.data,
                                               form.reason.data or "", form.version.data),
                lambda _changes: _("Status changed to %(status)s.",
                                   status=services.status_label(event.status)), form=form)
        except history.StaleVersion as exc:
            db.session.rollback()
            form.form_errors.append(_("Someone else saved this event after you opened the page; "
                                      "check their changes and try again."))
            return _render_detail(_visible_event(event_id), form, stale=exc.changes, code=409)
        if changed:
            return redirect(url_for("events.detail", event_id=event_id))
    return _render_detail(_visible_event(event_id), form, code=400)


@bp.post("/<int:event_id>/sensitivity")
def change_sensitivity(event_id: int):
    """Steering and admins mark an event sensitive or not (recorded like any change)."""
    form = SensitivityForm()
    if form.validate_on_submit():
        sensitive = form.sensitive.data == "1"
        apply_and_flash(lambda: release.set_sensitive(current_user, event_id, sensitive),
                        _("Marked sensitive: calendar feeds show it only as busy until it is "
                          "released.") if sensitive else _("No longer marked sensitive."))
    return redirect(url_for("events.detail", event_id=event_id))


# --- delegation and programme --------------------------------------------------------------

def _editable(event_id: int) -> Event:
    event = _visible_event(event_id)
    access.require_edit(current_user, event)
    return event


def _delegation_page(event, form=None, member_form=None, clashes=(), code=200):
    if form is None:
        form = DelegationForm(formdata=None, obj=event.delegation)
        if event.delegation:
            d = event.delegation
            form.direction.data = d.direction.value
            for name, moment in (("arrival", d.arrival_at), ("departure", d.departure_at)):
                if moment:
                    local = display.local(moment, event.timezone)
                    getattr(form, f"{name}_date").data = local.date()
                    getattr(form, f"{name}_time").data = local.time().replace(tzinfo=None)
        else:
            form.direction.data = delegations.default_direction(event.kind).value
            form.border_gate.data = delegations.default_border_gate(event.kind)
    form.country.choices = choices(display.country_choices())
    return render_template("events/delegation.html", event=event, form=form,
                           member_form=member_form or MemberForm(formdata=None),
                           clashes=list(clashes)), code


def _delegation_data(form: DelegationForm) -> delegations.DelegationData:
    return delegations.DelegationData(
        direction=form.direction.data, country=form.country.data or "",
        locality=form.locality.data or "", arrival_date=form.arrival_date.data,
        arrival_time=form.arrival_time.data, departure_date=form.departure_date.data,
        departure_time=form.departure_time.data, border_gate=form.border_gate.data or "",
        languages=form.languages.data or "", interpreters=form.interpreters.data or "",
        logistics=form.logistics.data or "")


@bp.route("/<int:event_id>/delegation", methods=["GET", "POST"])
def delegation(event_id: int):
    event = _editable(event_id)
    if event.kind not in DELEGATION_KINDS:
        abort(404)
    if request.method == "GET":
        return _delegation_page(event)
    form = DelegationForm()
    form.country.choices = choices(display.country_choices())
    if form.validate_on_submit() and apply_and_flash(
            lambda: delegations.save_delegation(current_user, event, _delegation_data(form)),
            _("Delegation details saved."), form=form):
        return redirect(url_for("events.delegation", event_id=event_id))
    return _delegation_page(queries.load_event(event_id), form=form, code=400)


@bp.post("/<int:event_id>/members")
def add_member(event_id: int):
    event = _editable(event_id)
    form = MemberForm()
    saved = Saved(Outcome(False))
    if form.validate_on_submit():
        saved = _save(lambda: delegations.add_member(current_user, event, form.name.data,
                                                     form.title.data or "", form.is_head.data,
                                                     _override_reason(form)),
                      _("Member added."), form)
        if saved.outcome:
            return redirect(url_for("events.delegation", event_id=event_id) + "#members")
    return _delegation_page(queries.load_event(event_id), member_form=form, clashes=saved.clashes,
                            code=200 if saved.clashes else 400)


@bp.post("/<int:event_id>/members/<int:member_id>/delete")
def remove_member(event_id: int, member_id: int):
    event = _editable(event_id)
    apply_and_flash(lambda: delegations.remove_member(current_user, event, member_id),
                    _("Member removed."))
    return redirect(url_for("events.delegation", event_id=event_id) + "#members")


def _programme_page(event, form=None, clashes=(), code=200):
    if form is None:
        form = ProgrammeForm(formdata=None)
        form.day.data = display.local(event.starts_at, event.timezone).date()
    form.venue_id.choices = _venue_choices()
    form.host_ids.choices = _user_choices()
    return render_template("events/programme.html", event=event, form=form,
                           clashes=list(clashes), outside=delegations.is_outside_event), code


@bp.route("/<int:event_id>/programme", methods=["GET", "POST"])
def programme(event_id: int):
    event = _editable(event_id)
    if request.method == "GET":
        return _programme_page(event)
    form = ProgrammeForm()
    form.venue_id.choices = _venue_choices()
    form.host_ids.choices = _user_choices()
    saved = Saved(Outcome(False))
    if form.validate_on_submit():
        data = delegations.ProgrammeData(
            day=form.day.data, start_time=form.start_time.data, end_time=form.end_time.data,
            activity_vi=form.activity_vi.data or "", activity_en=form.activity_en.data or "",
            place=form.place.data or "", venue_id=form.venue_id.data,
            host_ids=[i for i in form.host_ids.data or [] if i],
            hosts_text=form.hosts_text.data or "", override_reason=_override_reason(form))
        saved = _save(lambda: delegations.add_programme_item(current_user, event, data),
                      _("Programme item added."), form)
        if saved.outcome:
            if delegations.is_outside_event(saved.outcome.result):
                flash(_("This programme item is outside the event's time: check its date and "
                        "times."), "warning")
            return redirect(url_for("events.programme", event_id=event_id))
    return _programme_page(queries.load_event(event_id), form=form, clashes=saved.clashes,
                           code=200 if saved.clashes else 400)


@bp.post("/<int:event_id>/programme/<int:item_id>/delete")
def remove_programme_item(event_id: int, item_id: int):
    event = _editable(event_id)
    apply_and_flash(lambda: delegations.remove_programme_item(current_user, event, item_id),
                    _("Programme item removed."))
    return redirect(url_for("events.programme", event_id=event_id))


# --- venues ------------------------------------------------------------------------------

@bp.get("/venues/")
def venues():
    require_manage_venues(current_user)
    return render_template("events/venues.html", venues=list_venues())


@bp.route("/venues/new", methods=["GET", "POST"], defaults={"venue_id": None})
@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def venue_form(venue_id: int | None):
    require_manage_venues(current_user)
    venue = db.get_or_404(Venue, venue_id) if venue_id else None
    form = VenueForm(obj=venue)
    if form.validate_on_submit() and apply_and_flash(
            lambda: save_venue(current_user, venue, form.name.data, form.address.data or "",
                               form.capacity.data, form.active.data),
            _("Venue saved."), form=form):
        return redirect(url_for("events.venues"))
    return render_template("events/venue_form.html", form=form, venue=venue)


# --- calendar ----------------------------------------------------------------------------

VIEWS = ("month", "week", "agenda")


def _anchor(name: str = "date") -> date:
    return _date_arg(name) or queries.local_today(_zone())


@calendar_bp.get("")
def calendar():
    view = request.args.get("view", "month")
    if view not in VIEWS:
        view = "month"
    anchor = _anchor()
    zone = _zone()
    extra: dict[str, object] = {}
    if view == "month":
        days = queries.calendar_days(current_user, queries.month_grid(anchor), zone, per_day=3)
        first = anchor.replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    elif view == "week":
        days = queries.calendar_days(current_user, queries.week_days(anchor), zone, per_day=25)
        extra["grid"] = timegrid.week_grid(days)
        previous, following = anchor - timedelta(days=7), anchor + timedelta(days=7)
    else:
        days = queries.calendar_days(current_user, [anchor + timedelta(days=i) for i in range(14)],
                                     zone, per_day=50)
        previous, following = anchor - timedelta(days=14), anchor + timedelta(days=14)
    return render_template(f"calendar/{view}.html", view=view, anchor=anchor, days=days,
                           previous=previous, following=following, viewer_zone=zone,
                           today=queries.local_today(zone), events_root=url_for("events.index"),
                           agenda_root=url_for("calendar.calendar", view="agenda") + "&date=",
                           **extra)


@calendar_bp.get("/print")
def print_week():
    monday = _anchor("week")
    monday -= timedelta(days=monday.weekday())
    days = queries.week_schedule(current_user, monday, _zone())
    return render_template("calendar/print.html", monday=monday, sunday=monday + timedelta(days=6),
                           days=days, previous_week=monday - timedelta(days=7),
                           next_week=monday + timedelta(days=7))
