"""The page of every .docx the app writes: A4 with the margins of Decree 30/2020/NĐ-CP.

Decree 30/2020/NĐ-CP on administrative documents, Appendix I, section I.3: A4 paper
(210 × 297 mm), top and bottom margins 20–25 mm, left 30–35 mm, right 15–20 mm. The app uses
the low end of each range (what the decree's sample layouts use for a portrait page).
"""
from docx.shared import Mm

A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


def administrative_page(document):
    """Set every section of ``document`` (python-docx) to A4 portrait with the decree's margins."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    return document
