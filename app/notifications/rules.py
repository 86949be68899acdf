"""Reminder rules: domain settings of the group "reminders", and the pure step arithmetic.

Steps are computed from an item's *current* due time on every run, so a
rescheduled item's unsent steps simply move with it; steps already sent are
remembered in the delivery ledger under the same step name and never repeat.
"""
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta

from app.i18n import _l
from app.inputs import SPAN_DAYS
from app.settings import define, group, setting, types


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
        """How far past due an open item can still have a step to send.

        At most the app's span of years (``app.inputs.SPAN_DAYS``): every due date lies in it,
        and a longer one (1000 notices every 1000 days) would overflow ``now - lookback``.
        """
        days = max(self.overdue_limit * self.overdue_every_days, self.escalate_after_days + 1)
        return timedelta(days=min(days, SPAN_DAYS))

    @property
    def lookahead(self) -> timedelta:
        return timedelta(days=max(self.due_soon_days, default=0))


# No rule needs more days, hours, notices or attempts; larger values would overflow the
# date arithmetic of every later `reminders send` (a date before the year 1 or after 9999).
MAX_RULE_VALUE = 1000

# Each field of Rules is the setting "reminders.<field>"; its default is the field's.
RULE_NAMES = tuple(f.name for f in fields(Rules))
_DEFAULTS = Rules()
group("reminders", _l("Reminders and e-mails"))
for _name, _label, _type in [
        ("due_soon_days", _l("Reminders before the due time"), types.DAY_LIST),
        ("overdue_every_days", _l("Repeat overdue notices every"), types.DAYS),
        ("overdue_limit", _l("At most this many overdue notices"), types.INTEGER),
        ("escalate_after_days", _l("Escalate to the unit's head and protocol after"), types.DAYS),
        ("digest_time", _l("Daily digest at"), types.TIME_OF_DAY),
        ("urgent_hours", _l("Changes this close to the start are e-mailed at once"), types.HOURS),
        ("max_attempts", _l("SMTP attempts before giving up"), types.INTEGER)]:
    define(f"reminders.{_name}", _label, _type, getattr(_DEFAULTS, _name), minimum=1,
           maximum=MAX_RULE_VALUE, help=_l("Applies from the next run of `reminders send`."))


def load_rules() -> Rules:
    """The rules in force: the "reminders.*" settings (defaults for missing or bad rows)."""
    return Rules(**{name: setting(f"reminders.{name}") for name in RULE_NAMES})


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
