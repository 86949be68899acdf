"""One date style per context, A4 documents with Decree 30/2020 margins, no doubled titles.

Issue 16, item 7.
"""
import io
import re
from datetime import UTC, date, datetime

import pytest
from docx import Document
from flask import render_template_string

from app.auth.roles import Role
from app.docpage import administrative_page
from app.extensions import db
from app.i18n import format_day, format_moment
from app.press.defaults import briefing_titles, with_prefix
from app.press.models import BriefingKind
from app.settings import registry, services
from app.settings.models import DomainSetting, SettingChange
from app.spokespeople import notes
from tests.helpers import count, log_in

LEFT_MARGIN = "/admin/settings/documents.margin_left_mm"
MOMENT = datetime(2026, 12, 5, 1, 5, 33, tzinfo=UTC)  # 08:05:33 in Hà Nội


def test_one_style_per_context_four_digit_years_no_seconds_day_month_year(app):
    with app.test_request_context():
        assert format_moment(MOMENT, "short", locale="vi") == "5/12/2026, 08:05"
        assert format_moment(MOMENT, "short", locale="en") == "05/12/2026, 08:05"
        assert format_moment(MOMENT, "medium", locale="vi") == "5 thg 12, 2026, 08:05"
        assert format_moment(MOMENT, "medium", locale="en") == "5 Dec 2026, 08:05"
        assert format_moment(MOMENT, "long", "Asia/Tokyo", locale="en") == "5 December 2026, 10:05"
        assert format_day(date(2026, 12, 5), "full", locale="en") == "Saturday, 5 December 2026"
        for style in ("short", "medium", "long", "full"):
            for locale in ("vi", "en"):
                text = format_moment(MOMENT, style, locale=locale)
                assert "2026" in text
                assert ":33" not in text
                assert not re.search(r"\b26\b", text.replace("2026", ""))
        # Templates' Flask-Babel filters are ours: the same styles everywhere.
        shown = render_template_string("{{ m|datetimeformat('short') }} | {{ d|dateformat('medium') }}",
                                       m=MOMENT, d=date(2026, 12, 5))
        assert shown == "5/12/2026, 08:05 | 5 thg 12, 2026"


def test_no_doubled_titles():
    assert with_prefix("Họp báo: ", "Họp báo định kỳ của UBND tỉnh") == "Họp báo định kỳ của UBND tỉnh"
    assert with_prefix("Họp báo: ", "HỌP BÁO quý IV") == "HỌP BÁO quý IV"
    assert with_prefix("Họp báo: ", "Lễ hội cồng chiêng") == "Họp báo: Lễ hội cồng chiêng"
    assert briefing_titles(BriefingKind.PRE_EVENT, "Họp báo định kỳ", "Periodic press conference") \
        == ("Họp báo định kỳ", "Periodic press conference")
    assert briefing_titles(BriefingKind.RESULTS, "Đón Đoàn Attapeu", "") == \
        ("Thông tin kết quả: Đón Đoàn Attapeu", "")


def test_note_docx_is_a4_with_decree_30_margins_and_no_doubled_title(note_setting, client):
    _unit, speaker, briefing, note, protocol = note_setting
    assert briefing.title_vi.startswith("Họp báo")
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp."))
    notes.submit(speaker, note, 1)
    notes.review(protocol, note, 1, approve=True)
    log_in(client, speaker)
    response = client.get(f"/notes/{note.id}.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Họp báo: Họp báo" not in text
    assert briefing.title_vi in text
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        # Word keeps margins in twips (1/1440 inch): allow its rounding, 0.05 mm.
        for margin, low, high in ((section.top_margin, 20, 25), (section.bottom_margin, 20, 25),
                                  (section.left_margin, 30, 35), (section.right_margin, 15, 20)):
            assert low - 0.05 <= margin.mm <= high + 0.05


def _margins_mm(section) -> tuple[int, int, int, int]:
    return tuple(round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                       section.left_margin, section.right_margin))


def test_the_margins_are_settings_with_the_decree_as_basis(app):
    for side, default in (("top", 20), ("bottom", 20), ("left", 30), ("right", 15)):
        definition = registry.get(f"documents.margin_{side}_mm")
        assert (definition.default, definition.verified) == (default, True)
        assert definition.legal_basis == "Nghị định 30/2020/NĐ-CP, Phụ lục I"
    # Every .docx (notes, reports, letters, certificates) gets its page from docpage.
    services.change("documents.margin_top_mm", value="25")
    services.change("documents.margin_right_mm", value="20")
    db.session.commit()
    with app.test_request_context():
        assert _margins_mm(administrative_page(Document()).sections[0]) == (25, 20, 30, 20)


def test_a_margin_changed_on_the_admin_page_is_in_the_next_docx(note_setting, client, make_user):
    _unit, speaker, _briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp."))
    db.session.commit()
    log_in(client, make_user(Role.ADMIN))
    form = client.get(LEFT_MARGIN).get_data(as_text=True)
    assert "Nghị định 30/2020/NĐ-CP, Phụ lục I" in form
    response = client.post(LEFT_MARGIN, data={
        "value": "35", "legal_basis": "Nghị định 30/2020/NĐ-CP, Phụ lục I", "verified": "y"})
    assert response.status_code == 302
    log_in(client, speaker)
    document = Document(io.BytesIO(client.get(f"/notes/{note.id}.docx").data))
    assert _margins_mm(document.sections[0]) == (20, 20, 35, 15)


@pytest.mark.parametrize("value", ["29", "36", "3 cm"])
def test_a_margin_out_of_the_decree_range_is_refused_and_nothing_saved(client, make_user, value):
    log_in(client, make_user(Role.ADMIN))
    response = client.post(LEFT_MARGIN, data={"value": value, "legal_basis": "x", "verified": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("Nhập một số từ 30 đến 35" if value != "3 cm" else "Nhập một số nguyên") in page
    assert count(DomainSetting) == 0
    assert count(SettingChange) == 0
