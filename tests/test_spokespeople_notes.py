"""Briefing notes: versions, diff, review, locking, visibility, races, Q&A bank, output."""
import io

import pytest
from docx import Document

from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events.models import Delegation, DelegationDirection, Visibility
from app.extensions import db
from app.spokespeople import assignments, notes
from app.spokespeople.models import BriefingNote, NoteStatus
from tests.helpers import log_in, nothing_written


def content(key="Tỉnh chào đón đoàn Attapeu.", **fields):
    return notes.NoteContent(key_messages_vi=key, **fields)


def test_every_save_is_a_new_version_and_approval_locks_it(note_setting, make_user):
    _unit, speaker, _briefing, note, protocol = note_setting
    v1 = notes.save_version(speaker, note, 0, content())
    v2 = notes.save_version(speaker, note, 1, content("Hợp tác giáo dục là trọng tâm.",
                                                     figures=[{"figure": "120 tỷ đồng",
                                                               "source": "Sở KH&ĐT"}]))
    assert (v1.number, v2.number, note.latest_number) == (1, 2, 2)
    assert v1.key_messages_vi == "Tỉnh chào đón đoàn Attapeu."
    notes.submit(speaker, note, 2)
    notes.review(protocol, note, 2, approve=True)
    assert note.status is NoteStatus.APPROVED
    assert note.approved_number == 2
    v3 = notes.save_version(speaker, note, 2, content("Sửa sau duyệt"))
    assert v3.status is NoteStatus.DRAFT
    assert note.status is NoteStatus.DRAFT
    assert v2.status is NoteStatus.APPROVED
    assert v2.key_messages_vi == "Hợp tác giáo dục là trọng tâm."
    assert note.approved_number == 2


def test_half_filled_pairs_are_refused(note_setting):
    _unit, speaker, _briefing, note, _protocol = note_setting
    with pytest.raises(ValidationFailed) as refused:
        notes.save_version(speaker, note, 0, content(figures=[{"figure": "5%", "source": ""}]))
    assert refused.value.field == "figures"
    with pytest.raises(ValidationFailed):
        notes.save_version(speaker, note, 0, content(answers=[notes.Answer("Hỏi?", "")]))
    with pytest.raises(ValidationFailed):
        notes.save_version(speaker, note, 0, content(key=""))


def test_a_sensitive_event_needs_steering(note_setting, make_user):
    unit, speaker, briefing, note, protocol = note_setting
    briefing.event.is_sensitive = True
    db.session.commit()
    notes.save_version(speaker, note, 0, content())
    notes.submit(speaker, note, 1)
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    for reviewer in (protocol, head):
        with nothing_written(), pytest.raises((PermissionDenied, NotVisible)):
            notes.review(reviewer, note, 1, approve=True)
    assert note.status is NoteStatus.SUBMITTED
    assert note.approved_number is None
    notes.review(make_user(Role.STEERING), note, 1, approve=True)
    assert note.status is NoteStatus.APPROVED


def test_the_lead_unit_head_approves_an_ordinary_note_but_a_member_cannot(note_setting, make_user):
    unit, speaker, _briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    notes.submit(speaker, note, 1)
    member, steering = make_user(Role.FOCAL, unit=unit), make_user(Role.STEERING)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            notes.review(member, note, 1, approve=True)
        with pytest.raises(PermissionDenied):
            notes.review(steering, note, 1, approve=True)
    assert note.status is NoteStatus.SUBMITTED
    assert note.approved_number is None
    with pytest.raises(ValidationFailed):  # returning needs comments
        notes.review(make_user(Role.FOCAL, unit=unit, is_unit_head=True), note, 1, approve=False)
    notes.review(make_user(Role.FOCAL, unit=unit, is_unit_head=True), note, 1, approve=False,
                 comment="Bổ sung số liệu")
    assert note.status is NoteStatus.RETURNED
    assert note.latest.review_comment == "Bổ sung số liệu"


def test_approving_a_stale_version_is_refused(note_setting):
    _unit, speaker, _briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    notes.submit(speaker, note, 1)
    notes.save_version(speaker, note, 1, content("Bản sửa"))
    with pytest.raises(ValidationFailed, match="không còn là phiên bản mới nhất"):
        notes.review(protocol, note, 1, approve=True)
    assert note.approved_number is None


