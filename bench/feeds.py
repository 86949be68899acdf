"""Benchmark: a private feed of 10,000 events, served by gunicorn, against nginx serving the same bytes.

    .venv/bin/python -m bench.feeds [--events 10000] [--duration 10] [--workers 4]

Everything is measured in one run on this machine and printed as ratios:
- cold build (no cached blocks) vs the icalendar library serializing the same events;
- warm requests/s at 8 connections vs nginx serving the identical file (floor 0.5x);
- 304 answers/s to If-None-Match (floor 1,500/s);
- time until the feed is ready after one event changes (floor < 0.5 s);
- resident memory of the feed server while serving (floor < 300 MB);
- 304 answers/s on the full demo data (``demo load --events N``: events WITH their
  checklists, briefings, notifications) of 200 and of 20,000 events: the ratio must stay
  <= 1.5, since a poll is one primary-key lookup of the change counter, not a count of the
  tables (``--only scaling`` runs just this part).

Installs Debian's nginx-light and wrk when missing (benchmark only, never CI).
"""
import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = ["Asia/Ho_Chi_Minh"] * 8 + ["Asia/Vientiane", "Asia/Phnom_Penh", "Asia/Seoul",
                                     "Asia/Tokyo", "Europe/Berlin", "UTC"]
FLOORS = {"warm_ratio": 0.5, "not_modified_rps": 1500, "after_change_s": 0.5, "rss_mb": 300,
          "poll_scaling": 1.5}
SCALING_SIZES = (200, 20_000)
BENCH_ITEMS = [("Cung cấp thông tin cho thông cáo báo chí", 7), ("Gửi danh sách đại biểu", 5),
               ("Đề cương phát biểu của lãnh đạo", 3), ("Đăng ký phóng viên tác nghiệp", 2),
               ("Báo cáo kết quả sau hoạt động", -2)]


