"""Event pages with 200 and with 20,000 events: median response times and their ratio.

    .venv/bin/python -m bench.events                     # SQLite (temporary files)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.events

Each size gets a fresh database (on PostgreSQL: a temporary database next to the one
named, dropped afterwards), `demo load --events N`, then the Flask test client,
logged in as the demo protocol officer, requests the list page, the month view and
the page of a delegation event. Floors: every ratio 20,000/200 at most 1.5, every
median under 50 ms.
"""
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta

import sqlalchemy as sa

from app import create_app, demo
from app.config import Config, normalise_database_url
from app.events.models import Event, EventKind, ProgrammeItem
from app.extensions import db
from app.timeutil import utcnow

SIZES = (200, 20_000)
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
RATIO_FLOOR, MEDIAN_FLOOR_MS = 1.5, 50.0


def _database(label: str, tmp: str):
    base = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    if not base.startswith("postgresql"):
        return f"sqlite:///{tmp}/{label}.db", lambda: None
    url = sa.make_url(base)
    name = f"bd_bench_{label}_{secrets.token_hex(3)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def _timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, url
    return elapsed


def bench_app(url: str):
    """The app on the database ``url``, as the benchmarks run it (no CSRF: the test client posts)."""
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        WTF_CSRF_ENABLED = False

    return create_app(BenchConfig)


def release(app, drop) -> None:
    """Close the app's connections, then drop its database."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


def prepare(size: int, tmp: str):
    """A fresh database with ``size`` demo events; returns (app, client, urls, loaded s, drop)."""
    url, drop = _database(str(size), tmp)
    app = bench_app(url)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        demo.load(password="demo", n_events=size)
        db.session.commit()
        loaded = time.perf_counter() - started
        # A delegation event near today with a programme: the richest event page.
        event_id = db.session.scalar(
            sa.select(Event.id).where(Event.kind == EventKind.DELEGATION_IN,
                                      Event.id.in_(sa.select(ProgrammeItem.event_id)),
                                      Event.starts_at > utcnow())
            .order_by(Event.starts_at).limit(1))
        db.session.remove()
    client = app.test_client()
    response = client.post("/login", data={"email": "protocol@demo.example", "password": "demo"})
    assert response.status_code == 302, "login failed"
    today = (utcnow() + timedelta(hours=7)).date().isoformat()
    urls = {"list": "/events/", "month": f"/calendar?view=month&date={today}",
            "event": f"/events/{event_id}"}
    return app, client, urls, loaded, drop


def measure(setups, urls: list[dict[str, str]], runs: int = RUNS) -> list[dict[str, float]]:
    """Median ms per page for each set-up (``urls[i]``: its pages), requested in alternation."""
    medians: list[dict[str, float]] = [{} for _ in setups]
    for page in urls[0]:
        samples: list[list[float]] = [[] for _ in setups]
        for _ in range(3):  # warm templates, caches and connection pools
            for i, (_app, client, *_rest) in enumerate(setups):
                _timed(client, urls[i][page])
        for _ in range(runs):  # each request gets its own app context, as in production
            for i, (_app, client, *_rest) in enumerate(setups):
                samples[i].append(_timed(client, urls[i][page]))
        for i, taken in enumerate(samples):
            medians[i][page] = statistics.median(taken)
    return medians


def main() -> int:
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"bench.events on {backend}: median of {RUNS} requests per page, "
          "the two sizes measured in alternation so that machine load hits both alike")
    with tempfile.TemporaryDirectory() as tmp:
        setups = [prepare(size, tmp) for size in SIZES]
        try:
            for size, (_app, _client, _urls, loaded, _drop) in zip(SIZES, setups, strict=False):
                print(f"  {size:>6} events loaded in {loaded:.1f} s")
            medians = measure(setups, [setup[2] for setup in setups])
        finally:
            for app, _client, _urls, _loaded, drop in setups:
                release(app, drop)
    small, large = medians
    failed = False
    for page in small:
        ratio = large[page] / small[page]
        ok = ratio <= RATIO_FLOOR and large[page] < MEDIAN_FLOOR_MS and small[page] < MEDIAN_FLOOR_MS
        failed |= not ok
        print(f"  {page:<6} {small[page]:6.1f} ms -> {large[page]:6.1f} ms  ratio {ratio:.2f}"
              f"  {'ok' if ok else 'ABOVE FLOOR'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
