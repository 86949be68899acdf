"""The administrators' audit log (issue 16, item 8): every change, filtered, paged without a count."""
import re
from dataclasses import fields
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import services as auth
from app.auth.models import User
from app.auth.roles import Role
from app.checklists import templates_admin
from app.checklists.models import ChecklistTemplate, ResponsibleRole, TemplateChange
from app.events import services as events
from app.events.models import Event
from app.extensions import db
from app.main.audit import FIELDS_SHOWN
from app.settings import services as settings
from app.timeutil import utcnow
from tests.fixtures_events import event_data
from tests.helpers import log_in


@pytest.fixture(name="changes")
def changes_fixture(client, make_user, templates):
    """An admin's day: a user created, a setting changed, a template edited, an event created."""
    admin = make_user(Role.ADMIN, name="Quản trị Nguyễn")
    protocol = make_user(Role.PROTOCOL, name="Lễ tân Trần")
    log_in(client, admin)
    client.post("/admin/users/new", data={
        "email": "moi@example.com", "name": "Người dùng Mới", "roles": ["viewer"],
        "locale": "vi", "unit_id": "0", "password": "mật khẩu dài đủ"})
    settings.update(admin, "press.notice_lead_hours", value="48", legal_basis="Luật Báo chí 2016",
                    verified=True, note="")
    template = db.session.scalars(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
    data = templates_admin.TemplateData(**{f.name: getattr(template, f.name)
                                           for f in fields(templates_admin.TemplateData)})
    data.title_vi = "Đăng ký sự kiện vào kế hoạch (sửa)"
    templates_admin.update_template(admin, template, data)
    events.create_event(protocol, event_data(protocol.unit_id, title_vi="Hội nghị kiểm tra nhật ký"))
    db.session.commit()
    return admin, protocol


def _page(client, **args):
    """The status and the table of changes (not the filter menus, which name everyone)."""
    response = client.get("/admin/audit", query_string=args)
    html = response.get_data(as_text=True)
    return response.status_code, html.split('data-testid="audit"')[-1] if \
        'data-testid="audit"' in html else ""


def test_the_audit_log_lists_every_kind_of_change(client, changes):
    code, html = _page(client)
    assert code == 200
    for text in ("Người dùng Mới", "Hội nghị kiểm tra nhật ký", "Đăng ký sự kiện vào kế hoạch (sửa)",
                 "48", "Quản trị Nguyễn", "Lễ tân Trần"):
        assert text in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TemplateChange)) == 1


def test_filters_by_kind_person_and_dates(client, changes):
    admin, protocol = changes
    _code, users = _page(client, kind="users")
    assert "Người dùng Mới" in users
    assert "Hội nghị kiểm tra nhật ký" not in users
    _code, theirs = _page(client, user=protocol.id)
    assert "Hội nghị kiểm tra nhật ký" in theirs
    assert "Người dùng Mới" not in theirs
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    _code, later = _page(client, **{"from": tomorrow})
    assert later == ""  # no table


def test_pages_without_a_total(app, client, changes):
    app.config["PAGE_SIZE"] = 2
    _code, first = _page(client)
    assert 'rel="next"' in first
    _code, second = _page(client, page=2)
    assert 'rel="prev"' in second
    assert first.split("</table>")[0].count("<tr>") - 1 == 2  # header row aside


def test_bad_filters_are_a_400_and_others_are_refused(client, changes, make_user):
    assert _page(client, kind="nope")[0] == 400
    assert _page(client, **{"from": "2026-12-10", "to": "2026-12-01"})[0] == 400
    assert _page(client, user="99999999999999")[0] == 200  # an impossible id is ignored
    client.post("/logout")
    log_in(client, make_user(Role.PROTOCOL))
    assert client.get("/admin/audit").status_code == 403


@pytest.mark.parametrize("kind", ["", "events", "briefings", "roster", "templates", "users",
                                  "settings"])
def test_every_kind_reads_on_the_demo_data(demo_app, client, kind):
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.example"))
    log_in(client, admin, "demo")
    response = client.get("/admin/audit", query_string={"kind": kind} if kind else {})
    assert response.status_code == 200
    if kind in ("", "events", "briefings", "roster"):  # the demo has changes of these kinds
        assert 'data-testid="audit"' in response.get_data(as_text=True)


# --- which fields changed, by their labels, old → new in words -----------------------------

