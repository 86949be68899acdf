from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.checklists.models import (
    CONDITION_LABELS,
    RESPONSIBLE_ROLE_LABELS,
    TEMPLATE_PHASE_LABELS,
    Condition,
    ResponsibleRole,
    TemplatePhase,
)
from app.checklists.schedule import Anchor, OffsetUnit
from app.events.models import EVENT_KIND_LABELS, EventKind
from app.forms import BaseForm
from app.i18n import _l, _lp
from app.idempotency import FormTokenField
from app.web import choices

OFFSET_UNIT_LABELS = {
    OffsetUnit.CALENDAR_DAYS: _l("calendar days"),
    OffsetUnit.WORKING_DAYS: _l("working days"),
    OffsetUnit.HOURS: _l("hours"),
}
ANCHOR_LABELS = {Anchor.START: _l("the event's start"), Anchor.END: _l("the event's end")}


class SubmissionForm(BaseForm):
    version = HiddenField()
    form_token = FormTokenField()  # a double POST submits once (app.idempotency)
    text = TextAreaField(_l("Information"), validators=[Optional(), Length(max=20000)])
    attachments = MultipleFileField(_l("Attachments (PDF, DOCX, XLSX, JPG, PNG, TXT; up to 10 MB each)"))


class ReviewForm(BaseForm):
    version = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class TemplateForm(BaseForm):
    title_vi = StringField(_l("Title in Vietnamese"), validators=[InputRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    kind = SelectField(_l("Event kind"), choices=choices(
        [("", _l("Core: every event"))] + [(k.value, EVENT_KIND_LABELS[k]) for k in EventKind]))
    phase = SelectField(_lp("checklist phase", "When"), choices=choices(
        (p.value, TEMPLATE_PHASE_LABELS[p]) for p in TemplatePhase))
    offset = IntegerField(_l("Offset"), validators=[InputRequired(), NumberRange(-9000, 9000)])
    offset_unit = SelectField(_l("Unit of the offset"), choices=choices(
        (u.value, OFFSET_UNIT_LABELS[u]) for u in OffsetUnit))
    anchor = SelectField(_l("Counted from"), choices=choices(
        (a.value, ANCHOR_LABELS[a]) for a in Anchor))
    role = SelectField(_l("Responsible"), choices=choices(
        (r.value, RESPONSIBLE_ROLE_LABELS[r]) for r in ResponsibleRole))
    condition = SelectField(_l("Condition"), choices=choices(
        (c.value, CONDITION_LABELS[c]) for c in Condition))
    requires_submission = BooleanField(_l("Requires a submission"))
    creates_briefing = BooleanField(_l("Means a press conference (proposes a briefing)"))
    legal_basis = StringField(_l("Legal basis"), validators=[Optional(), Length(max=300)])
    legal_verified = BooleanField(_l("Legal basis verified"))
    active = BooleanField(_l("In use"), default=True)
    update_open_items = BooleanField(_l("Also update open items of future events"))
