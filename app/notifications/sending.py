"""`flask reminders send`: claim what is due, then e-mail what is pending, exactly once.

1. Item reminders: one query finds open items whose current step (rules.py)
   has not been claimed; each (recipient, item, step) is claimed by INSERT
   into the ledger (ON CONFLICT DO NOTHING) together with its bell entry.
2. Digests: people who chose the daily digest get one claimed digest row per
   local day, which gathers their waiting notifications.
3. Sending: each pending row is taken by an UPDATE … WHERE status is still
   pending, committed, and only then e-mailed; a failure is recorded with a
   back-off and retried by a later run, without stopping the others.
"""
import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import contains_eager, selectinload

from app.checklists.models import ChecklistItem
from app.events.access import can_view
from app.events.models import Event, EventStatus
from app.extensions import db
from app.notifications import guards, outlets
from app.notifications.mail import MailSettings, build_message, mailer_for, render_for
from app.notifications.models import SENDABLE, Delivery, DeliveryStatus, Kind
from app.notifications.recipients import Directory, who_may_view
from app.notifications.rules import Rules, item_steps, last_digest_moment, load_rules
from app.notifications.services import (
    ITEM_REMINDERS,
    claim,
    event_url,
    initial_status,
    insert_delivery,
    item_params,
    mark_withdrawn,
    preferences,
)
from app.timeutil import utcnow

log = logging.getLogger("briefdesk.reminders")

# Events whose items get reminders: agreed (not drafts), not cancelled or postponed.
LIVE_EVENT_STATUSES = (EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.HELD)
# Kinds about the event's time and place carry its .ics; task reminders are about a deadline.
ATTACH_EVENT = frozenset({Kind.EVENT_RESCHEDULED, Kind.EVENT_CANCELLED, Kind.EVENT_CHANGED,
                          Kind.SPOKESPERSON_ASSIGNED})
SEND_BATCH = 100  # rows taken, sent and recorded per commit
# Why a row was withdrawn when its recipient lost sight of the event (shown to admins).
NOT_VISIBLE = "recipient may no longer view the event"
NOT_VISIBLE_OBJECT = "recipient may no longer view it"
# A row left "sending" this long belongs to a run that died mid-send.
STALE_SENDING = timedelta(minutes=15)


@dataclass
class RunReport:
    claimed: int = 0
    sent: int = 0
    logged: int = 0
    failed: int = 0
    withdrawn: int = 0
    digests: int = 0
    outlet_mails: int = 0   # e-mails to invited press outlets (app.notifications.outlets)

    def describe(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self))


def backoff(attempts: int) -> timedelta:
    """5 min, 10, 20, 40 … capped at 6 h."""
    return min(timedelta(minutes=5 * 2 ** (attempts - 1)), timedelta(hours=6))


def due_key(due_at: datetime) -> str:
    return due_at.strftime("%Y%m%dT%H%MZ")


def step_key(step_name: str, due_at: datetime) -> str:
    """The ledger step.

    The rule step plus the deadline it is about, so a moved deadline gets its own reminders and the
    old ones become stale.
    """
    return f"{step_name}@{due_key(due_at)}"


def run(now: datetime | None = None) -> RunReport:
    """One pass; safe to run as often and as concurrently as you like."""
    now = now or utcnow()
    rules = load_rules()
    report = RunReport()
    claim_item_reminders(now, rules, report)
    for _name, claim_more in sorted(guards.REMINDERS.items()):  # higher features' own deadlines
        report.claimed += claim_more(now)
        db.session.commit()
    assemble_digests(now, rules, report)
    send_pending(now, rules, report)
    outlets.claim(now)
    sent, failed = outlets.send(now, rules.max_attempts, backoff)
    report.outlet_mails, report.failed = sent, report.failed + failed
    return report


# --- 1. item reminders -----------------------------------------------------------------------

def due_items(now: datetime, rules: Rules) -> list[ChecklistItem]:
    """Open items whose deadline is within the reminder window: one indexed query."""
    return list(db.session.scalars(
        sa.select(ChecklistItem).join(ChecklistItem.event)
        .options(contains_eager(ChecklistItem.event))
        .where(ChecklistItem.awaits_owner_clause(),
               ChecklistItem.due_at > now - rules.lookback,
               ChecklistItem.due_at <= now + rules.lookahead,
               Event.status.in_(LIVE_EVENT_STATUSES))
        .order_by(ChecklistItem.id)))


