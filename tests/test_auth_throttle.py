"""Login throttling: delays per account and address, hard locks per address, admin unlock."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth import models as auth_models
from app.auth import services, throttle
from app.auth.models import LoginAttempt, LoginThrottle, ThrottleScope
from app.auth.roles import Role
from app.errors import PermissionDenied
from app.extensions import db
from tests.helpers import PASSWORD

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OWNER, ATTACKER = "10.0.0.7", "10.0.0.66"


@pytest.fixture
def at(clock):
    """Move the app's clock to START + seconds."""
    def _at(seconds: float = 0):
        clock(START + timedelta(seconds=seconds))
    _at()
    return _at


def attempt(client, user_or_email, password=PASSWORD, address=OWNER):
    email = getattr(user_or_email, "email", user_or_email)
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def page(response) -> str:
    return response.get_data(as_text=True)


def evaluated() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt))


def fail(client, user, times, address=ATTACKER):
    for _ in range(times):
        assert "Sai địa chỉ thư điện tử hoặc mật khẩu." in page(attempt(client, user, "wrong",
                                                                        address))


def test_the_delay_doubles_with_each_failure_and_then_the_owner_gets_in(app, client, make_user, at):
    user = make_user()
    allowed = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    fail(client, user, allowed)
    refused = attempt(client, user)  # the right password, from the owner's address
    assert "Vui lòng thử lại sau 1 giây." in page(refused)
    at(1)
    fail(client, user, 1)
    assert "thử lại sau 2 giây" in page(attempt(client, user))
    at(3)
    fail(client, user, 1)
    at(5)
    assert "thử lại sau 2 giây" in page(attempt(client, user))
    at(7)
    assert attempt(client, user).status_code == 302


def test_attempts_during_the_wait_are_not_evaluated_and_do_not_extend_it(app, client, make_user,
                                                                        at):
    user = make_user()
    fail(client, user, app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    before = evaluated()

    def waiting_until():
        return db.session.scalar(sa.select(LoginThrottle.blocked_until).where(
            LoginThrottle.scope == ThrottleScope.ACCOUNT, LoginThrottle.key == user.email))

    until = waiting_until()
    assert until == START + timedelta(seconds=1)
    for password in ("wrong", PASSWORD, "wrong", "wrong"):
        assert "thử lại sau 1 giây" in page(attempt(client, user, password, ATTACKER))
    assert evaluated() == before
    assert waiting_until() == until


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(app, client, make_user, at):
    user = make_user()
    lock = app.config["LOGIN_HARD_LOCK_FAILURES"]
    moment = 0
    for _ in range(lock):  # each try after the previous delay: every one is evaluated
        at(moment)
        fail(client, user, 1, ATTACKER)
        moment += 600
    at(moment)
    locked = attempt(client, user, PASSWORD, ATTACKER)  # even the right password, from there
    assert "tài khoản này bị khóa tại đây" in page(locked)
    before = evaluated()
    for _ in range(20):  # hammering from there counts for nothing any more
        attempt(client, user, "wrong", ATTACKER)
    assert evaluated() == before
    assert attempt(client, user, PASSWORD, OWNER).status_code == 302


def test_failures_from_many_addresses_delay_but_never_lock(app, client, make_user, at):
    user = make_user()
    lock = app.config["LOGIN_HARD_LOCK_FAILURES"]
    moment = 0
    for n in range(lock + 2):
        at(moment)
        fail(client, user, 1, f"10.1.0.{n}")
        moment += 600
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle).where(
        LoginThrottle.locked_at.is_not(None))) == 0
    assert "thử lại sau" in page(attempt(client, user, PASSWORD, "10.1.0.0"))
    at(moment + app.config["LOGIN_MAX_DELAY_SECONDS"])
    assert attempt(client, user, PASSWORD, "10.1.0.0").status_code == 302


