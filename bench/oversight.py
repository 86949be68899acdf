"""Oversight: the dashboard and the periodic report for a year of 200 and of 20,000 events.

Bulk-inserts a year of held events (13.5 checklist items each: 270,000 for 20,000 events,
a press conference before 80 % of them, a submission for the items that ask for one), logs
the Flask test client in as a steering member and takes the median of ``--runs`` requests of
the year's dashboard (``/oversight?period=YEAR``), of one chart and of the report's page and
spreadsheet. Prints the medians for both sizes and the ratio 20,000/200. Floors (issue 14):
median < 500 ms and ratio <= 3. Also printed, outside the floors: the dashboard right after
an edit of a checklist item (its month's rollup refilled, the medians recomputed).

``python -m bench.oversight [--small 200] [--large 20000] [--runs 7]``; set
``BENCH_DATABASE_URL`` to a PostgreSQL database to run there (its tables are replaced).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus, ResponsibleRole
from app.events.models import Event, EventKind, EventStatus
from app.extensions import db
from app.oversight.models import Report
from app.press.models import Briefing, BriefingStatus
from app.timeutil import freeze
from app.units.models import Unit, UnitKind

YEAR = 2026
NOW = datetime(YEAR + 1, 1, 10, 3, 0, tzinfo=UTC)
ITEMS_PER_EVENT = (13, 14)       # alternately: 13.5 on average
BATCH = 20_000
PAGES = {"dashboard": f"/oversight?period={YEAR}", "chart": f"/oversight/charts/trend.svg?period={YEAR}",
         "report": "/oversight/reports/1", "report.xlsx": "/oversight/reports/1.xlsx"}
FLOOR_MS, FLOOR_RATIO = 500, 3.0
# Not under the floors: the dashboard right after an edit (one month refilled, medians
# recomputed from the items of the period), printed to show what a cache miss costs.
EDITED = "dash. edited"


def _people() -> tuple[list[int], int]:
    units = [Unit(slug=f"unit-{n}", name_vi=f"Đơn vị {n}", name_en=f"Unit {n}", kind=UnitKind.DEPARTMENT)
             for n in range(20)]
    units += [Unit(slug="ubnd-tinh", name_vi="UBND tỉnh", name_en="PPC", kind=UnitKind.GOVERNMENT),
              Unit(slug="ban-tgdv", name_vi="Ban Tuyên giáo và Dân vận", name_en="Propaganda",
                   kind=UnitKind.PARTY)]
    db.session.add_all(units)
    db.session.flush()
    user = User(email="steering@bench.example", name="Bench", role_rows=[], unit=units[-1])
    user.roles = {Role.STEERING}
    user.set_password("bench")
    db.session.add(user)
    db.session.add(Report(period_label=str(YEAR), period_start=date(YEAR, 1, 1), period_end=date(YEAR, 12, 31)))
    db.session.commit()
    return [u.id for u in units[:21]], user.id


def _insert(n: int, unit_ids: list[int], user_id: int) -> int:
    """A year of held events with their items, briefings and submissions; returns items."""
    kinds = list(EventKind)
    start = datetime(YEAR, 1, 1, 1, 0, tzinfo=UTC)
    step = timedelta(days=365) / n
    events, briefings, items, submissions = [], [], [], []
    item_id = 0
    for i in range(1, n + 1):
        starts = start + step * (i - 1)
        events.append(dict(id=i, title_vi=f"Sự kiện {i}", title_en=f"Event {i}", kind=kinds[i % len(kinds)],
                           status=EventStatus.HELD, starts_at=starts, ends_at=starts + timedelta(hours=3),
                           timezone="Asia/Ho_Chi_Minh", lead_unit_id=unit_ids[i % len(unit_ids)], version=1,
                           sequence=0, is_sensitive=False, created_at=start, updated_at=start))
        if i % 5:
            briefings.append(dict(event_id=i, title_vi="Họp báo", title_en="", starts_at=starts - timedelta(days=5),
                                  ends_at=starts - timedelta(days=5, hours=-1), status=BriefingStatus.HELD,
                                  timezone="Asia/Ho_Chi_Minh", version=1, sequence=0, created_at=start,
                                  updated_at=start, purpose="", chair="", release_vi="", release_en="",
                                  location=""))
        for k in range(ITEMS_PER_EVENT[i % 2]):
            item_id += 1
            due = starts + timedelta(days=k - 10)
            late = (i + k) % (3 + i % 7) == 0
            done = due < NOW and (i + k) % 23 != 0
            items.append(dict(id=item_id, event_id=i, key=f"tpl:{k}", title_vi=f"Việc {k}", title_en="",
                              role=ResponsibleRole.COORDINATING_UNIT, unit_id=unit_ids[(i + k) % len(unit_ids)],
                              due_at=due, requires_submission=k % 4 == 0,
                              status=ItemStatus.DONE if done else ItemStatus.OPEN,
                              completed_at=(due + timedelta(hours=20) if late else due - timedelta(hours=30))
                              if done else None, legal_basis="", created_at=start, updated_at=start,
                              version=1, offset=k - 10, legal_verified=False))
            if done and k % 4 == 0:
                submissions.append(dict(item_id=item_id, text="", submitted_by_id=user_id, is_late=late,
                                        submitted_at=items[-1]["completed_at"] - timedelta(hours=2),
                                        status=ItemStatus.DONE))
    for model, rows in ((Event, events), (Briefing, briefings), (ChecklistItem, items),
                        (ChecklistSubmission, submissions)):
        for first in range(0, len(rows), BATCH):
            db.session.execute(sa.insert(model), rows[first:first + BATCH])
    db.session.commit()
    return len(items)


def _median_ms(client, path: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def _median_after_edit_ms(client, path: str, runs: int) -> float:
    """The page after someone completed an item of March: that month and the medians are stale."""
    times = []
    for run in range(runs):
        item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.due_at >= datetime(YEAR, 3, 10, tzinfo=UTC))
                                 .order_by(ChecklistItem.due_at).limit(1))
        item.completed_at = item.due_at - timedelta(hours=run + 1)
        db.session.commit()
        begin = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def measure(n: int, url: str, runs: int) -> tuple[int, dict[str, float]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
    freeze(NOW)
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            unit_ids, user_id = _people()
            items = _insert(n, unit_ids, user_id)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as connection:
                    connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
            else:
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
            client = app.test_client()
            client.post("/login", data={"email": "steering@bench.example", "password": "bench"})
            for path in PAGES.values():      # warm up: templates compiled, caches filled
                client.get(path)
            medians = {name: _median_ms(client, path, runs) for name, path in PAGES.items()}
            medians[EDITED] = _median_after_edit_ms(client, PAGES["dashboard"], runs)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    finally:
        freeze(None)
    return items, medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        small_items, small = measure(args.small, url, args.runs)
        large_items, large = measure(args.large, url, args.runs)
    print(f"database: {sa.make_url(url).get_backend_name()}, median of {args.runs} requests")
    print(f"{'page':<12} {args.small:>6} events ({small_items} items) {args.large:>7} events "
          f"({large_items} items)  ratio")
    ok = True
    for name in [*PAGES, EDITED]:
        ratio = large[name] / small[name]
        if name in PAGES:
            ok = ok and large[name] < FLOOR_MS and ratio <= FLOOR_RATIO
        print(f"{name:<12} {small[name]:10.1f} ms {'':>14} {large[name]:10.1f} ms {'':>16} {ratio:6.1f}")
    print(f"floors: median < {FLOOR_MS} ms and ratio <= {FLOOR_RATIO:.0f}: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
