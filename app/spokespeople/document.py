"""A note version as sections of text: for the screen, the diff, print and the .docx file."""
import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.docpage import administrative_page
from app.i18n import _
from app.inputs import strip_controls
from app.press.defaults import with_prefix
from app.spokespeople.models import BriefingNoteVersion

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE2 = "Độc lập - Tự do - Hạnh phúc"
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sections(version: BriefingNoteVersion, lang: str = "vi") -> list[Section]:
    """The five sections in ``lang`` ("vi" or "en"); headings in the interface language."""
    en = lang == "en"
    pick = (lambda v, e: e) if en else (lambda v, e: v)
    answers = []
    for n, a in enumerate(version.answers, 1):
        question, answer = pick(a.question_vi, a.question_en), pick(a.answer_vi, a.answer_en)
        if question:
            answers += [_("Q%(n)d: %(text)s", n=n, text=question),
                        _("A%(n)d: %(text)s", n=n, text=answer)]
    figures = [_("%(figure)s (source: %(source)s)", figure=f["figure"], source=f["source"])
               for f in version.figures or []]
    return [
        Section("key_messages", _("Key messages"),
                _paragraphs(pick(version.key_messages_vi, version.key_messages_en))),
        Section("background", _("Background facts"),
                _paragraphs(pick(version.background_vi, version.background_en))),
        Section("figures", _("Figures and sources"), figures),
        Section("answers", _("Anticipated questions and answers"), answers),
        Section("red_lines", _("Lines not to cross"),
                _paragraphs(pick(version.red_lines_vi, version.red_lines_en))),
    ]


def has_english(version: BriefingNoteVersion) -> bool:
    return any((version.key_messages_en, version.background_en, version.red_lines_en,
                *(a.question_en for a in version.answers)))


def text_lines(version: BriefingNoteVersion) -> list[str]:
    """Both languages as plain lines with section headings, for comparing versions."""
    lines = []
    for lang, label in (("vi", _("Vietnamese")), ("en", _("English"))):
        if lang == "en" and not has_english(version):
            continue
        for section in sections(version, lang):
            lines.append(f"## {section.heading} ({label})")
            lines += section.paragraphs or ["—"]
    return lines


def _set_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)


def _centred(cell_or_doc, text: str, *, bold=False, italic=False, underline=False, size=None):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(strip_controls(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def build_docx(version: BriefingNoteVersion, *, unit_name: str, parent_unit_name: str,
               briefing_title: str, place: str, day: date, approved_by: str | None) -> bytes:
    """A Vietnamese administrative document: motto header, unit, title, place/date, sections.

    Written in Vietnamese whatever the interface language, as notes circulate as Word files.
    """
    document = administrative_page(Document())
    _set_font(document)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _centred(left, parent_unit_name.upper(), size=12)
    _centred(left, unit_name.upper(), bold=True, size=12)
    _centred(right, MOTTO, bold=True, size=12)
    _centred(right, MOTTO_LINE2, bold=True, underline=True)
    _centred(right, f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
             italic=True)
    _centred(document, "ĐỀ CƯƠNG PHÁT NGÔN", bold=True, size=14)
    _centred(document, with_prefix("Họp báo: ", briefing_title), bold=True)
    status = (f"Phiên bản {version.number}, đã được {approved_by} phê duyệt" if approved_by
              else f"Phiên bản {version.number} (chưa phê duyệt)")
    _centred(document, status, italic=True, size=11)
    headings = {"key_messages": "Thông điệp chính", "background": "Thông tin nền",
                "figures": "Số liệu và nguồn", "answers": "Câu hỏi dự kiến và trả lời",
                "red_lines": "Những nội dung không đề cập"}
    # Figures and answers spelled out in Vietnamese, whatever the interface language.
    vietnamese = {
        "figures": [f"{f['figure']} (nguồn: {f['source']})" for f in version.figures or []],
        "answers": [line for n, a in enumerate(version.answers, 1)
                    for line in (f"Hỏi {n}: {a.question_vi}", f"Đáp {n}: {a.answer_vi}")],
    }
    for n, section in enumerate(sections(version, "vi")):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{ROMAN[n]}. {headings[section.key].upper()}").bold = True
        for text in vietnamese.get(section.key, section.paragraphs) or ["—"]:
            body = document.add_paragraph(strip_controls(text))  # XML refuses control characters
            body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            body.paragraph_format.first_line_indent = Pt(28)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
