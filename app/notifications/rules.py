"""Reminder rules: code defaults, database overrides, and the pure step arithmetic.

Steps are computed from an item's *current* due time on every run, so a
rescheduled item's unsent steps simply move with it; steps already sent are
remembered in the delivery ledger under the same step name and never repeat.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db


@dataclass(frozen=True)
class Rules:
    due_soon_days: tuple[int, ...] = (3, 1)   # reminders this many days before due_at
    overdue_every_days: int = 1               # overdue notice at once, then every N days
    overdue_limit: int = 5                    # at most this many overdue notices
    escalate_after_days: int = 2              # then the unit's head and protocol hear of it
    digest_time: time = time(7, 30)           # local time of the daily digest
    urgent_hours: int = 48                    # changes this close to the start are e-mailed at once
    max_attempts: int = 8                     # SMTP attempts before giving up

    @property
    def lookback(self) -> timedelta:
        """How far past due an open item can still have a step to send."""
        days = max(self.overdue_limit * self.overdue_every_days, self.escalate_after_days + 1)
        return timedelta(days=days)

    @property
    def lookahead(self) -> timedelta:
        return timedelta(days=max(self.due_soon_days, default=0))


# No rule needs more days, hours, notices or attempts; larger values would overflow the
# date arithmetic of every later `reminders send` (timedelta stops at 999,999,999 days).
MAX_RULE_VALUE = 1000


# name -> (parse, format); the names are the rows of reminder_settings.
def _days(value: str) -> tuple[int, ...]:
    days = tuple(sorted({int(v) for v in value.split(",") if v.strip()}, reverse=True))
    if any(not 0 < d <= MAX_RULE_VALUE for d in days):
        raise ValueError(f"days must be between 1 and {MAX_RULE_VALUE}")
    return days


def _positive(value: str) -> int:
    number = int(value)
    if not 0 < number <= MAX_RULE_VALUE:
        raise ValueError(f"must be between 1 and {MAX_RULE_VALUE}")
    return number


SETTINGS = {
    "due_soon_days": (_days, lambda v: ",".join(str(d) for d in v)),
    "overdue_every_days": (_positive, str),
    "overdue_limit": (_positive, str),
    "escalate_after_days": (_positive, str),
    "digest_time": (time.fromisoformat, lambda v: v.strftime("%H:%M")),
    "urgent_hours": (_positive, str),
    "max_attempts": (_positive, str),
}


def load_rules() -> Rules:
    """The defaults, overridden by the rows of ``reminder_settings`` (bad rows are ignored)."""
    from app.notifications.models import ReminderSetting

    overrides = {}
    for row in db.session.scalars(sa.select(ReminderSetting)):
        parse = SETTINGS.get(row.name, (None,))[0]
        if parse is None:
            continue
        try:
            overrides[row.name] = parse(row.value)
        except ValueError:
            continue
    return Rules(**overrides)


def set_rule(name: str, value: str) -> None:
    """Store an override after checking it parses (ValueError otherwise). Flushes."""
    from app.notifications.models import ReminderSetting

    if name not in SETTINGS:
        raise ValueError("unknown rule")
    parse, fmt = SETTINGS[name]
    normalised = fmt(parse(value))
    row = db.session.get(ReminderSetting, name)
    if row is None:
        db.session.add(ReminderSetting(name=name, value=normalised))
    else:
        row.value = normalised
    db.session.flush()


@dataclass(frozen=True)
class Step:
    name: str          # part of the delivery key, e.g. "due_soon:3d", "overdue:0", "escalation"
    kind: str          # a notifications.models.Kind value
    escalation: bool = False


def item_steps(due_at: datetime, now: datetime, rules: Rules) -> list[Step]:
    """The steps of an open item that are current at ``now``.

    Only the latest step of each series is current: an item created the day
    before it is due gets the 1-day reminder, not a late 3-day one; a run that
    was down for two days sends one overdue notice, not three.
    """
    steps = []
    if now < due_at:
        fired = [d for d in rules.due_soon_days if due_at - timedelta(days=d) <= now]
        if fired:
            steps.append(Step(f"due_soon:{min(fired)}d", "item_due_soon"))
        return steps
    number = int((now - due_at) // timedelta(days=rules.overdue_every_days))
    if number < rules.overdue_limit:
        steps.append(Step(f"overdue:{number}", "item_overdue"))
    if now - due_at >= timedelta(days=rules.escalate_after_days) and now - due_at < rules.lookback:
        steps.append(Step("escalation", "item_escalated", escalation=True))
    return steps


def last_digest_moment(now: datetime, zone, digest_time: time) -> datetime:
    """The latest digest time (in ``zone``) at or before ``now``, as aware UTC."""
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), digest_time, tzinfo=zone)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.astimezone(now.tzinfo)
