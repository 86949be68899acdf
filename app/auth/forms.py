from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from app.auth.roles import ROLE_LABELS, Role
from app.forms import BaseForm, field_labels, value_words
from app.i18n import _, _l
from app.units.services import name_by_slug
from app.web import choices


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


class PasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=200)])
    new = PasswordField(_l("New password"), validators=[
        InputRequired(message=_l("This field is required.")),
        Length(min=8, max=200, message=_l("At least 8 characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(message=_l("This field is required.")),
        EqualTo("new", message=_l("The two new passwords differ."))])


class ConfirmForm(BaseForm):
    """An empty form: a button that only needs the CSRF token."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=200)])
    title = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    unit_id = SelectField(_l("Unit"), coerce=int)
    is_unit_head = BooleanField(_l("Head of the unit"))
    roles = MultiCheckboxField(_l("Roles"), choices=choices((r.value, ROLE_LABELS[r]) for r in Role),
                               validators=[InputRequired(message=_l("Choose at least one role."))])
    locale = SelectField(_l("Language"), choices=choices([("vi", "Tiếng Việt"), ("en", "English")]))
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])


# --- a user account's recorded changes (``auth.services._snapshot``) in words ----------------

def change_labels() -> dict:
    """{field: label} of a user account's history, as the user form names the fields."""
    labels = field_labels(UserForm)
    labels["unit"] = labels.pop("unit_id")
    labels["must_change_password"] = _l("Must choose a new password at the next login")
    return labels


def change_words(name: str, text: str) -> str:
    """A recorded value as words: a unit by its name, roles and language by their labels."""
    if name == "unit":
        return name_by_slug(text)
    if name == "password":  # recorded as "✓" when one was set, never the password
        return str(_("a new password was set")) if text else ""
    if name == "must_change_password":
        return str(_("yes") if text else _("no"))
    return value_words(UserForm, name, text)
