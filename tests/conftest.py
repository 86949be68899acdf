"""Fixtures: a fresh database per run, an app and client per test, users per role.

Set TEST_DATABASE_URL (PostgreSQL) to run the same suite there: each run
creates its own database next to the one named and drops it afterwards, so
runs never see each other's data.
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.config import TestConfig, normalise_database_url
from app.extensions import db
from app.timeutil import freeze
from app.units.models import Unit, UnitKind

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"


def _create_postgres_database(base_url: str, label: str) -> str:
    url = sa.make_url(normalise_database_url(base_url))
    name = f"bd_{label}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    url = sa.make_url(url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def make_database(tmp_path_factory):
    """Factory: an empty database URL of the kind under test (SQLite or TEST_DATABASE_URL)."""
    base = os.environ.get("TEST_DATABASE_URL")
    created = []

    def _make(label: str = "t") -> str:
        if base and not base.startswith("sqlite"):
            url = _create_postgres_database(base, label)
            created.append(url)
            return url
        return f"sqlite:///{tmp_path_factory.mktemp(label) / 'test.db'}"

    yield _make
    for url in created:
        _drop_postgres_database(url)


@pytest.fixture(scope="session")
def database_url(make_database):
    url = make_database("suite")
    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    return url


def _empty_all_tables() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Config)
    with app.app_context():
        _empty_all_tables()
        yield app
        db.session.remove()
        db.engine.dispose()
    freeze(None)


class FreshRequestClient(FlaskClient):
    """A test client whose requests don't inherit per-request caches from each other.

    The ``app`` fixture keeps one app context pushed so tests can use the
    database; Flask reuses it for every request, and with it ``g``, where
    Flask-Login caches the user and Flask-Babel the locale. In production each
    request has its own context, so drop those caches around each request.
    """

    def open(self, *args, **kwargs):
        _drop_request_caches()
        try:
            return super().open(*args, **kwargs)
        finally:
            _drop_request_caches()


def _drop_request_caches():
    if g:
        for key in ("_login_user", "_flask_babel"):
            g.pop(key, None)


@pytest.fixture
def client(app):
    app.test_client_class = FreshRequestClient
    return app.test_client()


@pytest.fixture
def make_unit(app):
    counter = iter(range(1, 10_000))

    def _make(slug: str | None = None, **fields) -> Unit:
        n = next(counter)
        unit = Unit(slug=slug or f"unit-{n}", name_vi=fields.pop("name_vi", f"Đơn vị {n}"),
                    name_en=fields.pop("name_en", f"Unit {n}"),
                    kind=fields.pop("kind", UnitKind.DEPARTMENT), **fields)
        db.session.add(unit)
        db.session.commit()
        return unit

    return _make


@pytest.fixture
def make_user(app, make_unit):
    counter = iter(range(1, 10_000))

    def _make(role: Role | str = Role.VIEWER, *, roles=None, unit=None, password=PASSWORD,
              **fields) -> User:
        n = next(counter)
        user = User(email=fields.pop("email", f"user{n}@example.com"),
                    name=fields.pop("name", f"Người dùng {n}"), role_rows=[],
                    unit=unit if unit is not None else make_unit(), **fields)
        user.roles = roles or {Role(role)}
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return _make


def log_in(client, user: User, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.fixture
def login(client, make_user):
    """Log the test client in as a new user with ``role`` (or given fields); returns the user."""
    def _login(role: Role | str = Role.VIEWER, **fields) -> User:
        user = make_user(role, **fields)
        response = log_in(client, user)
        assert response.status_code == 302, "login failed"
        return user

    return _login


@pytest.fixture
def clock():
    """Pin the app's clock: ``clock(datetime)``; released after the test."""
    yield freeze
    freeze(None)


# --- end-to-end: a real server process and headless Chromium ---------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer(str):
    """The server's base URL (a str, as before) that also names its database, upload folder
    and log, so a test can arrange data in the database the server uses."""

    database_url: str
    upload_folder: str
    log_path: Path


@pytest.fixture(scope="session")
def live_server(make_database, tmp_path_factory):
    """Migrate a fresh database, load the demo, serve it with gunicorn on a loopback port."""
    url = make_database("live")
    uploads = str(tmp_path_factory.mktemp("uploads"))
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
           "FLASK_APP": "app", "FLASK_DEBUG": "0", "BASE_URL": "", "UPLOAD_FOLDER": uploads}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(flask + ["demo", "load", "--password", "demo"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env["BASE_URL"] = base
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w")
    server = subprocess.Popen(  # the production settings: access log with feed tokens redacted
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "-w", "2",
         "-b", f"127.0.0.1:{port}", "app:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {log.name}") from None
            time.sleep(0.2)
    live = LiveServer(base)
    live.database_url, live.upload_folder, live.log_path = url, uploads, Path(log.name)
    yield live
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def make_venue(app):
    from app.events.models import Venue

    def _make(name: str = "Hội trường UBND tỉnh", **fields) -> Venue:
        venue = Venue(name=name, address=fields.pop("address", "Số 1 Trần Hưng Đạo"), **fields)
        db.session.add(venue)
        db.session.commit()
        return venue

    return _make


@pytest.fixture
def make_event(app, make_unit):
    """Factory: an event with sensible defaults; pass any Event field to override."""
    from datetime import datetime, timedelta, timezone

    from app.events.models import Event, EventKind, EventStatus, Visibility

    def _make(**fields) -> Event:
        starts_at = fields.pop("starts_at", datetime(2026, 12, 10, 1, 0, tzinfo=timezone.utc))
        coordinating = fields.pop("coordinating_units", [])
        event = Event(
            title_vi=fields.pop("title_vi", "Hội nghị xúc tiến đầu tư"),
            title_en=fields.pop("title_en", "Investment promotion conference"),
            kind=fields.pop("kind", EventKind.POLITICAL),
            status=fields.pop("status", EventStatus.PLANNED),
            visibility=fields.pop("visibility", Visibility.INTERNAL),
            starts_at=starts_at, ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)),
            timezone=fields.pop("timezone", "Asia/Ho_Chi_Minh"),
            lead_unit=fields.pop("lead_unit", None) or make_unit(), **fields)
        event.coordinating_units = list(coordinating)
        db.session.add(event)
        db.session.commit()
        return event

    return _make
