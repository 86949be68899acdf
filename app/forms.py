"""The base of every form: the rules of ``app.inputs`` applied to each field's data.

Every form subclasses ``BaseForm`` (``SubForm`` for the rows of a FieldList/FormField);
a test checks that none is missed. On top of the request edge (``app.web.Request``,
which already removed NUL and other control characters):

- single-line fields (all text fields but text areas and passwords) lose line breaks
  and tabs, so a title can never split an e-mail header or a calendar line;
- an integer that does not fit an SQL INTEGER column, or a date outside the app's years, is a
  field error in the user's language, never an overflow in the database or a time zone.
"""
from datetime import date
from functools import cache
from typing import Any

import flask_babel
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, PasswordField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.meta import DefaultMeta
from wtforms.validators import InputRequired, Length

from app.i18n import _, _l, lazy_ngettext
from app.inputs import MAX_YEAR, MIN_YEAR, in_date_range, is_sql_int, single_line

_MULTI_LINE = (TextAreaField, PasswordField)
# Containers take no filters (WTForms refuses them); their inner fields get their own.
_CONTAINERS = (FieldList, FormField)


def _problem(value) -> str | None:
    """Why a field's value cannot go further, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not is_sql_int(value):
        return _("This number is out of range.")
    if isinstance(value, date) and not in_date_range(value):  # datetime is a date too
        return _("Enter a date between the years %(a)d and %(b)d.", a=MIN_YEAR, b=MAX_YEAR)
    return None


class EdgeFilter:
    """The filter the base form adds to each field.

    A value that cannot go further becomes None (a route may read ``field.data`` before
    validating) and a field error.
    """

    def __init__(self, multi_line: bool):
        self.multi_line = multi_line
        self.field: Any = None  # the bound field (WTForms is untyped for mypy), set by EdgeMeta

    def __call__(self, data):
        if isinstance(data, list):
            return [self._text(item) for item in data if not self._refused(item)]
        return None if self._refused(data) else self._text(data)

    def _text(self, value):
        return single_line(value) if isinstance(value, str) and not self.multi_line else value

    def _refused(self, value) -> bool:
        problem = _problem(value)
        if problem is not None and problem not in self.field.process_errors:
            self.field.process_errors.append(problem)
        return problem is not None


class CatalogTranslations:
    """WTForms' own messages through the app's one catalog (WTForms ships no Vietnamese).

    The raw catalog, not ``flask_babel.gettext``: WTForms fills in the placeholders itself.
    """

    def gettext(self, string: str) -> str:
        return flask_babel.get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return flask_babel.get_translations().ngettext(singular, plural, n)


class EdgeMeta(DefaultMeta):
    """Adds the edge filter to every field the form binds; messages in the user's language."""

    def get_translations(self, form):
        return CatalogTranslations()

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, _CONTAINERS):
            return unbound_field.bind(form=form, **options)
        edge = EdgeFilter(issubclass(unbound_field.field_class, _MULTI_LINE))
        filters = (*unbound_field.kwargs.get("filters", ()), edge)
        edge.field = unbound_field.bind(form=form, **options, filters=filters)
        return edge.field


class BaseForm(FlaskForm):
    """Every page form (CSRF-protected through Flask-WTF)."""

    class Meta(EdgeMeta):
        pass


class SubForm(Form):
    """The rows of a FieldList(FormField(...)); their parent carries the CSRF token."""

    Meta = EdgeMeta


# WTForms has no Vietnamese catalog: our own messages, translated with the rest.
def required() -> InputRequired:
    """A field that must be filled in, with the message in the user's language."""
    return InputRequired(message=_l("This field is required."))


def max_length(n: int) -> Length:
    """At most ``n`` characters, with the message in the user's language."""
    return Length(max=n, message=_l("At most %(max)d characters."))


# WTForms' built-in messages, listed so that `make translations` keeps them in the catalog
# (CatalogTranslations looks them up there). Never used as values.
WTFORMS_MESSAGES = (
    _l("Field must be equal to %(other_name)s."),
    lazy_ngettext("Field must be at least %(min)d character long.",
                  "Field must be at least %(min)d characters long.", 1),
    lazy_ngettext("Field cannot be longer than %(max)d character.",
                  "Field cannot be longer than %(max)d characters.", 1),
    lazy_ngettext("Field must be exactly %(max)d character long.",
                  "Field must be exactly %(max)d characters long.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext("'%(value)s' is not a valid choice for this field.",
                  "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


# --- a form's fields as history and the audit log name them --------------------------------

@cache  # a form class's fields never change; the audit log asks per value
def _unbound_fields(form_class) -> dict[str, Any]:
    return {name: field for name in dir(form_class)
            if not name.startswith("_") and isinstance(field := getattr(form_class, name), UnboundField)}


def field_labels(form_class) -> dict[str, Any]:
    """{field name: its label} of ``form_class``, without building a form (lazy strings)."""
    return {name: field.args[0] if field.args else field.kwargs.get("label", name)
            for name, field in _unbound_fields(form_class).items()}


def value_words(form_class, name: str, text: str) -> str:
    """A stored value of field ``name`` as the form shows it.

    A choice by its label (each of a comma-separated list), a box as yes or no ("✓" or "");
    other text as it is.
    """
    field = _unbound_fields(form_class).get(name)
    if field is None:
        return text
    if issubclass(field.field_class, BooleanField):
        return str(_("yes") if text else _("no"))
    labels = {str(getattr(c, "value", c[0] if isinstance(c, tuple) else c)):
              getattr(c, "label", c[1] if isinstance(c, tuple) else c)
              for c in field.kwargs.get("choices") or ()}
    if not labels or not text:
        return text
    parts = [part.strip() for part in text.split(",")]
    return ", ".join(str(labels.get(part, part)) for part in parts)
