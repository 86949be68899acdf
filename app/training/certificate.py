"""The certificate of completion as a Word file (.docx), in Vietnamese like other documents."""
import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.docpage import administrative_page
from app.inputs import strip_controls
from app.training.models import TrainingCourse, TrainingNomination

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE2 = "Độc lập - Tự do - Hạnh phúc"


def _centred(container, text: str, *, bold=False, italic=False, underline=False, size=None):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(strip_controls(text))  # XML refuses control characters
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _line(document, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(strip_controls(value))


def build_certificate(course: TrainingCourse, nomination: TrainingNomination, *, present: int,
                      place: str, day: date) -> bytes:
    event = course.event
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    # An all-day course ends at midnight after its last day.
    end = event.ends_at - timedelta(minutes=1) if event.all_day else event.ends_at
    last = end.astimezone(zone).date()
    document = administrative_page(Document())
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    unit = event.lead_unit
    if unit.parent is not None:
        _centred(left, unit.parent.name_vi.upper(), size=12)
    _centred(left, unit.name_vi.upper(), bold=True, size=12)
    _centred(right, MOTTO, bold=True, size=12)
    _centred(right, MOTTO_LINE2, bold=True, underline=True)
    _centred(right, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", italic=True)
    _centred(document, "GIẤY CHỨNG NHẬN", bold=True, size=16)
    _centred(document, "Hoàn thành lớp bồi dưỡng", bold=True, size=14)
    person = nomination.user
    _line(document, "Chứng nhận ông/bà", person.name)
    if person.title:
        _line(document, "Chức vụ", person.title)
    _line(document, "Đơn vị", nomination.unit.name_vi)
    _line(document, "Đã hoàn thành lớp", event.title_vi)
    _line(document, "Thời gian", f"từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}")
    _line(document, "Nội dung", "; ".join(t.title_vi for t in course.topics))
    _line(document, "Số buổi có mặt", f"{present}/{len(event.programme)}")
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(f"THỦ TRƯỞNG {unit.name_vi.upper()}").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
