"""Small helpers shared by the blueprints' routes."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Outcome:
    """What ``apply_and_flash`` did: truthy when the change was applied and committed."""

    applied: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.applied


def apply_and_flash(action: Callable[[], Any], success: str | Callable[[Any], str] | None = None,
                    *, form: FlaskForm | None = None) -> Outcome:
    """Run a service call whose result the view commits: the one way routes apply a change.

    On a rule violation (``ValidationFailed``) roll back and show the reason: on the field
    of ``form`` it names (or the whole form) when a form is given, else as a flashed error.
    Otherwise commit and flash ``success``: a message, one made from the result, or None
    for no message. Other exceptions (clash warnings, stale versions) propagate.
    """
    try:
        result = action()
    except ValidationFailed as exc:
        if form is not None:
            show_validation_error(form, exc)
        else:
            db.session.rollback()
            flash(exc.message, "error")
        return Outcome(False)
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return Outcome(True, result)
