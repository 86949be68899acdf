"""Small helpers shared by the blueprints' routes."""
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from app.errors import ValidationFailed
from app.extensions import db


def show_validation_error(form: FlaskForm, exc: ValidationFailed) -> None:
    """Roll back and attach a service's message to the field it names (or the whole form)."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        form.form_errors.append(exc.message)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]
