"""Input at the edges: each crash the security probe found, and the rules that prevent them."""
import importlib
import io
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from docx import Document
from flask_wtf import FlaskForm
from wtforms import Form

import app as app_package
from app.auth.models import LoginAttempt
from app.auth.roles import Role
from app.checklists.models import SubmissionAttachment
from app.events.models import Event
from app.events.signals import event_saved
from app.extensions import db
from app.feeds.models import FeedToken
from app.forms import BaseForm, SubForm
from app.idempotency import issue
from app.inputs import (
    SPAN_DAYS,
    canonical_zones,
    country_code,
    is_canonical_zone,
    parse_sql_int,
    safe_filename,
    single_line,
)
from app.notifications import sending
from app.notifications.models import NotificationPreference
from app.notifications.rules import Rules, load_rules
from app.settings.services import change
from app.spokespeople import notes
from tests.fixtures_checklists import provide_item
from tests.fixtures_events import form_fields
from tests.helpers import log_in, nothing_written

TOO_BIG = str(2**31)  # ids are SQL INTEGERs: 32 bits on PostgreSQL


# --- ids --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/events/{TOO_BIG}", f"/events/{2**63}", f"/events/{2**64}", f"/events/{TOO_BIG}.ics",
    f"/notes/{TOO_BIG}.docx", f"/checklists/items/{TOO_BIG}", f"/events/{'9' * 5000}", f"/admin/users/{TOO_BIG}/edit",
])
def test_ids_beyond_the_integer_columns_are_not_found(client, login, path):
    login(Role.ADMIN)
    assert client.get(path).status_code == 404


def test_the_largest_id_is_looked_up_and_not_found(client, login):
    login(Role.ADMIN)
    assert client.get(f"/events/{2**31 - 1}").status_code == 404
    assert client.post(f"/events/{2**31 - 1}/status", data={"status": "held"}).status_code == 404


@pytest.mark.parametrize("query", [
    f"/events/?unit={TOO_BIG}", f"/events/?page={TOO_BIG}",
    f"/spokespeople/qa?note={TOO_BIG}&pull={TOO_BIG}", f"/notes/?version={TOO_BIG}",
])
def test_too_large_ids_in_query_parameters_count_as_absent(client, login, query):
    login(Role.ADMIN)
    assert client.get(query).status_code == 200


def test_too_large_ids_in_select_fields_are_field_errors(client, login):
    login(Role.PROTOCOL)
    response = client.post("/events/new", data=form_fields(TOO_BIG, venue_id=TOO_BIG,
                                                          host_ids=[TOO_BIG]))
    assert response.status_code == 200
    assert "Số này nằm ngoài phạm vi cho phép." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_too_large_ids_in_integer_fields_are_field_errors(client, login):
    login(Role.VIEWER)
    response = client.post("/feeds/new", data={
        "name": "Lịch", "language": "vi", "detail": "press_safe", "alarms": "none",
        "days_back": "30", "days_ahead": "60", "delegation_event_id": TOO_BIG})
    assert response.status_code == 200
    assert "Số này nằm ngoài phạm vi cho phép." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0


@pytest.mark.parametrize("number", [TOO_BIG, str(2**63)])
def test_a_too_large_id_read_from_a_form_before_validation_is_not_looked_up(client, login,
                                                                          make_briefing, number):
    login(Role.ADMIN)
    briefing = make_briefing()
    response = client.post(f"/spokespeople/briefings/{briefing.id}",
                           data={"unit_id": number, "user_id": number, "role": "lead"})
    assert response.status_code == 200


@pytest.mark.parametrize(("text", "ok"), [
    ("12", True), ("-3", True), (str(2**31 - 1), True), (str(-(2**31)), True), (TOO_BIG, False),
    (str(2**63), False), ("1" * 5000, False), ("x", False)])
def test_parse_sql_int(text, ok):
    if ok:
        assert parse_sql_int(text) == int(text)
    else:
        with pytest.raises(ValueError, match="out of range|invalid literal"):
            parse_sql_int(text)


