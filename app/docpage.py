"""The page of every .docx the app writes: A4 with the margins of Decree 30/2020/NĐ-CP.

Decree 30/2020/NĐ-CP on administrative documents, Appendix I, section I.3: A4 paper
(210 × 297 mm), top and bottom margins 20–25 mm, left 30–35 mm, right 15–20 mm. The margins
are settings (``documents.margin_*_mm``) an administrator edits within those ranges; their
defaults are the low end of each range (what the decree's sample layouts use for a portrait
page).
"""
from docx.shared import Mm

from app.i18n import _l
from app.settings import define, group, setting, types

A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
_BASIS = "Nghị định 30/2020/NĐ-CP, Phụ lục I"

group("documents", _l("Documents (.docx)"))
# side -> (label, default, lowest, highest): the decree's range of each margin.
_MARGINS = {
    "top": (_l("Top margin of documents"), 20, 20, 25),
    "bottom": (_l("Bottom margin of documents"), 20, 20, 25),
    "left": (_l("Left margin of documents"), 30, 30, 35),
    "right": (_l("Right margin of documents"), 15, 15, 20),
}
for _side, (_label, _default, _low, _high) in _MARGINS.items():
    define(f"documents.margin_{_side}_mm", _label, types.MILLIMETRES, _default,
           legal_basis=_BASIS, verified=True, minimum=_low, maximum=_high,
           help=_l("Every Word file the app writes (briefing notes, reports, letters, "
                   "certificates) is on A4 paper with these margins."))


def margins_mm() -> dict[str, int]:
    """The margins in force, in millimetres: {"top": …, "bottom": …, "left": …, "right": …}."""
    return {side: setting(f"documents.margin_{side}_mm") for side in _MARGINS}


def administrative_page(document):
    """Set every section of ``document`` (python-docx) to A4 portrait with the decree's margins."""
    margins = margins_mm()
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    return document
