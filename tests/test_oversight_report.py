"""The periodic report: same figures as the dashboard, workflow, versions, exports, denials."""
import io

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from app.auth.roles import Role
from app.extensions import db
from app.idempotency import issue
from app.oversight import content, exports, services
from app.oversight.models import Report, ReportStatus, ReportText
from tests.fixtures_oversight import OVERSIGHT_NOW
from tests.helpers import log_in, nothing_written

ZONE = "Asia/Ho_Chi_Minh"


def _create(client, period="2026-Q4"):
    response = client.post("/oversight/reports/", data={"form_token": issue(), "period": period})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Report).where(Report.period_label == period))


def _docx_rows(data: bytes) -> dict[str, list[str]]:
    """First cell → row, of every table in the Word file."""
    document = Document(io.BytesIO(data))
    return {row.cells[0].text: [c.text for c in row.cells] for table in document.tables for row in table.rows}


def test_the_report_carries_the_dashboards_figures(oversight_world):
    w = oversight_world
    scope = services.make_scope(period="2026-Q4", zone=ZONE, now=OVERSIGHT_NOW)
    table = services.table(scope)
    built = content.build(w.steering, scope)
    by_unit = {row[0]: row[1:] for row in built.table("Theo đơn vị").rows}
    for unit, figures in table.by_unit():
        assert by_unit[unit.name_vi] == content.figure_cells(figures)
    assert by_unit["Tổng cộng"] == content.figure_cells(table.total)
    assert [row[1] for row in built.table("Họp báo UBND theo quý").rows] == [1]
    titles = [row[1] for row in built.table("Chưa thông tin trước").rows]
    assert titles == ["Lễ hội văn hóa", "Hội đàm kín"]
    # The propaganda commission's reader does not get the confidential event's title.
    assert [row[1] for row in content.build(w.propaganda_user, scope).table("Chưa thông tin trước").rows] \
        == ["Lễ hội văn hóa"]

    xlsx = load_workbook(io.BytesIO(exports.build_xlsx(built, None)))
    sheet = xlsx["Theo đơn vị"]
    assert sheet.freeze_panes == "A2"
    rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Tổng cộng"] == [4, 2, 50.0, 5, 25.0, 75.0, 0, 2, 3.0]
    dates = [r[0] for r in xlsx["Chưa thông tin trước"].iter_rows(min_row=2, values_only=True)]
    assert dates[0].date().isoformat() == "2026-11-05"   # a date, not text

    docx_rows = _docx_rows(exports.build_docx(built, None, {"II.2": "Đánh giá chung."}, OVERSIGHT_NOW.date()))
    assert docx_rows["Tổng cộng"][1:4] == ["4", "2", "50,0%"]
    text = "\n".join(p.text for p in Document(io.BytesIO(exports.build_docx(
        built, None, {"II.2": "Đánh giá chung."}, OVERSIGHT_NOW.date()))).paragraphs)
    assert "BÁO CÁO" in text
    assert "Đánh giá chung." in text
    assert "Nơi nhận:" not in text
    header = Document(io.BytesIO(exports.build_docx(built, None, {}, OVERSIGHT_NOW.date()))).tables[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header.cell(0, 1).text
    assert "Số" in header.cell(0, 0).text


def test_the_report_counts_short_notice_items_apart(short_notice_items):
    """The report's tables and annex carry the dashboard's short-notice figure, not counted as late."""
    w = short_notice_items
    scope = services.make_scope(period="2026-Q4", zone=ZONE, now=OVERSIGHT_NOW)
    table = services.table(scope)
    built = content.build(w.steering, scope)
    by_unit = {row[0]: row[1:] for row in built.table("Theo đơn vị").rows}
    assert by_unit["Tổng cộng"] == content.figure_cells(table.total)
    assert by_unit[w.bad.name_vi] == content.figure_cells(table.units[w.bad.id])
    facts = "\n".join(f for section in built.sections for f in section.facts)
    assert "Đầu việc giao gấp (sự kiện lên kế hoạch muộn, thời hạn đã qua khi giao việc): 3" in facts
    sheet = load_workbook(io.BytesIO(exports.build_xlsx(built, None)))["Theo đơn vị"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: list(r) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Tổng cộng"][header.index("Giao gấp")] == 3
    assert rows["Tổng cộng"][header.index("Trễ hạn (%)")] == 75.0


def test_write_submit_and_approve_with_versions(client, oversight_world):
    w = oversight_world
    log_in(client, w.propaganda_user)
    report = _create(client)
    assert report.status is ReportStatus.DRAFT
    url = f"/oversight/reports/{report.id}"
    assert client.get(url).status_code == 200
    saved = client.post(f"{url}/sections/II.2", data={"text": "Các đơn vị thực hiện tốt.", "base_number": "0"})
    assert saved.status_code == 302
    client.post(f"{url}/sections/II.2", data={"text": "Các đơn vị thực hiện khá tốt.", "base_number": "1"})
    stale = client.post(f"{url}/sections/II.2", data={"text": "Bản cũ.", "base_number": "1"})
    assert stale.status_code == 400
    assert "Bản cũ." in stale.get_data(as_text=True)   # the writer's text is kept
    versions = db.session.scalars(sa.select(ReportText.text).where(ReportText.report_id == report.id)
                                  .order_by(ReportText.number)).all()
    assert versions == ["Các đơn vị thực hiện tốt.", "Các đơn vị thực hiện khá tốt."]
    # Only the head approves.
    with nothing_written():
        assert client.post(f"{url}/workflow", data={"action": "approve", "version": "1"}).status_code == 403
    db.session.refresh(report)
    assert client.post(f"{url}/workflow", data={"action": "submit", "version": str(report.lock_version)}
                       ).status_code == 302
    db.session.refresh(report)
    assert report.status is ReportStatus.SUBMITTED
    with nothing_written():   # submitted: no more edits
        assert client.post(f"{url}/sections/II.1", data={"text": "x", "base_number": "0"}).status_code == 403
    client.post("/logout")
    log_in(client, w.propaganda_head)
    returned = client.post(f"{url}/workflow", data={"action": "return", "version": str(report.lock_version),
                                                    "comment": ""})
    assert returned.status_code == 400   # a return says why
    approved = client.post(f"{url}/workflow", data={"action": "approve", "version": str(report.lock_version),
                                                    "number": "25-BC/BTGDVTU"})
    assert approved.status_code == 302
    db.session.refresh(report)
    assert (report.status, report.number, report.approved_by_id) == (
        ReportStatus.APPROVED, "25-BC/BTGDVTU", w.propaganda_head.id)
    docx = client.get(f"{url}.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.data))
    assert "Số 25-BC/BTGDVTU" in document.tables[0].cell(0, 0).text
    assert "Các đơn vị thực hiện khá tốt." in "\n".join(p.text for p in document.paragraphs)
    assert "Trưởng ban" in document.tables[-1].cell(0, 1).text
    assert client.get(f"{url}.xlsx").status_code == 200
    printed = client.get(f"{url}/print").get_data(as_text=True)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed
    assert "Nơi nhận:" in printed


def test_a_second_create_of_the_same_period_opens_the_existing_report(client, oversight_world):
    log_in(client, oversight_world.propaganda_user)
    first = _create(client)
    second = _create(client)
    assert first.id == second.id
    assert client.post("/oversight/reports/", data={"form_token": issue(), "period": "2026-Q9"}
                       ).status_code == 400


@pytest.mark.parametrize("role", [Role.PROTOCOL, Role.FOCAL, Role.SPOKESPERSON, Role.LIAISON, Role.VIEWER])
def test_every_other_role_is_refused(client, oversight_world, make_user, role):
    w = oversight_world
    report = Report(period_label="2026-Q4", period_start=OVERSIGHT_NOW.date().replace(month=10, day=1),
                    period_end=OVERSIGHT_NOW.date().replace(month=12, day=31))
    db.session.add(report)
    db.session.commit()
    log_in(client, make_user(role, unit=w.bad, is_unit_head=True))
    url = f"/oversight/reports/{report.id}"
    for path in ("/oversight/reports/", url, f"{url}.docx", f"{url}.xlsx", f"{url}/print"):
        with nothing_written():
            assert client.get(path).status_code == 403
    with nothing_written():
        assert client.post("/oversight/reports/", data={"form_token": issue(), "period": "2026-Q3"}
                           ).status_code == 403
        assert client.post(f"{url}/sections/II.1", data={"text": "x", "base_number": "0"}).status_code == 403
        assert client.post(f"{url}/workflow", data={"action": "submit", "version": "1"}).status_code == 403


def test_steering_reads_but_does_not_write(client, oversight_world, make_user):
    w = oversight_world
    db.session.add(Report(period_label="2026-Q4", period_start=OVERSIGHT_NOW.date().replace(month=10, day=1),
                          period_end=OVERSIGHT_NOW.date().replace(month=12, day=31)))
    db.session.commit()
    log_in(client, make_user(Role.STEERING, unit=w.good))
    assert client.get("/oversight/reports/").status_code == 200
    report = db.session.scalar(sa.select(Report))
    with nothing_written():
        assert client.post(f"/oversight/reports/{report.id}/sections/II.1",
                           data={"text": "x", "base_number": "0"}).status_code == 403


def test_cli_exports_and_an_empty_period_is_a_valid_document(app, oversight_world, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "q4.docx"
    result = runner.invoke(args=["report", "export", "--period", "2026-Q4", "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _docx_rows(out.read_bytes())
    assert rows["Tổng cộng"][1:3] == ["4", "2"]
    assert "Hội đàm kín" not in "\n".join(rows)   # confidential: counted, not listed
    empty = tmp_path / "empty.docx"
    assert runner.invoke(args=["report", "export", "--period", "2025-Q1", "--format", "docx",
                               "-o", str(empty)]).exit_code == 0
    assert exports.EMPTY in "\n".join(p.text for p in Document(str(empty)).paragraphs)
    sheet_file = tmp_path / "empty.xlsx"
    assert runner.invoke(args=["report", "export", "--period", "2025-Q1", "--format", "xlsx",
                               "-o", str(sheet_file)]).exit_code == 0
    assert load_workbook(str(sheet_file))["Tổng hợp"]["A1"].value == "Mục"
    bad = runner.invoke(args=["report", "export", "--period", "2026-Q7", "--format", "xlsx",
                              "-o", str(sheet_file)])
    assert bad.exit_code == 2


def test_monitoring_figures_are_the_monitoring_log_s_on_the_dashboard_and_in_the_report(
        client, oversight_world, make_case, clock):
    """Section II.4 and the dashboard read ``monitoring.figures.unit_figures``.

    A sensitive case counts only for those who may see it.
    """
    from datetime import timedelta

    from app.monitoring.figures import unit_figures
    from app.monitoring.models import Origin

    w = oversight_world
    clock(OVERSIGHT_NOW - timedelta(days=20))
    make_case(w.steering, lead_unit=w.bad, origin=Origin.PRESS_REQUEST, headline="Câu hỏi",
              published_at=OVERSIGHT_NOW - timedelta(days=21))
    make_case(w.steering, lead_unit=w.good, headline="Tin sai", url="https://x.example/a",
              published_at=OVERSIGHT_NOW - timedelta(days=21))
    make_case(w.steering, lead_unit=w.good, headline="Tin mật", url="https://x.example/b", sensitive=True,
              published_at=OVERSIGHT_NOW - timedelta(days=21))
    clock(OVERSIGHT_NOW)
    scope = services.make_scope(period="2026-Q4", zone=ZONE, now=OVERSIGHT_NOW)
    for reader, cases in ((w.steering, 3), (w.propaganda_user, 2)):
        expected = unit_figures(scope.start_at, scope.end_at, reader, OVERSIGHT_NOW)
        watched = services.dashboard(reader, scope).monitoring
        assert [(f.unit.id, f.cases, f.responded) for f in watched.units] == \
            [(f.unit.id, f.cases, f.responded) for f in expected]
        assert watched.cases_total["cases"] == cases
        assert watched.press_total["cases"] == 1
        rows = content.build(reader, scope).table("Phản bác thông tin sai trái").rows
        assert rows[-1][:4] == ["Cộng", cases, watched.cases_total["verified"], watched.cases_total["responded"]]
        assert [row[1] for row in rows[:-1]] == [f.cases for f in watched.units]
    log_in(client, w.propaganda_user)
    page = client.get("/oversight?period=2026-Q4").get_data(as_text=True)
    section = page.split('data-testid="monitoring"')[1]
    assert '<tr data-unit="total"><th scope="row">' in section
    assert "Tin mật" not in page
