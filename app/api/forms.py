"""The form of the API tokens page."""
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.api.models import Scope
from app.api.tokens import NAME_MAX
from app.forms import BaseForm
from app.i18n import _l
from app.idempotency import FormTokenField
from app.web import choices

SCOPE_LABELS = {Scope.READ: _l("Read only"), Scope.WRITE: _l("Read and write")}


class TokenForm(BaseForm):
    """A new token is created once however often the form is sent (app.idempotency)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    scope = SelectField(_l("Scope"), default=Scope.READ.value)
    expires_on = DateField(_l("Valid until (empty: the default lifetime)"), validators=[Optional()])
    form_token = FormTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = choices((k.value, v) for k, v in SCOPE_LABELS.items())
