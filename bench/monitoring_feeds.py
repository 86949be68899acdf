"""Monitoring clocks in calendar feeds: the deadline source's cost as the case log grows.

Bulk-inserts a log of ``--small`` and then ``--large`` press-monitoring cases spread over two
years and ten units (most closed, as a real log; the same 30 open cases of the feed's unit in
both sizes), then takes the median of ``--runs`` calls of the monitoring deadline source for
one unit's full-detail feed (``feeds.sources.entries``: one query) and of a cold build of that
feed (no block cache). Reference: a full count of the cases table in the same run. Floor
(issue 15): the source costs at most 1.5 times as much with the large log as with the small.

``python -m bench.monitoring_feeds [--small 200] [--large 20000] [--runs 21]``; set
``BENCH_DATABASE_URL`` to a PostgreSQL database to run there (its tables are replaced).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.config import TestConfig
from app.events.access import unit_member
from app.extensions import db
from app.feeds import build, ical, sources
from app.feeds.models import DetailLevel
from app.monitoring.models import CaseStatus, Classification, MonitoringCase, Origin
from app.timeutil import freeze, utcnow
from app.units.models import Unit, UnitKind

OPEN = 30
FLOOR_RATIO = 1.5
CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.CLOSED, CaseStatus.CLOSED, CaseStatus.NO_ACTION)
OPEN_STATES = (CaseStatus.NEW, CaseStatus.VERIFYING, CaseStatus.DRAFTED, CaseStatus.APPROVED)


def _case(n: int, unit_id: int, user_id: int, status: CaseStatus, age: timedelta, now) -> dict:
    created = now - age
    return dict(platform="Facebook", account=f"tai-khoan-{n}", url=f"https://mxh.example/{n}",
                published_at=created - timedelta(hours=2), headline=f"Thông tin sai số {n}",
                lead_unit_id=unit_id, classification=Classification.UNTRUE,
                origin=Origin.MONITORED, is_sensitive=n % 13 == 0, status=status,
                created_by_id=user_id, created_at=created, updated_at=created,
                verify_due_at=created + timedelta(hours=24), respond_due_at=created + timedelta(days=1),
                closed_at=created + timedelta(days=2) if status in CLOSED_STATES else None)


def _fill(total: int, already: int, unit_ids: list[int], user_id: int, now) -> None:
    rows = [_case(n, unit_ids[n % len(unit_ids)], user_id, CLOSED_STATES[n % 4],
                  timedelta(days=60 + (n * 7) % 670), now) for n in range(already, total)]
    if rows:
        db.session.execute(sa.insert(MonitoringCase), rows)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would give
        db.session.execute(sa.text("ANALYZE monitoring_cases"))
        db.session.commit()


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-monitoring-')}/bench.db"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        freeze(utcnow())
        now = utcnow()
        units = [Unit(slug=f"unit-{n}", name_vi=f"Đơn vị {n}", name_en=f"Unit {n}",
                      kind=UnitKind.DEPARTMENT) for n in range(10)]
        db.session.add_all(units)
        db.session.flush()
        user = User(email="focal@bench.example", name="Bench", role_rows=[], unit=units[0])
        user.roles = {Role.FOCAL}
        user.set_password("bench")
        db.session.add(user)
        db.session.commit()
        unit_ids = [u.id for u in units]
        db.session.execute(sa.insert(MonitoringCase), [
            _case(-n, units[0].id, user.id, OPEN_STATES[n % 4], timedelta(hours=n * 5), now)
            for n in range(1, OPEN + 1)])
        db.session.commit()
        query = sources.DeadlineQuery(
            owner=unit_member(units[0].id), unit_id=units[0].id, unit_ids=(), narrowed=False,
            start=now - timedelta(days=60), end=now + timedelta(days=731),
            keep_since=now - timedelta(days=30), now=now, language="vi", detail=DetailLevel.FULL)
        spec = build.FeedSpec(scope="bench", name="Bench", owner=unit_member(units[0].id),
                              unit_id=units[0].id, unit_ids=(units[0].id,), deadlines=True,
                              opts=ical.FeedOptions(base_url="http://localhost",
                                                    detail=DetailLevel.FULL))
        figures, filled = {}, 0
        for size in (args.small, args.large):
            _fill(size, filled, unit_ids, user.id, now)
            filled = size
            entries = len(sources.entries(query))
            figures[size] = (
                _median_ms(lambda: sources.entries(query), args.runs),
                _median_ms(lambda: build.build_feed(spec, now), args.runs),
                _median_ms(lambda: db.session.scalar(sa.select(sa.func.count())
                                                     .select_from(MonitoringCase)), args.runs),
                entries)
        print(f"database: {db.engine.dialect.name}; {OPEN} open cases of the feed's unit")
        print(f"{'cases in the log':>18} {'source':>10} {'cold build':>11} {'count(*) ref.':>14} "
              f"{'entries':>8}")
        for size, (source, cold, scan, entries) in figures.items():
            print(f"{size:>18,} {source:>8.1f}ms {cold:>9.1f}ms {scan:>12.1f}ms {entries:>8}")
        ratio = figures[args.large][0] / figures[args.small][0]
        ok = ratio <= FLOOR_RATIO
        print(f"source ratio {args.large:,}/{args.small:,}: {ratio:.2f} "
              f"(floor <= {FLOOR_RATIO}): {'OK' if ok else 'FAIL'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
