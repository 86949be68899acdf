"""/admin/settings: administrators only, grouped, checked by type, every change in the history."""
import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.extensions import db
from app.settings import services
from app.settings.models import DomainSetting, SettingChange

NOTICE = "/admin/settings/press.notice_lead_hours"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_page_shows_groups_values_bases_and_verified_badges(client, login):
    services.seed()
    db.session.commit()
    login(Role.ADMIN)
    page = client.get("/admin/settings/").get_data(as_text=True)
    assert 'id="group-press"' in page
    assert 'id="group-organisation"' in page
    assert "Thông báo bằng văn bản cho cơ quan quản lý nhà nước về báo chí" in page
    assert "Luật Báo chí 2016, khoản 3 Điều 41" in page
    assert "đã xác minh" in page
    assert 'href="/admin/settings/press.notice_lead_hours"' in page
    assert "Chưa có thay đổi nào." in page
    assert 'href="/admin/settings/"' in client.get("/").get_data(as_text=True)  # in the menu


def test_an_unverified_rule_is_shown_as_such(client, login):
    services.change("press.notice_lead_hours", verified=False)
    db.session.commit()
    login(Role.ADMIN)
    page = client.get("/admin/settings/").get_data(as_text=True)
    row = page.split('data-key="press.notice_lead_hours"')[1].split("</tr>")[0]
    assert "chưa xác minh" in row


def test_an_admin_edits_value_basis_and_flag_and_the_history_shows_it(client, login):
    admin = login(Role.ADMIN, name="Trần Quốc Bảo")
    form = client.get(NOTICE).get_data(as_text=True)
    assert 'value="24"' in form
    assert "Luật Báo chí 2016, khoản 3 Điều 41" in form
    response = client.post(NOTICE, data={"value": "48", "legal_basis": "Quy chế của tỉnh",
                                         "verified": "", "note": "Tỉnh yêu cầu 48 giờ"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/settings/#group-press")
    db.session.expire_all()
    row = db.session.get(DomainSetting, "press.notice_lead_hours")
    assert (row.value, row.legal_basis, row.verified, row.updated_by_id) == (
        "48", "Quy chế của tỉnh", False, admin.id)
    page = client.get("/admin/settings/").get_data(as_text=True)
    assert "Đã lưu thiết lập" in page
    history = page.split('data-testid="setting-changes"')[1]
    assert "Trần Quốc Bảo" in history
    assert "24 → 48" in history
    assert "có → không" in history
    assert "Luật Báo chí 2016, khoản 3 Điều 41 → Quy chế của tỉnh" in history
    assert "24 → 48" in client.get(NOTICE).get_data(as_text=True)  # the setting's own history


@pytest.mark.parametrize(("value", "message"), [
    ("24 giờ", "Nhập một số nguyên"),
    ("0", "Nhập một số từ 1 đến 887184"),  # at most the app's span of years, in hours
    ("", "Trường này là bắt buộc"),
])
def test_a_bad_value_is_refused_in_vietnamese_and_nothing_is_saved(client, login, value, message):
    login(Role.ADMIN)
    response = client.post(NOTICE, data={"value": value, "legal_basis": "x", "verified": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="field has-error"' in page
    assert message in page
    assert f'value="{value}"' in page  # the input is kept
    assert _count(DomainSetting) == 0
    assert _count(SettingChange) == 0


def test_a_time_of_day_and_a_unit_are_checked_too(client, login, make_unit):
    login(Role.ADMIN)
    page = client.post("/admin/settings/press.proposed_start", data={"value": "25:00"})
    assert "HH:MM" in page.get_data(as_text=True)
    page = client.post("/admin/settings/organisation.ppc_unit", data={"value": "khong-co"})
    assert "Không có đơn vị nào có tên viết tắt khong-co" in page.get_data(as_text=True)
    assert _count(DomainSetting) == 0
    make_unit("khong-co")
    assert client.post("/admin/settings/organisation.ppc_unit",
                       data={"value": "khong-co"}).status_code == 302


def test_an_unknown_setting_is_not_found(client, login):
    login(Role.ADMIN)
    assert client.get("/admin/settings/press.nothing").status_code == 404
    assert client.post("/admin/settings/press.nothing", data={"value": "1"}).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_every_other_role_is_refused_and_writes_nothing(client, login, role):
    login(role)
    assert client.get("/admin/settings/").status_code == 403
    assert client.get(NOTICE).status_code == 403
    assert client.post(NOTICE, data={"value": "1", "legal_basis": "", "note": ""}).status_code == 403
    assert _count(DomainSetting) == 0
    assert _count(SettingChange) == 0
    assert 'href="/admin/settings/"' not in client.get("/").get_data(as_text=True)


def test_visitors_are_sent_to_the_login_page(client):
    response = client.post(NOTICE, data={"value": "1"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert _count(DomainSetting) == 0


def test_the_page_flags_a_stored_value_that_no_longer_parses(client, login):
    db.session.add(DomainSetting(key="press.notice_lead_hours", value="soon"))
    db.session.commit()
    login(Role.ADMIN)
    page = client.get("/admin/settings/").get_data(as_text=True)
    row = page.split('data-key="press.notice_lead_hours"')[1].split("</tr>")[0]
    assert "<strong>24</strong>" in row
    assert "không hợp lệ" in row
