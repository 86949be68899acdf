"""Small helpers shared by the blueprints' routes, and the request edge every input crosses."""
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from flask import Request as FlaskRequest
from flask import flash
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, ValidationError
from wtforms.fields.choices import SelectChoice

from app.errors import ValidationFailed
from app.extensions import db
from app.inputs import INT_MAX, parse_sql_int, safe_filename, strip_controls


def _clean(value):
    return strip_controls(value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query strings and form bodies as the app sees them: no NUL or other control
    characters in any key or value (tab, LF, CR stay for multi-line text), and
    ``get(..., type=int)`` / ``getlist(..., type=int)`` accept only integers that fit an
    SQL INTEGER column
    (a larger number counts as absent, like any other value that does not parse)."""

    def __init__(self, mapping=None):
        raw = MultiDict(mapping) if mapping is not None else MultiDict()
        super().__init__([(_clean(k), _clean(v)) for k, v in raw.items(multi=True)])

    def get(self, key, default=None, type=None):
        return super().get(key, default, parse_sql_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, parse_sql_int if type is int else type)


class Request(FlaskRequest):
    parameter_storage_class = CleanParameters


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative integer that fits an INTEGER column;
    anything larger does not match the route (404) instead of reaching the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)

    def to_python(self, value: str):
        if len(value) > 12:  # int() refuses very long digit strings with a ValueError
            raise ValidationError()
        return super().to_python(value)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return text.encode("ascii", "ignore").decode("ascii")


def attachment_disposition(filename: str) -> str:
    """Content-Disposition for a download under a client-chosen name (RFC 6266): an ASCII
    ``filename`` for old clients and the exact name as UTF-8 in ``filename*``. The name is
    sanitised again, so rows stored before names were cleaned still give a valid header."""
    name = safe_filename(filename)
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    ascii_name = safe_filename((_ascii(stem).strip() or "file") + dot + _ascii(extension))
    return (f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


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