def claim_item_reminders(now: datetime, rules: Rules, report: RunReport) -> None:
    candidates = [(item, step) for item in due_items(now, rules)
                  for step in item_steps(item.due_at, now, rules)]
    if not candidates:
        return
    # A step already delivered to anyone for this item is done: the common case (a
    # repeat run) is answered by one query, without loading the directory.
    taken = _taken_steps({item.id for item, _step in candidates})
    candidates = [(item, step) for item, step in candidates
                  if (item.id, step_key(step.name, item.due_at)) not in taken]
    if not candidates:
        return
    directory = Directory.load()
    preload_events({item.event_id for item, _step in candidates})
    wanted = []
    for item, step in candidates:
        people = (directory.escalation_targets(item) if step.escalation
                  else directory.item_owners(item))
        key = step_key(step.name, item.due_at)
        wanted += [(item, step, key, user) for user in who_may_view(people, item.event)]
    if not wanted:
        return
    prefs = preferences(user.id for *_rest, user in wanted)
    # The same order in every run, so concurrent claimers never deadlock.
    wanted.sort(key=lambda w: (w[0].id, w[2], w[3].id))
    for item, step, key, user in wanted:
        kind = Kind(step.kind)
        params = item_params(item)
        params["days"] = (max(0, (now - item.due_at).days) if kind is not Kind.ITEM_DUE_SOON
                          else int(step.name.split(":")[1].rstrip("d")))
        notification = claim(user.id, kind, "item", item.id, key,
                             status=initial_status(kind, prefs.get(user.id), urgent=False),
                             event_id=item.event_id, params=params, url=event_url(item.event_id),
                             now=now)
        if notification is not None:
            report.claimed += 1
    db.session.commit()


def _taken_steps(item_ids: set[int]) -> set[tuple[int, str]]:
    taken: set[tuple[int, str]] = set()
    ids = sorted(item_ids)
    for start in range(0, len(ids), 500):
        taken |= {(row[0], row[1]) for row in db.session.execute(
            sa.select(Delivery.object_id, Delivery.step)
            .where(Delivery.object_type == "item",
                   Delivery.object_id.in_(ids[start:start + 500])))}
    return taken


# --- 2. digests ----------------------------------------------------------------------------

def assemble_digests(now: datetime, rules: Rules, report: RunReport) -> None:
    waiting = db.session.execute(
        sa.select(Delivery.recipient_id, sa.func.min(Delivery.created_at))
        .where(Delivery.status == DeliveryStatus.DIGEST)
        .group_by(Delivery.recipient_id)).all()
    if not waiting:
        return
    prefs = preferences(r[0] for r in waiting)
    app_zone = current_app.config["APP_TIMEZONE"]
    for recipient_id, oldest in waiting:
        pref = prefs.get(recipient_id)
        zone = ZoneInfo((pref.timezone if pref and pref.timezone else "") or app_zone)
        moment = last_digest_moment(now, zone, rules.digest_time)
        if oldest.replace(tzinfo=now.tzinfo) > moment:
            continue  # everything waiting arrived after today's digest time
        day = moment.astimezone(zone).date().isoformat()
        notification_free = claim_digest(recipient_id, day, now)
        if notification_free is None:
            continue
        gathered = cast(sa.CursorResult, db.session.execute(
            sa.update(Delivery)
            .where(Delivery.recipient_id == recipient_id, Delivery.status == DeliveryStatus.DIGEST,
                   Delivery.created_at <= moment)
            .values(status=DeliveryStatus.IN_DIGEST, digest_id=notification_free))).rowcount
        if not gathered:
            db.session.execute(sa.update(Delivery).where(Delivery.id == notification_free)
                               .values(status=DeliveryStatus.EMPTY))
        else:
            report.digests += 1
        db.session.commit()


def claim_digest(recipient_id: int, day: str, now: datetime) -> int | None:
    """Claim the (recipient, digest, day) ledger row; its id, or None if another run has it."""
    return insert_delivery(recipient_id=recipient_id, kind=Kind.DIGEST, object_type="digest",
                           object_id=recipient_id, step=f"digest:{day}",
                           status=DeliveryStatus.PENDING, event_id=None, now=now)


# --- 3. sending ----------------------------------------------------------------------------

def send_pending(now: datetime, rules: Rules, report: RunReport) -> None:
    # A row a crashed run left "sending" may or may not have gone out: never resend it
    # blindly (that could send twice); show it on the admin page for a manual retry.
    db.session.execute(
        sa.update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - STALE_SENDING)
        .values(status=DeliveryStatus.GAVE_UP,
                last_error="interrupted while sending; check with the recipient, then retry"))
    db.session.commit()
    settings = MailSettings.from_app()
    mailer = None
    last_id = 0
    try:
        while True:
            ids = db.session.scalars(
                sa.select(Delivery.id)
                .where(Delivery.status.in_(SENDABLE), Delivery.next_attempt_at <= now,
                       Delivery.id > last_id)
                .order_by(Delivery.id).limit(SEND_BATCH)).all()
            if not ids:
                db.session.commit()
                return
            last_id = ids[-1]
            taken = _take(ids, now)
            mailer = mailer or mailer_for(settings)
            for delivery in _load_batch(taken):
                _send_one(delivery, now, rules, settings, mailer, report)
            db.session.commit()  # the batch's results
    finally:
        if mailer is not None:
            mailer.close()


def _take(ids: Sequence[int], now: datetime) -> list[int]:
    """Atomically move rows from pending/failed to sending; only the rows this run got.

    Two runs racing for the same rows: PostgreSQL re-checks the WHERE clause
    after the first one commits, so the second gets none of them.
    """
    taken = db.session.scalars(
        sa.update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.status.in_(SENDABLE), Delivery.next_attempt_at <= now)
        .values(status=DeliveryStatus.SENDING, claimed_at=now)
        .returning(Delivery.id)).all()
    db.session.commit()
    return sorted(taken)


