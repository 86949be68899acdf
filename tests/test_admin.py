import pytest
import sqlalchemy as sa

from app.auth import services as user_services
from app.auth.models import User
from app.auth.roles import Role
from app.errors import PermissionDenied
from app.extensions import db
from app.units import services as unit_services
from app.units.models import Unit, UnitKind
from tests.helpers import nothing_written

NON_ADMIN_ROLES = [r for r in Role if r is not Role.ADMIN]
ADMIN_PAGES = ["/admin/users/", "/admin/users/new", "/admin/units/", "/admin/units/new"]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_denied_to_every_other_role(client, login, role, path):
    login(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_admin_posts_are_denied_and_write_nothing(client, login, make_user, role):
    login(role)
    target = make_user()
    with nothing_written():
        response = client.post("/admin/users/new", data={
            "email": "sneaky@example.com", "name": "X", "roles": ["admin"], "unit_id": "0",
            "locale": "vi", "password": "long enough password"})
        assert response.status_code == 403
        assert client.post(f"/admin/users/{target.id}/active").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).active
    assert db.session.scalar(sa.select(User).where(User.email == "sneaky@example.com")) is None


def test_services_check_permissions_themselves(app, make_user, make_unit):
    focal = make_user(Role.FOCAL)
    data = user_services.UserData(email="x@example.com", name="X", roles={Role.ADMIN},
                                  password="long enough password")
    with nothing_written():
        with pytest.raises(PermissionDenied):
            user_services.create_user(focal, data)
        with pytest.raises(PermissionDenied):
            user_services.set_user_active(focal, focal, False)
        with pytest.raises(PermissionDenied):
            unit_services.create_unit(focal, unit_services.UnitData("u", "U", "U", UnitKind.OTHER))
    assert focal.active


def test_admin_creates_edits_and_deactivates_a_user(client, login, make_unit):
    login(Role.ADMIN)
    unit = make_unit("so-ngoai-vu")
    response = client.post("/admin/users/new", data={
        "email": "Lan@Example.com", "name": "Nguyễn Thị Lan", "title": "Chuyên viên",
        "phone": "0260", "roles": ["protocol", "spokesperson"], "unit_id": str(unit.id),
        "locale": "vi", "password": "long enough password"})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lan@example.com"))
    assert user.roles == {Role.PROTOCOL, Role.SPOKESPERSON}
    assert user.unit_id == unit.id

    response = client.post(f"/admin/users/{user.id}/edit", data={
        "email": user.email, "name": user.name, "roles": ["protocol"], "unit_id": str(unit.id),
        "locale": "en", "password": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.roles == {Role.PROTOCOL}
    assert user.check_password("long enough password")  # empty password keeps the old one

    assert client.post(f"/admin/users/{user.id}/active").status_code == 302
    db.session.expire_all()
    assert not user.active
    assert "Nguyễn Thị Lan" in client.get("/admin/users/").get_data(as_text=True)


def test_duplicate_email_re_renders_the_form_with_a_message(client, login, make_user):
    login(Role.ADMIN)
    existing = make_user()
    response = client.post("/admin/users/new", data={
        "email": existing.email.upper(), "name": "Trùng", "roles": ["viewer"], "unit_id": "0",
        "locale": "vi", "password": "long enough password"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Đã có người dùng với địa chỉ thư điện tử này." in page
    assert "Trùng" in page  # the typed input is kept


def test_user_form_rejects_bad_input_in_the_users_language(client, login):
    login(Role.ADMIN, locale="en")
    response = client.post("/admin/users/new", data={
        "email": "not-an-email", "name": "", "roles": [], "unit_id": "0", "locale": "vi",
        "password": "short"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Invalid email address." in page
    assert "Choose at least one role." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_admin_cannot_lock_themselves_out(client, login):
    admin = login(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}/active")
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_admin_manages_units_and_no_unit_sits_under_itself(client, login):
    login(Role.ADMIN)
    response = client.post("/admin/units/new", data={
        "slug": "so-vhttdl", "name_vi": "Sở Văn hóa, Thể thao và Du lịch",
        "name_en": "Department of Culture, Sports and Tourism", "kind": "department", "parent_id": "0"})
    assert response.status_code == 302
    parent = db.session.scalar(sa.select(Unit).where(Unit.slug == "so-vhttdl"))
    client.post("/admin/units/new", data={"slug": "phong-bao-chi", "name_vi": "Phòng Báo chí",
                                          "name_en": "Press Office", "kind": "other",
                                          "parent_id": str(parent.id)})
    child = db.session.scalar(sa.select(Unit).where(Unit.slug == "phong-bao-chi"))
    assert child.parent_id == parent.id
    response = client.post(f"/admin/units/{parent.id}/edit", data={
        "slug": "so-vhttdl", "name_vi": parent.name_vi, "name_en": parent.name_en,
        "kind": "department", "parent_id": str(child.id)})
    assert "Một đơn vị không thể trực thuộc chính nó." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Unit, parent.id).parent_id is None


def test_duplicate_unit_slug_is_refused(client, login, make_unit):
    login(Role.ADMIN)
    make_unit("bao-qng")
    response = client.post("/admin/units/new", data={
        "slug": "bao-qng", "name_vi": "Báo", "name_en": "Paper", "kind": "media", "parent_id": "0"})
    assert "Tên viết tắt này đã được đơn vị khác sử dụng." in response.get_data(as_text=True)


def test_deactivated_unit_is_no_longer_offered(client, login, make_unit):
    login(Role.ADMIN)
    unit = make_unit("old-unit", name_vi="Đơn vị cũ")
    client.post(f"/admin/units/{unit.id}/active")
    assert "Đơn vị cũ</option>" not in client.get("/admin/users/new").get_data(as_text=True)
    assert "Đơn vị cũ" in client.get("/admin/units/").get_data(as_text=True)


@pytest.mark.parametrize("fields", [{"roles": ["focal"]}, {"roles": ["spokesperson"]},
                                    {"roles": ["viewer"], "is_unit_head": "y"}])
def test_a_unit_role_needs_a_unit_and_nothing_is_written(client, login, fields):
    login(Role.ADMIN)
    with nothing_written():
        response = client.post("/admin/users/new", data={
            "email": "dau-moi@example.gov.vn", "name": "Đầu mối", "unit_id": "0", "locale": "vi",
            "password": "long enough password", **fields})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "thuộc một đơn vị" in page
    assert "Đầu mối" in page
