"""Security headers on every HTML page, no inline script or style, no feed token in a log."""
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from app.auth.roles import Role
from app.extensions import db
from app.feeds import tokens as feed_tokens
from app.headers import SECURITY_HEADERS
from app.logs import redact
from tests.test_fuzz import ID_TABLES

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
E_MAIL_TEMPLATES = {"notifications/email.html"}  # read by mail clients, not under our CSP


def _check(response, url):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{url}: {name}"
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp


def test_every_html_page_carries_the_security_headers(app, client, login, make_event, make_venue):
    make_venue()
    make_event()
    login(Role.ADMIN)
    ids = {name: min((i for model in models for i in db.session.scalars(sa.select(model.id))),
                     default=1) for name, models in ID_TABLES.items()}
    pages = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not all(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        url = app.url_map.bind("localhost").build(rule.endpoint,
                                                  {a: ids.get(a, 1) for a in rule.arguments})
        response = client.get(url)
        if response.mimetype == "text/html":
            _check(response, url)
            pages += 1
    assert pages >= 35


@pytest.mark.parametrize("url", ["/login", "/", "/spokespeople/directory", "/no/such/page",
                                 "/events/"])
def test_visitors_pages_and_error_pages_carry_them_too(client, url):
    response = client.get(url)
    assert response.status_code in (200, 302, 404)
    _check(response, url)


def test_files_and_feeds_are_not_sniffed(client):
    response = client.get("/feeds/public.ics")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/static/js/app.js").headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_style():
    offending = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in E_MAIL_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)", text) or re.search(r"<style\b", text):
            offending.append(f"{name}: inline <script> or <style>")
        if re.search(r"\son[a-z]+\s*=", text):
            offending.append(f"{name}: on...= handler")
        if re.search(r"\sstyle\s*=", text):
            offending.append(f"{name}: style= attribute")
    assert offending == []


def test_every_full_page_loads_the_script(client):
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<html" in text and str(path.relative_to(TEMPLATES)) not in E_MAIL_TEMPLATES:
            assert "js/app.js" in text, path.name


# --- logs ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("GET /feeds/AbC-123_x.ics HTTP/1.1", "GET /feeds/….ics HTTP/1.1"),
    ("/feeds/AbC.ics?x=1", "/feeds/….ics?x=1"),
    ("/feeds/AbC.atom", "/feeds/….atom"),
    ("next=%2Ffeeds%2FAbC.ics", "next=%2Ffeeds%2F….ics"),
    ("/feeds/public.ics?lang=en", "/feeds/public.ics?lang=en"),
    ("/feeds/12/edit", "/feeds/12/edit"),
])
def test_redact(text, expected):
    assert redact(text) == expected


def test_a_feed_token_never_reaches_the_apps_own_log(client, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(feed_tokens, "check_token", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get("/feeds/SeCrEtToKeN0123456789.ics")
    assert response.status_code == 500
    assert "/feeds/….ics" in caplog.text
    assert "SeCrEtToKeN0123456789" not in caplog.text


def test_the_development_servers_request_log_is_redacted(app, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s -', "127.0.0.1", "02/Dec/2026",
                                           "GET /feeds/SeCrEt.ics HTTP/1.1", "200")
    assert "SeCrEt" not in caplog.text
    assert "/feeds/….ics" in caplog.text
