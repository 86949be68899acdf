"""Plain helpers shared by the test modules (fixtures live in conftest and tests/fixtures_*)."""
from contextlib import contextmanager

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db

PASSWORD = "correct horse battery"


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