BUMP_COUNTER = ("UPDATE change_counters SET value = value + 1, changed_at = ? "
                "WHERE name = 'feeds'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_tools() -> None:
    missing = [pkg for tool, pkg in (("nginx", "nginx-light"), ("wrk", "wrk"))
               if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        print(f"installing {', '.join(missing)} from Debian (benchmark only) ...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True,
                       stdout=subprocess.DEVNULL)


def _populate(app, n_events: int):
    """Demo units/users, venues and ``n_events`` events by bulk insert; a full-detail feed."""
    import sqlalchemy as sa

    from app import demo
    from app.auth.models import User
    from app.checklists.models import ChecklistItem, ResponsibleRole
    from app.events.models import Event, EventKind, EventStatus, Venue, Visibility
    from app.extensions import db
    from app.feeds import services
    from app.feeds.models import DetailLevel
    from app.units.models import Unit

    rng = random.Random(57)
    with app.app_context():
        db.create_all()
        demo.load(password="demo")
        db.session.execute(sa.insert(Venue), [
            {"name": f"Hội trường {i} – Trung tâm Hội nghị tỉnh", "address":
             f"Số {i} Đường Hùng Vương, phường Trần Phú, tỉnh Quảng Ngãi", "active": True}
            for i in range(1, 41)])
        venue_ids = list(db.session.scalars(sa.select(Venue.id)))
        unit_ids = list(db.session.scalars(sa.select(Unit.id)))
        now = datetime.now(UTC).replace(microsecond=0)
        statuses = [EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.CONFIRMED,
                    EventStatus.HELD, EventStatus.POSTPONED, EventStatus.CANCELLED]
        rows = []
        for i in range(n_events):
            start = now + timedelta(days=rng.randint(-350, 1080), hours=rng.randint(0, 10))
            status = rng.choice(statuses)
            rows.append({
                "title_vi": f"Hội nghị xúc tiến đầu tư và hợp tác với tỉnh Attapeu, CHDCND Lào – "
                            f"phiên số {i}",
                "title_en": f"Investment promotion and cooperation conference with Attapeu, "
                            f"Lao PDR – session {i}",
                "description_vi": "Đón tiếp đoàn đại biểu; hội đàm, ký kết biên bản ghi nhớ về "
                                  "hợp tác thương mại, du lịch và quản lý cửa khẩu Bờ Y.\n"
                                  "Thành phần: lãnh đạo UBND tỉnh; Sở Ngoại vụ; Sở Công Thương.",
                "description_en": "Welcome of the delegation; talks and signing of a memorandum "
                                  "on trade, tourism and the Bờ Y border gate.",
                "internal_notes": "Chuẩn bị xe đón tại cửa khẩu; phiên dịch tiếng Lào.",
                "kind": rng.choice(list(EventKind)), "status": status, "status_reason": "",
                "status_changed_at": now - timedelta(days=rng.randint(0, 20)),
                "visibility": rng.choice(list(Visibility)), "is_sensitive": i % 25 == 0,
                "released_at": now if i % 50 == 0 else None, "embargo_until": None,
                "starts_at": start, "ends_at": start + timedelta(hours=rng.randint(1, 6)),
                "timezone": rng.choice(ZONES), "all_day": i % 17 == 0,
                "venue_id": rng.choice(venue_ids) if i % 5 else None,
                "location": "" if i % 5 else "Viêng Chăn, Lào",
                "lead_unit_id": rng.choice(unit_ids), "version": 1, "sequence": rng.randint(0, 3),
                "created_at": now, "updated_at": now})
        for chunk in range(0, len(rows), 2000):
            db.session.execute(sa.insert(Event), rows[chunk:chunk + 2000])
        # Deadlines: five open checklist items per event for the admin's unit, so that the
        # feed (deadlines on) holds about five deadline entries per event in its window.
        admin_unit = db.session.scalar(sa.select(User.unit_id).where(
            User.email == "admin@demo.example"))
        events = db.session.execute(sa.select(Event.id, Event.starts_at)).all()
        items = [{"event_id": event_id, "key": f"bench:{k}", "title_vi": title,
                  "title_en": title, "role": ResponsibleRole.COORDINATING_UNIT,
                  "unit_id": admin_unit, "due_at": starts_at - timedelta(days=days, hours=7),
                  "legal_basis": "Quy chế thông tin đối ngoại (bench)", "created_at": now,
                  "updated_at": now}
                 for event_id, starts_at in events
                 for k, (title, days) in enumerate(BENCH_ITEMS)]
        for chunk in range(0, len(items), 5000):
            db.session.execute(sa.insert(ChecklistItem), items[chunk:chunk + 5000])
        db.session.commit()
        _feed, token = services.issue_token_for("admin@demo.example", DetailLevel.FULL,
                                                deadlines=True)
        _feed.days_back, _feed.days_ahead = 366, 1100
        db.session.commit()
        return token


def _icalendar_reference(app, token: str) -> tuple[float, float, int, int]:
    """Seconds for our cold build; for icalendar to serialize the same events and deadlines.

    Also returns the numbers of events and of deadlines.
    """
    from zoneinfo import ZoneInfo

    import icalendar
    import sqlalchemy as sa
    from sqlalchemy.orm import selectinload

    from app.checklists.models import ChecklistItem
    from app.events.models import Event
    from app.extensions import db
    from app.feeds import build, tokens
    from app.timeutil import utcnow

    with app.app_context():
        now = utcnow()
        spec = build.token_spec(tokens.find_usable_feed(token, now))
        started = time.perf_counter()
        body = build.build_feed(spec, now, cache=None)
        ours = time.perf_counter() - started
        ids = re.findall(rb"UID:event-(\d+)@", body)
        events = list(db.session.scalars(
            sa.select(Event).where(Event.id.in_([int(i) for i in ids]))
            .options(selectinload(Event.venue), selectinload(Event.lead_unit))))
        item_ids = [int(i) for i in re.findall(rb"UID:item-(\d+)@", body)]
        items = list(db.session.scalars(
            sa.select(ChecklistItem).where(ChecklistItem.id.in_(item_ids))
            .options(selectinload(ChecklistItem.event).selectinload(Event.lead_unit))))
        started = time.perf_counter()
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//bench//")
        calendar.add("version", "2.0")
        for e in events:
            vevent = icalendar.Event()
            zone = ZoneInfo(e.timezone)
            vevent.add("uid", f"event-{e.id}@bench")
            vevent.add("dtstamp", e.updated_at)
            vevent.add("last-modified", e.updated_at)
            vevent.add("sequence", e.sequence)
            vevent.add("dtstart", e.starts_at.astimezone(zone))
            vevent.add("dtend", e.ends_at.astimezone(zone))
            vevent.add("summary", e.title_vi)
            vevent.add("description", e.description_vi + "\n\n" + e.internal_notes)
            vevent.add("location", e.venue.name + ", " + e.venue.address if e.venue else e.location)
            vevent.add("url", f"https://bench/events/{e.id}")
            vevent.add("categories", [str(e.kind)])
            vevent.add("status", "CONFIRMED")
            calendar.add_component(vevent)
        for item in items:
            vevent = icalendar.Event()
            zone = ZoneInfo(item.event.timezone)
            vevent.add("uid", f"item-{item.id}@bench")
            vevent.add("dtstamp", item.updated_at)
            vevent.add("last-modified", item.updated_at)
            vevent.add("sequence", item.sequence)
            vevent.add("dtstart", item.due_at.astimezone(zone))
            vevent.add("dtend", (item.due_at + timedelta(minutes=15)).astimezone(zone))
            vevent.add("summary", f"Hạn: {item.title_vi} — {item.event.title_vi}")
            vevent.add("description", f"Sự kiện: {item.event.title_vi}\nĐơn vị chủ trì: "
                                      f"{item.event.lead_unit.name_vi}\n{item.legal_basis}")
            vevent.add("url", f"https://bench/checklists/items/{item.id}")
            vevent.add("related-to", f"event-{item.event_id}@bench")
            vevent.add("categories", ["Hạn nộp"])
            vevent.add("status", "CONFIRMED")
            calendar.add_component(vevent)
        calendar.add_missing_timezones()
        calendar.to_ical()
        reference = time.perf_counter() - started
        return ours, reference, len(events), len(items)


def _wrk(url: str, seconds: int, headers: dict | None = None) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    return float(match.group(1))


def _memory_mb(master_pid: int) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) in MB over the gunicorn master and its workers."""
    pids = [master_pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False).stdout.split()]
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


def stop_all(processes: list[subprocess.Popen]) -> None:
    """Stop what a benchmark started, the last started first (nginx before its upstream)."""
    for process in reversed(processes):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _get(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    """Start gunicorn serving the app on ``port``; return once it answers /healthz."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
         "--threads", str(threads), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "app:create_app()"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(f"http://127.0.0.1:{port}/healthz")
            return server
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)


