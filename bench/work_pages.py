"""Search and the work pages with 200 and with 20,000 events: median response times.

    .venv/bin/python -m bench.work_pages                 # SQLite (temporary files)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.work_pages

The same set-up as ``bench.events`` (a fresh database per size, ``demo load --events N``,
logged in as the demo protocol officer), then the header search, the task page (every group,
and one group paged), the notifications and the outlets register. Lists page without a
total count; the search reads the folded ``search_text`` of every visible event (a LIKE
scan: it grows with the events, see bench/README.md).
"""
import os
import sys
import tempfile

from bench.events import SIZES, measure, prepare, release

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
URLS = {"search": "/search?q=doan+attapeu", "tasks": "/tasks", "tasks-group": "/tasks?show=later",
        "notices": "/notifications", "outlets": "/press/outlets/"}


def main() -> int:
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"bench.work_pages on {backend}: median of {RUNS} requests per page")
    with tempfile.TemporaryDirectory() as tmp:
        setups = [prepare(size, tmp) for size in SIZES]
        try:
            medians = measure(setups, [URLS for _setup in setups], RUNS)
        finally:
            for app, _client, _urls, _loaded, drop in setups:
                release(app, drop)
    for page in URLS:
        small, large = medians[0][page], medians[1][page]
        print(f"  {page:<12} {SIZES[0]:>6}: {small:7.1f} ms   {SIZES[1]:>6}: {large:7.1f} ms"
              f"   ratio {large / small:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
