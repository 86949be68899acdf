import re
from datetime import UTC

from babel.messages.catalog import Catalog
from flask_babel import force_locale

from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.i18n import _, _p
from tools import translate


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
    from datetime import datetime

    from app.timeutil import freeze
    freeze(datetime(2026, 1, 31, 20, 0, tzinfo=UTC))  # 1 Feb 03:00 in Hà Nội
    assert "1 February 2026" in client.get("/").get_data(as_text=True)  # day month year
    client.post("/locale", data={"locale": "vi"})
    assert "1 tháng 2, 2026" in client.get("/").get_data(as_text=True)


def test_every_string_in_the_code_has_a_vietnamese_translation():
    missing = sorted(translate.missing())
    assert not missing, "run `make translations` and translate: " + "; ".join(missing[:20])


def test_no_string_has_conflicting_fuzzy_or_empty_translations():
    assert translate.problems(translate.all_catalogs()) == []


def test_the_check_finds_conflicts_across_catalogs_fuzzy_and_empty_entries(tmp_path):
    one, other = tmp_path / "one.po", tmp_path / "other.po"
    translate.write(one, _catalog(("Accept", "Tiếp nhận", None), ("Show", "Xem", None),
                                  ("Draft", "", None)))
    translate.write(other, _catalog(("Accept", "Nhận", None), ("Show", "Xem", None),
                                    ("Accept", "Nhận", "assignment")))
    fuzzy = _catalog(("Event", "Sự kiện", None))
    fuzzy.get("Event").flags.add("fuzzy")
    translate.write(tmp_path / "fuzzy.po", fuzzy)
    found = translate.problems([one, other, tmp_path / "fuzzy.po"])
    assert len(found) == 3, found
    assert "'Accept' has 2 translations" in found[2]  # "Show" agrees; contexts differ
    assert "no translation for 'Draft'" in found[0]
    assert "fuzzy 'Event'" in found[1]


def test_a_feature_catalog_from_another_branch_is_folded_in_unless_it_contradicts(tmp_path):
    stray = tmp_path / "stray.po"
    translate.write(stray, _catalog(("Show", "Xem", None), ("Accept", "Nhận", "assignment")))
    catalog = _catalog(("Show", "Xem", None))
    assert translate.fold_in(catalog, [stray]) == []
    assert catalog.get("Accept", "assignment").string == "Nhận"
    translate.write(stray, _catalog(("Show", "Hiển thị", None)))
    assert translate.fold_in(catalog, [stray]) == [
        f"'Show': 'Xem' here, 'Hiển thị' in {stray}"]


def test_the_catalog_is_in_the_merge_friendly_format(tmp_path):
    """Sorted, no line numbers, no dates: written again, it is byte for byte the same."""
    text = translate.CATALOG.read_text(encoding="utf-8")
    assert "POT-Creation-Date" not in text
    assert not re.search(r"^#: .*:\d", text, re.M)
    translate.write(tmp_path / "again.po", translate.read(translate.CATALOG))
    assert (tmp_path / "again.po").read_text(encoding="utf-8") == text
    assert not translate.feature_catalogs(), "`make translations` folds them into the catalog"


def test_one_english_string_keeps_each_of_its_meanings(app, client, login):
    with force_locale("vi"):
        assert (_p("submission", "Accept"), _p("assignment", "Accept")) == ("Tiếp nhận", "Nhận")
        assert (_("From"), _p("time", "From")) == ("Từ ngày", "Từ")
    login(Role.ADMIN)
    template_form = client.get("/admin/checklist-templates/new").get_data(as_text=True)
    assert "Tiêu đề tiếng Anh" in template_form
    assert "Tên sự kiện" not in template_form
    assert "Tên sự kiện (tiếng Anh)" in client.get("/events/new").get_data(as_text=True)


def test_the_test_setup_compiled_the_catalog():
    """A bare ``pytest`` on a fresh clone shows translated pages: conftest compiles."""
    mo = translate.CATALOG.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_mtime >= translate.CATALOG.stat().st_mtime


def _catalog(*entries) -> Catalog:
    catalog = Catalog(locale="vi")
    for msgid, msgstr, context in entries:
        catalog.add(msgid, msgstr, context=context)
    return catalog
