"""Benchmark: a 10,000-event private feed through nginx with X-Accel-Redirect vs nginx static.

    .venv/bin/python -m bench.accel [--events 10000] [--duration 10] [--rounds 3] [--workers 2]

One run, one nginx (the production locations of deploy/nginx/, tools/nginx_site.py) in front
of gunicorn with ACCEL_REDIRECT=1: the app checks the token and the validators and names the
cached body; nginx sends it. The reference is the same nginx serving the identical bytes as
a static file. Floor: warm requests/s >= 0.9x the static rate (wrk, 8 connections).
Installs Debian's nginx-light and wrk when missing (benchmark only).
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.feeds import _ensure_tools, _free_port, _get, _populate, _wrk, stop_all

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 0.9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load test")
    parser.add_argument("--rounds", type=int, default=3, help="alternating static/X-Accel rounds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    args = parser.parse_args()
    _ensure_tools()
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from tools import nginx_site

    work = Path(tempfile.mkdtemp(prefix="bench-accel-"))
    work.chmod(0o755)
    processes: list[subprocess.Popen] = []
    try:
        instance = work / "instance"
        database = f"sqlite:///{work / 'bench.db'}"
        port, nginx_port = _free_port(), _free_port()
        base = f"http://127.0.0.1:{nginx_port}"
        env = {**os.environ, "DATABASE_URL": database, "INSTANCE_PATH": str(instance),
               "SECRET_KEY": secrets.token_hex(16), "BASE_URL": base, "FLASK_DEBUG": "0",
               "ACCEL_REDIRECT": "1", "PROXY_COUNT": "1"}
        app = create_app({"SQLALCHEMY_DATABASE_URI": database, "BASE_URL": base,
                          "SECRET_KEY": env["SECRET_KEY"]})
        print(f"creating {args.events} events ...", flush=True)
        token = _populate(app, args.events)
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-k", "gthread",
             "--threads", str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "app:create_app()"], env=env, cwd=ROOT))
        static = work / "static-feed.ics"
        conf = nginx_site.write_config(
            work, instance, [port], nginx_port,
            extra=f"location = /static-feed.ics {{ alias {static}; }}")
        static.write_bytes(b"")
        processes.append(nginx_site.start(work, conf, nginx_port))
        url = f"{base}/feeds/{token}.ics"
        for _ in range(300):  # gunicorn may still be starting
            status, body, headers = _get(url)
            if status == 200:
                break
            subprocess.run(["sleep", "0.2"], check=True)
        assert status == 200, status
        static.write_bytes(body)
        assert _get(f"{base}/static-feed.ics")[1] == body
        print(f"feed: {len(body) / 1e6:.1f} MB, ETag {headers['ETag']}")

        # Alternating rounds, so that a change of the machine's load hits both alike.
        static_runs, accel_runs = [], []
        for _ in range(args.rounds):
            static_runs.append(_wrk(f"{base}/static-feed.ics", args.duration))
            accel_runs.append(_wrk(url, args.duration))
        static_rps, accel_rps = sum(static_runs) / args.rounds, sum(accel_runs) / args.rounds
        ratio = accel_rps / static_rps
        print("nginx static: " + ", ".join(f"{r:.0f}" for r in static_runs) + " req/s; through the "
              "app with X-Accel-Redirect: " + ", ".join(f"{r:.0f}" for r in accel_runs) + " req/s")
        print(f"mean {accel_rps:.1f} vs {static_rps:.1f} req/s -> {ratio:.2f}x (floor {FLOOR}x)")
        print("FLOOR MET" if ratio >= FLOOR else "FLOOR MISSED")
        return 0 if ratio >= FLOOR else 1
    finally:
        stop_all(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