def _poll_rate_on_demo_data(n_events: int, args, work: Path) -> tuple[float, int]:
    """304 answers/s of a full-detail admin feed over ``demo load --events n_events``.

    Returns the rate and the number of checklist items in the database.
    """
    import sqlalchemy as sa

    from app import create_app, demo
    from app.checklists.models import ChecklistItem
    from app.extensions import db
    from app.feeds import services
    from app.feeds.models import DetailLevel

    folder = work / f"demo-{n_events}"
    folder.mkdir()
    database = f"sqlite:///{folder / 'bench.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database, "INSTANCE_PATH": str(folder / "instance"),
           "SECRET_KEY": secrets.token_hex(16), "BASE_URL": base, "FLASK_DEBUG": "0"}
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "BASE_URL": base,
                      "SECRET_KEY": env["SECRET_KEY"], "INSTANCE_PATH": str(folder / "instance")})
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        demo.load(password="demo", n_events=n_events)
        db.session.commit()
        items = db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistItem))
        _feed, token = services.issue_token_for("admin@demo.example", DetailLevel.FULL)
        db.session.commit()
        db.engine.dispose()
    print(f"  demo load --events {n_events}: {items} checklist items "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    server = _serve(env, port, args.workers, args.threads)
    try:
        url = f"{base}/feeds/{token}.ics"
        status, _body, headers = _get(url)
        assert status == 200, status
        return _wrk(url, args.duration, {"If-None-Match": headers["ETag"]}), items
    finally:
        _stop(server)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not ended 30 s later (gthread keeps idle keep-alives)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def poll_scaling(args, work: Path) -> bool:
    """304/s with 200 vs 20,000 demo events and their checklists; prints the figures."""
    print("304 polls on the full demo data (events, checklists, briefings, notifications):",
          flush=True)
    rates = {}
    for n in SCALING_SIZES:
        rates[n], items = _poll_rate_on_demo_data(n, args, work)
        print(f"  {n} events, {items} checklist items: {rates[n]:.0f} 304/s", flush=True)
    small, large = SCALING_SIZES
    ratio = rates[small] / rates[large]
    print(f"304/s with {small} events / with {large} events: {ratio:.2f} "
          f"(floor <= {FLOORS['poll_scaling']})")
    return ratio <= FLOORS["poll_scaling"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load test")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--only", choices=["scaling"], help="run only this part")
    args = parser.parse_args()
    _ensure_tools()
    sys.path.insert(0, str(ROOT))
    from app import create_app

    work = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user
    processes = []
    if args.only == "scaling":
        try:
            scaled = poll_scaling(args, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print("ALL FLOORS MET" if scaled else "SOME FLOORS MISSED")
        return 0 if scaled else 1
    try:
        database = f"sqlite:///{work / 'bench.db'}"
        port, nginx_port = _free_port(), _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": database, "INSTANCE_PATH": str(work / "instance"),
               "SECRET_KEY": secrets.token_hex(16), "BASE_URL": base, "FLASK_DEBUG": "0"}
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "INSTANCE_PATH", "BASE_URL")})
        app = create_app({"SQLALCHEMY_DATABASE_URI": database, "BASE_URL": base,
                          "SECRET_KEY": env["SECRET_KEY"]})
        print(f"creating {args.events} events ...", flush=True)
        token = _populate(app, args.events)
        ours, reference, n, n_items = _icalendar_reference(app, token)
        print(f"cold build of {n} events and {n_items} deadlines: {ours:.2f} s; "
              f"icalendar alone: {reference:.2f} s "
              f"-> {reference / ours:.1f}x faster (floor: not slower)")

        server = _serve(env, port, args.workers, args.threads)
        processes.append(server)
        url = f"{base}/feeds/{token}.ics"
        started = time.perf_counter()
        status, body, headers = _get(url)
        first_http = time.perf_counter() - started
        assert status == 200, status
        print(f"first HTTP request (cold, {len(body) / 1e6:.1f} MB): {first_http:.2f} s")

        static = work / "static"
        static.mkdir()
        (static / "feed.ics").write_bytes(body)
        (work / "nginx.conf").write_text(f"""
worker_processes auto; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err warn;
events {{ worker_connections 256; }}
http {{
  access_log off; sendfile on; tcp_nopush on;
  types {{ text/calendar ics; }}
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  server {{ listen 127.0.0.1:{nginx_port}; root {static}; }}
}}""")
        (work / "tmp").mkdir()
        nginx = subprocess.Popen(["/usr/sbin/nginx", "-c", str(work / "nginx.conf"), "-p", str(work)])
        processes.append(nginx)
        time.sleep(0.5)
        assert _get(f"http://127.0.0.1:{nginx_port}/feed.ics")[1] == body

        nginx_rps = _wrk(f"http://127.0.0.1:{nginx_port}/feed.ics", args.duration)
        app_rps = _wrk(url, args.duration)
        rss, pss = _memory_mb(server.pid)
        print(f"warm: app {app_rps:.0f} req/s, nginx {nginx_rps:.0f} req/s at 8 connections "
              f"-> {app_rps / nginx_rps:.2f}x nginx (floor {FLOORS['warm_ratio']}x)")

        etag = headers["ETag"]
        health_rps = _wrk(base + "/healthz", args.duration)
        print(f"reference: /healthz (one trivial query) {health_rps:.0f} req/s")
        nm_rps = _wrk(url, args.duration, {"If-None-Match": etag})
        print(f"304 Not Modified: {nm_rps:.0f} req/s -> {nm_rps / FLOORS['not_modified_rps']:.2f}x "
              f"the floor of {FLOORS['not_modified_rps']}/s ({nm_rps / nginx_rps:.1f}x nginx's "
              f"full-body rate)")

        import sqlite3

        timings = []
        connection = sqlite3.connect(work / "bench.db")
        ids = [int(i) for i in re.findall(rb"UID:event-(\d+)@", body)]
        for trial in range(5):
            event_id = ids[trial * 997 % len(ids)]
            stamp = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            connection.execute("UPDATE events SET title_vi = title_vi || ' (đổi)', "
                               "sequence = sequence + 1, version = version + 1, updated_at = ? "
                               "WHERE id = ?", (stamp, event_id))
            # Raw SQL passes by the app's session events: bump the change counter as they do.
            connection.execute(BUMP_COUNTER, (stamp,))
            connection.commit()
            started = time.perf_counter()
            status, changed, _ = _get(url, {"If-None-Match": etag})
            timings.append(time.perf_counter() - started)
            assert status == 200
            assert b"(\xc4\x91\xe1\xbb\x95i)" in changed
            etag = _get(url)[2]["ETag"]
        after = statistics.median(timings)
        print(f"after one event changes: whole new feed received in {after:.3f} s median "
              f"({min(timings):.3f}-{max(timings):.3f} s over 5 changes) -> "
              f"{after / FLOORS['after_change_s']:.2f}x of the {FLOORS['after_change_s']} s floor")
        # One submission accepted (the item is done): its deadline must leave the next feed.
        item_ids = [int(i) for i in re.findall(rb"UID:item-(\d+)@", changed)]
        submission_times = []
        for trial in range(5):
            item_id = item_ids[trial * 991 % len(item_ids)]
            stamp = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            connection.execute("UPDATE checklist_items SET status = 'done', version = version + 1, "
                               "completed_at = ?, updated_at = ? WHERE id = ?",
                               (stamp, stamp, item_id))
            connection.execute(BUMP_COUNTER, (stamp,))
            connection.commit()
            started = time.perf_counter()
            status, after_submission, _ = _get(url, {"If-None-Match": etag})
            submission_times.append(time.perf_counter() - started)
            assert status == 200
            assert f"UID:item-{item_id}@".encode() not in after_submission
            etag = _get(url)[2]["ETag"]
        connection.close()
        submitted = statistics.median(submission_times)
        after = max(after, submitted)
        print(f"after one submission is accepted: new feed without that deadline in "
              f"{submitted:.3f} s median ({min(submission_times):.3f}-"
              f"{max(submission_times):.3f} s over 5) -> "
              f"{submitted / FLOORS['after_change_s']:.2f}x of the {FLOORS['after_change_s']} s floor")
        # What part of that is receiving 51 MB rather than building: the same body, cached.
        transfer = []
        for _trial in range(5):
            started = time.perf_counter()
            _get(url)
            transfer.append(time.perf_counter() - started)
        print(f"reference: the unchanged feed (cached body) received in "
              f"{statistics.median(transfer):.3f} s median; the rebuild's own share of the "
              f"above is the difference")
        rss2, pss2 = _memory_mb(server.pid)
        rss, pss = max(rss, rss2), max(pss, pss2)
        print(f"feed server memory ({args.workers} workers x {args.threads} threads + master): RSS {rss:.0f} MB, "
              f"PSS {pss:.0f} MB -> {pss / FLOORS['rss_mb']:.2f}x of the {FLOORS['rss_mb']} MB "
              f"floor (PSS: shared pages counted once)")

        for process in processes:
            _stop(process)
        processes.clear()
        scaled = poll_scaling(args, work)
        passed = (reference >= ours and app_rps >= FLOORS["warm_ratio"] * nginx_rps
                  and nm_rps >= FLOORS["not_modified_rps"] and after < FLOORS["after_change_s"]
                  and pss < FLOORS["rss_mb"] and scaled)
        print("ALL FLOORS MET" if passed else "SOME FLOORS MISSED")
        return 0 if passed else 1
    finally:
        stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
