"""Files made from cases: the correction request letter (.docx) and the register (.xlsx)."""
import io
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Font

from app.docpage import administrative_page
from app.inputs import strip_controls
from app.monitoring.figures import outcome
from app.monitoring.models import (
    CASE_STATUS_LABELS,
    CLASSIFICATION_LABELS,
    RESPONSE_FORM_LABELS,
    MonitoringCase,
)
from app.spokespeople.document import MOTTO, MOTTO_LINE2, _centred, _set_font

LEGAL_BASIS = ("Điều 42 Luật Báo chí số 103/2016/QH13 (cải chính, xin lỗi; báo điện tử gỡ bỏ "
               "thông tin sai sự thật)")


def _local(moment: datetime | None, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M ngày %d/%m/%Y") if moment else ""


def correction_letter(case: MonitoringCase, *, place: str, day: date, zone: str) -> bytes:
    """The written request to the outlet, in Vietnamese, in the administrative layout."""
    document = administrative_page(Document())
    _set_font(document)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    unit = case.lead_unit
    _centred(left, (unit.parent.name_vi if unit.parent else "").upper(), size=12)
    _centred(left, unit.name_vi.upper(), bold=True, size=12)
    _centred(left, "V/v đề nghị cải chính thông tin", italic=True, size=11)
    _centred(right, MOTTO, bold=True, size=12)
    _centred(right, MOTTO_LINE2, bold=True, underline=True)
    _centred(right, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True)
    _centred(document, f"Kính gửi: {case.source}", bold=True)

    def paragraph(text: str, *, bold: bool = False) -> None:
        body = document.add_paragraph()
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body.add_run(strip_controls(text)).bold = bold

    paragraph(f"Ngày {_local(case.published_at, zone)}, {case.source} đăng tin/bài "
              f"“{case.headline}” tại địa chỉ {case.url}.")
    paragraph("Nội dung sai sự thật:", bold=True)
    paragraph(case.false_content)
    paragraph("Nội dung đúng (thông tin cải chính):", bold=True)
    paragraph(case.corrected_content)
    paragraph(f"Căn cứ {LEGAL_BASIS}, {unit.name_vi} đề nghị {case.source} đăng "
              f"“Thông tin cải chính, xin lỗi” (nêu rõ tiêu đề, thời gian đăng tin/bài, nội dung "
              f"sai sự thật và nội dung cải chính) và gửi cho {unit.name_vi}; đối với báo điện tử, "
              "gỡ bỏ ngay tin/bài sai sự thật và lưu lại trên hệ thống máy chủ theo quy định.")
    paragraph("Trân trọng./.")
    _centred(document, "NGƯỜI KÝ", bold=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature = document.add_paragraph(strip_controls(case.signatory))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REGISTER_COLUMNS = ["Số", "Ghi nhận lúc", "Nguồn", "Đường dẫn", "Đăng lúc", "Tiêu đề", "Phân loại",
                    "Nhạy cảm", "Đơn vị chủ trì", "Trạng thái", "Hạn xác minh", "Xác minh lúc",
                    "Hạn phản hồi", "Phản hồi lúc", "Hình thức phản hồi", "Người phát ngôn",
                    "Đề nghị cải chính lúc", "Cải chính lúc", "Kết thúc lúc", "Đúng hạn"]


def register_xlsx(cases: Sequence[MonitoringCase], zone: str, now: datetime) -> bytes:
    """One row per case, Vietnamese headings, times in ``zone`` (without time zone, as Excel wants)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "So theo doi"

    def local(moment):
        return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None

    sheet.append(REGISTER_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for case in cases:
        met = outcome(case, now)
        sheet.append([
            case.id, local(case.created_at), strip_controls(case.source), case.url,
            local(case.published_at), strip_controls(case.headline),
            str(CLASSIFICATION_LABELS[case.classification]), "x" if case.is_sensitive else "",
            case.lead_unit.name_vi, str(CASE_STATUS_LABELS[case.status]), local(case.verify_due_at),
            local(case.verified_at), local(case.respond_due_at), local(case.responded_at),
            str(RESPONSE_FORM_LABELS[case.response_form]) if case.response_form else "",
            case.speaker.name if case.speaker else "", local(case.correction_requested_at),
            local(case.correction_published_at), local(case.closed_at),
            "" if met is None else ("có" if met else "không")])
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", (6, 17, 28, 40, 17, 60, 14, 9, 30, 20, 17, 17,
                                                        17, 17, 30, 24, 17, 17, 17, 9), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
