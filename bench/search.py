"""Search, /tasks and the dashboard at two sizes of demo data: ratios, not absolute times.

    .venv/bin/python -m bench search                     # SQLite (temporary files)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench search

Each size (``BENCH_SIZES``, default 200 and 20,000 events) gets a fresh database built by the
migrations, as in production (so PostgreSQL has the trigram indexes of ``search_text`` when
``pg_trgm`` can be created), then ``demo load --events N`` (checklists included) and, on
PostgreSQL, ``VACUUM ANALYZE``. Two Flask test clients log in: the demo protocol officer (sees every
event) and the head of the culture department (the unit with the most tasks, reviews its
submissions). The sizes are requested in alternation, so that load on the machine hits both
alike, and each median is printed as a ratio: against the same page at the small size, and
against ``/search`` without a query (a trivial page: the header, the bell) measured in the
same rounds at the same size.
"""
import os
import statistics
import sys
import tempfile

import sqlalchemy as sa
from flask_migrate import upgrade

from app import demo
from app.extensions import db
from bench.events import _database, _timed, bench_app, release

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "200,20000").split(","))
REFERENCE = ("protocol", "/search")  # the header and the bell, no query: a trivial page
PAGES = (
    REFERENCE,
    ("protocol", "/search?q=doan+attapeu"),        # a common word and a rare one
    ("protocol", "/search?q=attapeu&in=events"),    # one section, paged
    ("protocol", "/search?q=hop+bao"),              # two common words: many matches
    ("protocol", "/events/?q=doan+attapeu"),        # the event list's search box
    ("head", "/tasks"),                             # every group's first rows
    ("head", "/tasks?show=overdue"),                # one group, paged
    ("head", "/"),                                  # counts and lists of what waits
    ("protocol", "/"),
)
USERS = {"protocol": "protocol@demo.example", "head": "head.vhttdl@demo.example"}


def prepare(size: int, tmp: str):
    """A migrated database with ``size`` demo events; (app, clients by user, drop)."""
    url, drop = _database(f"search{size}", tmp)
    app = bench_app(url)
    with app.app_context():
        upgrade()
        demo.load(password="demo", n_events=size)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does in production: the demo's updates leave dead index entries
            # (items first open, then done) that a fresh database would otherwise still walk.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
            trigram = db.session.scalar(sa.text(
                "SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%search_text_trgm'"))
            print(f"  {size:>6} events: {trigram} trigram indexes")
        db.session.remove()
    clients = {}
    for user, email in USERS.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": "demo"})
        assert response.status_code == 302, f"login failed for {email}"
        clients[user] = client
    return app, clients, drop


def measure(setups) -> list[dict[tuple[str, str], float]]:
    """Median ms of every page for each set-up; pages and sizes requested in alternation."""
    samples: list[dict[tuple[str, str], list[float]]] = [{p: [] for p in PAGES} for _ in setups]
    for round_ in range(RUNS + 3):  # the first 3 rounds warm templates, caches and pools
        for page in PAGES:
            user, url = page
            for i, (_app, clients, _drop) in enumerate(setups):
                taken = _timed(clients[user], url)
                if round_ >= 3:
                    samples[i][page].append(taken)
    return [{page: statistics.median(times) for page, times in found.items()} for found in samples]


def main() -> int:
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"bench.search on {backend}: median of {RUNS} requests per page, sizes {SIZES}")
    with tempfile.TemporaryDirectory() as tmp:
        setups = [prepare(size, tmp) for size in SIZES]
        try:
            medians = measure(setups)
        finally:
            for app, _clients, drop in setups:
                release(app, drop)
    small, large = medians[0], medians[-1]
    print(f"  {'page':<38} {'x ' + str(SIZES[0]):>9} {'x trivial':>11}  "
          f"{'x trivial':>11}   (ms at {SIZES[0]} / {SIZES[-1]})")
    print(f"  {'':<38} {'size':>9} {f'@{SIZES[0]}':>11}  {f'@{SIZES[-1]}':>11}")
    for page in PAGES:
        user, url = page
        print(f"  {user + ' ' + url:<38} {large[page] / small[page]:9.2f} "
              f"{small[page] / small[REFERENCE]:11.1f}  {large[page] / large[REFERENCE]:11.1f}"
              f"   ({small[page]:.1f} / {large[page]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
