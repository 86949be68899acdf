"""Admins force a password reset (issue 16, item 9): sessions end, a new password comes first."""
import sqlalchemy as sa

from app.auth.models import User, UserChange
from app.auth.roles import Role
from app.extensions import db
from tests.helpers import PASSWORD, log_in, nothing_written


def test_a_forced_reset_ends_sessions_and_asks_for_a_new_password_first(app, client, make_user):
    admin, focal = make_user(Role.ADMIN), make_user(Role.FOCAL)
    theirs = app.test_client()
    log_in(theirs, focal)
    assert theirs.get("/events/").status_code == 200
    log_in(client, admin)
    response = client.post(f"/admin/users/{focal.id}/password-reset")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, focal.id).must_change_password
    change = db.session.scalars(sa.select(UserChange).where(UserChange.user_id == focal.id)).one()
    assert (change.action, change.changed_by_id) == ("password_reset", admin.id)
    assert 'data-testid="must-change-password"' in client.get("/admin/users/").get_data(as_text=True)

    # Their session has ended; at the next login every page leads to the password form.
    assert theirs.get("/events/").headers["Location"].startswith("/login")
    login = log_in(theirs, focal)
    assert login.headers["Location"] == "/account/password"
    assert theirs.get("/events/").headers["Location"] == "/account/password"
    assert theirs.get("/account/password").status_code == 200
    same = theirs.post("/account/password", data={"current": PASSWORD, "new": PASSWORD,
                                                  "confirm": PASSWORD})
    assert same.status_code == 200  # the same password again is refused
    done = theirs.post("/account/password", data={
        "current": PASSWORD, "new": "a brand new password", "confirm": "a brand new password"})
    assert done.status_code == 302
    assert theirs.get("/events/").status_code == 200
    db.session.expire_all()
    assert not db.session.get(User, focal.id).must_change_password


def test_only_admins_force_a_reset_and_not_their_own(client, make_user):
    focal, other = make_user(Role.FOCAL), make_user(Role.VIEWER)
    log_in(client, make_user(Role.PROTOCOL))
    with nothing_written():
        assert client.post(f"/admin/users/{other.id}/password-reset").status_code == 403
    client.post("/logout")
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    with nothing_written():
        client.post(f"/admin/users/{admin.id}/password-reset")
    db.session.expire_all()
    assert not db.session.get(User, admin.id).must_change_password
    assert not db.session.get(User, focal.id).must_change_password


def test_admin_changes_to_accounts_are_recorded(client, make_user, make_unit):
    admin, user = make_user(Role.ADMIN), make_user(Role.VIEWER, name="Trần Văn A")
    log_in(client, admin)
    client.post(f"/admin/users/{user.id}/active")
    rows = db.session.scalars(sa.select(UserChange).where(UserChange.user_id == user.id)).all()
    assert [r.action for r in rows] == ["deactivated"]