def _load_batch(ids: list[int]) -> Sequence[Delivery]:
    """The rows with their recipients, bell entries, items and events, in a few queries."""
    if not ids:
        return []
    rows = db.session.scalars(
        sa.select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)
        .options(selectinload(Delivery.recipient), selectinload(Delivery.notification))).all()
    item_ids = [r.object_id for r in rows if r.object_type == "item"]
    if item_ids:  # into the identity map, for the staleness checks
        db.session.scalars(sa.select(ChecklistItem).where(ChecklistItem.id.in_(item_ids))
                           .options(selectinload(ChecklistItem.event))).all()
    preload_events({r.event_id for r in rows})
    return rows


def preload_events(ids) -> None:
    """Load events with their units (what ``access.can_view`` reads), in one query.

    Into the identity map, so that checking many recipients costs no query each.
    """
    ids = sorted(i for i in ids if i is not None)
    if ids:
        db.session.scalars(sa.select(Event).where(Event.id.in_(ids))
                           .options(selectinload(Event.coordinating_units))).all()


def _send_one(delivery, now, rules, settings, mailer, report) -> None:
    try:
        message = _message_for(delivery, settings)
        if message is None:
            report.withdrawn += 1
        else:
            mailer.send(message)
            delivery.status = DeliveryStatus.SENT if settings.configured else DeliveryStatus.LOGGED
            delivery.sent_at = now
            delivery.last_error = ""
            report.sent += settings.configured
            report.logged += not settings.configured
    except SQLAlchemyError:
        raise  # the database is gone: stop the run; the rows left "sending" show on the admin page
    except Exception as exc:  # noqa: BLE001
        # One refusal, bad address or unrenderable message never blocks the others.
        delivery.attempts += 1
        gave_up = delivery.attempts >= rules.max_attempts
        delivery.status = DeliveryStatus.GAVE_UP if gave_up else DeliveryStatus.FAILED
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
        report.failed += 1
        log.warning("delivery %s to user %s failed (attempt %s): %s", delivery.id,
                    delivery.recipient_id, delivery.attempts, delivery.last_error)
        db.session.commit()


def _message_for(delivery: Delivery, settings: MailSettings):
    """The e-mail for a ledger row, or None (row withdrawn) when it is no longer true."""
    user = delivery.recipient
    if delivery.kind is Kind.DIGEST:
        rows = db.session.scalars(sa.select(Delivery).where(Delivery.digest_id == delivery.id)
                                  .order_by(Delivery.id)).all()
        preload_events({row.event_id for row in rows})
        live = [row for row in rows if not _withdraw_if_stale(row)]
        if not live:
            delivery.status = DeliveryStatus.EMPTY
            return None
        texts = [(render_for(user, row.kind, row.notification.params), row.notification.url)
                 for row in live if row.notification is not None]
        subject = render_for(user, Kind.DIGEST, {}).subject + f" ({len(texts)})"
        return build_message(sender=settings.sender, user=user, texts=texts, subject=subject)
    if _withdraw_if_stale(delivery):
        return None
    notification = delivery.notification
    text = render_for(user, delivery.kind, notification.params if notification else {})
    event = (db.session.get(Event, delivery.event_id)
             if delivery.event_id and delivery.kind in ATTACH_EVENT else None)
    return build_message(sender=settings.sender, user=user,
                         texts=[(text, notification.url if notification else "")],
                         subject=text.subject, event=event)


def _withdraw_if_stale(delivery: Delivery) -> bool:
    """Withdraw, with its reason, a row that must no longer go out; True if it was."""
    reason = _stale_reason(delivery)
    if reason is None:
        return False
    mark_withdrawn([delivery.id], [delivery.notification_id], reason)
    db.session.refresh(delivery)
    return True


def _stale_reason(delivery: Delivery) -> str | None:
    """Why the row must not be sent, or None.

    Its recipient may no longer view its event (a unit left, the event turned confidential, the
    account deactivated); an item reminder whose item is done, whose deadline moved or whose
    event is off; a withdrawn notice.
    """
    if delivery.event_id is not None:
        event = db.session.get(Event, delivery.event_id)
        if event is None or not (delivery.recipient.active and can_view(delivery.recipient, event)):
            return NOT_VISIBLE
    if delivery.object_type in guards.GUARDS and not (
            delivery.recipient.active
            and guards.may_view(delivery.recipient, delivery.object_type, delivery.object_id)):
        return NOT_VISIBLE_OBJECT
    if delivery.kind in ITEM_REMINDERS and delivery.object_type == "item":
        item = db.session.get(ChecklistItem, delivery.object_id)
        stale = (item is None or not item.awaits_owner
                 or item.event.status not in LIVE_EVENT_STATUSES
                 or not delivery.step.endswith("@" + due_key(item.due_at)))
        return "no longer due" if stale else None
    notification = delivery.notification
    if notification is not None and notification.withdrawn_at is not None:
        return "withdrawn before sending"
    return None
