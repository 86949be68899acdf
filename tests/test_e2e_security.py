"""The production server and a real browser.

gunicorn's access log never holds a feed token, and the pages work under the
Content-Security-Policy without a single violation.
"""
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.press.models import Briefing
from tests.helpers import ROOT


def _feed_url(live_server) -> str:
    """A new private feed of the demo viewer, issued by the CLI (the only time its token shows)."""
    env = {**os.environ, "DATABASE_URL": live_server.database_url, "BASE_URL": str(live_server),
           "FLASK_APP": "app", "SECRET_KEY": "e2e"}
    out = subprocess.run([sys.executable, "-m", "flask", "feeds", "token", "viewer@demo.example"],
                         env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return re.search(r"https?://\S+/feeds/\S+\.ics", out).group(0)


def test_the_access_log_shows_feed_paths_without_their_token(live_server):
    url = _feed_url(live_server)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        assert b"BEGIN:VCALENDAR" in response.read()
    with urllib.request.urlopen(url + "?probe=1", timeout=30) as response:
        assert response.status == 200
    deadline = time.monotonic() + 10
    while "/feeds/….ics?probe=1" not in live_server.log_path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the access log did not show the request"
        time.sleep(0.2)
    log = live_server.log_path.read_text(encoding="utf-8")
    assert token not in log
    assert re.search(r'"GET /feeds/….ics HTTP/1\.1" 200', log)


@pytest.mark.browser
def test_pages_work_under_the_content_security_policy(live_server, page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url, "TESTING": True,
                      "SECRET_KEY": "e2e"})
    with app.app_context():
        briefing_id = db.session.scalar(sa.select(sa.func.min(Briefing.id)))
        db.engine.dispose()

    page.goto(live_server + "/login")
    page.fill("input[name=email]", "admin@demo.example")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=logout]")
    for path in ("/", "/events/", "/calendar", "/calendar?view=week", "/tasks", "/notifications",
                 "/feeds/", "/spokespeople/", "/briefings/", "/admin/users/"):
        page.goto(live_server + path)
        page.wait_for_load_state("load")

    # A select that submits its form on change (data-submit-on-change, static/js/app.js).
    page.goto(f"{live_server}/spokespeople/briefings/{briefing_id}")
    select = page.locator("select[data-submit-on-change]")
    other = select.locator("option:not([selected])").first.get_attribute("value")
    with page.expect_navigation():
        select.select_option(other)
    assert f"unit_id={other}" in page.url

    # A print button (data-print) and a field that selects itself on focus.
    page.goto(live_server + "/calendar/print")
    assert page.locator("button[data-print]").count() == 1
    page.goto(live_server + "/feeds/new")
    page.fill("input[name=name]", "Lịch kiểm thử CSP")
    page.click("button[type=submit].primary")
    field = page.locator("[data-testid=feed-url]")
    field.focus()
    selected = page.evaluate("() => { const f = document.activeElement;"
                             " return f.selectionEnd - f.selectionStart === f.value.length; }")
    assert selected
    assert violations == []
