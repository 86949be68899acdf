"""A partner's .ics into an event's programme: zones, UIDs remembered, malformed files."""
import io

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events.models import EventKind, ProgrammeItem
from app.extensions import db
from app.imports.models import ImportedProgrammeItem, ImportUpload
from tests.helpers import count, nothing_written

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Attapeu//Programme//LO
BEGIN:VEVENT
UID:a-1@attapeu.la
DTSTAMP:20261201T000000Z
DTSTART;TZID=Asia/Tokyo:20261210T100000
DTEND;TZID=Asia/Tokyo:20261210T113000
SUMMARY:Hội đàm
LOCATION:Trụ sở UBND tỉnh
END:VEVENT
BEGIN:VEVENT
UID:a-2@attapeu.la
DTSTAMP:20261201T000000Z
DTSTART:20261210T060000Z
DTEND:20261210T080000Z
SUMMARY:Thăm cửa khẩu Bờ Y
END:VEVENT
BEGIN:VEVENT
UID:a-3@attapeu.la
DTSTAMP:20261201T000000Z
DTSTART:20261211T090000
DTEND:20261211T100000
SUMMARY:Chiêu đãi
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def event(make_event, make_unit):
    from datetime import UTC, datetime
    return make_event(kind=EventKind.DELEGATION_IN, starts_at=datetime(2026, 12, 10, 0, 0, tzinfo=UTC),
                      ends_at=datetime(2026, 12, 11, 12, 0, tzinfo=UTC))


def items():
    return [(p.starts_at.strftime("%d %H:%M"), p.ends_at.strftime("%H:%M"), p.activity_vi)
            for p in db.session.query(ProgrammeItem).order_by(ProgrammeItem.starts_at)]


def test_import_converts_zones_and_reimport_updates_and_reports(api_as, event):
    api = api_as(Role.PROTOCOL)
    first = api.send("POST", f"/events/{event.id}/programme/import", json={"ics": CALENDAR})
    assert first.status_code == 200, first.get_json()
    assert sorted(first.get_json()["created"]) == ["a-1@attapeu.la", "a-2@attapeu.la",
                                                   "a-3@attapeu.la"]
    # Tokyo 10:00 = 01:00 UTC; 06:00Z stays; floating 09:00 in Hồ Chí Minh = 02:00 UTC.
    assert items() == [("10 01:00", "02:30", "Hội đàm"), ("10 06:00", "08:00", "Thăm cửa khẩu Bờ Y"),
                       ("11 02:00", "03:00", "Chiêu đãi")]
    changed = CALENDAR.replace("SUMMARY:Hội đàm", "SUMMARY:Hội đàm cấp tỉnh")
    changed = changed.replace(changed[changed.index("BEGIN:VEVENT\nUID:a-3"):
                                      changed.index("END:VCALENDAR")], "")
    second = api.send("POST", f"/events/{event.id}/programme/import", json={"ics": changed})
    body = second.get_json()
    assert (body["created"], body["updated"], body["unchanged"], body["removed"]) == (
        [], ["a-1@attapeu.la"], ["a-2@attapeu.la"], ["a-3@attapeu.la"])
    assert count(ProgrammeItem) == 3
    assert "Hội đàm cấp tỉnh" in [i[2] for i in items()]


def line_of(text: str) -> int:
    return CALENDAR.splitlines().index(text) + 1


@pytest.mark.parametrize(("text", "line"), [
    (CALENDAR.replace("SUMMARY:Chiêu đãi", "Chiêu đãi không có tên"), line_of("SUMMARY:Chiêu đãi")),
    (CALENDAR.replace("DTSTART:20261210T060000Z", "DTSTART:2026-12-10 06h"),
     line_of("DTSTART:20261210T060000Z")),
    (CALENDAR.replace("END:VCALENDAR\n", ""), line_of("END:VCALENDAR") - 1),
])
def test_malformed_calendars_name_the_line(api_as, event, text, line):
    api = api_as(Role.PROTOCOL)
    with nothing_written():
        response = api.send("POST", f"/events/{event.id}/programme/import", json={"ics": text})
    assert response.status_code == 422
    assert response.get_json()["detail"].startswith(f"Line {line} of the calendar")


def test_only_editors_import(api_as, event, make_unit):
    api = api_as(Role.VIEWER, unit=make_unit())
    with nothing_written():
        assert api.send("POST", f"/events/{event.id}/programme/import",
                        json={"ics": CALENDAR}).status_code == 403


# --- the browser page: upload or address, preview, commit ----------------------------------

def _upload_calendar(client, event, text: str, name: str = "attapeu.ics"):
    return client.post(f"/events/{event.id}/programme/import",
                       data={"file": (io.BytesIO(text.encode()), name)})


