"""The feed settings form: field validation only; the service checks the rules."""
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app.events.models import EVENT_KIND_LABELS
from app.feeds.models import (
    ALARM_LABELS,
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    DETAIL_LABELS,
    MAX_DAYS_AHEAD,
    MAX_DAYS_BACK,
)
from app.forms import BaseForm
from app.i18n import _l
from app.idempotency import FormTokenField
from app.web import choices


class FeedForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    language = SelectField(_l("Language of the feed"))
    detail = SelectField(_l("Detail level"))
    alarms = SelectField(_l("Reminders"))
    kinds = SelectMultipleField(_l("Event kinds (none: all)"))
    unit_ids = SelectMultipleField(_l("Units (none: all)"), coerce=int)
    mine = BooleanField(_l("Only events I host, brief at or owe checklist items for"))
    # Picked by name (static/js/lookup.js fills the id); without script the words are resolved.
    event_search = StringField(_l("Only this event"), validators=[Length(max=300)])
    delegation_event_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    days_back = IntegerField(_l("Days back"), default=DEFAULT_DAYS_BACK,
                             validators=[NumberRange(0, MAX_DAYS_BACK)])
    days_ahead = IntegerField(_l("Days ahead"), default=DEFAULT_DAYS_AHEAD,
                              validators=[NumberRange(1, MAX_DAYS_AHEAD)])
    expires_on = DateField(_l("Expires on (optional)"), validators=[Optional()])
    deadlines = SelectField(_l("Deadlines"), default="auto")
    tasks = BooleanField(_l("Deadlines as tasks (VTODO)"))

    def __init__(self, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices([("vi", "Tiếng Việt"), ("en", "English")])
        self.detail.choices = choices((k.value, v) for k, v in DETAIL_LABELS.items())
        self.alarms.choices = choices((k.value, v) for k, v in ALARM_LABELS.items())
        self.kinds.choices = choices((k.value, v) for k, v in EVENT_KIND_LABELS.items())
        self.unit_ids.choices = choices(units)
        self.deadlines.choices = choices([
            ("auto", _l("With \"only mine\" feeds")),
            ("on", _l("Always: the open checklist items of me and my unit")), ("off", _l("Never"))])


class NewFeedForm(FeedForm):
    """The create form: a feed is created once however often it is sent (app.idempotency)."""

    form_token = FormTokenField()
    for_unit = BooleanField(_l("A shared calendar of my unit (its events and its deadlines)"))
