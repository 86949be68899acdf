from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.forms import BaseForm
from app.i18n import _l
from app.notifications.models import MODE_LABELS
from app.web import choices


class PreferenceForm(BaseForm):
    mode = SelectField(_l("How to notify me"),
                       choices=choices((m.value, label) for m, label in MODE_LABELS.items()))
    timezone = StringField(_l("My time zone (for the daily digest)"),
                           validators=[Optional(), Length(max=64)],
                           description=_l("Empty: the province's time zone."))


class ConfirmForm(BaseForm):
    """A button-only form (CSRF token)."""

