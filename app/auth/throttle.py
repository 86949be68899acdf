"""Login throttling: doubling delays, a hard lock per account at one address, unlocking.

Delays double per account and per address; an administrator lifts a lock. State lives in
``login_throttles``.

The rules (app config keys in capitals):

- An account (the e-mail address typed, whether it exists or not, so that throttling
  says nothing about which accounts exist) may fail LOGIN_MAX_FAILURES_PER_ACCOUNT
  times. From then on every failure makes the next attempt, from any address, wait
  1 s, 2 s, 4 s ... up to LOGIN_MAX_DELAY_SECONDS. Attempts during the wait are refused
  unevaluated and do not extend it; a success clears the count.
- An address may fail LOGIN_MAX_FAILURES_PER_ADDRESS times over any accounts, then waits
  in the same way: a guesser behind the office's proxy slows the office down, but
  locks nobody out.
- LOGIN_HARD_LOCK_FAILURES failures of one account from one address lock that account
  at that address until an administrator unlocks it. So an attacker elsewhere cannot
  lock the owner out, and once locked cannot keep the account's delay going either:
  after the delay, the owner logs in from their own address.
- A count is forgotten after LOGIN_FAILURE_WINDOW_MINUTES without a failure (not a lock).

The account check is atomic: one UPDATE ... RETURNING counts the attempt as a failure
before the password is checked, and only if the account is not waiting; parallel
attempts therefore see each other's counts (a success deletes it afterwards).
"""
import math
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.models import LoginThrottle, ThrottleScope
from app.extensions import db
from app.timeutil import UTCDateTime

ACCOUNT, ADDRESS, PAIR = ThrottleScope.ACCOUNT, ThrottleScope.ADDRESS, ThrottleScope.PAIR


class LoginThrottled(Exception):
    """Too many failures: try again in ``seconds``."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


class LoginLocked(Exception):
    """Too many failures of this account from this address: an administrator must unlock it."""


def pair_key(email: str, address: str) -> str:
    return f"{email}\n{address}"


def _setting(name: str) -> int:
    return int(current_app.config[name])


def delay_seconds(failures: int, allowed: int) -> int:
    """The wait after ``failures`` failures when ``allowed`` are free: 0, then 1, 2, 4 ... s."""
    if failures < allowed:
        return 0
    return min(_setting("LOGIN_MAX_DELAY_SECONDS"), 2 ** min(failures - allowed, 30))


def _at(moment: datetime):
    return sa.literal(moment, UTCDateTime())


def _ensure_rows(*rows: tuple[ThrottleScope, str]) -> None:
    """Create the counters that do not exist yet; never touches existing ones."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(LoginThrottle).values(
        [{"scope": scope, "key": key[:320], "failures": 0} for scope, key in rows])
        .on_conflict_do_nothing(index_elements=["scope", "key"]))


def _count_failure(scope: ThrottleScope, key: str, now: datetime, *, allowed: int | None,
                   lock_at: int | None = None, only_if_free: bool = False) -> int | None:
    """Add one failure to a counter in a single UPDATE; returns the new count.

    The new count restarts at 1 after a quiet window. ``allowed`` free failures, then the
    doubling delay; ``lock_at`` failures lock the row (pairs). With ``only_if_free`` nothing
    changes, and None is returned, while the row waits or is locked.
    """
    t = LoginThrottle
    window = timedelta(minutes=_setting("LOGIN_FAILURE_WINDOW_MINUTES"))
    count = sa.case((t.last_failure_at < _at(now - window), 1), else_=t.failures + 1)
    values = {"failures": count, "last_failure_at": _at(now)}
    if allowed is not None:
        steps = math.ceil(math.log2(max(_setting("LOGIN_MAX_DELAY_SECONDS"), 1))) + 1
        values["blocked_until"] = sa.case(
            (count < allowed, sa.null()),
            *[(count == allowed + n, _at(now + timedelta(seconds=delay_seconds(allowed + n,
                                                                            allowed))))
              for n in range(steps)],
            else_=_at(now + timedelta(seconds=_setting("LOGIN_MAX_DELAY_SECONDS"))))
    if lock_at is not None:
        values["locked_at"] = sa.case((count >= lock_at, _at(now)), else_=sa.null())
    statement = sa.update(t).where(t.scope == scope, t.key == key[:320])
    if only_if_free:
        statement = statement.where(t.locked_at.is_(None), sa.or_(
            t.blocked_until.is_(None), t.blocked_until <= _at(now)))
    return db.session.scalar(statement.values(values).returning(t.failures)
                             .execution_options(synchronize_session=False))


