import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app import translation_directories
from app.auth.models import User
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def test_vietnamese_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page


def test_accept_language_picks_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_the_switch_is_kept_in_the_session_before_login(client):
    response = client.post("/locale", data={"locale": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_the_switch_is_saved_on_the_user(client, login):
    user = login()
    client.post("/locale", data={"locale": "en", "next": "/"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    assert "<h1>Dashboard</h1>" in client.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)


def test_the_switch_ignores_unknown_locales_and_foreign_next(client):
    response = client.post("/locale", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


def test_dates_are_formatted_for_the_locale(client, login):
    login(locale="en")
    from datetime import datetime, timezone

    from app.timeutil import freeze
    freeze(datetime(2026, 1, 31, 20, 0, tzinfo=timezone.utc))  # 1 Feb 03:00 in Hà Nội
    assert "February 1, 2026" in client.get("/").get_data(as_text=True)
    client.post("/locale", data={"locale": "vi"})
    assert "1 tháng 2, 2026" in client.get("/").get_data(as_text=True)


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    translated = set()
    for path in translation_directories(str(ROOT / "app")):
        po = Path(path) / "vi/LC_MESSAGES/messages.po"
        if not po.exists():
            continue
        with po.open("rb") as f:
            translated |= {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f)
                           if m.id and m.string and "fuzzy" not in m.flags
                           and (isinstance(m.string, str) or all(m.string))}
    missing = sorted(wanted - translated)
    assert not missing, "run `make translations` and translate: " + "; ".join(missing[:20])