def test_readers_are_the_assigned_the_lead_unit_steering_and_admin(note_setting, make_user, client):
    unit, speaker, briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    db.session.commit()
    allowed = [speaker, make_user(Role.VIEWER, unit=unit), make_user(Role.STEERING),
               make_user(Role.ADMIN)]
    denied = [make_user(Role.SPOKESPERSON), make_user(Role.LIAISON), make_user(Role.FOCAL)]
    for user in allowed:
        assert notes.can_read_briefing_notes(user, briefing), user
    for user in denied:
        assert not notes.can_read_briefing_notes(user, briefing), user
        log_in(client, user)
        for path in ("", "/edit", "/diff", "/print", ".docx"):
            assert client.get(f"/notes/{note.id}{path}").status_code == 404, (user, path)
        with nothing_written():
            assert client.post(f"/notes/{note.id}/edit", data={
                "base_number": 1, "key_messages_vi": "Sửa lén"}).status_code == 404
            assert client.post(f"/notes/{note.id}/submit", data={"number": 1}).status_code == 404
            assert client.post(f"/notes/{note.id}/review",
                               data={"number": 1, "decision": "approve"}).status_code == 404
        client.post("/logout")


def test_a_withdrawn_spokesperson_loses_access(note_setting):
    _unit, speaker, briefing, note, protocol = note_setting
    assignments.withdraw(protocol, assignments.active_assignments(briefing)[0])
    with pytest.raises(NotVisible):
        notes.require_read(speaker, note)


def test_whoever_cannot_see_the_event_gets_404(note_setting, make_user, make_unit):
    unit, speaker, briefing, _note, _protocol = note_setting
    briefing.event.visibility = Visibility.CONFIDENTIAL
    db.session.commit()
    assert not notes.can_read_briefing_notes(speaker, briefing)  # assigned, not in the unit
    assert notes.can_read_briefing_notes(make_user(Role.VIEWER, unit=unit), briefing)


