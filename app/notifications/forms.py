from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

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


class RulesForm(BaseForm):
    """The reminder rules as the admin edits them (names match reminder_settings rows)."""

    due_soon_days = StringField(_l("Reminders before the due time (days, comma-separated)"),
                                validators=[InputRequired(), Length(max=50)])
    overdue_every_days = StringField(_l("Repeat overdue notices every (days)"),
                                     validators=[InputRequired(), Length(max=5)])
    overdue_limit = StringField(_l("At most this many overdue notices"),
                                validators=[InputRequired(), Length(max=5)])
    escalate_after_days = StringField(_l("Escalate after (days overdue)"),
                                      validators=[InputRequired(), Length(max=5)])
    digest_time = StringField(_l("Daily digest at (HH:MM, local time)"),
                              validators=[InputRequired(), Length(max=5)])
    urgent_hours = StringField(_l("Changes this close to the start are urgent (hours)"),
                               validators=[InputRequired(), Length(max=5)])
    max_attempts = StringField(_l("SMTP attempts before giving up"),
                               validators=[InputRequired(), Length(max=5)])
