"""Fixtures: one database and one app per run, emptied before each test; users per role.

Set TEST_DATABASE_URL (PostgreSQL) to run the same suite there: each run
creates its own database next to the one named and drops it afterwards, so
runs never see each other's data.

Feature fixtures live in tests/fixtures_<feature>.py, registered below as plugins;
plain helpers (``log_in``, ``PASSWORD``, ``nothing_written``) in tests/helpers.py.
"""
import os
import secrets
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.config import TestConfig, normalise_database_url
from app.extensions import db
from app.timeutil import freeze
from app.units.models import Unit, UnitKind
from tests.helpers import PASSWORD, FreshRequestClient, free_port, log_in, start_gunicorn, stop
from tools.translate import compile_catalogs

pytest_plugins = [
    "tests.fixtures_api",
    "tests.fixtures_checklists",
    "tests.fixtures_feeds",
    "tests.fixtures_press",
    "tests.fixtures_monitoring",
    "tests.fixtures_oversight",
    "tests.fixtures_reminders",
    "tests.fixtures_spokespeople",
    "tests.fixtures_training",
]

CHROMIUM = "/usr/bin/chromium"


def pytest_sessionstart(session):
    """A bare ``pytest`` (no ``make``) also gets translated pages: compile stale catalogs."""
    compile_catalogs()


@sa.event.listens_for(sa.pool.Pool, "connect")
def _fast_sqlite(dbapi_connection, _record):
    """Test databases are throw-away: SQLite need not wait for the disk (tests only)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute("PRAGMA journal_mode=MEMORY")


def _create_postgres_database(base_url: str, label: str) -> str:
    url = sa.make_url(normalise_database_url(base_url))
    name = f"bd_{label}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    # Throw-away data need not wait for the disk on each commit (tests only; every
    # connection to this database, the live server's included, gets the option).
    url = url.set(database=name).update_query_dict({"options": "-c synchronous_commit=off"})
    return url.render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    url = sa.make_url(url)
    admin = sa.create_engine(url.set(database="postgres", query={}), isolation_level="AUTOCOMMIT")
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
    """Empty the tables that have rows and restart the ids, as on a new database.

    One probe finds the tables with rows (most tests touch a few); DELETE empties them,
    dependents first. On PostgreSQL that takes ~10 ms where TRUNCATE, which replaces each
    table's files, took ~450 ms.
    """
    tables = db.metadata.sorted_tables
    probe = sa.union_all(*(sa.select(sa.literal(t.name)).where(sa.exists().select_from(t))
                           for t in tables))
    used = set(db.session.scalars(probe))
    for table in reversed(tables):
        if table.name in used:
            db.session.execute(table.delete())
    # SQLite reuses ids from 1 once a table is empty (no table uses AUTOINCREMENT);
    # PostgreSQL: every sequence that handed out an id, even to rows since rolled back.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(
            "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
            "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"))
    db.session.commit()


def _test_config(url: str) -> type[TestConfig]:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return Config


@contextmanager
def _test_context(app):
    """One test's use of a shared app: its own app context, its configuration changes undone."""
    config = dict(app.config)  # tests replace values (MAIL_SERVER, UPLOAD_FOLDER...)
    try:
        with app.app_context():
            yield app
            db.session.remove()
    finally:
        app.config.clear()
        app.config.update(config)
        freeze(None)


@pytest.fixture(scope="session")
def suite_app(database_url, tmp_path_factory):
    """The app most tests use.

    Building one (its URL map) costs ~0.2 s, so it is built once; ``app`` gives each test a fresh
    app context, empty tables and the configuration restored. Its stored files (the demo's
    attachment) go to a folder of the run, never to the checkout's instance folder.
    """
    app = create_app(_test_config(database_url))
    app.config["UPLOAD_FOLDER"] = str(tmp_path_factory.mktemp("suite-uploads"))
    app.test_client_class = FreshRequestClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(suite_app):
    with _test_context(suite_app):
        _empty_all_tables()
        yield suite_app


@pytest.fixture(scope="session")
def demo_rows(suite_app):
    """The demo data (``demo load``, as ``make run`` runs it), loaded once per run and kept as rows.

    ``demo_app`` writes them back for each test, which is much cheaper.
    """
    with _test_context(suite_app):
        _empty_all_tables()
        loaded = suite_app.test_cli_runner().invoke(args=["demo", "load"])
        assert loaded.exit_code == 0, loaded.output
        rows = {t: [r._asdict() for r in db.session.execute(sa.select(t))]
                for t in db.metadata.sorted_tables}
        sequences = (db.session.execute(sa.text(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
            "WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all()
            if db.engine.dialect.name == "postgresql" else [])
        _empty_all_tables()
    return rows, sequences


@pytest.fixture
def demo_app(app, demo_rows):
    """The ``app``, its database holding the demo data (password ``demo``) as just loaded."""
    rows, sequences = demo_rows
    for table, table_rows in rows.items():  # in dependency order
        if table_rows:
            db.session.execute(table.insert(), table_rows)
    for name, value in sequences:
        db.session.execute(sa.select(sa.func.setval(name, value)))
    db.session.commit()
    return app


@pytest.fixture
def client(app):
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

class LiveServer(str):
    """The server's base URL (a str, as before) that also names its database, upload folder and log.

    So a test can arrange data in the database the server uses, and read what it logged.
    """

    database_url: str
    upload_folder: str
    log_path: Path


@pytest.fixture(scope="session")
def live_server(make_database, tmp_path_factory):
    """Migrate a fresh database, load the demo, serve it with gunicorn on a loopback port."""
    url = make_database("live")
    uploads = str(tmp_path_factory.mktemp("uploads"))
    # Prepared in this process (no interpreter start-ups), with the tests' cheap password hash.
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "live",
                        "UPLOAD_FOLDER": uploads,
                        "PASSWORD_HASH_METHOD": TestConfig.PASSWORD_HASH_METHOD})
    with setup.app_context():
        upgrade()
        loaded = setup.test_cli_runner().invoke(args=["demo", "load", "--password", "demo"])
        assert loaded.exit_code == 0, loaded.output
        db.engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
           "FLASK_APP": "app", "FLASK_DEBUG": "0", "UPLOAD_FOLDER": uploads}
    port = free_port()
    env["BASE_URL"] = f"http://127.0.0.1:{port}"
    # Open for the server's whole life, closed after the yield below.
    log = open(tmp_path_factory.mktemp("server") / "server.log", "w")  # noqa: SIM115
    # The production settings: access log with feed tokens redacted.
    server, base = start_gunicorn(env, log, port=port)
    live = LiveServer(base)
    live.database_url, live.upload_folder, live.log_path = url, uploads, Path(log.name)
    yield live
    stop(server)
    log.close()


@pytest.fixture
def live_db(live_server):
    """An app context on the live server's database (to arrange rows, or read what it wrote)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url, "TESTING": True,
                      "SECRET_KEY": "e2e"})
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()


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
    from datetime import datetime, timedelta

    from app.events.models import Event, EventKind, EventStatus, Visibility

    def _make(**fields) -> Event:
        starts_at = fields.pop("starts_at", datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
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
