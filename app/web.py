"""Small helpers shared by the blueprints' routes, and the request edge every input crosses."""
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
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
    """Query strings and form bodies as the app sees them.

    No NUL or other control characters in any key or value (tab, LF, CR stay for
    multi-line text), and ``get(..., type=int)`` / ``getlist(..., type=int)`` accept only
    integers that fit an SQL INTEGER column (a larger number counts as absent, like any
    other value that does not parse).
    """

    def __init__(self, mapping=None):
        raw = MultiDict(mapping) if mapping is not None else MultiDict()
        super().__init__([(_clean(k), _clean(v)) for k, v in raw.items(multi=True)])

    def get(self, key, default=None, type=None):  # type: ignore[override]  # one for werkzeug's overloads
        return super().get(key, default, parse_sql_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, parse_sql_int if type is int else type)


class Request(FlaskRequest):
    parameter_storage_class = CleanParameters


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a non-negative integer that fits an INTEGER column.

    Anything larger does not match the route (404) instead of reaching the database.
    """

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
    """Content-Disposition for a download under a client-chosen name (RFC 6266).

    An ASCII ``filename`` for old clients and the exact name as UTF-8 in ``filename*``. The
    name is sanitised again, so rows stored before names were cleaned still give a valid
    header.
    """
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


MAX_PAGE = 10_000


def page_number(args) -> int:
    """The ``page`` query parameter of a paged list: 1 to ``MAX_PAGE``, anything else 1.

    Paged lists read one row more than a page instead of counting every match.
    """
    return max(1, min(args.get("page", 1, type=int) or 1, MAX_PAGE))


def kept_args(args, names) -> dict[str, str]:
    """The filters a pager carries from page to page (those given, non-empty)."""
    return {name: args[name] for name in names if args.get(name)}
