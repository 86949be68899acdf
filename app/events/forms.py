"""Event, status, delegation, member, programme and venue forms: field checks only."""
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import NumberRange, Optional

from app.events import display
from app.events.models import (
    DIRECTION_LABELS,
    EVENT_KIND_LABELS,
    EVENT_STATUS_LABELS,
    VISIBILITY_LABELS,
    DelegationDirection,
    EventKind,
    EventStatus,
    Visibility,
)
from app.forms import BaseForm, max_length, required
from app.i18n import _, _l, _lp
from app.idempotency import FormTokenField
from app.web import choices


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "", "0") else None
    except (TypeError, ValueError):
        return -1  # an id that exists nowhere: the service answers "unknown"


class OverrideMixin:
    """Shown with the clash warnings: save anyway, giving the reason."""

    override = BooleanField(_l("Save anyway despite these warnings"))
    override_reason = TextAreaField(_l("Reason for going ahead"), validators=[max_length(2000)])


class EventForm(OverrideMixin, BaseForm):
    version = HiddenField()
    title_vi = StringField(_lp("event", "Title in Vietnamese"), validators=[required(), max_length(300)])
    title_en = StringField(_lp("event", "Title in English"), validators=[max_length(300)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, EVENT_KIND_LABELS[k]) for k in EventKind))
    visibility = SelectField(_l("Visibility"), default=Visibility.INTERNAL.value,
                             choices=choices((v.value, VISIBILITY_LABELS[v]) for v in Visibility))
    is_sensitive = BooleanField(_l("Sensitive or complex matter (steering committee follows it)"))
    embargo_until = DateTimeLocalField(_l("Embargoed until"), format="%Y-%m-%dT%H:%M",
                                       validators=[Optional()])
    # Checked by the service (any canonical IANA name); the menu names them, partners first.
    timezone = SelectField(_l("Time zone"), choices=display.zone_choices, validate_choice=False,
                           validators=[required(), max_length(64)])
    start_date = DateField(_l("Start date"), validators=[required()])
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[required()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    all_day = BooleanField(_l("All day"))
    venue_id = SelectField(_l("Venue"), coerce=_int_or_none, validate_choice=False)
    location = StringField(_l("Place (when not a managed venue)"), validators=[max_length(300)])
    lead_unit_id = SelectField(_l("Lead unit"), coerce=_int_or_none, validate_choice=False)
    coordinating_unit_ids = SelectMultipleField(_l("Coordinating units"), coerce=_int_or_none,
                                                validate_choice=False)
    host_ids = SelectMultipleField(_l("Hosts (provincial officials)"), coerce=_int_or_none,
                                   validate_choice=False)
    country = SelectField(_l("Partner country"), validate_choice=False)
    locality = StringField(_l("Partner locality"), validators=[max_length(200)])
    description_vi = TextAreaField(_l("Description in Vietnamese"), validators=[max_length(20000)])
    description_en = TextAreaField(_l("Description in English"), validators=[max_length(20000)])
    internal_notes = TextAreaField(_l("Internal notes (never published)"),
                                   validators=[max_length(20000)])


class NewEventForm(EventForm):
    """The create form: created once however often it is sent (``app.idempotency``)."""

    form_token = FormTokenField()


class StatusForm(BaseForm):
    version = HiddenField()
    status = SelectField(_l("New status"), validate_choice=False,
                         choices=choices((s.value, EVENT_STATUS_LABELS[s]) for s in EventStatus))
    reason = TextAreaField(_l("Reason (required to postpone or cancel)"),
                           validators=[max_length(2000)])


class SensitivityForm(BaseForm):
    """The steering committee's button on the event page: "1" sensitive, "" not."""

    sensitive = HiddenField()


class DelegationForm(BaseForm):
    direction = SelectField(_l("Direction"), choices=choices(
        (d.value, DIRECTION_LABELS[d]) for d in DelegationDirection))
    country = SelectField(_l("Partner country"), validate_choice=False)
    locality = StringField(_l("Partner locality"), validators=[max_length(200)])
    arrival_date = DateField(_l("Arrival date"), validators=[Optional()])
    arrival_time = TimeField(_l("Arrival time"), validators=[Optional()])
    departure_date = DateField(_l("Departure date"), validators=[Optional()])
    departure_time = TimeField(_l("Departure time"), validators=[Optional()])
    border_gate = StringField(_l("Border gate"), validators=[max_length(200)])
    languages = StringField(_l("Languages"), validators=[max_length(200)])
    interpreters = TextAreaField(_l("Interpreters"), validators=[max_length(20000)])
    logistics = TextAreaField(_l("Logistics and security (never published)"),
                              validators=[max_length(20000)])


class MemberForm(OverrideMixin, BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    title = StringField(_l("Title and position"), validators=[max_length(300)])
    is_head = BooleanField(_l("Head of the delegation"))


class ProgrammeForm(OverrideMixin, BaseForm):
    day = DateField(_l("Date"), validators=[required()])
    start_time = TimeField(_lp("time", "From"), validators=[required()])
    end_time = TimeField(_lp("time", "To"), validators=[required()])
    activity_vi = StringField(_l("Activity in Vietnamese"), validators=[required(),
                                                                         max_length(500)])
    activity_en = StringField(_l("Activity in English"), validators=[max_length(500)])
    venue_id = SelectField(_l("Venue"), coerce=_int_or_none, validate_choice=False)
    place = StringField(_l("Place (when not a managed venue)"), validators=[max_length(300)])
    host_ids = SelectMultipleField(_l("Hosts (provincial officials)"), coerce=_int_or_none,
                                   validate_choice=False)
    hosts_text = StringField(_l("Hosts as printed on the programme"), validators=[max_length(500)])


class VenueForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    address = StringField(_l("Address"), validators=[max_length(300)])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)])
    active = BooleanField(_l("In use"), default=True)


def history_labels() -> dict:
    """{field: label} of an event's history (its page, the stale-form notice, the audit log).

    Fields are named as the forms label them, in the user's language.
    """
    form = EventForm(formdata=None, meta={"csrf": False})
    labels = {name: str(f.label.text) for name, f in form._fields.items()}
    delegation = DelegationForm(formdata=None, meta={"csrf": False})
    labels.update({f"delegation.{name}": str(f.label.text) for name, f in delegation._fields.items()})
    labels.update({"delegation.arrival_at": _("Arrival"), "delegation.departure_at": _("Departure")})
    labels.update({"status": _("Status"), "status_reason": _("Reason"),
                   "starts_at": _("Start"), "ends_at": _("End"),
                   "programme": _("Programme"), "delegation.member": _("Delegation member"),
                   "briefings": _("Press conferences"),
                   "released_at": _("Released to calendar feeds"),
                   "embargo_until": _("Embargoed until")})
    return labels
