import sqlalchemy as sa

from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.units.models import Unit


def test_users_create_reads_the_password_from_stdin(app, make_unit):
    make_unit("so-ngoai-vu")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Lan@Example.com", "--role", "protocol", "--role", "spokesperson",
              "--unit", "so-ngoai-vu", "--name", "Nguyễn Thị Lan"],
        input="a long password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "lan@example.com"))
    assert user.roles == {Role.PROTOCOL, Role.SPOKESPERSON}
    assert user.unit.slug == "so-ngoai-vu"
    assert user.check_password("a long password")


def test_users_create_refuses_an_unknown_unit_and_writes_nothing(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x@example.com", "--role", "viewer", "--unit", "nowhere"],
        input="a long password\n")
    assert result.exit_code != 0
    assert "unknown unit: nowhere" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_demo_load_is_idempotent_and_has_a_user_per_role(demo_app):
    runner = demo_app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = (db.session.scalar(sa.select(sa.func.count()).select_from(Unit)),
              db.session.scalar(sa.select(sa.func.count()).select_from(User)))
    second = runner.invoke(args=["demo", "load", "--password", "other"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert (db.session.scalar(sa.select(sa.func.count()).select_from(Unit)),
            db.session.scalar(sa.select(sa.func.count()).select_from(User))) == counts
    for role in Role:
        user = db.session.scalar(sa.select(User).where(User.email == f"{role.value}@demo.example"))
        assert role in user.roles
        assert user.check_password("other")
    slugs = set(db.session.scalars(sa.select(Unit.slug)))
    assert {"ban-tgdv", "bcd-ttdn", "ubnd-tinh", "so-ngoai-vu", "so-vhttdl", "bao-qng",
            "dai-qng"} <= slugs
    assert "protocol@demo.example" in first.output
    assert "'demo'" in first.output
