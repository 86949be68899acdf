from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.i18n import _l


class SettingForm(FlaskForm):
    """One setting as the admin edits it; the value is checked by the setting's type (services)."""

    value = StringField(_l("Value"), validators=[InputRequired(), Length(max=500)])
    legal_basis = StringField(_l("Legal basis"), validators=[Optional(), Length(max=300)])
    verified = BooleanField(_l("Verified: the rule was read at its source"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
