"""Forms of the periodic report: field validation only; the services check the rules."""
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import BaseForm
from app.i18n import _l
from app.idempotency import FormTokenField


class NewReportForm(BaseForm):
    form_token = FormTokenField()
    period = StringField(_l("Period"), validators=[DataRequired(), Length(max=40)])


class SectionForm(BaseForm):
    text = TextAreaField(_l("Narrative"), validators=[Length(max=20_000)])
    base_number = IntegerField(validators=[Optional()])


class WorkflowForm(BaseForm):
    version = IntegerField(validators=[Optional()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5_000)])
    number = StringField(_l("Number and symbol"), validators=[Length(max=60)])
    action = HiddenField()


class RosterNoticeForm(BaseForm):
    reference = StringField(_l("Number of the letter"), validators=[Length(max=100)])