def _last_upload_id() -> int:
    return db.session.scalar(sa.select(ImportUpload.id).order_by(ImportUpload.id.desc()))


def test_the_page_previews_then_commits_and_a_reimport_updates_and_lists_removals(
        client, login, event):
    login(Role.PROTOCOL, locale="en")
    page = client.get(f"/events/{event.id}")
    assert f"/events/{event.id}/programme/import" in page.get_data(as_text=True)
    sent = _upload_calendar(client, event, CALENDAR)
    assert sent.status_code == 302
    preview = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert count(ProgrammeItem) == count(ImportedProgrammeItem) == 0  # a preview writes nothing
    assert "3 entries: 3 new, 0 changed, 0 unchanged, 0 with errors." in preview
    assert "Import 3 entries" in preview
    done = client.post(f"/events/{event.id}/programme/import/{_last_upload_id()}/commit")
    assert done.status_code == 302
    assert items() == [("10 01:00", "02:30", "Hội đàm"), ("10 06:00", "08:00", "Thăm cửa khẩu Bờ Y"),
                       ("11 02:00", "03:00", "Chiêu đãi")]
    assert count(ImportUpload) == 0

    changed = CALENDAR.replace("SUMMARY:Hội đàm", "SUMMARY:Hội đàm cấp tỉnh")
    changed = changed.replace(changed[changed.index("BEGIN:VEVENT\nUID:a-3"):
                                      changed.index("END:VCALENDAR")], "")
    preview = client.get(_upload_calendar(client, event, changed).headers["Location"]) \
        .get_data(as_text=True)
    assert "2 entries: 0 new, 1 changed, 1 unchanged, 0 with errors." in preview
    assert "Removed since the last import" in preview
    assert "Chiêu đãi" in preview
    client.post(f"/events/{event.id}/programme/import/{_last_upload_id()}/commit")
    assert [i[2] for i in items()] == ["Hội đàm cấp tỉnh", "Thăm cửa khẩu Bờ Y", "Chiêu đãi"]


def test_a_row_error_and_a_malformed_file_are_shown_and_nothing_is_imported(client, login, event):
    login(Role.PROTOCOL, locale="en")
    too_late = CALENDAR.replace("DTSTART:20261211T090000\nDTEND:20261211T100000",
                                "DTSTART:20261211T090000\nDTEND:20261211T080000")
    preview = client.get(_upload_calendar(client, event, too_late).headers["Location"])
    text = preview.get_data(as_text=True)
    assert "1 with errors" in text
    assert "The end must be after the start." in text
    assert "calendar-commit" not in text
    with nothing_written():  # a forged commit: all or nothing
        client.post(f"/events/{event.id}/programme/import/{_last_upload_id()}/commit")
    broken = _upload_calendar(client, event, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nnonsense\n")
    page = client.get(broken.headers["Location"])
    assert page.status_code == 200
    assert "Line 3 of the calendar" in page.get_data(as_text=True)


def test_neither_or_both_sources_and_a_bad_address_rerender_with_messages(client, login, event):
    login(Role.PROTOCOL, locale="en")
    with nothing_written():
        neither = client.post(f"/events/{event.id}/programme/import", data={"url": ""})
        loopback = client.post(f"/events/{event.id}/programme/import",
                               data={"url": "http://127.0.0.1/x.ics"})
        ftp = client.post(f"/events/{event.id}/programme/import", data={"url": "ftp://x/y.ics"})
    assert neither.status_code == 400
    assert "Upload a .ics file or give its address" in neither.get_data(as_text=True)
    assert loopback.status_code == 400
    assert "This address cannot be reached." in loopback.get_data(as_text=True)
    assert "Give an http:// or https:// address." in ftp.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 403), (Role.SPOKESPERSON, 403)])
def test_who_may_not_edit_the_programme_gets_no_import_page(client, login, event, role, status):
    login(role)
    assert client.get(f"/events/{event.id}/programme/import").status_code == status
    with nothing_written():
        assert _upload_calendar(client, event, CALENDAR).status_code == status
    assert "import-calendar" not in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_someone_elses_upload_is_404(client, login, event, make_user):
    login(Role.PROTOCOL)
    _upload_calendar(client, event, CALENDAR)
    upload_id = _last_upload_id()
    client.post("/logout")
    login(Role.PROTOCOL)
    assert client.get(f"/events/{event.id}/programme/import/{upload_id}").status_code == 404
    with nothing_written():
        assert client.post(f"/events/{event.id}/programme/import/{upload_id}/commit") \
            .status_code == 404


