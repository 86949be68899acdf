"""Importing events from CSV and XLSX: template, preview with row errors, all or nothing, once."""
import io
from datetime import date, time

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from app.auth.roles import Role
from app.events.models import Event
from app.extensions import db
from app.imports import sheet
from app.imports.models import ImportedEvent, ImportUpload
from tests.helpers import count, nothing_written


@pytest.fixture
def unit(make_unit):
    return make_unit("so-ngoai-vu", name_vi="Sở Ngoại vụ", name_en="Department of Foreign Affairs")


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append([header for _key, header, _required in sheet.COLUMNS])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(n: int, **changes) -> list:
    values = {"key": f"R-{n}", "title_vi": f"Hoạt động đối ngoại số {n}", "title_en": "",
              "kind": "Sự kiện chính trị", "lead_unit": "so-ngoai-vu",
              "start_date": date(2027, 1, 1 + n % 28), "start_time": time(8, 0),
              "end_date": None, "end_time": time(9, 0), "venue": "", "visibility": "Nội bộ",
              "country": "", "description_vi": ""}
    values.update(changes)
    return [values[key] for key, _h, _r in sheet.COLUMNS]


def upload(client, content: bytes, name: str = "ke-hoach.xlsx"):
    return client.post("/events/import/", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_the_template_has_vietnamese_headers(client, login):
    login(Role.PROTOCOL)
    response = client.get("/events/import/template.xlsx")
    assert response.status_code == 200
    first = next(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert first[:3] == ("Mã dòng", "Tiêu đề (tiếng Việt)", "Tiêu đề (tiếng Anh)")


def test_500_rows_two_flagged_then_fixed_imported_once(client, login, unit):
    login(Role.PROTOCOL, unit=unit, locale="en")
    rows = [row(n) for n in range(500)]
    rows[17] = row(17, start_date="31/02/2027")
    rows[233] = row(233, lead_unit="so-khong-co")
    with nothing_written():
        pass
    preview = upload(client, workbook(rows))
    assert preview.status_code == 302
    page = client.get(preview.headers["Location"]).get_data(as_text=True)
    assert "2 with errors" in page
    assert 'data-line="19"' in page
    assert 'data-line="235"' in page
    assert "is not a date" in page
    assert "no unit has the slug or name" in page
    assert "import-commit" not in page
    assert count(Event) == 0

    rows[17], rows[233] = row(17), row(233)
    preview = upload(client, workbook(rows))
    page = client.get(preview.headers["Location"]).get_data(as_text=True)
    assert "500 new" in page
    upload_id = db.session.scalar(sa.select(ImportUpload.id))
    done = client.post(f"/events/import/{upload_id}/commit")
    assert done.status_code == 302
    assert count(Event) == 500
    assert count(ImportedEvent) == 500

    again = upload(client, workbook(rows))
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "500 imported before" in page
    upload_id = db.session.scalar(sa.select(ImportUpload.id))
    client.post(f"/events/import/{upload_id}/commit")
    assert count(Event) == 500


def test_csv_with_semicolons_and_names(client, login, unit, make_venue):
    venue = make_venue("Hội trường UBND tỉnh")
    login(Role.PROTOCOL, unit=unit, locale="en")
    text = ("Tiêu đề (tiếng Việt);Loại sự kiện;Đơn vị chủ trì;Ngày bắt đầu;Giờ bắt đầu;"
            "Giờ kết thúc;Địa điểm;Quốc gia đối tác\n"
            "Đón đoàn Attapeu;Incoming delegation;Sở Ngoại vụ;12/01/2027;08:00;11:30;"
            "Hội trường UBND tỉnh;Lào\n")
    response = upload(client, text.encode("utf-8-sig"), "ke-hoach.csv")
    upload_id = db.session.scalar(sa.select(ImportUpload.id))
    assert client.post(f"/events/import/{upload_id}/commit").status_code == 302, response
    event = db.session.scalars(sa.select(Event)).one()
    assert (event.venue_id, event.delegation.country, event.kind.value) == (venue.id, "LA",
                                                                         "delegation_in")


def test_a_focal_point_may_import_only_for_their_unit(client, login, unit, make_unit):
    login(Role.FOCAL, unit=make_unit(), locale="en")
    upload(client, workbook([row(1)]))
    upload_id = db.session.scalar(sa.select(ImportUpload.id))
    page = client.get(f"/events/import/{upload_id}").get_data(as_text=True)
    assert "You may not create events for this unit." in page
    with nothing_written():
        client.post(f"/events/import/{upload_id}/commit")


def test_viewers_cannot_import(client, login):
    login(Role.VIEWER)
    assert client.get("/events/import/").status_code == 403


def test_garbage_is_a_clear_message(client, login, unit):
    login(Role.PROTOCOL, unit=unit, locale="en")
    upload(client, b"PK\x03\x04 not really a workbook", "x.xlsx")
    upload_id = db.session.scalar(sa.select(ImportUpload.id))
    page = client.get(f"/events/import/{upload_id}").get_data(as_text=True)
    assert "cannot be read as an Excel workbook" in page


def test_cli_dry_run_then_import(app, tmp_path, make_user, unit):
    make_user(Role.ADMIN, unit=unit, email="admin@example.com")
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(workbook([row(1), row(2)]))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["events", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 new" in dry.output
    assert count(Event) == 0
    done = runner.invoke(args=["events", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert count(Event) == 2
    again = runner.invoke(args=["events", "import", str(path)])
    assert "0 events created" in again.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([row(1, kind="picnic")]))
    refused = runner.invoke(args=["events", "import", str(bad)])
    assert refused.exit_code == 1
    assert "line 2" in refused.output.lower()