def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(name="edits")
def edits_fixture(changes, make_unit):
    """Changes of fields whose values are codes.

    A user's roles and language, an event's kind and lead unit, a template's responsible role
    and box, a unit setting and a verified flag.
    """
    admin, protocol = changes
    press = make_unit("ban-bao-chi", name_vi="Ban Báo chí", name_en="Press Office")
    make_unit("ban-tgdv", name_vi="Ban Tuyên giáo và Dân vận", name_en="Propaganda Commission")
    user = db.session.scalar(sa.select(User).where(User.email == "moi@example.com"))
    auth.update_user(admin, user, auth.UserData(
        email=user.email, name=user.name, roles={Role.PROTOCOL, Role.VIEWER}, unit_id=press.id,
        locale="en"))
    event = db.session.scalar(sa.select(Event).where(Event.title_vi == "Hội nghị kiểm tra nhật ký"))
    events.update_event(protocol, event, event_data(
        press.id, title_vi=event.title_vi, kind="cultural", visibility="public"), event.version)
    template = db.session.scalars(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
    data = templates_admin.TemplateData(**{f.name: getattr(template, f.name)
                                           for f in fields(templates_admin.TemplateData)})
    data.role, data.requires_submission = ResponsibleRole.PRESS_LIAISON, not template.requires_submission
    templates_admin.update_template(admin, template, data)
    settings.update(admin, "organisation.propaganda_unit", value="ban-bao-chi", legal_basis="",
                    verified=False, note="")
    settings.update(admin, "press.notice_lead_hours", value="48", legal_basis="Luật Báo chí 2016",
                    verified=False, note="")
    db.session.commit()
    return admin


def test_each_row_lists_the_changed_fields_by_label_old_to_new_in_words(client, edits):
    code, html = _page(client)
    assert code == 200
    text = _words(html)
    for shown in ("Vai trò: Người xem → ", "Ngôn ngữ: Tiếng Việt → English", "→ Ban Báo chí",
                  "Loại: Sự kiện chính trị → Sự kiện văn hóa",
                  "Phạm vi hiển thị: Nội bộ → Công khai",
                  "Đơn vị chủ trì: ", "Chịu trách nhiệm: ", "→ Liên lạc báo chí",
                  "Phải gửi thông tin: ", "Đã xác minh: có → không",
                  "Giá trị: Ban Tuyên giáo và Dân vận → Ban Báo chí"):
        assert shown in text, shown
    for code_ in ("viewer", "protocol", "cultural", "public", "internal", "press_liaison",
                  "ban-bao-chi", "ban-tgdv", "true", "false", "trường đã thay đổi"):
        assert code_ not in text, code_


def test_a_row_shows_a_few_fields_and_counts_the_rest(client, edits):
    _code, html = _page(client, kind="templates")
    first = html.split("<tr>")[2]  # the template's change: two fields, both shown
    assert first.count("<li>") == 2
    _code, html = _page(client, kind="users")
    created = html.split("<tr>")[-1]  # the oldest: every field of the new account
    assert created.count("<li>") == FIELDS_SHOWN
    assert re.search(r"\+\d+ trường khác", _words(created))


def test_fields_in_english(client, edits):
    edits.locale = "en"
    db.session.commit()
    text = _words(_page(client)[1])
    for shown in ("Roles: Viewer → ", "Language: Tiếng Việt → English", "→ Press Office",
                  "Visibility: Internal → Public", "Verified: yes → no"):
        assert shown in text, shown


def test_titles_in_the_readers_language(client, changes):
    """An English reader sees the event's English title, a Vietnamese one its Vietnamese.

    (The row's changed fields still show the Vietnamese title as the value it was given.)
    """
    events.create_event(changes[1], event_data(changes[1].unit_id, title_vi="Hội nghị song ngữ",
                                               title_en="Bilingual conference"))
    db.session.commit()
    assert ">Hội nghị song ngữ</a>" in _page(client, kind="events")[1]
    client.post("/locale", data={"locale": "en"})
    english = _page(client, kind="events")[1]
    assert ">Bilingual conference</a>" in english
    assert ">Hội nghị song ngữ</a>" not in english


def test_a_title_with_no_english_is_marked_vietnamese_for_an_english_reader(client, changes):
    events.create_event(changes[1], event_data(changes[1].unit_id, title_vi="Hội nghị một ngữ",
                                               title_en=""))
    db.session.commit()
    client.post("/locale", data={"locale": "en"})
    assert '<span lang="vi">Hội nghị một ngữ</span></a>' in _page(client, kind="events")[1]
