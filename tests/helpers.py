"""Plain helpers shared by the test modules (fixtures live in conftest and tests/fixtures_*)."""
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from app.auth.models import User
from app.extensions import db

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parent.parent  # the repository


def log_in(client, user: User, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def count(model, *where) -> int:
    """Rows of ``model`` (matching ``where``): denial tests compare it before and after."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def table_counts() -> dict[str, int]:
    """Rows in every table, in one query."""
    tables = db.metadata.sorted_tables
    row = db.session.execute(sa.select(*(
        sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name)
        for t in tables))).one()
    return dict(row._mapping)


@contextmanager
def nothing_written():
    """Asserts that the block adds or deletes no row in any table: for denials.

    Counted in the test's session, which requests share, so rows a request or a service
    flushed and left uncommitted count as written too.
    """
    before = table_counts()
    yield
    after = table_counts()
    assert after == before, {t: (before[t], n) for t, n in after.items() if n != before[t]}


class FreshRequestClient(FlaskClient):
    """A test client whose requests don't inherit per-request caches from each other.

    The ``app`` fixture keeps one app context pushed so tests can use the
    database; Flask reuses it for every request, and with it ``g``, where
    Flask-Login caches the user and Flask-Babel the locale. In production each
    request has its own context, so drop those caches (and the domain settings read
    by ``app.settings.setting``) around each request.
    """

    def open(self, *args, **kwargs):
        _drop_request_caches()
        try:
            return super().open(*args, **kwargs)
        finally:
            _drop_request_caches()


def _drop_request_caches():
    if g:
        for key in ("_login_user", "_flask_babel", "_domain_settings"):
            g.pop(key, None)
