"""A partner's .ics into an event's programme: zones, UIDs remembered, malformed files."""
import pytest

from app.auth.roles import Role
from app.events.models import EventKind, ProgrammeItem
from app.extensions import db
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