# --- the browser page: each entry as an event of its own ------------------------------------

def _upload_as_events(client, text: str, kind: str = "delegation_in", unit=None):
    return client.post("/events/import/calendar", data={
        "file": (io.BytesIO(text.encode()), "attapeu.ics"), "kind": kind,
        "lead_unit_id": str(unit.id)})


def _commit_events(client, location: str):
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(location).query)
    return client.post(f"/events/import/calendar/{_last_upload_id()}/commit",
                       data={"kind": query["kind"][0], "lead_unit_id": query["unit"][0]})


def test_entries_as_new_events_then_a_reimport_updates_them(client, login, make_unit):
    from app.events.models import Event
    from app.imports.models import ImportedEvent

    unit = make_unit("so-ngoai-vu")
    login(Role.PROTOCOL, unit=unit, locale="en")
    assert "/events/import/calendar" in client.get("/events/import/").get_data(as_text=True)
    sent = _upload_as_events(client, CALENDAR, unit=unit)
    assert sent.status_code == 302
    preview = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "3 entries: 3 new, 0 changed, 0 unchanged, 0 with errors." in preview
    assert count(Event) == 0
    assert _commit_events(client, sent.headers["Location"]).status_code == 302
    events = {e.title_vi: e for e in db.session.scalars(sa.select(Event))}
    assert set(events) == {"Hội đàm", "Thăm cửa khẩu Bờ Y", "Chiêu đãi"}
    talks = events["Hội đàm"]
    assert (talks.starts_at.strftime("%d %H:%M"), talks.ends_at.strftime("%H:%M")) == \
        ("10 01:00", "02:30")  # Tokyo 10:00
    assert talks.kind is EventKind.DELEGATION_IN
    assert talks.lead_unit_id == unit.id
    assert talks.location == "Trụ sở UBND tỉnh"
    assert count(ImportedEvent) == 3

    changed = CALENDAR.replace("SUMMARY:Hội đàm", "SUMMARY:Hội đàm cấp tỉnh")
    again = _upload_as_events(client, changed, unit=unit)
    preview = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "3 entries: 0 new, 1 changed, 2 unchanged, 0 with errors." in preview
    _commit_events(client, again.headers["Location"])
    assert count(Event) == 3
    db.session.expire_all()
    assert db.session.get(Event, talks.id).title_vi == "Hội đàm cấp tỉnh"


def test_a_focal_point_makes_events_only_for_their_unit(client, login, make_unit):
    from app.events.models import Event

    own, other = make_unit(), make_unit()
    login(Role.FOCAL, unit=own, locale="en")
    page = client.get("/events/import/calendar").get_data(as_text=True)
    assert f'value="{own.id}"' in page
    assert f'value="{other.id}"' not in page
    forged = _upload_as_events(client, CALENDAR, unit=other)  # a unit not offered
    assert forged.status_code == 400
    # Kept with a forged choice in the address: every row is refused, nothing created.
    location = f"/events/import/calendar/1?kind=delegation_in&unit={other.id}"
    client.post("/events/import/calendar", data={"file": (io.BytesIO(CALENDAR.encode()), "a.ics"),
                                                 "kind": "delegation_in",
                                                 "lead_unit_id": str(own.id)})
    preview = client.get(location.replace("/1?", f"/{_last_upload_id()}?")).get_data(as_text=True)
    assert "3 with errors" in preview
    with nothing_written():
        _commit_events(client, location)
    assert count(Event) == 0


def test_viewers_get_no_calendar_events_page(client, login):
    login(Role.VIEWER)
    assert client.get("/events/import/calendar").status_code == 403


# --- as events: what left the calendar since its last import --------------------------------

def _without(text: str, uid: str) -> str:
    start = text.index(f"BEGIN:VEVENT\nUID:{uid}")
    return text[:start] + text[text.index("END:VEVENT\n", start) + len("END:VEVENT\n"):]


