"""Golden tests of the serializer: escaping, folding, time zones, all-day, cancellations."""
from datetime import UTC, date, datetime, timedelta

from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Visibility,
)
from app.extensions import db
from app.feeds import ical
from app.feeds.models import AlarmPreset, DetailLevel
from app.press.models import Briefing, BriefingStatus
from tests.fixtures_feeds import NOW, parse_three, vevents

BASE = "https://lich.example.vn"


def _feed(event, *, detail=DetailLevel.FULL, alarms=AlarmPreset.NONE, language="vi",
          briefings=(), now=NOW, internal=True) -> bytes:
    opts = ical.FeedOptions(base_url=BASE, language=language, detail=detail, alarms=alarms)
    blocks, tzids = ical.event_blocks(event, opts, now, list(briefings), internal=internal)
    return ical.calendar([b.encode() for b in blocks], tzids, (2025, 2028), opts, "Lịch thử")


def test_escape_text_golden():
    assert ical.escape_text('a\\b;c,d\ne\r\nf') == 'a\\\\b\\;c\\,d\\ne\\nf'


def test_fold_never_splits_a_utf8_character_and_unfolds_back():
    line = "SUMMARY:" + "Đoàn đại biểu Ủy ban nhân dân tỉnh Attapeu thăm Quảng Ngãi " * 4
    folded = ical.fold(line)
    physical = folded.split("\r\n")[:-1]
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    for part in physical:
        part.encode("utf-8").decode("utf-8")  # each line is whole UTF-8 on its own
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(physical)) == line


def test_fold_golden_short_line_untouched():
    assert ical.fold("SUMMARY:Họp báo") == "SUMMARY:Họp báo\r\n"


def test_event_fields_escaping_and_organizer(app, make_event, make_venue, make_unit):
    unit = make_unit(name_vi='Sở Ngoại vụ; "tỉnh", Quảng Ngãi')
    venue = make_venue("Hội trường A, tầng 2", address="Số 1 Trần Hưng Đạo; phường Nghĩa Chánh")
    event = make_event(title_vi="Đón tiếp, làm việc; ký kết", description_vi="Dòng 1\nDòng 2 \\ x",
                       status=EventStatus.CONFIRMED, venue=venue, lead_unit=unit,
                       kind=EventKind.DIPLOMATIC, sequence=3)
    calendar = parse_three(_feed(event))
    vevent = vevents(calendar)[f"event-{event.id}@lich.example.vn"]
    assert str(vevent["SUMMARY"]) == "Đón tiếp, làm việc; ký kết"
    assert str(vevent["DESCRIPTION"]) == "Dòng 1\nDòng 2 \\ x"
    assert str(vevent["LOCATION"]) == "Hội trường A, tầng 2, Số 1 Trần Hưng Đạo; phường Nghĩa Chánh"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["SEQUENCE"] == 3
    assert str(vevent["URL"]) == f"{BASE}/events/{event.id}"
    assert vevent["ORGANIZER"].params["CN"] == "Sở Ngoại vụ; tỉnh, Quảng Ngãi"
    assert vevent["DTSTAMP"].dt == event.updated_at.replace(microsecond=0)
    assert vevent["LAST-MODIFIED"].dt == event.updated_at.replace(microsecond=0)
    assert str(calendar["X-WR-CALNAME"]) == "Lịch thử" == str(calendar["NAME"])
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in _feed(event)
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in _feed(event)


def test_outgoing_delegation_across_a_dst_change_keeps_local_time(app, make_event):
    # Berlin switches to summer time on 29 March 2026 at 02:00 local.
    starts = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)   # 10:00 CET
    ends = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)     # 10:00 CEST
    event = make_event(kind=EventKind.DELEGATION_OUT, timezone="Europe/Berlin",
                       starts_at=starts, ends_at=ends, status=EventStatus.CONFIRMED)
    body = _feed(event)
    assert b"DTSTART;TZID=Europe/Berlin:20260328T100000\r\n" in body
    assert b"DTEND;TZID=Europe/Berlin:20260330T100000\r\n" in body
    calendar = parse_three(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    vevent = calendar.walk("VEVENT")[0]
    assert vevent["DTSTART"].dt == starts
    assert vevent["DTEND"].dt == ends
    assert vevent["DTEND"].dt.utcoffset() == timedelta(hours=2)


def test_all_day_event_uses_dates_in_its_zone(app, make_event):
    # 1–2 Dec in Hanoi: stored from 17:00 UTC the day before.
    event = make_event(all_day=True, starts_at=datetime(2026, 11, 30, 17, tzinfo=UTC),
                       ends_at=datetime(2026, 12, 2, 16, 59, tzinfo=UTC))
    body = _feed(event)
    assert b"DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261203\r\n" in body
    assert b"VTIMEZONE" not in body
    vevent = parse_three(body).walk("VEVENT")[0]
    assert vevent["DTSTART"].dt == date(2026, 12, 1)


def test_cancelled_event_has_status_prefix_and_sequence_no_alarms(app, make_event):
    event = make_event(status=EventStatus.CANCELLED, sequence=4, title_en="Trade fair",
                       status_changed_at=NOW)
    vevent = parse_three(_feed(event, language="en", alarms=AlarmPreset.BOTH)).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "Cancelled: Trade fair"
    assert vevent["SEQUENCE"] == 4
    assert not vevent.walk("VALARM")


def test_postponed_is_tentative_with_prefix(app, make_event):
    event = make_event(status=EventStatus.POSTPONED, title_vi="Lễ hội", status_changed_at=NOW)
    vevent = parse_three(_feed(event)).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert str(vevent["SUMMARY"]) == "Hoãn: Lễ hội"


def test_status_mapping(app, make_event):
    for status, expected in [(EventStatus.PLANNED, "TENTATIVE"), (EventStatus.DRAFT, "TENTATIVE"),
                             (EventStatus.CONFIRMED, "CONFIRMED"), (EventStatus.HELD, "CONFIRMED")]:
        event = make_event(status=status)
        assert str(parse_three(_feed(event)).walk("VEVENT")[0]["STATUS"]) == expected


def test_alarm_presets(app, make_event):
    event = make_event(status=EventStatus.CONFIRMED)
    triggers = {preset: [a["TRIGGER"].dt for a in parse_three(_feed(event, alarms=preset)).walk("VALARM")]
                for preset in AlarmPreset}
    assert triggers[AlarmPreset.NONE] == []
    assert triggers[AlarmPreset.DAY] == [timedelta(days=-1)]
    assert triggers[AlarmPreset.HOUR] == [timedelta(hours=-1)]
    assert triggers[AlarmPreset.BOTH] == [timedelta(days=-1), timedelta(hours=-1)]


def _delegation_event(make_event, **fields):
    event = make_event(kind=EventKind.DELEGATION_IN, status=EventStatus.CONFIRMED,
                       internal_notes="Ghi chú nội bộ XYZ", **fields)
    event.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                  locality="Attapeu", interpreters="Phiên dịch ABC",
                                  logistics="Xe biển số 12A", members=[
                                      DelegationMember(name="Ông Khamphan", title="Phó Tỉnh trưởng",
                                                       is_head=True)])
    event.programme = [ProgrammeItem(starts_at=event.starts_at, ends_at=event.ends_at,
                                     activity_vi="Hội đàm", place="Phòng họp số 2",
                                     hosts_text="Chủ tịch UBND tỉnh")]
    db.session.commit()
    return event