# --- dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "/events/?from=0001-01-01&to=9999-12-31", "/events/?from=9999-12-31",
    "/events/?to=0001-01-01", "/calendar?view=week&date=0001-01-01",
    "/calendar?date=9999-12-31", "/calendar/print?week=0001-01-01",
    "/checklists/overview?from=0001-01-01&to=9999-12-31",
])
def test_extreme_dates_in_filters_are_ignored(client, login, query):
    login(Role.ADMIN)
    response = client.get(query)
    assert response.status_code == 200


def test_an_extreme_date_filter_falls_back_to_the_default(client, login, make_event):
    login(Role.ADMIN)
    make_event(title_vi="Sự kiện năm 2026")
    page = client.get("/events/?from=0001-01-01&to=").get_data(as_text=True)
    assert "Sự kiện năm 2026" in page  # "from" ignored: no lower bound, as for "from="


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_extreme_dates_in_event_forms_get_a_clear_message(client, login, make_unit, day):
    login(Role.PROTOCOL)
    response = client.post("/events/new", data=form_fields(make_unit().id, start_date=day,
                                                          end_date=day))
    assert response.status_code == 200
    assert "Nhập ngày trong khoảng từ năm 2000 đến năm 2100." in response.get_data(as_text=True)


def test_extreme_dates_in_other_forms_get_a_clear_message(client, login, make_briefing):
    user = login(Role.ADMIN)
    response = client.post("/feeds/new", data={
        "name": "Lịch", "language": "vi", "detail": "press_safe", "alarms": "none",
        "days_back": "30", "days_ahead": "60", "expires_on": "9999-12-31"})
    assert "Nhập ngày trong khoảng từ năm 2000 đến năm 2100." in response.get_data(as_text=True)
    briefing = make_briefing()
    response = client.post(f"/briefings/{briefing.id}/edit", data={
        "title_vi": "Họp báo", "starts_at": "9999-12-31T23:30", "ends_at": "9999-12-31T23:59",
        "status": "scheduled", "visibility": "internal"})
    assert response.status_code in (200, 400)
    assert "Nhập ngày trong khoảng từ năm 2000 đến năm 2100." in response.get_data(as_text=True)
    assert user is not None


# --- the pager ----------------------------------------------------------------------------

def test_the_pager_carries_only_the_list_filters(app, client, login, make_event):
    app.config["PAGE_SIZE"] = 1
    login(Role.ADMIN)
    for n in range(3):
        make_event(title_vi=f"Sự kiện {n}")
    response = client.get("/events/?from=&kind=political&endpoint=x&_method=POST&_external=1"
                          "&_anchor=a&_scheme=ftp&page=1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "kind=political" in link
    assert "page=2" in link
    for unwanted in ("endpoint", "_method", "_external", "_anchor", "_scheme", "ftp"):
        assert unwanted not in link


# --- text ------------------------------------------------------------------------------------

def test_control_characters_are_stripped_from_every_form_field(client, login, make_unit):
    login(Role.PROTOCOL)
    response = client.post("/events/new", data=form_fields(
        make_unit().id, title_vi="Hội\x00 nghị\x07 \r\nđối ngoại\t2026",
        description_vi="Dòng 1\r\nDòng\x00 2\x1b", location="Hội\x0b trường"))
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert event.title_vi == "Hội nghị đối ngoại 2026"  # one line: breaks and tabs become a space
    assert event.description_vi == "Dòng 1\r\nDòng 2"  # multi-line text keeps its line breaks
    assert event.location == "Hội trường"


def test_a_nul_byte_in_an_anonymous_login_is_a_wrong_password(client):
    response = client.post("/login", data={"email": "ai\x00@example.com", "password": "x\x00y"})
    assert response.status_code == 200
    assert "Sai địa chỉ thư điện tử hoặc mật khẩu." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(LoginAttempt.email)) == "ai@example.com"


def test_nul_bytes_in_query_parameters_are_removed(client, login, make_event):
    login(Role.ADMIN)
    make_event(title_vi="Hội nghị xúc tiến")
    response = client.get("/events/?from=&q=H%E1%BB%99i%00 ngh%E1%BB%8B&kind=%00")
    assert response.status_code == 200
    assert "Hội nghị xúc tiến" in response.get_data(as_text=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("a\r\nb", "a b"), ("a\x00b", "ab"), ("a\u2028b\tc", "a b c"), ("Hội nghị", "Hội nghị")])