def _events_preview(client, text: str, unit, name: str = "attapeu.ics") -> tuple[str, str]:
    sent = client.post("/events/import/calendar", data={
        "file": (io.BytesIO(text.encode()), name), "kind": "delegation_in",
        "lead_unit_id": str(unit.id)})
    assert sent.status_code == 302
    return sent.headers["Location"], client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_reimport_as_events_lists_what_left_the_calendar_and_deletes_nothing(
        client, login, make_unit):
    from app.events.models import Event
    from app.imports import services

    unit = make_unit("so-ngoai-vu")
    user = login(Role.PROTOCOL, unit=unit, locale="en")
    location, _page = _events_preview(client, CALENDAR, unit)
    _commit_events(client, location)
    dinner = db.session.scalar(sa.select(Event).where(Event.title_vi == "Chiêu đãi"))

    again = _without(CALENDAR.replace("SUMMARY:Hội đàm", "SUMMARY:Hội đàm cấp tỉnh"),
                     "a-3@attapeu.la")
    location, page = _events_preview(client, again, unit)
    assert "2 entries: 0 new, 1 changed, 1 unchanged, 0 with errors." in page
    assert "Removed since the last import" in page
    assert "Nothing is deleted" in page
    assert f'href="/events/{dinner.id}">Chiêu đãi</a>' in page
    assert "a-3@attapeu.la" in page
    preview = services.calendar_events_preview(user, _last_upload_id(), "delegation_in",
                                               unit.id, "Asia/Ho_Chi_Minh")
    assert [r.state for r in preview.rows] == ["changed", "unchanged"]
    assert preview.removed_uids == ["a-3@attapeu.la"]
    assert [e.id for _uid, e in preview.removed_events] == [dinner.id]
    assert preview.removed_hidden == 0

    done = _commit_events(client, location)
    assert "1 no longer in the calendar" in client.get(done.headers["Location"]) \
        .get_data(as_text=True)
    assert count(Event) == 3  # reported, not deleted
    # Still reported by the next import of that calendar, until someone acts on it.
    _location, page = _events_preview(client, again, unit)
    assert "Nothing changed since the last import." in page
    assert f'href="/events/{dinner.id}">Chiêu đãi</a>' in page


OTHER_CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Champasak//Programme//LO
X-WR-CALNAME:Champasak
BEGIN:VEVENT
UID:c-1@champasak.la
DTSTAMP:20261201T000000Z
DTSTART:20261215T020000Z
DTEND:20261215T030000Z
SUMMARY:Tiếp xã giao
END:VEVENT
END:VCALENDAR
"""


def test_another_calendar_or_unit_does_not_report_the_first_calendars_events(
        client, login, make_unit):
    unit, other = make_unit(), make_unit()
    login(Role.PROTOCOL, unit=unit, locale="en")
    location, _page = _events_preview(client, CALENDAR, unit)
    _commit_events(client, location)

    location, page = _events_preview(client, OTHER_CALENDAR, unit)
    assert "1 entries: 1 new, 0 changed, 0 unchanged, 0 with errors." in page
    assert "Removed since the last import" not in page
    _commit_events(client, location)
    # The same file for another lead unit is another calendar (a PRODID names software).
    _location, page = _events_preview(client, _without(CALENDAR, "a-3@attapeu.la"), other)
    assert "Removed since the last import" not in page
    # The first calendar again: the second's entry is not counted as removed from it.
    _location, page = _events_preview(client, _without(CALENDAR, "a-3@attapeu.la"), unit)
    assert "a-3@attapeu.la" in page
    assert "c-1@champasak.la" not in page


def test_removed_events_the_user_may_not_see_are_counted_not_named(client, login, make_unit):
    from app.events.models import Event
    from app.events.vocabulary import Visibility

    unit, other = make_unit(), make_unit()
    login(Role.PROTOCOL, unit=unit, locale="en")
    location, _page = _events_preview(client, CALENDAR, unit)
    _commit_events(client, location)
    dinner = db.session.scalar(sa.select(Event).where(Event.title_vi == "Chiêu đãi"))
    dinner.visibility, dinner.lead_unit_id = Visibility.CONFIDENTIAL, other.id
    db.session.commit()

    _location, page = _events_preview(client, _without(CALENDAR, "a-3@attapeu.la"), unit)
    assert "1 event you may not see" in page
    assert "Chiêu đãi" not in page
    assert "a-3@attapeu.la" not in page


def test_the_calendar_key_is_the_address_or_the_calendars_own_identity():
    from app.imports.ics import calendar_key

    assert calendar_key(b"", "x.ics", "HTTPS://Partner.LA/cal/#top", 1) == \
        calendar_key(b"", "y.ics", "https://partner.la/cal", 2) == "url:https://partner.la/cal"
    named = OTHER_CALENDAR.encode()
    assert calendar_key(named, "a.ics", None, 3) == "unit:3|name:Champasak"
    assert calendar_key(CALENDAR.encode(), "a.ics", None, 3) == \
        "unit:3|prodid:-//Attapeu//Programme//LO"
    bare = CALENDAR.replace("PRODID:-//Attapeu//Programme//LO\n", "").encode()
    assert calendar_key(bare, "a.ics", None, 3) == "unit:3|file:a.ics"
    assert len(calendar_key(b"", "a.ics", "https://partner.la/" + "x" * 500, 1)) <= 200
