"""GET /api/v1/events with 20,000 events, 50 per page: the first and the last page.

    .venv/bin/python -m bench.api                     # SQLite (a temporary file)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.api

A fresh database (on PostgreSQL a temporary one next to the one named, dropped afterwards),
`demo load --events 20000`, a personal token of the demo protocol officer (high request
limit), then the Flask test client walks every page of `from=` (everything) with
`next_cursor` once, and times the first and the last page in alternation. Floors: each
median under 50 ms, the last page's median at most 1.5 times the first's (a cursor seeks;
OFFSET would read every earlier row).
"""
import os
import statistics
import sys
import tempfile
import time

from app import create_app, demo
from app.api.tokens import issue_token_for
from app.config import Config
from app.extensions import db
from app.settings.services import change
from bench.events import _database

SIZE = 20_000
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
RATIO_FLOOR, MEDIAN_FLOOR_MS = 1.5, 50.0


def _timed(client, url: str, headers: dict) -> float:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return elapsed


def main() -> int:
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"bench.api on {backend}: {SIZE} events, 50 per page, median of {RUNS} requests")
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database("api", tmp)

        class BenchConfig(Config):
            SQLALCHEMY_DATABASE_URI = url
            SECRET_KEY = "bench"

        app = create_app(BenchConfig)
        try:
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                demo.load(password="demo", n_events=SIZE)
                change("api.requests_per_minute", value="100000")
                _token, secret = issue_token_for("protocol@demo.example", "read", "bench")
                db.session.commit()
                print(f"  loaded in {time.perf_counter() - started:.1f} s")
                db.session.remove()
            headers = {"Authorization": f"Bearer {secret}"}
            client = app.test_client()
            first = "/api/v1/events?from=&limit=50"
            page_url, pages, total = first, 0, 0
            while page_url:
                body = client.get(page_url, headers=headers).get_json()
                pages, total = pages + 1, total + len(body["items"])
                last = page_url
                page_url = f"{first}&cursor={body['next_cursor']}" if body["next_cursor"] else ""
            print(f"  walked {pages} pages, {total} events")
            samples: dict[str, list[float]] = {"first": [], "last": []}
            for _ in range(3):
                _timed(client, first, headers)
                _timed(client, last, headers)
            for _ in range(RUNS):
                samples["first"].append(_timed(client, first, headers))
                samples["last"].append(_timed(client, last, headers))
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratio = medians["last"] / medians["first"]
    failed = ratio > RATIO_FLOOR or max(medians.values()) > MEDIAN_FLOOR_MS
    print(f"  first page {medians['first']:.1f} ms, last page {medians['last']:.1f} ms, "
          f"ratio {ratio:.2f} (floors: < {MEDIAN_FLOOR_MS:.0f} ms, ratio <= {RATIO_FLOOR})"
          + ("  FAILED" if failed else "  ok"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
