"""Login time: a known account with a wrong password, an unknown address, the right password.

An unknown account must not answer faster (it would tell which exist).

    .venv/bin/python -m bench.login                      # SQLite (temporary file)
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.login

The production hash (``User.set_password``), the Flask test client, POST /login; each
attempt from a new address and with the throttling counters cleared, so every attempt
checks a password. Floor: unknown / known-wrong between 0.8 and 1.25.
"""
import os
import statistics
import tempfile
import time

import sqlalchemy as sa

from app import create_app
from app.auth.models import LoginThrottle, User
from app.auth.roles import Role
from app.config import Config, normalise_database_url
from app.extensions import db
from app.units.models import Unit, UnitKind
from bench.events import _database

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
FLOOR = (0.8, 1.25)


def _attempt_ms(client, email: str, password: str, expect: int, n: int) -> float:
    db.session.execute(sa.delete(LoginThrottle))
    db.session.commit()
    start = time.perf_counter()
    response = client.post("/login", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": f"10.9.{n // 250}.{n % 250}"})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == expect, response.status_code
    if expect == 302:
        client.post("/logout")
    return elapsed


def _medians(client) -> dict[str, float]:
    """The three kinds of attempt in turn, so that a change in the machine's load hits all."""
    kinds = {"wrong": ("known@example.com", "wrong", 200),
             "unknown": ("nobody@example.com", "wrong", 200),
             "right": ("known@example.com", "the right password", 302)}
    times = {kind: [] for kind in kinds}
    for n in range(RUNS):
        for kind, (email, password, expect) in kinds.items():
            times[kind].append(_attempt_ms(client, email, password, expect, n))
    return {kind: statistics.median(values) for kind, values in times.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database("login", tmp)

        class BenchConfig(Config):
            SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
            SECRET_KEY = "bench"
            WTF_CSRF_ENABLED = False

        app = create_app(BenchConfig)
        try:
            with app.app_context():
                db.create_all()
                user = User(email="known@example.com", name="Known", role_rows=[],
                            unit=Unit(slug="u", name_vi="Đơn vị", name_en="Unit",
                                      kind=UnitKind.DEPARTMENT))
                user.roles = {Role.VIEWER}
                user.set_password("the right password")
                db.session.add(user)
                db.session.commit()
                medians = _medians(app.test_client())
                db.session.remove()
                db.engine.dispose()
        finally:
            drop()
    ratio = medians["unknown"] / medians["wrong"]
    print(f"login, median of {RUNS} ({url.split(':')[0]}): known account, wrong password "
          f"{medians['wrong']:.0f} ms; unknown account {medians['unknown']:.0f} ms (ratio "
          f"{ratio:.2f}, floor {FLOOR[0]}-{FLOOR[1]}); right password {medians['right']:.0f} ms")
    if not FLOOR[0] <= ratio <= FLOOR[1]:
        raise SystemExit("an unknown account answers at a different speed")


if __name__ == "__main__":
    main()
