from wtforms import SelectField
from wtforms.validators import Length, Optional

from app.events.display import zone_choices
from app.forms import BaseForm
from app.i18n import _l
from app.notifications.models import MODE_LABELS
from app.web import choices


class PreferenceForm(BaseForm):
    mode = SelectField(_l("How to notify me"),
                       choices=choices((m.value, label) for m, label in MODE_LABELS.items()))
    # Checked by the service; the menu names the zones, the province's and its partners' first.
    timezone = SelectField(_l("My time zone (for the daily digest)"), validate_choice=False,
                           choices=lambda: [("", _l("The province's time zone")), *zone_choices()],
                           validators=[Optional(), Length(max=64)])


class ConfirmForm(BaseForm):
    """A button-only form (CSRF token)."""

