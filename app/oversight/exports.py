"""The report as files: a Word document laid out as a Party document, and a spreadsheet annex.

The Word file follows the layout of the Party's documents (Hướng dẫn 36-HD/VPTW): the
issuing body top left with its number and symbol, "ĐẢNG CỘNG SẢN VIỆT NAM" top right with
the place and date, the title, the body, then "Nơi nhận" (recipients) and the signature.
The annex has one sheet per table, numbers as numbers and dates as dates, header rows frozen.
"""
import io
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from app.docpage import administrative_page
from app.extensions import db
from app.inputs import strip_controls
from app.oversight.content import Content, ReportTable
from app.oversight.models import Report, ReportStatus
from app.settings import setting
from app.units.models import Unit

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
TITLE = "BÁO CÁO"
SUBJECT = ("kết quả thực hiện Kế hoạch thực hiện Kết luận số 57-KL/TW, ngày 15-6-2023 của Bộ Chính trị "
           "về tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới")
RECIPIENTS = ["Ban Thường vụ Tỉnh ủy (báo cáo),", "Ban Tuyên giáo và Dân vận Trung ương (báo cáo),",
              "Ban Chỉ đạo công tác thông tin đối ngoại tỉnh,", "Các cơ quan, đơn vị liên quan,",
              "Lưu Văn phòng."]
EMPTY = "Trong kỳ báo cáo không có sự kiện đối ngoại hoặc đầu việc nào được ghi nhận trên hệ thống."
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Letterhead:
    parent: str        # "TỈNH ỦY QUẢNG NGÃI"
    issuer: str        # "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    number: str        # "Số 25-BC/BTGDVTU"
    place_date: str    # "Quảng Ngãi, ngày 03 tháng 12 năm 2026"
    signer: str        # the approver, or a note that the report is not approved


def letterhead(report: Report | None, day: date) -> Letterhead:
    place = setting("organisation.document_place")
    unit = db.session.scalar(sa.select(Unit).where(Unit.slug == setting("organisation.propaganda_unit")))
    issuer = unit.name_vi if unit else "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    parent = unit.parent.name_vi if unit and unit.parent else f"Tỉnh ủy {place}"
    number = f"Số {report.number}" if report and report.number else "Số      -BC/BTGDVTU"
    approver = report.approved_by if report is not None and report.status is ReportStatus.APPROVED else None
    signer = approver.name if approver is not None else "(Dự thảo, chưa phê duyệt)"
    return Letterhead(parent.upper(), issuer.upper(), number,
                      f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", signer)


def cell_text(value, kind: str) -> str:
    """A value as the printed report shows it."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value:.1f}%".replace(".", ",")
    if kind == "days":
        return f"{value:.1f}".replace(".", ",")
    if kind == "date":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return str(value)


def _paragraph(container, text: str, *, bold=False, italic=False, underline=False, size=None,
               align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(strip_controls(text))   # XML refuses control characters
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _body(document, text: str) -> None:
    paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Pt(28)


def _table(document, table: ReportTable) -> None:
    _paragraph(document, table.title, bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    if not table.rows:
        _body(document, "Không có.")
        return
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(column.title).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value, column in zip(cells, row, table.columns, strict=True):
            cell.text = strip_controls(cell_text(value, column.kind))


def build_docx(content: Content, report: Report | None, narratives: dict[str, str], day: date) -> bytes:
    head = letterhead(report, day)
    document = administrative_page(Document())
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    top = document.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    _paragraph(left, head.parent, size=13)
    _paragraph(left, head.issuer, bold=True, size=13)
    _paragraph(left, "*")
    _paragraph(left, head.number, size=13)
    _paragraph(right, PARTY, bold=True, underline=True, size=13)
    _paragraph(right, head.place_date, italic=True, size=13)
    _paragraph(document, "")
    _paragraph(document, TITLE, bold=True, size=15)
    _paragraph(document, SUBJECT, bold=True, size=13)
    period = content.scope.period
    _paragraph(document, f"(Kỳ báo cáo: từ ngày {cell_text(period.start, 'date')} "
                         f"đến ngày {cell_text(period.end, 'date')})", italic=True)
    _paragraph(document, "-----")
    if content.empty:
        _body(document, EMPTY)
    for section in content.sections:
        _paragraph(document, f"{section.code}. {section.title}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in (narratives.get(section.code) or "").splitlines():
            if line.strip():
                _body(document, line.strip())
        for fact in section.facts:
            _body(document, fact)
        for table in section.tables:
            _table(document, table)
    bottom = document.add_table(rows=1, cols=2)
    left, right = bottom.rows[0].cells
    _paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in RECIPIENTS:
        _paragraph(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(right, f"T/M {head.issuer}", bold=True)
    _paragraph(right, "TRƯỞNG BAN", bold=True)
    _paragraph(right, "")
    _paragraph(right, head.signer, bold=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NUMBER_FORMATS = {"pct": "0.0", "days": "0.0", "int": "0", "date": "DD/MM/YYYY"}


def build_xlsx(content: Content, report: Report | None) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Tổng hợp"
    period = content.scope.period
    summary.append(["Mục", "Nội dung"])
    summary.append(["Kỳ báo cáo", period.label])
    summary.append(["Từ ngày", period.start])
    summary.append(["Đến ngày", period.end])
    summary.append(["Trạng thái", report.status.value if report else "chưa lập"])
    if content.empty:
        summary.append(["Ghi chú", EMPTY])
    for section in content.sections:
        for fact in section.facts:
            summary.append([section.code, fact])
    for row in (3, 4):
        summary.cell(row=row, column=2).number_format = NUMBER_FORMATS["date"]
    _header(summary)
    for section in content.sections:
        for table in section.tables:
            sheet = workbook.create_sheet(table.key[:31])
            sheet.append([column.title for column in table.columns])
            for values in table.rows:
                sheet.append([strip_controls(v) if isinstance(v, str) else v for v in values])
            for index, column in enumerate(table.columns, 1):
                fmt = NUMBER_FORMATS.get(column.kind)
                if fmt:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                        cell.number_format = fmt
            _header(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
