from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.auth.forms import MultiCheckboxField
from app.events.models import EVENT_KIND_LABELS, VISIBILITY_LABELS, EventKind, Visibility
from app.forms import BaseForm
from app.i18n import _l
from app.idempotency import FormTokenField
from app.press.defaults import OFFSET_LIMIT
from app.press.models import (
    ANCHOR_LABELS,
    BRIEFING_KIND_LABELS,
    BRIEFING_STATUS_LABELS,
    INVITATION_STATUS_LABELS,
    OUTLET_SCOPE_LABELS,
    PRESS_FORM_LABELS,
    Anchor,
    BriefingKind,
    BriefingStatus,
    InvitationStatus,
    OutletScope,
    PressForm,
)
from app.web import choices

FORMAT = "%Y-%m-%dT%H:%M"


def _kind_field(**kwargs) -> SelectField:
    return SelectField(_l("Kind of briefing"), choices=choices(
        (k.value, BRIEFING_KIND_LABELS[k]) for k in BriefingKind), **kwargs)


def _press_form_field(**kwargs) -> SelectField:
    return SelectField(_l("Form (Decree 09/2017, Art. 4)"), choices=choices(
        (f.value, PRESS_FORM_LABELS[f]) for f in PressForm), **kwargs)


class NewBriefingForm(BaseForm):
    """A briefing made by hand from an event's page; created once (``app.idempotency``)."""

    form_token = FormTokenField()
    kind = _kind_field()
    press_form = _press_form_field()
    title_vi = StringField(_l("Title in Vietnamese"), validators=[InputRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Starts"), format=FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=FORMAT, validators=[InputRequired()])
    location = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    visibility = SelectField(_l("Visibility"), choices=choices(
        (v.value, VISIBILITY_LABELS[v]) for v in Visibility))


class BriefingDefaultForm(BaseForm):
    event_kind = SelectField(_l("Event kind"), choices=choices(
        (k.value, EVENT_KIND_LABELS[k]) for k in EventKind))
    briefing_kind = _kind_field()
    press_form = _press_form_field()
    offset_days = IntegerField(_l("Offset in calendar days (negative: before)"), default=0,
                               validators=[InputRequired(),
                                           NumberRange(-OFFSET_LIMIT, OFFSET_LIMIT)])
    anchor = SelectField(_l("Counted from"), choices=choices(
        (a.value, ANCHOR_LABELS[a]) for a in Anchor))
    bilingual = BooleanField(_l("Bilingual (Vietnamese and the partner's language or English)"))
    required = BooleanField(_l("Required before the event (otherwise the event page warns)"))
    active = BooleanField(_l("In use"), default=True)
    legal_basis = StringField(_l("Legal basis"), validators=[Optional(), Length(max=300)])
    legal_verified = BooleanField(_l("Legal basis verified at its source"))


class NewBriefingDefaultForm(BriefingDefaultForm):
    form_token = FormTokenField()


class BriefingForm(BaseForm):
    # Absent or unknown values leave the kind and form unchanged.
    kind = _kind_field(validate_choice=False)
    press_form = _press_form_field(validate_choice=False)
    title_vi = StringField(_l("Title in Vietnamese"), validators=[InputRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    starts_at = DateTimeLocalField(_l("Starts"), format=FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=FORMAT, validators=[InputRequired()])
    location = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    status = SelectField(_l("Status"), choices=choices(
        (s.value, BRIEFING_STATUS_LABELS[s]) for s in BriefingStatus))
    visibility = SelectField(_l("Visibility"), choices=choices(
        (v.value, VISIBILITY_LABELS[v]) for v in Visibility))
    chair = StringField(_l("Chaired by"), validators=[Optional(), Length(max=300)])
    purpose = TextAreaField(_l("Purpose and content"), validators=[Optional(), Length(max=5000)])
    outlet_ids = MultiCheckboxField(_l("Invited press outlets"), coerce=int)


class ReleaseForm(BaseForm):
    release_vi = TextAreaField(_l("Press release in Vietnamese"), validators=[Optional(), Length(max=20000)])
    release_en = TextAreaField(_l("Press release in English"), validators=[Optional(), Length(max=20000)])
    embargo_until = DateTimeLocalField(_l("Embargoed until"), format=FORMAT, validators=[Optional()])


class OutletForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    scope = SelectField(_l("Domestic or foreign"), choices=choices(
        (s.value, OUTLET_SCOPE_LABELS[s]) for s in OutletScope))
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=300)])
    languages = StringField(_l("Languages"), validators=[Optional(), Length(max=100)])
    active = BooleanField(_l("In use"), default=True)


class InviteForm(BaseForm):
    outlet_ids = MultiCheckboxField(_l("Outlets to invite"), coerce=int)


class InvitationStatusForm(BaseForm):
    status = SelectField(_l("Answer"), choices=choices(
        (s.value, INVITATION_STATUS_LABELS[s]) for s in InvitationStatus))
