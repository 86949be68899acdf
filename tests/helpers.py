"""Plain helpers shared by the test modules (fixtures live in conftest and tests/fixtures_*)."""
import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from app.auth.models import User
from app.extensions import db

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parent.parent  # the repository


def log_in(client, user: User, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def log_in_page(page, base: str, email: str, password: str = "demo") -> None:
    """Log a Playwright page in on the live server (the demo's password by default)."""
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")


def count(model, *where) -> int:
    """Rows of ``model`` (matching ``where``): denial tests compare it before and after."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def table_counts() -> dict[str, int]:
    """Rows in every table, in one query."""
    tables = db.metadata.sorted_tables
    row = db.session.execute(sa.select(*(
        sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name)
        for t in tables))).one()
    return dict(row._mapping)


@contextmanager
def nothing_written():
    """Asserts that the block adds or deletes no row in any table: for denials.

    Counted in the test's session, which requests share, so rows a request or a service
    flushed and left uncommitted count as written too.
    """
    before = table_counts()
    yield
    after = table_counts()
    assert after == before, {t: (before[t], n) for t, n in after.items() if n != before[t]}


class FreshRequestClient(FlaskClient):
    """A test client whose requests don't inherit per-request caches from each other.

    The ``app`` fixture keeps one app context pushed so tests can use the
    database; Flask reuses it for every request, and with it ``g``, where
    Flask-Login caches the user and Flask-Babel the locale. In production each
    request has its own context, so drop those caches (and the domain settings read
    by ``app.settings.setting``) around each request.
    """

    def open(self, *args, **kwargs):
        _drop_request_caches()
        try:
            return super().open(*args, **kwargs)
        finally:
            _drop_request_caches()


def _drop_request_caches():
    if g:
        for key in ("_login_user", "_flask_babel", "_domain_settings"):
            g.pop(key, None)


# --- real servers on loopback (gunicorn, nginx) -------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log_name: str, seconds: float = 60) -> None:
    """Poll ``url`` until it answers 200; fail if the process died or time ran out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {log_name}") from None
            time.sleep(0.2)


def start_gunicorn(env: dict, log, workers: int = 2, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Gunicorn with the production settings on a loopback port; returns (process, base URL)."""
    port = port or free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "app:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/healthz", server, log.name)
    return server, base


def stop(process: subprocess.Popen) -> None:
    """Ask to stop; after 30 s (a loaded machine), insist."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class HttpSession:
    """A plain HTTP client with cookies (no redirects followed) for servers on loopback."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies),
                                                  _NoRedirect())

    def request(self, path: str, data=None, headers: dict | None = None):
        """(status, headers, body) of one request; POST when ``data`` is given.

        ``data``: a dict or list of pairs (form-encoded), or bytes sent as they are.
        """
        body = data if isinstance(data, bytes) or data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_in(self, email: str, password: str) -> None:
        _status, _headers, page = self.request("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        status, _headers, _body = self.request("/login", {
            "csrf_token": token.group(1).decode(), "email": email, "password": password})
        assert status == 302, f"login of {email} failed ({status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

