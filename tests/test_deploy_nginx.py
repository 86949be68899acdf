"""The deployment kit for real: Debian's nginx with deploy/nginx/ in front of gunicorn, on loopback.

nginx sends feed bodies and attachments itself (X-Accel-Redirect) once the app has checked
the request. Skipped only where nginx is not installed (.ci/run installs nginx-light).
"""
import gzip
import os
import secrets
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.models import User
from app.checklists.models import SubmissionAttachment
from app.config import TestConfig
from app.demo import DEMO_REPORT
from app.events import access
from app.events.models import Visibility
from app.extensions import db
from app.feeds.models import DetailLevel
from app.feeds.services import issue_token_for, revoke_feed
from tests.helpers import HttpSession, free_port, start_gunicorn, stop
from tools import nginx_site


def start_nginx(work: Path, instance: Path, app_base: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    conf = nginx_site.write_config(work, instance, [int(app_base.rsplit(":", 1)[1])], port)
    return nginx_site.start(work, conf, port), f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def stack(make_database, tmp_path_factory):
    if not Path(nginx_site.NGINX).exists():
        pytest.skip(f"{nginx_site.NGINX} is missing: apt-get install nginx-light (.ci/run does)")
    root = tmp_path_factory.mktemp("nginx")
    instance = root / "instance"
    uploads = instance / "uploads"
    url = make_database("nginx")
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "setup",
                        "UPLOAD_FOLDER": str(uploads), "FEED_CACHE_DIR": str(root / "setup-cache"),
                        "PASSWORD_HASH_METHOD": TestConfig.PASSWORD_HASH_METHOD})
    s = SimpleNamespace(setup=setup)
    with setup.app_context():
        upgrade()
        loaded = setup.test_cli_runner().invoke(args=["demo", "load", "--password", "demo"])
        assert loaded.exit_code == 0, loaded.output
        attachment = db.session.scalar(sa.select(SubmissionAttachment))
        event = attachment.submission.item.event
        event.visibility = Visibility.CONFIDENTIAL
        db.session.commit()
        s.attachment_id = attachment.id
        users = db.session.scalars(sa.select(User).order_by(User.email)).all()
        s.outsider = next(u.email for u in users if not access.can_view(u, event))
        _feed, s.token = issue_token_for("admin@demo.example", DetailLevel.FULL)
        revoked, s.revoked_token = issue_token_for("protocol@demo.example", DetailLevel.FULL)
        revoke_feed(revoked.owner, revoked.id)
        db.session.commit()
        db.engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "FLASK_APP": "app",
           "FLASK_DEBUG": "0", "INSTANCE_PATH": str(instance), "UPLOAD_FOLDER": str(uploads),
           "ACCEL_REDIRECT": "1", "PROXY_COUNT": "1"}
    log = open(root / "gunicorn.log", "w")  # noqa: SIM115  (closed after the yield)
    app_server, s.app_base = start_gunicorn(env, log)
    try:
        nginx, s.base = start_nginx(root, instance, s.app_base)
    except BaseException:
        stop(app_server)
        raise
    yield s
    stop(nginx)
    stop(app_server)
    log.close()


def _app_answer(stack, path: str, headers=None):
    """The same request answered by the app in this process, without X-Accel-Redirect."""
    with stack.setup.app_context():
        response = stack.setup.test_client().get(path, headers=headers or {})
        db.engine.dispose()
    return response


def test_a_private_feed_through_nginx_is_the_apps_bytes(stack):
    path = f"/feeds/{stack.token}.ics"
    status, headers, body = HttpSession(stack.base).request(path)
    assert status == 200
    assert "X-Accel-Redirect" not in headers
    direct = _app_answer(stack, path)
    assert body == direct.data
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert headers["ETag"] == direct.headers["ETag"]
    assert headers["Last-Modified"] == direct.headers["Last-Modified"]
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == direct.headers["Cache-Control"]
    # The app only named the file: nginx sent it.
    _s, app_headers, app_body = HttpSession(stack.app_base).request(path)
    assert app_headers["X-Accel-Redirect"].startswith("/_accel/feeds/")
    assert app_body == b""

    status, zipped_headers, zipped = HttpSession(stack.base).request(
        path, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert zipped_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == body


def test_a_304_passes_through_and_a_revoked_token_is_404(stack):
    client = HttpSession(stack.base)
    _s, headers, _b = client.request(f"/feeds/{stack.token}.ics")
    status, again, body = client.request(f"/feeds/{stack.token}.ics",
                                         headers={"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]
    status, _h, body = client.request(f"/feeds/{stack.revoked_token}.ics")
    assert status == 404
    assert b"VCALENDAR" not in body


def test_attachments_of_a_confidential_event_only_for_those_who_may_see_it(stack):
    path = f"/checklists/attachments/{stack.attachment_id}"
    insider = HttpSession(stack.base)
    insider.log_in("admin@demo.example", "demo")
    status, headers, body = insider.request(path)
    assert status == 200
    assert body == DEMO_REPORT
    assert headers["Content-Disposition"].startswith('attachment; filename="bao-cao-tom-tat.txt"')
    assert headers["Cache-Control"] == "private, no-store"

    outsider = HttpSession(stack.base)
    outsider.log_in(stack.outsider, "demo")
    status, headers, body = outsider.request(path)
    assert status in (403, 404)
    assert DEMO_REPORT not in body
    assert "X-Accel-Redirect" not in headers
    status, _h, body = HttpSession(stack.base).request(path)  # not logged in: to the login page
    assert status == 302
    assert DEMO_REPORT not in body


def test_the_internal_locations_are_not_reachable_from_outside(stack):
    with stack.setup.app_context():
        stored = db.session.scalar(sa.select(SubmissionAttachment.stored_name))
        db.engine.dispose()
    status, _h, body = HttpSession(stack.base).request(f"/_accel/files/checklists/{stored}")
    assert status == 404
    assert DEMO_REPORT not in body
