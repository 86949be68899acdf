"""Every migration applied to an empty database gives exactly the models' schema."""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db, include_in_autogenerate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _app_on(url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def test_migrations_build_the_models_schema(make_database):
    app = _app_on(make_database("migrate"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # The options ``flask db migrate`` compares with (``app.extensions.migrate``).
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True,
                            "include_object": include_in_autogenerate})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_downgrade_to_empty(make_database):
    app = _app_on(make_database("downgrade"))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables == set()


def test_migration_files_sort_in_revision_order():
    """Listing migrations/versions shows the order Alembic applies them, and there is one head.

    Walking the sorted files from the first, each one's parents must come before it. A
    branch that adds a migration names it with its date (``flask db revision`` does) and sets
    ``down_revision`` to the head it was written on; two branches that both did need a merge
    revision, and a file named out of order is renamed (its revision id stays).
    """
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"
    revisions = {Path(r.path).name: r for r in script.walk_revisions()}
    assert sorted(revisions) == sorted(p.name for p in (MIGRATIONS / "versions").glob("*.py"))
    applied: set[str] = set()
    for name in sorted(revisions):
        revision = revisions[name]
        parents = revision.down_revision or ()
        missing = {parents} - applied if isinstance(parents, str) else set(parents) - applied
        assert not missing, f"{name} sorts before its parent(s) {sorted(missing)}"
        applied.add(revision.revision)
