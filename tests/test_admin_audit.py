"""The administrators' audit log (issue 16, item 8): every change, filtered, paged without a count."""
from dataclasses import fields
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists import templates_admin
from app.checklists.models import ChecklistTemplate, TemplateChange
from app.events import services as events
from app.extensions import db
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
    from app.auth.models import User

    admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.example"))
    log_in(client, admin, "demo")
    response = client.get("/admin/audit", query_string={"kind": kind} if kind else {})
    assert response.status_code == 200
    if kind in ("", "events", "briefings", "roster"):  # the demo has changes of these kinds
        assert 'data-testid="audit"' in response.get_data(as_text=True)


def test_titles_in_the_readers_language(client, changes):
    """An English reader sees the event's English title, a Vietnamese one its Vietnamese."""
    events.create_event(changes[1], event_data(changes[1].unit_id, title_vi="Hội nghị song ngữ",
                                               title_en="Bilingual conference"))
    db.session.commit()
    assert "Hội nghị song ngữ" in _page(client, kind="events")[1]
    client.post("/locale", data={"locale": "en"})
    english = _page(client, kind="events")[1]
    assert "Bilingual conference" in english
    assert "Hội nghị song ngữ" not in english