def test_detail_levels_hide_what_they_must(app, make_event):
    event = _delegation_event(make_event)
    # Unfolded: where a long line folds depends on the length of the labels before it.
    full = _feed(event, detail=DetailLevel.FULL).decode().replace("\r\n ", "")
    for secret in ("Ghi chú nội bộ XYZ", "Khamphan", "Phiên dịch ABC",
                   "Xe biển số 12A"):
        assert secret in full
    # A reader who may not edit the event: full detail without the editors' fields.
    viewer = _feed(event, detail=DetailLevel.FULL, internal=False).decode().replace("\r\n ", "")
    assert "Khamphan" in viewer
    assert "Phiên dịch ABC" in viewer
    assert "Ghi chú nội bộ XYZ" not in viewer
    assert "Xe biển số 12A" not in viewer
    press = _feed(event, detail=DetailLevel.PRESS_SAFE).decode().replace("\r\n ", "")
    for secret in ("Ghi chú nội bộ XYZ", "Khamphan", "Phiên dịch ABC", "Xe biển số 12A"):
        assert secret not in press
    assert "Attapeu" in press
    assert "Hội đàm" in press
    busy = parse_three(_feed(event, detail=DetailLevel.BUSY_ONLY))
    for vevent in busy.walk("VEVENT"):
        assert str(vevent["SUMMARY"]) == "Hoạt động đối ngoại"
        assert "LOCATION" not in vevent
        assert "DESCRIPTION" not in vevent


def test_briefing_and_programme_item_are_related_entries(app, make_event):
    event = _delegation_event(make_event)
    briefing = Briefing(event=event, title_vi="Họp báo về chuyến thăm",
                        starts_at=event.starts_at - timedelta(days=1),
                        ends_at=event.starts_at - timedelta(days=1) + timedelta(hours=1),
                        status=BriefingStatus.SCHEDULED)
    db.session.add(briefing)
    db.session.commit()
    entries = vevents(parse_three(_feed(event, briefings=[briefing])))
    host = "lich.example.vn"
    assert str(entries[f"briefing-{briefing.id}@{host}"]["RELATED-TO"]) == f"event-{event.id}@{host}"
    item = event.programme[0]
    assert str(entries[f"programme-{item.id}@{host}"]["RELATED-TO"]) == f"event-{event.id}@{host}"
    assert str(entries[f"briefing-{briefing.id}@{host}"]["STATUS"]) == "CONFIRMED"


def test_sensitive_event_busy_until_embargo_then_details_with_higher_sequence(app, make_event):
    embargo = NOW + timedelta(hours=2)
    event = make_event(is_sensitive=True, embargo_until=embargo, title_vi="Chuyến thăm bí mật",
                       visibility=Visibility.PUBLIC, sequence=1)
    before = parse_three(_feed(event, now=NOW)).walk("VEVENT")[0]
    assert str(before["SUMMARY"]) == "Hoạt động đối ngoại"
    after = parse_three(_feed(event, now=embargo)).walk("VEVENT")[0]
    assert str(after["SUMMARY"]) == "Chuyến thăm bí mật"
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_uid_is_stable_across_exports(app, make_event):
    event = make_event()
    first = vevents(parse_three(_feed(event)))
    second = vevents(parse_three(_feed(event, language="en", detail=DetailLevel.BUSY_ONLY)))
    assert set(first) == set(second) == {f"event-{event.id}@lich.example.vn"}