def test_an_address_waits_after_many_failures_over_any_accounts(app, client, make_user, at):
    allowed = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(allowed):
        attempt(client, f"nobody{n}@example.com", "x", ATTACKER)
    victim = make_user()
    assert "Vui lòng thử lại sau 1 giây." in page(attempt(client, victim, PASSWORD, ATTACKER))
    assert attempt(app.test_client(), victim, PASSWORD, OWNER).status_code == 302  # elsewhere
    client.post("/logout")
    at(1)
    assert attempt(client, victim, PASSWORD, ATTACKER).status_code == 302  # a delay, not a lock


def test_throttling_says_nothing_about_which_accounts_exist(app, client, make_user, at):
    allowed = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    known = make_user()
    answers = []
    for email in (known.email, "nobody@example.com"):
        for n in range(allowed):
            attempt(client, email, "wrong", f"10.2.{len(answers)}.{n}")
        text = page(attempt(client, email, "wrong", "10.3.0.1"))
        answers.append(text.split('role="alert">', 1)[1].split("</div>", 1)[0])
    assert answers[0] == answers[1]
    assert "thử lại sau 1 giây" in answers[0]


def test_an_administrator_unlocks_an_account(app, client, make_user, at):
    user = make_user()
    for n in range(app.config["LOGIN_HARD_LOCK_FAILURES"]):
        at(n * 600)
        fail(client, user, 1, ATTACKER)
    at(7200)
    assert "bị khóa tại đây" in page(attempt(client, user, PASSWORD, ATTACKER))

    admin_client = app.test_client()
    admin = make_user(Role.ADMIN)
    assert attempt(admin_client, admin).status_code == 302
    listing = page(admin_client.get("/admin/users/"))
    assert 'data-testid="login-held"' in listing
    assert 'data-testid="unlock"' in listing
    response = admin_client.post(f"/admin/users/{user.id}/unlock", follow_redirects=True)
    assert "Đã mở khóa đăng nhập cho" in page(response)
    assert 'data-testid="unlock"' not in page(admin_client.get("/admin/users/"))
    assert attempt(client, user, PASSWORD, ATTACKER).status_code == 302


def test_only_an_administrator_may_unlock(app, client, make_user, at):
    user = make_user()
    for n in range(app.config["LOGIN_HARD_LOCK_FAILURES"]):
        at(n * 600)
        fail(client, user, 1, ATTACKER)
    other = make_user(Role.PROTOCOL)
    assert attempt(client, other, PASSWORD, OWNER).status_code == 302
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle))
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == rows
    with pytest.raises(PermissionDenied):
        services.unlock(other, user)


def test_a_deactivated_account_is_told_so_whatever_the_password(app, client, make_user, at):
    user = make_user(active=False)
    for password in ("wrong", PASSWORD):
        response = attempt(client, user, password)
        assert "Tài khoản này đã bị vô hiệu hóa" in page(response)
    fail_limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 2
    for _ in range(fail_limit):
        attempt(client, user, "wrong")
    assert "Tài khoản này đã bị vô hiệu hóa" in page(attempt(client, user, "wrong"))


def test_unknown_accounts_are_checked_against_a_hash_made_like_real_ones(client, make_user,
                                                                         monkeypatch):
    checked = []
    real = auth_models.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(auth_models, "check_password_hash", spy)
    user = make_user()
    attempt(client, "nobody@example.com", "wrong")
    attempt(client, user, "wrong")
    method = user.password_hash.split("$", 1)[0]
    assert checked == [method, method]


def test_parallel_attempts_are_counted_atomically(app, make_user, at):
    """16 wrong passwords at once against a limit of 5: exactly 5 are evaluated."""
    email = make_user().email  # read here: the threads have their own sessions
    allowed = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    start = threading.Barrier(16)
    outcomes = []

    def one(n):
        with app.app_context():
            start.wait()
            try:
                services.authenticate(email, "wrong", f"10.5.0.{n}")
            except Exception as exc:  # noqa: BLE001  (the outcome is what we count)
                outcomes.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["InvalidCredentials"] * allowed
                                      + ["LoginThrottled"] * (16 - allowed))
    assert evaluated() == allowed
    assert throttle.held_accounts(START) == {email}