def test_two_people_editing_the_same_note(note_setting, client, make_user):
    """The second save, based on an older version, is refused and keeps its text."""
    unit, speaker, _briefing, note, _protocol = note_setting
    colleague = make_user(Role.FOCAL, unit=unit)
    notes.save_version(speaker, note, 0, content())
    db.session.commit()
    notes.save_version(colleague, note, 1, content("Bản của đồng nghiệp"))
    db.session.commit()
    log_in(client, speaker)
    response = client.post(f"/notes/{note.id}/edit", data={
        "base_number": 1, "key_messages_vi": "Bản của tôi, viết cùng lúc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bản của tôi, viết cùng lúc" in page
    assert 'name="base_number" type="hidden" value="2"' in page
    db.session.expire_all()
    assert db.session.get(BriefingNote, note.id).latest_number == 2
    response = client.post(f"/notes/{note.id}/edit", data={
        "base_number": 2, "key_messages_vi": "Bản của tôi, viết cùng lúc"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(BriefingNote, note.id).latest.key_messages_vi == "Bản của tôi, viết cùng lúc"


def test_two_saves_racing_in_separate_sessions(note_setting, app):
    """Both requests read version 1 before either commits: the note's lock refuses the second."""
    from app.auth.models import User
    _unit, speaker, _briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    db.session.commit()
    db.session.expire_all()
    my_note = db.session.get(BriefingNote, note.id)
    assert my_note.latest_number == 1
    assert len(my_note.versions) == 1
    with app.app_context():  # the other request, with its own session
        notes.save_version(db.session.get(User, speaker.id), db.session.get(BriefingNote, note.id),
                           1, content("Người thứ nhất"))
        db.session.commit()
    with pytest.raises(ValidationFailed, match="cùng lúc"):
        notes.save_version(speaker, my_note, 1, content("Người thứ hai"))
    db.session.rollback()
    assert db.session.get(BriefingNote, note.id).latest.key_messages_vi == "Người thứ nhất"
    assert len(db.session.get(BriefingNote, note.id).versions) == 2


def test_an_approval_racing_a_new_save_is_refused(note_setting, app):
    """The approver opened version 1; a new version lands before the approval is written."""
    from app.auth.models import User
    _unit, speaker, _briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    notes.submit(speaker, note, 1)
    db.session.commit()
    db.session.expire_all()
    reviewer_note = db.session.get(BriefingNote, note.id)
    assert reviewer_note.latest.status is NoteStatus.SUBMITTED  # loaded before the other save
    with app.app_context():
        notes.save_version(db.session.get(User, speaker.id), db.session.get(BriefingNote, note.id),
                           1, content("Sửa gấp"))
        db.session.commit()
    with pytest.raises(ValidationFailed, match="cùng lúc"):
        notes.review(protocol, reviewer_note, 1, approve=True)
    db.session.rollback()
    assert db.session.get(BriefingNote, note.id).approved_number is None


def test_the_diff_shows_insertions_and_deletions(note_setting, client):
    _unit, speaker, _briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, content("Tỉnh chào đón đoàn Attapeu."))
    notes.save_version(speaker, note, 1, content("Tỉnh nhiệt liệt chào đón đoàn Attapeu.",
                                                 red_lines_vi="Không bình luận về biên giới."))
    db.session.commit()
    log_in(client, speaker)
    page = client.get(f"/notes/{note.id}/diff?a=1&b=2").get_data(as_text=True)
    assert "<ins>nhiệt liệt</ins>" in page or "<ins>Tỉnh nhiệt liệt</ins>" in page
    assert "<ins>Không bình luận về biên giới.</ins>" in page
    assert client.get(f"/notes/{note.id}/diff?a=1&b=9").status_code == 404


def test_submit_and_approve_through_the_pages(note_setting, client, make_user):
    _unit, speaker, _briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, content())
    db.session.commit()
    log_in(client, speaker)
    client.post(f"/notes/{note.id}/submit", data={"number": 1})
    client.post("/logout")
    log_in(client, protocol)
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    assert 'data-testid="approve"' in page
    client.post(f"/notes/{note.id}/review", data={"number": 1, "decision": "approve"})
    db.session.expire_all()
    assert db.session.get(BriefingNote, note.id).status is NoteStatus.APPROVED


def test_docx_is_an_administrative_document_with_the_text(note_setting, client):
    _unit, speaker, _briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, content(
        "Tỉnh chào đón đoàn Attapeu.", answers=[notes.Answer("Khi nào mở lại cửa khẩu?",
                                                            "Theo kế hoạch của Bộ Quốc phòng.")]))
    notes.submit(speaker, note, 1)
    notes.review(protocol, note, 1, approve=True)
    db.session.commit()
    log_in(client, speaker)
    response = client.get(f"/notes/{note.id}.docx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "SỞ NGOẠI VỤ" in header
    assert "Quảng Ngãi, ngày" in header
    assert "ĐỀ CƯƠNG PHÁT NGÔN" in text
    assert "Tỉnh chào đón đoàn Attapeu." in text
    assert "Hỏi 1: Khi nào mở lại cửa khẩu?" in text
    page = client.get(f"/notes/{note.id}/print").get_data(as_text=True)
    assert "Tỉnh chào đón đoàn Attapeu." in page
    assert "@media print" not in page


def test_the_bank_finds_approved_answers_by_topic_and_partner(note_setting, make_user, make_briefing,
                                                              make_event, client):
    unit, speaker, briefing, note, protocol = note_setting
    db.session.add(Delegation(event=briefing.event, direction=DelegationDirection.INCOMING,
                              country="LA", locality="Attapeu"))
    answer = notes.Answer("Hợp tác giáo dục với Attapeu thế nào?", "Tỉnh cấp 50 suất học bổng.")
    notes.save_version(speaker, note, 0, content(answers=[answer]))
    draft_answer = notes.Answer("Câu hỏi nháp về giáo dục?", "Chưa duyệt.")
    assert notes.search_bank(speaker, "giáo dục") == []  # not approved yet
    notes.submit(speaker, note, 1)
    notes.review(protocol, note, 1, approve=True)
    notes.save_version(speaker, note, 1, content(answers=[answer, draft_answer]))
    db.session.commit()
    found = notes.search_bank(speaker, "giáo dục")
    assert [a.question_vi for a in found] == [answer.question_vi]
    assert notes.search_bank(speaker, "", "LA") == found
    assert notes.search_bank(speaker, "", "Lào") == found  # the country by its name
    assert notes.search_bank(speaker, "", "laos") == found
    assert notes.search_bank(speaker, "", "attapeu") == found
    assert notes.search_bank(speaker, "", "KH") == []
    assert notes.search_bank(make_user(Role.LIAISON), "giáo dục") == []  # cannot read that note
    # pull into the note of another briefing
    member = make_user(Role.FOCAL, unit=unit)
    other = notes.start_note(member, make_briefing(event=make_event(lead_unit=unit)))
    db.session.commit()
    log_in(client, member)
    response = client.get(f"/spokespeople/qa?q=giáo+dục&note={other.id}&pull={found[0].id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tỉnh cấp 50 suất học bổng." in page