def test_single_line(text, expected):
    assert single_line(text) == expected


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_gets_the_edge_filters(app):
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    forms = {f for f in _subclasses(Form) if f.__module__.startswith("app.")}
    assert len(forms) > 25
    assert sorted(f.__qualname__ for f in forms if not issubclass(f, (BaseForm, SubForm))) == []
    assert sorted(f.__qualname__ for f in forms
                  if issubclass(f, FlaskForm) and not issubclass(f, BaseForm)) == []


# --- briefing note .docx -------------------------------------------------------------------

def test_a_control_character_in_a_note_does_not_break_its_docx(client, note_setting):
    _unit, speaker, _briefing, note, _protocol = note_setting
    log_in(client, speaker)
    response = client.post(f"/notes/{note.id}/edit", data={
        "base_number": "0", "key_messages_vi": "Thông\x0b điệp\x01 chính\x00",
        "figures-0-figure": "12\x1f", "figures-0-source": "Cục\x1e Thống kê",
        "answers-0-question_vi": "Hỏi\x02?",
        "answers-0-answer_vi": "Đáp\x03."})
    assert response.status_code == 302
    document = Document(io.BytesIO(client.get(f"/notes/{note.id}.docx?version=1").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Thông điệp chính" in text
    assert "Hỏi 1: Hỏi?" in text


def test_a_note_stored_with_control_characters_still_gives_a_docx(client, note_setting):
    _unit, speaker, _briefing, note, _protocol = note_setting
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Cũ\x01 nội\x1b dung"))
    db.session.commit()
    log_in(client, speaker)
    response = client.get(f"/notes/{note.id}.docx?version=1")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "Cũ nội dung" in text


# --- uploads ------------------------------------------------------------------------------

def test_a_nul_byte_in_an_upload_name_is_removed_and_the_download_works(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    response = client.post(f"/checklists/items/{item.id}/submit", data={
        "text": "Báo cáo", "attachments": [(io.BytesIO(b"%PDF-1.4"), "..\\Báo\x00 cáo\x07.pdf")],
        "version": str(item.version), "form_token": issue()},
        content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalar(sa.select(SubmissionAttachment))
    assert attachment.original_name == "Báo cáo.pdf"
    download = client.get(f"/checklists/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"Bao cao.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf")


def test_an_upload_name_stored_with_a_nul_byte_still_downloads(client, setting, uploads):
    item = provide_item(setting, setting.coord_a)
    log_in(client, setting.focal_a)
    client.post(f"/checklists/items/{item.id}/submit", data={
        "text": "x", "attachments": [(io.BytesIO(b"Xin chao"), "ghi-chu.txt")],
        "version": str(item.version), "form_token": issue()},
        content_type="multipart/form-data")
    attachment = db.session.scalar(sa.select(SubmissionAttachment))
    if db.engine.dialect.name == "sqlite":  # PostgreSQL could never have stored it
        attachment.original_name = "ghi\x00chú\n.txt"
        db.session.commit()
    download = client.get(f"/checklists/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith("filename*=UTF-8''ghich%C3%BA.txt") \
        or download.headers["Content-Disposition"].endswith("filename*=UTF-8''ghi-chu.txt")
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"  # one charset


@pytest.mark.parametrize(("name", "expected"), [
    ("a\x00b.pdf", "ab.pdf"), ("../../etc/passwd", "passwd"), ("C:\\tmp\\x.docx", "x.docx"),
    ('"q"<>|*?.txt', "q.txt"), ("", "file"), ("..", "file"), ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


# --- e-mail headers ---------------------------------------------------------------------------

def test_a_line_break_in_a_title_does_not_block_the_events_emails(app, clock, smtp, make_user,
                                                                   make_event, make_unit):
    clock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    unit = make_unit()
    host = make_user(Role.FOCAL, unit=unit, name="Lê Văn\r\nHùng, Sở")
    event = make_event(lead_unit=unit, title_vi="Hội nghị\r\nBcc: ai@example.com")
    event.hosts = [host]
    old = event.starts_at
    event.starts_at = old + timedelta(hours=2)
    event.ends_at = event.starts_at + timedelta(hours=2)
    db.session.flush()
    event_saved.send(event, actor=None, changes={"starts_at": (old, event.starts_at)},
                     created=False)
    db.session.commit()
    sending.run()
    [message] = smtp.to(host.email)
    assert message["Subject"] == "Đã thay đổi thời gian: Hội nghị Bcc: ai@example.com"
    assert message["Bcc"] is None
    assert message["To"].addresses[0].display_name == "Lê Văn Hùng, Sở"


# --- time zones ------------------------------------------------------------------------------

@pytest.mark.parametrize(("zone", "ok"), [
    ("Asia/Ho_Chi_Minh", True), ("Asia/Vientiane", True), ("Asia/Phnom_Penh", True),
    ("UTC", True), ("localtime", False), ("Factory", False), ("posixrules", False),
    ("Asia/Saigon", False), ("US/Eastern", False), ("", False), ("../etc", False),
])
def test_only_canonical_iana_zones(zone, ok):
    assert is_canonical_zone(zone) is ok


def test_every_zone_offered_in_the_event_form_is_canonical(app):
    from app.events.display import PRIORITY_ZONES, zone_choices
    with app.test_request_context():
        offered = [zone for zone, _label in zone_choices()]
    assert offered[:5] == PRIORITY_ZONES
    assert set(offered) == canonical_zones()


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
def test_events_and_preferences_refuse_non_canonical_zones(client, login, make_unit, zone):
    user = login(Role.PROTOCOL)
    page = client.post("/events/new", data=form_fields(make_unit().id, timezone=zone))
    assert f"Múi giờ không hợp lệ: {zone}." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    page = client.post("/notifications/settings", data={"mode": "digest", "timezone": zone})
    assert page.status_code in (200, 400)
    assert db.session.get(NotificationPreference, user.id) is None


# --- values stored now, used later ------------------------------------------------------------

@pytest.mark.parametrize("name", ["overdue_every_days", "overdue_limit", "due_soon_days"])
def test_reminder_rules_too_large_for_date_arithmetic_are_refused(client, login, name):
    login(Role.ADMIN)
    with nothing_written():
        response = client.post(f"/admin/settings/reminders.{name}", data={"value": "5000"})
    assert response.status_code == 200
    assert "Nhập một số từ 1 đến 1000." in response.get_data(as_text=True)
    assert load_rules() == Rules()  # nothing stored
    sending.run()  # and the sender still runs


def test_the_largest_reminder_rules_still_leave_the_sender_running(app, setting):
    """1000 overdue notices every 1000 days look back further than the calendar reaches."""
    change("reminders.overdue_every_days", value="1000")
    change("reminders.overdue_limit", value="1000")
    db.session.commit()
    assert load_rules().lookback == timedelta(days=SPAN_DAYS)
    sending.run()


def test_an_outlet_name_with_capital_vietnamese_letters_typed_twice_is_a_clear_error(client,
                                                                                     login):
    login(Role.LIAISON)
    data = {"name": "Đài Phát thanh và Truyền hình Quảng Ngãi", "scope": "domestic"}
    assert client.post("/press/outlets/new", data=data).status_code == 302
    again = client.post("/press/outlets/new", data=data)
    assert again.status_code == 400
    assert "Đã có cơ quan báo chí với tên này." in again.get_data(as_text=True)


@pytest.mark.parametrize(("typed", "code"), [
    ("LA", "LA"), ("la", "LA"), ("Lào", "LA"), ("lao", "LA"), ("Laos", "LA"),
    ("Campuchia", "KH"), ("Cambodia", "KH"), ("Nhật Bản", "JP"), ("Japan", "JP"),
    ("EU", ""), ("Attapeu", ""), ("", ""), (None, "")])
def test_a_country_is_named_or_given_by_its_code(typed, code):
    """People name countries in Vietnamese or English; Babel's groupings (EU) are no country."""
    assert country_code(typed) == code
