"""One Vietnamese: WTForms' own validation messages come out of the app's catalog."""
import importlib
import pkgutil
import re

from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectFieldBase

import app as app_package
from app.auth.roles import Role
from app.forms import WTFORMS_MESSAGES

JUNK = ("x" * 3000, "-99999999999", "not a date", "2026-13-45", "999999999999999999999", "@@")


def _english_patterns():
    """Each English message as a regular expression (placeholders match anything)."""
    for message in WTFORMS_MESSAGES:
        text = str(message._args[0]) if hasattr(message, "_args") else str(message)
        with_placeholders = re.sub(r"%\\\(\w+\\\)[sd]", ".*", re.escape(text))
        yield re.compile(f"^{with_placeholders}$")


def _forms():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    stack, seen = [Form], set()
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("app.") and sub not in seen:
                seen.add(sub)
                yield sub


def _errors(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _errors(value)
    elif isinstance(errors, list | tuple):
        for value in errors:
            yield from _errors(value)
    else:
        yield str(errors)


def test_every_forms_errors_are_vietnamese(app):
    english = list(_english_patterns())
    checked = skipped = 0
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        for form_class in _forms():
            try:
                names = [field.name for field in form_class(formdata=None, meta={"csrf": False})]
            except TypeError:  # built with arguments by its route (e.g. the feed form's units)
                skipped += 1
                continue
            for junk in JUNK:
                form = form_class(formdata=MultiDict([(n, junk) for n in names]),
                                  meta={"csrf": False})
                for field in form:
                    if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
                        field.choices = [(1, "một")]
                form.validate()
                for message in _errors(form.errors):
                    checked += 1
                    assert not any(p.match(message) for p in english), (
                        f"{form_class.__qualname__}: English message {message!r}")
    assert checked > 50
    assert skipped < 5


def test_an_invalid_email_is_refused_in_vietnamese(client, login):
    login(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "email": "not-an-email", "name": "Thử", "roles": ["viewer"], "unit_id": "0",
        "locale": "vi", "password": "long enough password"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Địa chỉ thư điện tử không hợp lệ." in page
    assert "Invalid email address." not in page
