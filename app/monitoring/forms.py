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
from app.monitoring.models import (
    CLASSIFICATION_LABELS,
    ORIGIN_LABELS,
    RESPONSE_FORM_LABELS,
    Classification,
    Origin,
    ResponseForm,
)
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


class ResponseTextForm(BaseForm):
    version = HiddenField()
    response_form = SelectField(_l("Form of the response (Decree 09/2017, Art. 4)"), choices=choices(
        (f.value, RESPONSE_FORM_LABELS[f]) for f in ResponseForm), default=ResponseForm.PORTAL_STATEMENT.value)
    text = TextAreaField(_l("Response text"), validators=[Optional(), Length(max=50000)])


class ReviewForm(BaseForm):
    version = HiddenField()
    number = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class RespondForm(BaseForm):
    version = HiddenField()
    speaker_id = SelectField(_l("Spoken or signed by"), coerce=int, default=0)
    given_at = DateTimeLocalField(_l("Given at"), format=FORMAT, validators=[Optional()])
    link = StringField(_l("Where it can be read (link)"), validators=[Optional(), Length(max=2000)])


class CorrectionRequestForm(BaseForm):
    version = HiddenField()
    false_content = TextAreaField(_l("False content (as published)"), validators=[Optional(), Length(max=20000)])
    corrected_content = TextAreaField(_l("Corrected content"), validators=[Optional(), Length(max=20000)])
    signatory = StringField(_l("Signatory (name and title)"), validators=[Optional(), Length(max=300)])


class CorrectionForm(BaseForm):
    version = HiddenField()
    published_at = DateTimeLocalField(_l("Correction published at"), format=FORMAT, validators=[Optional()])
    link = StringField(_l("Link to the correction"), validators=[Optional(), Length(max=2000)])
    removed = BooleanField(_l("The item was removed instead"))
