"""app.storage: one interface, two backends (a folder, the database), and moving between them."""
import hashlib
import io
import os

import pytest
import sqlalchemy as sa

from app import ConfigurationError, create_app, storage
from app.checklists.models import SubmissionAttachment
from app.extensions import db
from app.idempotency import issue
from app.storage.backends import CHUNK_SIZE, Database
from app.storage.models import StoredChunk, StoredFile
from tests.fixtures_checklists import provide_item
from tests.helpers import log_in

BIG = os.urandom(2 * CHUNK_SIZE + 1234)  # three chunks, the last one short


@pytest.fixture(params=["local", "db"])
def backend_name(app, tmp_path, request):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "files")
    app.config["STORAGE_BACKEND"] = request.param
    return request.param


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_put_read_and_send_in_chunks(app, backend_name):
    info = storage.put("tests", io.BytesIO(BIG))
    db.session.commit()
    assert info.key.startswith("tests/")
    assert (info.size, info.sha256) == (len(BIG), hashlib.sha256(BIG).hexdigest())
    pieces = list(storage.read(info.key))
    assert [len(p) for p in pieces] == [CHUNK_SIZE, CHUNK_SIZE, 1234]
    assert b"".join(pieces) == BIG
    assert storage.size(info.key) == len(BIG)
    assert _count(StoredChunk) == (3 if backend_name == "db" else 0)
    with app.test_request_context():
        response = storage.send(info.key, mimetype="application/octet-stream")
        response.direct_passthrough = False
        assert response.content_length == len(BIG)
        assert response.get_data() == BIG
    storage.delete(info.key)
    db.session.commit()
    assert storage.size(info.key) is None
    with pytest.raises(FileNotFoundError):
        storage.read(info.key)
    assert (_count(StoredFile), _count(StoredChunk)) == (0, 0)


def test_the_database_backend_rolls_back_with_the_transaction(app, backend_name):
    info = storage.put("tests", io.BytesIO(b"x" * 10))
    db.session.rollback()
    storage.discard(info.key)
    assert storage.size(info.key) is None


@pytest.mark.parametrize("key", ["../etc/passwd", "tests/../../x", "/abs/x", "tests/.x", "x", ""])
def test_keys_that_could_leave_the_folder_are_never_used(app, backend_name, key):
    assert storage.size(key) is None
    with pytest.raises(FileNotFoundError):
        storage.read(key)
    with app.test_request_context(), pytest.raises(Exception, match="404"):
        storage.send(key, mimetype="text/plain")


def test_an_unknown_backend_is_refused_at_start(app):
    with pytest.raises(ConfigurationError):
        create_app({**app.config, "STORAGE_BACKEND": "s3"})


def _put_in(app, name: str, data: bytes) -> str:
    app.config["STORAGE_BACKEND"] = name
    key = storage.put("tests", io.BytesIO(data)).key
    db.session.commit()
    return key


@pytest.mark.parametrize(("source", "target"), [("local", "db"), ("db", "local")])
def test_migrate_moves_every_file_and_verifies_it(app, tmp_path, source, target):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "files")
    files = {_put_in(app, source, data): data for data in (BIG, b"small", b"\x00" * 10)}
    app.config["STORAGE_BACKEND"] = target
    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", target])
    assert result.exit_code == 0, result.output
    assert f"3 files moved to {target}" in result.output
    db.session.expire_all()
    for key, data in files.items():
        assert storage.backend(target).size(key) == len(data)
        assert storage.backend(source).size(key) is None
        assert b"".join(storage.read(key)) == data
    if target == "db":
        assert {k: h for k, h in db.session.execute(sa.select(StoredFile.key, StoredFile.sha256))} \
            == {k: hashlib.sha256(d).hexdigest() for k, d in files.items()}
    again = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", target])
    assert "0 files moved" in again.output


def test_a_copy_that_does_not_verify_leaves_the_original(app, tmp_path, monkeypatch):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "files")
    key = _put_in(app, "local", b"original bytes")
    real = Database.chunks
    monkeypatch.setattr(Database, "chunks", lambda self, k: iter([b"bit rot"]))
    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", "db"])
    monkeypatch.setattr(Database, "chunks", real)
    assert result.exit_code == 1
    assert f"NOT moved, its copy did not verify: {key}" in result.output
    assert storage.backend("local").size(key) == len(b"original bytes")
    assert storage.backend("db").size(key) is None


def test_reads_find_a_file_not_yet_moved(app, tmp_path):
    """Switch STORAGE_BACKEND first, move the files afterwards: nothing 404s meanwhile."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "files")
    key = _put_in(app, "local", b"still in the folder")
    app.config["STORAGE_BACKEND"] = "db"
    assert b"".join(storage.read(key)) == b"still in the folder"


def test_checklist_attachments_go_through_the_configured_backend(client, setting, backend_name):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    pdf = b"%PDF-1.4\n" + BIG
    data = {"text": "Báo cáo", "attachments": [(io.BytesIO(pdf), "bao-cao.pdf")],
            "version": str(item.version), "form_token": issue()}
    response = client.post(f"/checklists/items/{item.id}/submit", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalar(sa.select(SubmissionAttachment))
    assert attachment.size == len(pdf)
    assert _count(StoredFile) == (1 if backend_name == "db" else 0)
    download = client.get(f"/checklists/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == pdf
    assert download.headers["Cache-Control"] == "private, no-store"
    client.post("/logout")
    log_in(client, setting.focal_other)
    assert client.get(f"/checklists/attachments/{attachment.id}").status_code == 403


def test_a_refused_submission_leaves_no_file(client, app, setting, backend_name):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    data = {"text": "x", "attachments": [(io.BytesIO(b"fine"), "ok.txt"),
                                         (io.BytesIO(b"not a pdf"), "fake.pdf")],
            "version": str(item.version), "form_token": issue()}
    response = client.post(f"/checklists/items/{item.id}/submit", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert (_count(StoredFile), _count(SubmissionAttachment)) == (0, 0)
    assert list(storage.backend("local").keys()) == []
