from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import BaseForm
from app.i18n import _l
from app.idempotency import FormTokenField
from app.monitoring.models import CLASSIFICATION_LABELS, ORIGIN_LABELS, Classification, Origin
from app.web import choices

FORMAT = "%Y-%m-%dT%H:%M"
PLATFORMS = ("Facebook", "YouTube", "TikTok", "Zalo", "X (Twitter)", "Telegram", "Website", "Other")


class CaseForm(BaseForm):
    form_token = FormTokenField()  # a double POST records the case once (app.idempotency)
    outlet_id = SelectField(_l("Outlet"), coerce=int, default=0)
    platform = SelectField(_l("or social platform"), default="",
                           choices=choices([("", "—")] + [(p, p) for p in PLATFORMS]))
    account = StringField(_l("Account or page"), validators=[Optional(), Length(max=200)])
    url = StringField(_l("Link"), validators=[InputRequired(), Length(max=2000)])
    published_at = DateTimeLocalField(_l("Published at"), format=FORMAT, validators=[Optional()])
    headline = StringField(_l("Headline"), validators=[InputRequired(), Length(max=500)])
    excerpt = TextAreaField(_l("Excerpt"), validators=[Optional(), Length(max=20000)])
    attachments = MultipleFileField(_l("Screenshots or documents (PDF, DOCX, XLSX, JPG, PNG, TXT; up to 10 MB each)"))
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])
    area = StringField(_l("Area"), validators=[Optional(), Length(max=200)])
    lead_unit_id = SelectField(_l("Lead unit"), coerce=int)
    unit_ids = SelectMultipleField(_l("Other units concerned"), coerce=int)
    event_id = SelectField(_l("Related event or delegation"), coerce=int, default=0)
    classification = SelectField(_l("Classification"), choices=choices(
        (c.value, CLASSIFICATION_LABELS[c]) for c in Classification), default=Classification.UNTRUE.value)
    origin = SelectField(_l("Origin (which response clock applies)"), choices=choices(
        (o.value, ORIGIN_LABELS[o]) for o in Origin), default=Origin.MONITORED.value)
    reach = IntegerField(_l("Reach estimate (views, shares)"),
                         validators=[Optional(), NumberRange(min=0)])
    is_sensitive = BooleanField(_l("Sensitive or complex"))


class StepForm(BaseForm):
    version = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class VerifyForm(BaseForm):
    version = HiddenField()
    findings = TextAreaField(_l("What the verification found"), validators=[Optional(), Length(max=20000)])
    classification = SelectField(_l("Classification"), choices=choices(
        (c.value, CLASSIFICATION_LABELS[c]) for c in Classification))