def _seconds_left(until: datetime | None, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds())) if until else 1


def claim_attempt(email: str, address: str, now: datetime) -> None:
    """Before checking a password: refuse, or count the attempt as a failure of the account.

    Refused if the account is locked at this address or the address or the account must
    wait. Flushes; the caller commits at once, before checking the password.

    Raises LoginLocked or LoginThrottled (and then counts nothing).
    """
    pair = pair_key(email, address)
    _ensure_rows((ACCOUNT, email), (ADDRESS, address), (PAIR, pair))
    t = LoginThrottle
    rows = {row.scope: row for row in db.session.execute(
        sa.select(t.scope, t.blocked_until, t.locked_at).where(sa.or_(
            sa.and_(t.scope == ADDRESS, t.key == address[:320]),
            sa.and_(t.scope == PAIR, t.key == pair[:320]))))}
    if rows[PAIR].locked_at is not None:
        raise LoginLocked()
    if rows[ADDRESS].blocked_until and rows[ADDRESS].blocked_until > now:
        raise LoginThrottled(_seconds_left(rows[ADDRESS].blocked_until, now))
    counted = _count_failure(ACCOUNT, email, now, only_if_free=True,
                             allowed=_setting("LOGIN_MAX_FAILURES_PER_ACCOUNT"))
    if counted is None:
        until = db.session.scalar(sa.select(t.blocked_until).where(t.scope == ACCOUNT,
                                                                  t.key == email[:320]))
        raise LoginThrottled(_seconds_left(until, now))


def record_failure(email: str, address: str, now: datetime) -> None:
    """After a wrong password: count it for the address and for the account at this address.

    The account itself was counted by ``claim_attempt``. Flushes.
    """
    _count_failure(ADDRESS, address, now, allowed=_setting("LOGIN_MAX_FAILURES_PER_ADDRESS"))
    _count_failure(PAIR, pair_key(email, address), now, allowed=None,
                   lock_at=_setting("LOGIN_HARD_LOCK_FAILURES"))


def record_success(email: str, address: str) -> None:
    """After the right password: the account's count and its count at this address end."""
    t = LoginThrottle
    db.session.execute(sa.delete(t).where(sa.or_(
        sa.and_(t.scope == ACCOUNT, t.key == email[:320]),
        sa.and_(t.scope == PAIR, t.key == pair_key(email, address)[:320])))
        .execution_options(synchronize_session=False))


def unlock(email: str) -> int:
    """Clear the account's delay and its locks at every address; returns the rows removed."""
    t = LoginThrottle
    return cast(sa.CursorResult, db.session.execute(sa.delete(t).where(sa.or_(
        sa.and_(t.scope == ACCOUNT, t.key == email),
        sa.and_(t.scope == PAIR, t.key.startswith(email + "\n", autoescape=True))))
        .execution_options(synchronize_session=False))).rowcount


def held_accounts(now: datetime) -> set[str]:
    """E-mail addresses of accounts now waiting or locked at some address."""
    t = LoginThrottle
    waiting = db.session.scalars(sa.select(t.key).where(t.scope == ACCOUNT,
                                                        t.blocked_until > _at(now)))
    locked = db.session.scalars(sa.select(t.key).where(t.scope == PAIR, t.locked_at.is_not(None)))
    return set(waiting) | {key.split("\n", 1)[0] for key in locked}
