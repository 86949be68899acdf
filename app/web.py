"""Small helpers shared by the blueprints' routes."""
from collections.abc import Callable

from flask import flash
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


def apply_and_flash(action: Callable[[], object], success: str | Callable[[object], str]) -> bool:
    """Run a service call whose result the view commits: on a rule violation roll back and
    flash the reason, else commit and flash ``success`` (a message, or one made from the result)."""
    try:
        result = action()
    except ValidationFailed as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return False
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return True
