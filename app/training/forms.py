"""Training-course forms: field checks only (the rules are in the services)."""
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import NumberRange, Optional

from app.auth.forms import MultiCheckboxField
from app.events.forms import OverrideMixin
from app.events.models import VISIBILITY_LABELS, Visibility
from app.forms import BaseForm, max_length, required
from app.i18n import _l
from app.idempotency import FormTokenField
from app.training.models import TARGET_ROLE_LABELS, TargetRole
from app.web import choices


def _int_or_none(value):
    """A chosen id; a value that is not one becomes an id that exists nowhere (-1)."""
    try:
        return int(value) if value not in (None, "", "0") else None
    except (TypeError, ValueError):
        return -1


class DetailsForm(BaseForm):
    capacity = IntegerField(_l("Capacity (seats)"), validators=[required(), NumberRange(min=1, max=1000)])
    deadline_date = DateField(_l("Nominations close on"), validators=[required()])
    deadline_time = TimeField(_l("at"), validators=[Optional()])
    topic_ids = MultiCheckboxField(_l("Curriculum topics"), coerce=int, validate_choice=False)
    target_roles = MultiCheckboxField(_l("Course for"), choices=choices(
        (r.value, TARGET_ROLE_LABELS[r]) for r in TargetRole), validate_choice=False)
    trainer_ids = SelectMultipleField(_l("Trainers from the app's users"), coerce=_int_or_none,
                                      validate_choice=False)
    outside_trainers = TextAreaField(_l("Outside trainers (one name per line)"),
                                     validators=[max_length(5000)])


class NewCourseForm(OverrideMixin, DetailsForm):
    """A new course: its event (kind training) and its details; created once."""

    form_token = FormTokenField()
    title_vi = StringField(_l("Course title in Vietnamese"), validators=[required(), max_length(300)])
    title_en = StringField(_l("Course title in English"), validators=[max_length(300)])
    lead_unit_id = SelectField(_l("Organising unit"), coerce=_int_or_none, validate_choice=False)
    start_date = DateField(_l("First day"), validators=[required()])
    end_date = DateField(_l("Last day"), validators=[required()])
    location = StringField(_l("Place"), validators=[max_length(300)])
    visibility = SelectField(_l("Visibility"), default=Visibility.INTERNAL.value,
                             choices=choices((v.value, VISIBILITY_LABELS[v]) for v in Visibility))
    description_vi = TextAreaField(_l("Description in Vietnamese"), validators=[max_length(20000)])


class SessionForm(BaseForm):
    form_token = FormTokenField()
    day = DateField(_l("Date"), validators=[required()])
    start_time = TimeField(_l("From"), validators=[required()])
    end_time = TimeField(_l("To"), validators=[required()])
    title_vi = StringField(_l("Session (in Vietnamese)"), validators=[required(), max_length(500)])
    title_en = StringField(_l("Session (in English)"), validators=[max_length(500)])
    room = StringField(_l("Room"), validators=[max_length(300)])


class QuotaForm(BaseForm):
    unit_id = SelectField(_l("Unit"), coerce=_int_or_none, validate_choice=False)
    seats = IntegerField(_l("Seats"), validators=[required(), NumberRange(min=0, max=1000)])


class NominateForm(BaseForm):
    form_token = FormTokenField()
    user_id = SelectField(_l("Person to nominate"), coerce=_int_or_none, validate_choice=False)


class RespondForm(BaseForm):
    reason = TextAreaField(_l("Reason (when declining)"), validators=[max_length(2000)])


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""


def _rating_choices():
    return choices([("", "—"), *((str(n), str(n)) for n in range(5, 0, -1))])


def _rating(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class EvaluationForm(BaseForm):
    form_token = FormTokenField()
    content = SelectField(_l("Content of the course"), choices=_rating_choices(), coerce=_rating,
                          validate_choice=False)
    trainers = SelectField(_l("Trainers"), choices=_rating_choices(), coerce=_rating, validate_choice=False)
    organisation = SelectField(_l("Organisation"), choices=_rating_choices(), coerce=_rating,
                               validate_choice=False)
    usefulness = SelectField(_l("Usefulness for your work"), choices=_rating_choices(), coerce=_rating,
                             validate_choice=False)
    comments = TextAreaField(_l("Comments and suggestions"), validators=[max_length(5000)])
