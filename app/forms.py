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

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, PasswordField, TextAreaField
from wtforms.meta import DefaultMeta

from app.i18n import _
from app.inputs import MAX_YEAR, MIN_YEAR, in_date_range, is_sql_int, single_line

_MULTI_LINE = (TextAreaField, PasswordField)
# Containers take no filters (WTForms refuses them); their inner fields get their own.
_CONTAINERS = (FieldList, FormField)


def _check_value(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not is_sql_int(value):
        raise ValueError(_("This number is out of range."))
    if isinstance(value, date) and not in_date_range(value):  # datetime is a date too
        raise ValueError(_("Enter a date between the years %(a)d and %(b)d.", a=MIN_YEAR,
                           b=MAX_YEAR))
    return value


def _edge_filter(multi_line: bool):
    def edge_filter(data):
        if isinstance(data, str):
            return data if multi_line else single_line(data)
        if isinstance(data, list):
            return [edge_filter(item) for item in data]
        return _check_value(data)

    return edge_filter


class EdgeMeta(DefaultMeta):
    """Adds the edge filter to every field the form binds."""

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, _CONTAINERS):
            return unbound_field.bind(form=form, **options)
        multi_line = issubclass(unbound_field.field_class, _MULTI_LINE)
        filters = (*unbound_field.kwargs.get("filters", ()), _edge_filter(multi_line))
        return unbound_field.bind(form=form, **options, filters=filters)


class BaseForm(FlaskForm):
    """Every page form (CSRF-protected through Flask-WTF)."""

    class Meta(EdgeMeta):
        pass


class SubForm(Form):
    """The rows of a FieldList(FormField(...)); their parent carries the CSRF token."""

    Meta = EdgeMeta
