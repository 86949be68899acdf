"""The step arithmetic of reminder rules: pure, no database."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.notifications.rules import Rules, item_steps, last_digest_moment
from app.settings.registry import get as setting_definition
from app.settings.types import InvalidValue

DUE = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
D, H = timedelta(days=1), timedelta(hours=1)


@pytest.mark.parametrize(("now", "expected"), [
    (DUE - 4 * D, []),
    (DUE - 3 * D, ["due_soon:3d"]),
    (DUE - 2 * D, ["due_soon:3d"]),
    (DUE - D - H, ["due_soon:3d"]),
    (DUE - D, ["due_soon:1d"]),
    (DUE - H, ["due_soon:1d"]),
    (DUE, ["overdue:0"]),
    (DUE + D + H, ["overdue:1"]),
    (DUE + 2 * D, ["overdue:2", "escalation"]),
    (DUE + 4 * D + H, ["overdue:4", "escalation"]),
    (DUE + 5 * D, []),  # the limit of five notices is reached
])
def test_only_the_latest_step_of_each_series_is_current(now, expected):
    assert [s.name for s in item_steps(DUE, now, Rules())] == expected


def test_an_item_created_a_day_before_it_is_due_gets_the_one_day_reminder_only():
    assert [s.name for s in item_steps(DUE, DUE - 20 * H, Rules())] == ["due_soon:1d"]


def test_rules_are_data():
    rules = Rules(due_soon_days=(7, 2), overdue_limit=2, escalate_after_days=1)
    assert [s.name for s in item_steps(DUE, DUE - 6 * D, rules)] == ["due_soon:7d"]
    assert [s.name for s in item_steps(DUE, DUE + D, rules)] == ["overdue:1", "escalation"]


def test_day_lists_are_parsed_and_checked():
    due_soon_days = setting_definition("reminders.due_soon_days")
    assert due_soon_days.parse("1, 3") == (3, 1)
    with pytest.raises(InvalidValue):
        due_soon_days.parse("0")


def test_the_digest_moment_is_local():
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    # 00:20 UTC = 07:20 in Hà Nội: the last digest time was yesterday 07:30.
    now = datetime(2026, 12, 1, 0, 20, tzinfo=UTC)
    assert last_digest_moment(now, zone, time(7, 30)) == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    assert last_digest_moment(now + 10 * timedelta(minutes=1), zone, time(7, 30)) == \
        datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
