from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import BaseForm, SubForm
from app.i18n import _l
from app.spokespeople.models import AssignmentRole
from app.web import choices

ROLE_CHOICES = ((AssignmentRole.LEAD.value, _l("Lead spokesperson")),
                (AssignmentRole.DEPUTY.value, _l("Deputy spokesperson")))


class DesignationForm(BaseForm):
    unit_id = SelectField(_l("Unit"), coerce=int)
    user_id = SelectField(_l("Person"), coerce=int)
    title = StringField(_l("Title in the directory"), validators=[InputRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    since = DateField(_l("Designated from"), validators=[InputRequired()])
    until = DateField(_l("Designated until"), validators=[Optional()])


class EndDesignationForm(BaseForm):
    until = DateField(_l("Last day"), validators=[InputRequired()])


class AuthorisationForm(BaseForm):
    unit_id = SelectField(_l("Unit"), coerce=int)
    user_id = SelectField(_l("Authorised person"), coerce=int)
    issued_by_id = SelectField(_l("Issued by (head of the unit)"), coerce=int)
    document_number = StringField(_l("Document number"),
                                  validators=[InputRequired(), Length(max=100)])
    document_date = DateField(_l("Document date"), validators=[InputRequired()])
    valid_from = DateField(_l("Valid from"), validators=[InputRequired()])
    valid_until = DateField(_l("Valid until"), validators=[InputRequired()])
    matters = TextAreaField(_l("Matters covered"), validators=[InputRequired(), Length(max=5000)])


class AssignForm(BaseForm):
    unit_id = SelectField(_l("Speaks for"), coerce=int)
    user_id = SelectField(_l("Person"), coerce=int)
    role = SelectField(_l("Role"), choices=choices(ROLE_CHOICES))


class DeclineForm(BaseForm):
    reason = StringField(_l("Reason for declining"), validators=[InputRequired(), Length(max=1000)])


class FigureForm(SubForm):
    figure = StringField(_l("Figure"), validators=[Optional(), Length(max=1000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=500)])


class AnswerForm(SubForm):
    question_vi = TextAreaField(_l("Question (Vietnamese)"), validators=[Optional(), Length(max=5000)])
    answer_vi = TextAreaField(_l("Answer (Vietnamese)"), validators=[Optional(), Length(max=10000)])
    question_en = TextAreaField(_l("Question (English)"), validators=[Optional(), Length(max=5000)])
    answer_en = TextAreaField(_l("Answer (English)"), validators=[Optional(), Length(max=10000)])


class NoteForm(BaseForm):
    # The version this edit started from: a save on top of a newer one is refused.
    base_number = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    key_messages_vi = TextAreaField(_l("Key messages (Vietnamese)"), validators=[Length(max=20000)])
    key_messages_en = TextAreaField(_l("Key messages (English)"), validators=[Length(max=20000)])
    background_vi = TextAreaField(_l("Background facts (Vietnamese)"),
                                  validators=[Length(max=50000)])
    background_en = TextAreaField(_l("Background facts (English)"), validators=[Length(max=50000)])
    figures = FieldList(FormField(FigureForm), min_entries=1)
    answers = FieldList(FormField(AnswerForm), min_entries=1)
    red_lines_vi = TextAreaField(_l("Lines not to cross (Vietnamese)"),
                                 validators=[Length(max=20000)])
    red_lines_en = TextAreaField(_l("Lines not to cross (English)"), validators=[Length(max=20000)])


class VersionActionForm(BaseForm):
    number = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewForm(VersionActionForm):
    comment = TextAreaField(_l("Comments"), validators=[Optional(), Length(max=10000)])
