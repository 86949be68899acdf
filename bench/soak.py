"""Soak: 50 simulated users for 3 minutes against 2 hosts x gunicorn on PostgreSQL (20,000 events).

    .venv/bin/python -m bench.soak [--users 50] [--minutes 3] [--events 20000]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Creates a throw-away PostgreSQL database beside the one named, loads the demo with
``--events`` events, starts two hosts on loopback, each a gunicorn server (its own instance folder,
STORAGE_BACKEND=db, ACCEL_REDIRECT=1) behind its own nginx with the production locations
(deploy/nginx/) each (nginx sends feed bodies from its own host's cache), runs locust headless on loopback (bench/locustfile.py) and prints
requests/s, p50/p95/p99 per request kind and the errors (floor: 0). Afterwards it checks
that every save locust saw succeed is in the event's history. Not part of ``make test``.
"""
import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _plan(app, work: Path) -> Path:
    import sqlalchemy as sa

    from app.auth.models import User
    from app.checklists import work as checklist_work
    from app.checklists.models import ChecklistItem, ItemStatus
    from app.events import access
    from app.events.models import Event, EventStatus
    from app.extensions import db
    from app.feeds.models import DetailLevel
    from app.feeds.services import issue_token_for
    from app.timeutil import utcnow

    readers = ["viewer@demo.example", "steering@demo.example", "focal@demo.example",
               "spokesperson@demo.example", "liaison@demo.example"]
    editors = ["protocol@demo.example", "admin@demo.example"]
    with app.app_context():
        now = utcnow()
        people = {u.email: u for u in db.session.scalars(
            sa.select(User).where(User.email.in_(readers + editors)))}
        # Events every reader may open and both editors may edit: a 404 for someone outside
        # a confidential event's circle is the right answer, not a soak error.
        upcoming = list(db.session.scalars(
            sa.select(Event.id).where(Event.starts_at > now, Event.status == EventStatus.PLANNED,
                                      *[access.visible_clause(people[e]) for e in readers],
                                      *[access.edit_clause(people[e]) for e in editors])
            .order_by(Event.starts_at, Event.id).limit(2000)))
        provider = "focal@demo.example"
        focal = db.session.scalar(sa.select(User).where(User.email == provider))
        items = [i.id for i in db.session.scalars(
            sa.select(ChecklistItem).where(ChecklistItem.status == ItemStatus.OPEN)
            .order_by(ChecklistItem.due_at).limit(2000)) if checklist_work.can_work_on(focal, i)][:200]
        tokens = [issue_token_for(email, DetailLevel.FULL)[1] for email in
                  ("admin@demo.example", "protocol@demo.example", "viewer@demo.example",
                   "steering@demo.example", "focal@demo.example")]
        db.session.commit()
        plan = {"events": upcoming, "contended": upcoming[:20], "items": items, "tokens": tokens,
                "provider": provider, "editors": editors, "readers": readers}
        db.engine.dispose()
    path = work / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def _lost_saves(app, saves: Path) -> tuple[int, list[dict]]:
    import sqlalchemy as sa

    from app.events.models import EventChange
    from app.extensions import db

    done = [json.loads(line) for line in saves.read_text().splitlines()] if saves.exists() else []
    lost = []
    with app.app_context():
        for save in done:
            changes = db.session.scalars(sa.select(EventChange.changes)
                                         .where(EventChange.event_id == save["event"])).all()
            if not any((c.get("title_vi") or [None, None])[1] == save["title"] for c in changes):
                lost.append(save)
        db.engine.dispose()
    return len(done), lost


def _ensure_locust() -> None:
    """Locust is a benchmark tool, not a dependency of the app: installed here when missing."""
    try:
        import locust  # noqa: F401
    except ImportError:
        print("installing locust from PyPI (benchmark only) ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "locust"], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database", default=os.environ.get(
        "DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.config import normalise_database_url
    from app.extensions import db
    from bench.feeds import _ensure_tools, _free_port, stop_all
    from tools import nginx_site

    _ensure_tools()
    _ensure_locust()
    # A stopped run still stops its servers and drops its database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    base_url = sa.make_url(normalise_database_url(args.database))
    name = f"bench_soak_{secrets.token_hex(4)}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base_url.set(database=name).render_as_string(hide_password=False)
    work = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    work.chmod(0o755)
    processes: list[subprocess.Popen] = []
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "soak",
                          "FEED_CACHE_DIR": str(work / "setup-cache")})
        started = time.perf_counter()
        with app.app_context():
            upgrade()
            loaded = app.test_cli_runner().invoke(
                args=["demo", "load", "--events", str(args.events), "--password", "demo"])
            assert loaded.exit_code == 0, loaded.output
            db.engine.dispose()
        print(f"database {name}: demo with {args.events} events loaded in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        plan = _plan(app, work)
        saves = work / "saves.jsonl"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
               "FLASK_DEBUG": "0", "STORAGE_BACKEND": "db", "ACCEL_REDIRECT": "1",
               "PROXY_COUNT": "1"}
        hosts = []
        for n in range(2):  # each host: its own instance folder, gunicorn and nginx
            host = work / f"host-{n}"
            (host / "instance").mkdir(parents=True)
            port, nginx_port = _free_port(), _free_port()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "-w", "2",
                 "-k", "gthread", "--threads", "4", "-b", f"127.0.0.1:{port}",
                 "--access-logfile", "/dev/null", "app:create_app()"],
                env={**env, "INSTANCE_PATH": str(host / "instance"),
                     "BASE_URL": f"http://127.0.0.1:{nginx_port}"},
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(host / "gunicorn.log", "w")))  # noqa: SIM115
            conf = nginx_site.write_config(host, host / "instance", [port], nginx_port)
            processes.append(nginx_site.start(host, conf, nginx_port))
            hosts.append(f"http://127.0.0.1:{nginx_port}")
        plan_data = json.loads(plan.read_text())
        plan.write_text(json.dumps({**plan_data, "hosts": hosts}))
        time.sleep(5)
        stats = work / "locust"
        command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                   "--headless", "-u", str(args.users), "-r", "5", "-t", f"{int(args.minutes * 60)}s",
                   "--host", hosts[0], "--csv", str(stats), "--only-summary"]
        print(" ".join(command[2:]), flush=True)
        subprocess.run(command, env={**os.environ, "SOAK_PLAN": str(plan), "SOAK_SAVES": str(saves),
                                     "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = list(csv.DictReader(open(f"{stats}_stats.csv")))  # noqa: SIM115
        print(f"\n{'request':28} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'errors':>6}")
        errors = 0
        for row in rows:
            print(f"{row['Name'][:28]:28} {row['Request Count']:>7} "
                  f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} "
                  f"{row['99%']:>7} {row['Failure Count']:>6}")
            if row["Name"] == "Aggregated":
                errors = int(row["Failure Count"])
        failures = work / "locust_failures.csv"
        if errors and failures.exists():
            print(failures.read_text()[:3000])
        if errors:  # what the servers said, before their folders go
            for log in sorted(work.glob("host-*/gunicorn.log")) + sorted(work.glob("host-*/nginx-error.log")):
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"--- {log.relative_to(work)} (last lines)\n" + "\n".join(tail))
        count, lost = _lost_saves(app, saves)
        print(f"\nerrors: {errors} (floor 0); successful saves: {count}, missing from the "
              f"history: {len(lost)} (floor 0)")
        return 0 if errors == 0 and not lost and count else 1
    finally:
        stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
