from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.auth.forms import MultiCheckboxField
from app.events.models import VISIBILITY_LABELS, Visibility
from app.forms import BaseForm
from app.i18n import _l
from app.press.models import (
    BRIEFING_STATUS_LABELS,
    OUTLET_SCOPE_LABELS,
    BriefingStatus,
    OutletScope,
)
from app.web import choices

FORMAT = "%Y-%m-%dT%H:%M"


class BriefingForm(BaseForm):
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
