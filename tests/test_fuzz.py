"""Fuzz every route: all query parameters and form fields, as several roles.

No answer is a 5xx, and every HTML answer carries the security headers.

The site is the demo data in its own database (SQLite or TEST_DATABASE_URL). A crawl
as each role collects the forms the pages offer (action, fields, options); every GET
route then gets the query parameters the code reads plus unknown ones (``endpoint``,
``_method``...), and every POST route its form's fields (or every field any form has,
when no page offers it), with values hypothesis draws: valid options, huge and negative
integers, extreme dates, control characters and NUL, long and non-Latin text, several
values for one name, files with hostile names. Path ids are real ids of the matching
table or out-of-range ones; other path values (a setting's key) mostly real ones, each
with the examples of a route. Seeded and bounded, so it gives the same requests on every
run and takes well under a minute per database; ``FUZZ_SEED=<text>`` draws other ones.

Failures are collected rather than shrunk (the database changes under the requests, so
a shrunk example would not replay) and reported together, with the traceback the
app logged.
"""
import io
import logging
import os
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

from app import create_app, demo
from app.auth.models import User
from app.checklists.models import ChecklistItem, ChecklistTemplate, SubmissionAttachment
from app.config import TestConfig
from app.events.models import DelegationMember, Event, ProgrammeItem, Venue
from app.extensions import db
from app.feeds.models import FeedToken
from app.notifications.models import Delivery, Notification
from app.press.models import Briefing, PressOutlet
from app.settings.registry import SETTINGS
from app.spokespeople.models import (
    Authorisation,
    BriefingNote,
    SpokespersonAssignment,
    SpokespersonDesignation,
)
from app.units.models import Unit
from tests.helpers import FreshRequestClient

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["admin", "protocol", "focal", "spokesperson", "viewer", None]  # None: anonymous
# Examples per (role, route): the administrator passes every permission check and goes
# deepest; the other roles mostly reach the denials and their own pages.
# FUZZ_EXAMPLES=<n> for a longer run (n for the administrator, n/2 for the others).
EXAMPLES = {"admin": int(os.environ.get("FUZZ_EXAMPLES", "4"))}
OTHER_EXAMPLES = max(2, EXAMPLES["admin"] // 2)
FUZZ_SEED = os.environ.get("FUZZ_SEED", "")
DEMO_EVENTS = 30  # every kind of event, with delegations, checklists, briefings and notes

# Which table an id in a path names, by the argument's name.
ID_TABLES = {
    "event_id": [Event], "item_id": [ChecklistItem, ProgrammeItem], "member_id": [DelegationMember],
    "template_id": [ChecklistTemplate], "delivery_id": [Delivery], "unit_id": [Unit],
    "user_id": [User], "briefing_id": [Briefing], "attachment_id": [SubmissionAttachment],
    "feed_id": [FeedToken], "venue_id": [Venue], "note_id": [BriefingNote],
    "notification_id": [Notification], "outlet_id": [PressOutlet],
    "assignment_id": [SpokespersonAssignment], "authorisation_id": [Authorisation],
    "designation_id": [SpokespersonDesignation],
}
OUT_OF_RANGE_IDS = [0, 2**31 - 1, 2**31, 2**63, 10**30]
# The real values of path arguments that are not ids, by the argument's name: the crawl
# visits the first, the fuzz draws mostly real ones (each gets the examples of a route).
PATH_VALUES = {"key": lambda: sorted(SETTINGS)}  # /admin/settings/<key>
UNKNOWN_PARAMETERS = ["endpoint", "_method", "_external", "_anchor", "_scheme", "next", "csrf_token",
                      "page", "id", "\x00", "a[]"]

NASTY = [
    "", " ", "0", "-1", "1", str(2**31), str(-(2**31) - 1), str(2**63), str(2**64), "9" * 40,
    "1e400", "NaN", "-0", "0x10", "1.5",
    "0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2026-02-30", "10000-01-01",
    "0001-01-01T00:00", "9999-12-31T23:59", "2026-12-10T25:61", "24:00", "23:59:60", "-1:00",
    "\x00", "a\x00b", "\r\nBcc: x@example.com", "\x07\x08\x1b[31m\x7f", "line\nbreak\ttab",
    "\u2028\u2029\ufeff\ufffe", "x" * 5000, "Ư" * 400, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🇻🇳", "<script>alert(1)</script>",
    "'; DROP TABLE users;--", "../../etc/passwd", "%00", "null", "true", "[]", "{}",
    "Asia/Saigon", "localtime", "Factory", "Mars/Olympus", "UTC", "javascript:alert(1)",
    "//evil.example/", "webcal://x", "admin@demo.example", "ai@@example..com",
]
FILE_NAMES = ["a\x00b.pdf", "..\\..\\x.docx", "Báo cáo\r\n.txt", "", ".", "x" * 400 + ".png",
              "bad.exe", "a/b/c.pdf", "\x1b.jpg", "日本語.xlsx"]
FILE_BODIES = [b"%PDF-1.4", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"", b"\x00\xff\xfe", b"Xin chao",
               "Xin chào".encode()]


# --- the site -----------------------------------------------------------------------------

@dataclass
class FieldSpec:
    kind: str
    options: set[str] = field(default_factory=set)


@dataclass
class Target:
    endpoint: str
    method: str
    rule: object
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    # The roles whose crawl reached it (a page, or a form posting to it); the administrator
    # fuzzes every route, the others only what they reach: elsewhere they are refused
    # before any input is read.
    roles: set = field(default_factory=lambda: {"admin"})
    form: bool = False  # a page offers a form posting here


class FormCollector(HTMLParser):
    """The forms of a page: action, method and fields with the values they offer."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict[str, FieldSpec]]] = []
        self._form = None
        self._select = None
        self._actions = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = (a.get("action", ""), (a.get("method") or "get").upper(), {})
            self._actions = []
        elif self._form is None:
            return
        elif tag in ("input", "button", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            spec = self._form[2].setdefault(a["name"], FieldSpec(kind))
            if a.get("value"):
                spec.options.add(a["value"])
            if tag == "select":
                self._select = spec
        if tag == "option" and self._select is not None:
            self._select.options.add(a.get("value", ""))
        if tag == "button" and a.get("formaction"):
            self._actions.append(a["formaction"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            action, method, fields = self._form
            self.forms += [(url, method, fields) for url in [action, *self._actions]]
            self._form = None


def _query_parameters() -> set[str]:
    """Every name the code reads from a query string."""
    names = {"date", "week"}  # read through a helper taking the name
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"request\.args\.(?:get|getlist)\(\s*\"(\w+)\"", text))
        names |= set(re.findall(r"_date_arg\(\s*\"(\w+)\"", text))
    return names


class Site:
    def __init__(self, app):
        self.app = app
        self.adapter = app.url_map.bind("localhost")
        self.ids = {name: sorted({i for model in models for i in db.session.scalars(
            sa.select(model.id).order_by(model.id).limit(6))}) for name, models in ID_TABLES.items()}
        self.ids |= {name: values() for name, values in PATH_VALUES.items()}
        self.clients = {role: self._client(role) for role in ROLES}
        self.users = {u.email: self._state(u) for u in db.session.scalars(sa.select(User))}
        self.targets = self._targets()
        self.requests = 0
        self.statuses = Counter()
        self.failures: list[str] = []

    def _client(self, role):
        client = self.app.test_client()
        if role:
            response = client.post("/login", data={"email": f"{role}@demo.example",
                                                   "password": "demo"})
            assert response.status_code == 302, f"{role} could not log in"
        return client, client.get_cookie("session")

    @staticmethod
    def _state(user):
        return {c: getattr(user, c) for c in ("email", "name", "password_hash", "active",
                                               "unit_id", "locale", "is_unit_head",
                                               "session_version")} | {
            "roles": set(user.roles)}

    def restore(self):
        """Undo what a request did to the fuzzing accounts (roles, activity, password...)."""
        db.session.rollback()
        for user in db.session.scalars(sa.select(User)):
            state = self.users.get(user.email) or {}
            for name, value in state.items():
                if name != "roles" and getattr(user, name) != value:
                    setattr(user, name, value)
            if state and user.roles != state["roles"]:
                user.roles = state["roles"]
        db.session.commit()

    def _targets(self) -> list[Target]:
        targets: dict[tuple[str, str], Target] = {}
        for rule in self.app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            for method in ("GET", "POST"):
                if method in rule.methods:
                    targets[rule.rule, method] = Target(rule.endpoint, method, rule)
        self._crawl(targets)
        every_field = {}
        for target in targets.values():
            for name, spec in target.fields.items():
                every_field.setdefault(name, FieldSpec(spec.kind)).options |= spec.options
        parameters = _query_parameters()
        for target in targets.values():
            if target.method == "GET":
                for name in parameters:
                    target.fields.setdefault(name, FieldSpec("text"))
            elif not target.fields:  # no page offers this form: try every field there is
                target.fields = dict(every_field)
        return sorted(targets.values(), key=lambda t: (t.rule.rule, t.method))

    def _crawl(self, targets):
        for role in ROLES:
            client, _cookie = self.clients[role]
            for rule in list(self.app.url_map.iter_rules()):
                if "GET" not in rule.methods or rule.endpoint == "static":
                    continue
                values = {name: (self.ids.get(name) or [1])[0] for name in rule.arguments}
                if any(not isinstance(c, IntegerConverter) and name not in PATH_VALUES
                       for name, c in rule._converters.items()):
                    continue
                url = self.adapter.build(rule.endpoint, values)
                response = client.get(url)
                if response.status_code < 400 and not response.location.startswith("/login") \
                        if response.location else response.status_code < 400:
                    targets[rule.rule, "GET"].roles.add(role)
                if response.mimetype != "text/html":
                    continue
                parser = FormCollector()
                parser.feed(response.get_data(as_text=True))
                for action, method, fields in parser.forms:
                    path = urlsplit(action).path or url
                    try:
                        matched, _args = self.adapter.match(path, method=method, return_rule=True)
                    except Exception:  # a form to elsewhere, or a method the rule lacks
                        continue
                    target = targets.get((matched.rule, method))
                    if target is not None:
                        target.roles.add(role)
                        target.form = True
                        for name, spec in fields.items():
                            target.fields.setdefault(name, FieldSpec(spec.kind)).options |= \
                                spec.options


@pytest.fixture(scope="module")
def site(make_database, tmp_path_factory):
    url = make_database("fuzz")
    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = str(tmp_path_factory.mktemp("fuzz-uploads"))

    app = create_app(Config)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        demo.load(password="demo", n_events=DEMO_EVENTS)
        db.session.commit()
        yield Site(app)
        db.session.remove()
        db.engine.dispose()


# --- values ------------------------------------------------------------------------------

def _value(spec: FieldSpec):
    choices = [st.sampled_from(NASTY), st.text(max_size=20),
               st.integers(min_value=-(2**70), max_value=2**70).map(str)]
    if spec.options:
        choices.insert(0, st.sampled_from(sorted(spec.options)))
    return st.one_of(*choices)


def _file():
    return st.tuples(st.sampled_from(FILE_BODIES), st.sampled_from(FILE_NAMES)).map(
        lambda pair: (io.BytesIO(pair[0]), pair[1]))


def _values(spec: FieldSpec):
    one = _file() if spec.kind == "file" else _value(spec)
    return st.lists(one, min_size=1, max_size=2)


def _path_value(site: Site, name: str, converter):
    if isinstance(converter, IntegerConverter):
        known = site.ids.get(name) or [1, 2]
        return st.sampled_from(known + OUT_OF_RANGE_IDS[2:4])  # mostly real ids
    if name in PATH_VALUES:
        return st.sampled_from(site.ids[name] + NASTY[5:8])  # mostly real values
    return st.one_of(st.sampled_from(NASTY[:30]), st.text(min_size=1, max_size=60))


def _examples(site: Site, role, target: Target) -> int:
    """The role's examples, for each real value of the route's non-id path arguments."""
    known = [len(site.ids[name]) for name in target.rule.arguments if name in PATH_VALUES]
    return EXAMPLES.get(role, OTHER_EXAMPLES) * max(known, default=1)


def _request(site: Site, target: Target):
    """Path values, the target's fields and up to two unknown names.

    The fields of the target's form (each one or absent) or, for a GET or a form no page
    offers, up to six of the names it may read.
    """
    if target.method == "POST" and target.form:
        fields = st.fixed_dictionaries(
            {name: st.one_of(st.none(), _values(spec)) for name, spec in target.fields.items()})
    else:
        options = set().union(*(spec.options for spec in target.fields.values()))
        fields = st.dictionaries(st.sampled_from(sorted(target.fields)),
                                 _values(FieldSpec("text", options)), max_size=6)
    unknown = st.dictionaries(st.sampled_from(UNKNOWN_PARAMETERS), _values(FieldSpec("text")),
                              max_size=2)
    path = {name: _path_value(site, name, c) for name, c in target.rule._converters.items()}
    return st.fixed_dictionaries({"path": st.fixed_dictionaries(path), "fields": fields,
                                  "unknown": unknown})


# --- the test ------------------------------------------------------------------------------

class _Errors(logging.Handler):
    """The tracebacks the app logs for its 500 answers."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


def _send(site: Site, role, target: Target, drawn: dict):
    client, cookie = site.clients[role]
    if cookie is not None:  # a fuzzed logout must not log the next example out
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    try:
        url = site.adapter.build(target.endpoint, drawn["path"], method=target.method)
    except Exception:  # the converter refuses to write this value: the server never sees it
        return None
    data = MultiDict()
    for name, values in list(drawn["fields"].items()) + list(drawn["unknown"].items()):
        for value in values or []:
            data.add(name, value)
    site.requests += 1
    if target.method == "GET":
        return url, client.get(url, query_string=data)
    has_file = any(isinstance(v, tuple) for v in data.values())
    return url, client.post(url, data=data,
                            content_type="multipart/form-data" if has_file else None)


def _fuzz(site: Site, role, target: Target, examples: int, errors: _Errors):
    # A fixed seed per role and route: the same requests on every run, different ones for
    # each role (FUZZ_SEED=<anything> explores others).
    name = f"{FUZZ_SEED}{role}{target.method}{target.rule.rule}"

    @seed(zlib.crc32(name.encode()))
    @settings(max_examples=examples, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(drawn=_request(site, target))
    def run(drawn):
        errors.records.clear()
        sent = _send(site, role, target, drawn)
        if target.endpoint.startswith(("users.", "auth.", "main.set_locale")):
            site.restore()
        if sent is None:
            return
        url, response = sent
        site.statuses[response.status_code] += 1
        if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
            site.failures.append(f"{role or 'anonymous'} {target.method} {url}: no CSP header")
        if response.status_code >= 500:
            site.failures.append(
                f"{role or 'anonymous'} {target.method} {url} -> {response.status_code}\n"
                f"  sent: {dict(drawn['fields'] | drawn['unknown'])!r:.600}\n"
                + "\n".join(errors.records)[-1500:])

    run()


def test_no_input_gives_a_server_error(site, record_property):
    errors = _Errors()
    site.app.logger.addHandler(errors)
    try:
        for role in ROLES:
            for target in site.targets:
                if role in target.roles:
                    _fuzz(site, role, target, _examples(site, role, target), errors)
    finally:
        site.app.logger.removeHandler(errors)
    record_property("fuzz_requests", site.requests)
    answers = ", ".join(f"{code}: {n}" for code, n in sorted(site.statuses.items()))
    print(f"\nfuzz: {site.requests} requests to {len(site.targets)} routes as {len(ROLES)} roles "
          f"({answers}); {len(site.failures)} answered 5xx")
    assert site.failures == [], "\n\n".join(site.failures[:20])
