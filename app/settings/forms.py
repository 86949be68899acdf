from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Optional

from app.forms import BaseForm, max_length, required
from app.i18n import _l


class SettingForm(BaseForm):
    """One setting as the admin edits it; the value is checked by the setting's type (services)."""

    value = StringField(_l("Value"), validators=[required(), max_length(500)])
    legal_basis = StringField(_l("Legal basis"), validators=[Optional(), max_length(300)])
    verified = BooleanField(_l("Verified: the rule was read at its source"))
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(2000)])


# A setting's fields as its history and the audit log name them.
FIELD_LABELS = {"value": _l("Value"), "legal_basis": _l("Legal basis"),
                "verified": _l("Verified"), "note": _l("Note")}
