"""Due-time arithmetic: pure, no app."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.checklists.schedule import (
    OffsetUnit,
    add_working_days,
    due_at,
    is_working_day,
    vietnam_holidays,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D, WD, H = OffsetUnit.CALENDAR_DAYS, OffsetUnit.WORKING_DAYS, OffsetUnit.HOURS


def local(*args, zone=VN):
    return datetime(*args, tzinfo=zone)


def test_tet_2027_is_a_holiday_and_weekends_are_not_working_days():
    assert date(2027, 2, 6) in vietnam_holidays(2027)  # Lunar New Year
    assert not is_working_day(date(2027, 2, 8))         # a Monday inside Tết
    assert not is_working_day(date(2026, 11, 28))       # Saturday
    assert is_working_day(date(2026, 11, 26))


@pytest.mark.parametrize(("start", "offset", "expected"), [
    (date(2026, 11, 30), -1, date(2026, 11, 27)),   # Monday back to Friday over the weekend
    (date(2026, 11, 27), 1, date(2026, 11, 30)),    # Friday forward to Monday
    (date(2026, 11, 26), 0, date(2026, 11, 26)),
    (date(2027, 2, 11), -1, date(2027, 2, 3)),      # Thursday after Tết back over Feb 4–10
    (date(2027, 2, 3), 1, date(2027, 2, 11)),
    (date(2026, 9, 3), -1, date(2026, 8, 28)),      # National Day 2026: 31/8–2/9 skipped
])
def test_add_working_days(start, offset, expected):
    assert add_working_days(start, offset) == expected


def test_calendar_days_are_due_at_the_end_of_the_local_working_day():
    start = local(2026, 12, 10, 8, 0)
    assert due_at(start, -5, D, "Asia/Ho_Chi_Minh") == local(2026, 12, 5, 17, 0)


def test_day_offsets_count_on_the_event_calendar_not_utc():
    # 06:30 in Hà Nội is still the previous day in UTC.
    start = local(2026, 12, 10, 6, 30)
    assert due_at(start, -1, D, "Asia/Ho_Chi_Minh") == local(2026, 12, 9, 17, 0)


def test_working_days_before_an_event_just_after_tet():
    start = local(2027, 2, 12, 9, 0)  # Friday after the Tết holidays
    # 11/2 is 1, Tết (4–10/2) skipped, then 3/2, 2/2, 1/2 and Friday 29/1 is the fifth.
    assert due_at(start, -5, WD, "Asia/Ho_Chi_Minh") == local(2027, 1, 29, 17, 0)


def test_hours_are_exact():
    start = local(2026, 12, 10, 8, 0)
    assert due_at(start, -24, H, "Asia/Ho_Chi_Minh") == local(2026, 12, 9, 8, 0)


def test_offset_zero_days_is_the_anchor_itself():
    start = local(2026, 12, 10, 8, 0)
    assert due_at(start, 0, D, "Asia/Ho_Chi_Minh") == start


def test_an_event_in_tokyo_is_due_at_17_00_tokyo_time():
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime(2026, 12, 14, 10, 0, tzinfo=tokyo)   # Monday in Tokyo
    due = due_at(start, -1, WD, "Asia/Tokyo")
    assert due == datetime(2026, 12, 11, 17, 0, tzinfo=tokyo)  # the Friday before
    assert due.tzinfo == UTC
    assert due == datetime(2026, 12, 11, 8, 0, tzinfo=UTC)


def test_naive_anchor_is_refused():
    with pytest.raises(ValueError, match="time-zone aware"):
        due_at(datetime(2026, 12, 10, 8), -1, D, "Asia/Ho_Chi_Minh")
