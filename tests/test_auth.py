
import pytest
import sqlalchemy as sa

from app.auth.models import LoginAttempt, User
from app.auth.roles import Role
from app.auth.routes import is_safe_next
from app.config import Config
from app.extensions import db
from tests.helpers import PASSWORD, log_in


def logged_in(client) -> bool:
    return 'data-testid="logout"' in client.get("/").get_data(as_text=True)


def test_login_with_right_password_reaches_the_dashboard(client, make_user):
    user = make_user(Role.PROTOCOL)
    response = log_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert user.name in page


def test_password_is_hashed_with_a_current_algorithm(make_user):
    user = make_user()
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_production_hashes_with_scrypt_and_tests_with_the_configured_method(app, make_user):
    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    assert make_user().password_hash.startswith("pbkdf2:sha256:1$")  # TestConfig's cheap one
    app.config["PASSWORD_HASH_METHOD"] = Config.PASSWORD_HASH_METHOD
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong")


def test_wrong_password_shows_a_clear_message_in_vietnamese(client, make_user):
    user = make_user()
    response = log_in(client, user, "wrong")
    assert response.status_code == 200
    assert "Sai địa chỉ thư điện tử hoặc mật khẩu." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_email_is_matched_case_insensitively(client, make_user):
    make_user(email="lan@example.com")
    response = client.post("/login", data={"email": "  LAN@example.COM ", "password": PASSWORD})
    assert response.status_code == 302


def test_every_page_but_login_health_and_static_requires_login(client):
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin/users/")
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_logout_needs_a_post_and_ends_the_session(client, login):
    login()
    assert client.get("/logout").status_code == 200  # a confirmation page, not a logout
    assert logged_in(client)
    response = client.post("/logout")
    assert response.status_code == 302
    assert not logged_in(client)


def test_a_success_resets_the_account_counter(app, client, make_user):
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] - 1):
        log_in(client, user, "wrong")
    assert log_in(client, user).status_code == 302
    client.post("/logout")
    log_in(client, user, "wrong")
    assert log_in(client, user).status_code == 302


def test_deactivated_user_cannot_log_in_and_loses_an_open_session(app, client, make_user):
    user = make_user()
    assert log_in(client, user).status_code == 302
    user.active = False
    db.session.commit()
    assert not logged_in(client)  # the open session is gone
    response = log_in(client, user)
    assert "Tài khoản này đã bị vô hiệu hóa" in response.get_data(as_text=True)
    assert db.session.get(User, user.id) is not None  # nothing deleted


def test_failed_logins_are_recorded_for_auditing(client, make_user):
    user = make_user()
    log_in(client, user, "wrong")
    rows = db.session.scalars(sa.select(LoginAttempt)).all()
    assert [(r.email, r.succeeded) for r in rows] == [(user.email, False)]


@pytest.mark.parametrize(("target", "safe"), [
    ("/events/?kind=cultural", True),
    ("/", True),
    ("https://evil.example/", False),
    ("//evil.example/", False),
    ("/\\evil.example", False),
    ("javascript:alert(1)", False),
    ("", False),
    (None, False),
])
def test_next_redirects_only_to_this_site(target, safe):
    assert is_safe_next(target) is safe


def test_login_follows_a_local_next_but_not_a_foreign_one(client, make_user):
    user = make_user(Role.ADMIN)
    response = client.post("/login?next=/admin/users/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users/"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data={"email": user.email,
                                                                       "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_post_without_csrf_token_is_refused_and_writes_nothing(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    admin = make_user(Role.ADMIN)
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 0
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": admin.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post("/admin/users/new", data={
        "email": "new@example.com", "name": "Mới", "roles": ["viewer"], "unit_id": "0",
        "locale": "vi", "password": "long enough password"})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_the_home_page_shows_the_login_form_to_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'action="/login"' in response.get_data(as_text=True)
