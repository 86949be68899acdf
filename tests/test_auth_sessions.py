"""Sessions end on the server: a copied cookie stops working after logout or a new password."""
import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from tests.helpers import PASSWORD, log_in


def logged_in(client) -> bool:
    return 'data-testid="logout"' in client.get("/").get_data(as_text=True)


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return thief


def test_a_copied_cookie_stops_working_after_logout(app, client, make_user):
    user = make_user()
    log_in(client, user)
    thief = copy_of(app, client)
    assert logged_in(thief)
    assert client.post("/logout").status_code == 302
    assert not logged_in(thief)
    assert thief.get("/events/").status_code == 302  # back to the login page
    assert log_in(client, user).status_code == 302  # the owner simply logs in again


def test_a_copied_cookie_stops_working_after_a_password_change(app, client, make_user):
    user = make_user()
    log_in(client, user)
    thief = copy_of(app, client)
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "a new long password", "confirm": "a new long password"})
    assert response.status_code == 302
    assert logged_in(client)  # the session that changed it goes on
    assert not logged_in(thief)
    client.post("/logout")
    assert log_in(client, user).status_code == 200  # the old password is gone
    assert log_in(client, user, "a new long password").status_code == 302


def test_a_password_set_by_an_administrator_ends_the_users_sessions(app, client, make_user):
    user = make_user(Role.FOCAL)
    log_in(client, user)
    admin_client = app.test_client()
    admin = make_user(Role.ADMIN)
    log_in(admin_client, admin)
    response = admin_client.post(f"/admin/users/{user.id}/edit", data={
        "email": user.email, "name": user.name, "roles": ["focal"], "unit_id": str(user.unit_id),
        "locale": "vi", "password": "set by the admin"})
    assert response.status_code == 302
    assert not logged_in(client)
    assert logged_in(admin_client)


def test_an_administrator_changing_their_own_password_stays_logged_in(app, client, make_user):
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "email": admin.email, "name": admin.name, "roles": ["admin"],
        "unit_id": str(admin.unit_id), "locale": "vi", "password": "my own new password"})
    assert response.status_code == 302
    assert logged_in(client)


def test_a_wrong_current_password_changes_nothing(client, make_user):
    user = make_user()
    log_in(client, user)
    version, digest = user.session_version, user.password_hash
    page = client.post("/account/password", data={"current": "wrong", "new": "long enough pw",
                                                   "confirm": "long enough pw"})
    assert "Mật khẩu hiện tại không đúng." in page.get_data(as_text=True)
    page = client.post("/account/password", data={"current": PASSWORD, "new": "long enough pw",
                                                   "confirm": "other password"})
    assert "Hai lần nhập mật khẩu mới không khớp nhau." in page.get_data(as_text=True)
    db.session.expire_all()
    assert (user.session_version, user.password_hash) == (version, digest)
    assert logged_in(client)


def test_a_cookie_from_before_session_versions_is_logged_out(app, client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what cookies held before this release
        session["_fresh"] = True
    assert not logged_in(client)


def test_logging_out_ends_every_session_of_the_user(app, client, make_user):
    user = make_user()
    log_in(client, user)
    other_device = app.test_client()
    log_in(other_device, user)
    client.post("/logout")
    assert not logged_in(other_device)
    assert db.session.scalar(sa.select(User.session_version).where(User.id == user.id)) == 2
