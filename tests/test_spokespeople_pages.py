"""Every spokespeople page renders in both languages; forms re-render with their messages."""
import pytest

from app.auth.roles import Role
from app.extensions import db
from app.spokespeople import assignments, notes
from app.spokespeople.models import AssignmentRole
from tests.fixtures_spokespeople import NOW


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_pages_render(client, login, clock, make_unit, make_user, make_briefing, make_event,
                      designate, authorise, locale):
    clock(NOW)
    admin = login(Role.ADMIN, locale=locale)
    unit = make_unit()
    speaker = make_user(Role.SPOKESPERSON, unit=unit)
    designate(speaker, unit)
    from datetime import date
    authorise(make_user(Role.FOCAL, unit=unit), unit, date(2026, 12, 1), date(2026, 12, 31))
    briefing = make_briefing(event=make_event(lead_unit=unit), timezone="Asia/Bangkok")
    assignments.assign(admin, briefing, speaker, unit, AssignmentRole.LEAD)
    note = notes.start_note(admin, briefing)
    notes.save_version(admin, note, 0, notes.NoteContent(key_messages_vi="Thông điệp",
                                                          key_messages_en="Message"))
    notes.save_version(admin, note, 1, notes.NoteContent(key_messages_vi="Thông điệp mới"))
    db.session.commit()
    for path in ["/spokespeople/", "/spokespeople/designations/new",
                 "/spokespeople/authorisations/new", "/spokespeople/briefings/",
                 f"/spokespeople/briefings/{briefing.id}", "/spokespeople/qa?q=a&partner=LA",
                 "/notes/", f"/notes/{note.id}", f"/notes/{note.id}?version=1",
                 f"/notes/{note.id}/edit", f"/notes/{note.id}/diff", f"/notes/{note.id}/print",
                 "/spokespeople/directory", "/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    listing = client.get("/spokespeople/briefings/").get_data(as_text=True)
    assert {"vi": "(Giờ Thái Lan)", "en": "(Thailand Time)"}[locale] in listing  # named, not coded
    assert "Asia/Bangkok" not in listing
    assert client.get(f"/notes/{note.id}?version=7").status_code == 404


def test_forms_keep_their_input_on_errors(client, login, make_unit, make_user):
    login(Role.PROTOCOL)
    unit = make_unit()
    person = make_user(Role.SPOKESPERSON, unit=unit)
    response = client.post("/spokespeople/designations/new", data={
        "unit_id": unit.id, "user_id": person.id, "title": "Người phát ngôn Sở",
        "since": "2026-12-10", "until": "2026-12-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ngày kết thúc trước ngày bắt đầu." in page
    assert "Người phát ngôn Sở" in page


def test_a_bad_review_or_submit_is_a_message_not_an_error(client, login, make_unit, make_event,
                                                          make_briefing):
    unit = make_unit()
    login(Role.FOCAL, unit=unit, is_unit_head=True)
    briefing = make_briefing(event=make_event(lead_unit=unit))
    response = client.post(f"/spokespeople/briefings/{briefing.id}/note")
    note_path = response.headers["Location"].removesuffix("/edit")
    response = client.post(note_path + "/edit", data={"base_number": 0, "key_messages_vi": ""})
    assert "Cần viết ít nhất phần thông điệp chính bằng tiếng Việt." in response.get_data(as_text=True)
    client.post(note_path + "/edit", data={"base_number": 0, "key_messages_vi": "Nội dung"})
    response = client.post(note_path + "/review", data={"number": 1, "decision": "approve"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Chỉ có thể duyệt hoặc trả lại phiên bản đã trình." in response.get_data(as_text=True)
    response = client.post(note_path + "/submit", data={"number": 5}, follow_redirects=True)
    assert "không còn là phiên bản mới nhất" in response.get_data(as_text=True)


def test_a_unit_head_keeps_only_their_own_units_roster(client, login, make_unit, make_user):
    unit, other = make_unit(), make_unit()
    login(Role.FOCAL, unit=unit, is_unit_head=True)
    page = client.get("/spokespeople/designations/new").get_data(as_text=True)
    assert f'value="{unit.id}"' in page
    assert f'<option value="{other.id}"' not in page
    person = make_user(Role.SPOKESPERSON, unit=other)
    response = client.post("/spokespeople/designations/new", data={
        "unit_id": other.id, "user_id": person.id, "title": "Người phát ngôn", "since": "2026-12-01"})
    assert response.status_code == 200  # not a choice: the form says so, nothing saved
    from app.spokespeople.models import SpokespersonDesignation
    assert db.session.query(SpokespersonDesignation).count() == 0


def test_people_who_keep_no_roster_are_not_offered_its_forms(client, login):
    login(Role.SPOKESPERSON)
    assert "Giao người phát ngôn" not in client.get("/spokespeople/").get_data(as_text=True)
    assert client.post("/spokespeople/designations/new", data={}).status_code == 200


def test_the_briefing_panel_renders_for_a_briefing(app, client, login, make_unit, make_user,
                                                   make_event, make_briefing, designate, clock):
    """The template the briefing pages will include (context: ``briefing``)."""
    from flask import render_template_string
    clock(NOW)
    unit = make_unit()
    protocol = login(Role.PROTOCOL)
    speaker = make_user(Role.SPOKESPERSON, unit=unit, name="Phạm Minh Tuấn")
    designate(speaker, unit)
    briefing = make_briefing(event=make_event(lead_unit=unit))
    assignments.assign(protocol, briefing, speaker, unit, AssignmentRole.LEAD)
    db.session.commit()
    with app.test_request_context("/"):
        from flask_login import login_user
        login_user(protocol)
        html = render_template_string('{% include "spokespeople/_briefing_panel.html" %}',
                                      briefing=briefing)
    assert "Phạm Minh Tuấn" in html
    assert f"/spokespeople/briefings/{briefing.id}" in html
