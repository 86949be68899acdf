"""Benchmark: generate the checklists of 20,000 events, then regenerate them.

Regeneration follows moving every event by a week.

    .venv/bin/python -m bench.checklists [--events N] [--database-url URL]

Creates its own database (a temporary SQLite file unless --database-url / BENCH_DATABASE_URL
names an empty one), inserts the events in bulk, then times ``sync_checklists`` over all of
them in batches, exactly as the app runs it. Figures are reported per second and as ratios
against references measured in the same run:

* the plain bulk INSERT of the events themselves (what the database costs anyway);
* generation, for regeneration (floor: regeneration not slower than generation).

Floors (exit status 1 when missed): generation under 60 s, regeneration/generation <= 1.
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ChecklistStep
from app.checklists.seed import seed_templates
from app.checklists.services import load_events_for_sync, sync_checklists
from app.events.models import Event, EventKind, EventStatus, event_coordinating_units
from app.extensions import db
from app.press.models import Briefing
from app.timeutil import freeze
from app.units.models import Unit, UnitKind

BATCH = 2000
START = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
GENERATION_FLOOR_S = 60.0


def _setup_people() -> list[int]:
    units = [Unit(slug=f"unit-{n}", name_vi=f"Đơn vị {n}", name_en=f"Unit {n}",
                  kind=UnitKind.DEPARTMENT) for n in range(30)]
    units.append(Unit(slug="bcd-ttdn", name_vi="Ban Chỉ đạo", name_en="Steering",
                      kind=UnitKind.STEERING))
    db.session.add_all(units)
    db.session.flush()
    for n, role in enumerate((Role.PROTOCOL, Role.LIAISON, Role.FOCAL)):
        user = User(email=f"bench{n}@example.com", name=f"Bench {n}", role_rows=[], unit=units[n])
        user.roles = {role}
        user.set_password("bench")
        db.session.add(user)
    db.session.commit()
    return [u.id for u in units[:30]]


def _insert_events(n: int, unit_ids: list[int]) -> None:
    kinds = list(EventKind)
    rows, links = [], []
    for i in range(1, n + 1):
        starts = START + timedelta(hours=7 * i)  # spread over ~16 years of office hours
        rows.append(dict(id=i, title_vi=f"Sự kiện {i}", title_en=f"Event {i}", kind=kinds[i % len(kinds)],
                         status=EventStatus.PLANNED, starts_at=starts, ends_at=starts + timedelta(hours=3),
                         timezone="Asia/Ho_Chi_Minh", lead_unit_id=unit_ids[i % 30], version=1,
                         sequence=0, is_sensitive=i % 10 == 0, created_at=START, updated_at=START))
        for k in range(1 + i % 3):  # 1 to 3 coordinating units
            links.append({"event_id": i, "unit_id": unit_ids[(i + 7 + k) % 30]})
    db.session.execute(sa.insert(Event), rows)
    db.session.execute(event_coordinating_units.insert(), links)
    db.session.commit()


def _sync_all(n: int):
    totals = [0, 0]
    for first in range(1, n + 1, BATCH):
        events = load_events_for_sync(sa.select(Event).where(
            Event.id >= first, Event.id < first + BATCH).order_by(Event.id))
        result = sync_checklists(events)
        totals[0] += result.created
        totals[1] += result.updated
        db.session.commit()
        db.session.expunge_all()
    return totals


def _move_every_event(days: int) -> None:
    table = Event.__table__
    rows = db.session.execute(sa.select(table.c.id, table.c.starts_at, table.c.ends_at)).all()
    db.session.execute(
        table.update().where(table.c.id == sa.bindparam("b_id"))
        .values(starts_at=sa.bindparam("b_s"), ends_at=sa.bindparam("b_e")),
        [{"b_id": r.id, "b_s": r.starts_at + timedelta(days=days),
          "b_e": r.ends_at + timedelta(days=days)} for r in rows])
    db.session.commit()


def _timed(fn):
    """(result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _clear_checklists() -> None:
    for model in (ChecklistStep, ChecklistItem, Briefing):
        db.session.execute(sa.delete(model))
    db.session.commit()


def run(n_events: int, url: str, rounds: int) -> int:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench"})
    freeze(START - timedelta(days=60))
    generate, regenerate = [], []   # (wall, cpu) per round
    with app.app_context():
        db.create_all()
        seed_templates()
        unit_ids = _setup_people()
        _, insert_s, _ = _timed(lambda: _insert_events(n_events, unit_ids))
        for round_ in range(rounds):
            if round_:
                _clear_checklists()
            (created, _), wall, cpu = _timed(lambda: _sync_all(n_events))
            generate.append((wall, cpu))
            _move_every_event(7)
            (created_again, updated), wall, cpu = _timed(lambda: _sync_all(n_events))
            regenerate.append((wall, cpu))
        items = db.session.scalar(sa.select(sa.func.count(ChecklistItem.id)))
        db.session.remove()
        db.engine.dispose()
    freeze(None)

    # The best round of each: the machine is shared, other load only ever adds time.
    gen_wall, gen_cpu = min(w for w, _ in generate), min(c for _, c in generate)
    regen_wall, regen_cpu = min(w for w, _ in regenerate), min(c for _, c in regenerate)
    print(f"database: {sa.make_url(url).get_backend_name()}, events: {n_events}, items: {items}, "
          f"best of {rounds} rounds")
    print(f"reference  bulk INSERT of the events:   {insert_s:7.2f} s")
    print(f"generate   {created:7d} items created:    {gen_wall:7.2f} s  "
          f"{created / gen_wall:9.0f} items/s  ({gen_wall / insert_s:.1f}x the event insert; "
          f"CPU {gen_cpu:.2f} s)")
    print(f"regenerate {updated:7d} items moved:      {regen_wall:7.2f} s  "
          f"{updated / regen_wall:9.0f} items/s  ({created_again} created; CPU {regen_cpu:.2f} s)")
    print(f"ratio regenerate/generate: wall {regen_wall / gen_wall:.2f}, CPU {regen_cpu / gen_cpu:.2f}")
    ok = (gen_wall < GENERATION_FLOOR_S and regen_wall <= gen_wall and created_again == 0)
    print(f"floors: generation < {GENERATION_FLOOR_S:.0f} s, regeneration <= generation (wall), "
          f"no new item on regeneration: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=2, help="best of N (default 2)")
    args = parser.parse_args()
    if args.database_url:
        sys.exit(run(args.events, args.database_url, args.rounds))
    with tempfile.TemporaryDirectory() as tmp:
        sys.exit(run(args.events, f"sqlite:///{tmp}/bench.db", args.rounds))


if __name__ == "__main__":
    main()
