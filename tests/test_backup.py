"""briefdesk backup / restore: the demo round-trips on either database, counts and hashes equal."""
import io
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app, storage
from app.auth.models import User
from app.backup import verify
from app.extensions import db
from app.idempotency import FormToken

pytestmark = pytest.mark.usefixtures("pg_client_tools")


@pytest.fixture
def pg_client_tools(app):
    if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump")
                                                       and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are missing: install postgresql-client (.ci/run does)")


def _counts() -> dict[str, int]:
    names = [t.name for t in db.metadata.sorted_tables]
    return {n: db.session.scalar(sa.text(f'SELECT count(*) FROM "{n}"')) for n in names}


def _hashes(keys) -> dict[str, tuple[int, str]]:
    return {key: storage.sha256_of(storage.read(key)) for key in keys}


@pytest.fixture
def target(demo_app, make_database, tmp_path):
    """A second app on an empty database and an empty storage folder."""
    other = create_app({**demo_app.config, "SQLALCHEMY_DATABASE_URI": make_database("restore"),
                        "UPLOAD_FOLDER": str(tmp_path / "restored-files")})
    yield other
    with other.app_context():
        db.engine.dispose()


def _invoke(app, *args):
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def test_the_demo_round_trips_with_every_count_and_hash(demo_app, target, tmp_path):
    # One file in each backend: the demo's attachment in the folder, one in the database.
    demo_app.config["STORAGE_BACKEND"] = "db"
    in_db = storage.put("tests", io.BytesIO(b"kept in the database" * 50_000)).key
    db.session.commit()
    demo_app.config["STORAGE_BACKEND"] = "local"
    keys = [in_db, *storage.backend("local").list_keys()]
    assert len(keys) == 2
    counts, hashes = _counts(), _hashes(keys)
    archive = tmp_path / "briefdesk.tar"

    made = _invoke(demo_app, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "2 files" in made.output

    restored = _invoke(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "every count and SHA-256 matches" in restored.output
    with target.app_context():
        assert _counts() == counts
        assert _hashes(keys) == hashes
        assert storage.backend("local").size(keys[1]) is not None  # files land in its folder
        db.session.remove()

    # A target with rows is refused unless told, and then replaced.
    again = _invoke(target, "restore", str(archive))
    assert again.exit_code != 0
    assert "not empty" in again.output
    forced = _invoke(target, "restore", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    with target.app_context():
        assert _counts() == counts
        db.session.remove()


def test_a_backup_taken_while_the_app_writes_is_consistent(demo_app, target, tmp_path):
    """The manifest counts the rows of the dump's own snapshot, however busy the app is."""
    admin_id = db.session.scalar(sa.select(User.id).where(User.email == "admin@demo.example"))
    db.session.commit()
    stop, written = threading.Event(), []

    def write():
        with demo_app.app_context():
            while not stop.is_set():
                db.session.add(FormToken(token_hash=f"{len(written):064d}", user_id=admin_id,
                                         purpose="test", result_url="/"))
                db.session.commit()
                written.append(1)
            db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            threading.Event().wait(0.01)
        archive = tmp_path / "busy.tar"
        from app.backup import backup

        manifest = backup(Path(archive))
    finally:
        stop.set()
        writer.join()
    assert manifest["tables"]["form_tokens"] > 0
    restored = _invoke(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        assert verify(manifest).problems == []
        db.session.remove()


def test_restore_refuses_an_archive_of_the_other_database(demo_app, target, tmp_path):
    import json
    import tarfile

    archive = tmp_path / "other.tar"
    other = "sqlite" if db.engine.dialect.name == "postgresql" else "postgresql"
    manifest = json.dumps({"format": 1, "database": other, "dump": "x", "tables": {}, "files": {}})
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest.encode()))
    result = _invoke(target, "restore", str(archive))
    assert result.exit_code != 0
    assert f"holds a {other} database" in result.output
