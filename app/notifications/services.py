"""Creating notifications: the bell entry plus a claimed row in the delivery ledger.

Features announce what happened with signals (``app.<feature>.signals``);
``subscriptions.register`` connects the ``notify_*`` functions below to them. They
flush, never commit. The same (recipient, object, step) is recorded once: a second
call finds the key taken (INSERT … ON CONFLICT DO NOTHING) and does nothing.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.checklists.models import OPEN_STATUSES, ChecklistItem
from app.events.models import Event, EventStatus
from app.extensions import db, insert_ignoring_conflicts
from app.notifications import guards
from app.notifications.models import (
    Delivery,
    DeliveryStatus,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
)
from app.notifications.recipients import Directory, event_stakeholders, unique, who_may_view
from app.notifications.rules import load_rules
from app.timeutil import utcnow

# Overdue items cannot be silenced: these are e-mailed whatever the person chose.
ALWAYS_EMAILED = frozenset({Kind.ITEM_OVERDUE, Kind.ITEM_ESCALATED, Kind.CASE_OVERDUE,
                            Kind.CASE_ESCALATED})
# Reminders about an item's deadline; withdrawn when the event is cancelled or the deadline moves.
ITEM_REMINDERS = frozenset({Kind.ITEM_DUE_SOON, Kind.ITEM_OVERDUE, Kind.ITEM_ESCALATED})

OBJECT_TYPES = {"ChecklistItem": "item", "Event": "event", "SpokespersonAssignment": "assignment",
                "BriefingNote": "note", "Briefing": "briefing", "TrainingNomination": "nomination",
                "MonitoringCase": "case", "AlertOccurrence": "alert"}

TIME_FIELDS = {"starts_at", "ends_at", "all_day", "timezone"}
AFTER_THE_FACT = {EventStatus.HELD.value, EventStatus.REPORTED.value}
PLACE_FIELDS = {"venue_id", "venue", "location"}


def object_type(obj) -> str:
    name = type(obj).__name__
    return OBJECT_TYPES.get(name) or ("submission" if "Submission" in name else name.lower())


def preferences(user_ids) -> dict[int, NotificationPreference]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return {p.user_id: p for p in db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id.in_(ids)))}


def initial_status(kind: Kind, preference: NotificationPreference | None,
                   urgent: bool) -> DeliveryStatus:
    if urgent or kind in ALWAYS_EMAILED:
        return DeliveryStatus.PENDING
    mode = preference.mode if preference else Mode.EMAIL
    return {Mode.EMAIL: DeliveryStatus.PENDING, Mode.DIGEST: DeliveryStatus.DIGEST,
            Mode.IN_APP: DeliveryStatus.IN_APP}[mode]


def insert_delivery(*, recipient_id: int, kind: Kind, object_type: str, object_id: int, step: str,
                    status: DeliveryStatus, event_id: int | None, now: datetime) -> int | None:
    """INSERT the ledger row unless its key exists (ON CONFLICT DO NOTHING); its id or None."""
    stmt = (insert_ignoring_conflicts(Delivery.__table__)
            .values(recipient_id=recipient_id, kind=kind.value, object_type=object_type,
                    object_id=object_id, step=step, status=status.value, event_id=event_id,
                    attempts=0, next_attempt_at=now, last_error="", created_at=now)
            .on_conflict_do_nothing()
            .returning(Delivery.__table__.c.id))
    return db.session.execute(stmt).scalar()


def claim(recipient_id: int, kind: Kind, obj_type: str, obj_id: int, step: str, *,
          status: DeliveryStatus, event_id: int | None, params: dict, url: str,
          now: datetime) -> Notification | None:
    """Insert the ledger row for (recipient, object, step); None if it was already there.

    On PostgreSQL a concurrent claimer of the same key waits for ours to commit
    and then inserts nothing, so only one transaction ever creates the bell
    entry and the e-mail.
    """
    delivery_id = insert_delivery(recipient_id=recipient_id, kind=kind, object_type=obj_type,
                                  object_id=obj_id, step=step, status=status, event_id=event_id,
                                  now=now)
    if delivery_id is None:
        return None
    notification = Notification(recipient_id=recipient_id, kind=kind, object_type=obj_type,
                                object_id=obj_id, event_id=event_id, url=url, params=params,
                                created_at=now)
    db.session.add(notification)
    db.session.flush()
    db.session.execute(sa.update(Delivery).where(Delivery.id == delivery_id)
                       .values(notification_id=notification.id))
    return notification


def notify(recipients, kind: Kind, obj, *, event: Event | None, step: str, params: dict | None = None,
           url: str = "", urgent: bool = False) -> list[Notification]:
    """Tell each recipient once about ``obj`` at ``step``: bell entry + e-mail per preference.

    Only recipients who may view ``event`` (what ``obj`` belongs to) hear of it, and, for an
    object with its own rule (``guards``), who may view ``obj``; the send checks again.
    ``event`` is None only for such an object. ``urgent`` e-mails at the next run whatever
    the person chose (changes to an event less than 48 hours away). Flushes; the caller commits.
    """
    if obj.id is None:
        db.session.flush()  # a new object gets its id
    kind_of = object_type(obj)
    if event is None and kind_of not in guards.GUARDS:
        raise ValueError(f"a notice about {kind_of!r} needs its event")
    people = who_may_view(recipients, event) if event is not None else unique(recipients)
    people = [user for user in people if guards.may_view(user, kind_of, obj.id)]
    prefs = preferences(u.id for u in people)
    now = utcnow()
    created = []
    for user in people:
        notification = claim(
            user.id, Kind(kind), kind_of, obj.id, step,
            status=initial_status(Kind(kind), prefs.get(user.id), urgent),
            event_id=event.id if event is not None else None, params=dict(params or {}),
            url=url, now=now)
        if notification is not None:
            created.append(notification)
    return created


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def event_params(event: Event) -> dict:
    return {"event_title_vi": event.title_vi, "event_title_en": event.title_en,
            "starts_at": _iso(event.starts_at), "tz": event.timezone}


def item_params(item: ChecklistItem) -> dict:
    return {"title_vi": item.title_vi, "title_en": item.title_en, "due_at": _iso(item.due_at),
            **{k: v for k, v in event_params(item.event).items() if k != "starts_at"},
            "unit_vi": item.unit.name_vi if item.unit else "",
            "unit_en": item.unit.name_en if item.unit else ""}


def event_url(event_id: int) -> str:
    return f"/events/{event_id}"


# --- called by other features -------------------------------------------------------------

def notify_item_assigned(item: ChecklistItem,
                         directory: Directory | None = None) -> list[Notification]:
    """Tell the item's owners (its person, else its unit's focal points) they owe it.

    When notifying many items at once, pass one ``Directory.load()`` to share it.
    """
    owners = (directory or Directory.load()).item_owners(item)
    return notify(owners, Kind.ITEM_ASSIGNED, item, step=f"assigned:{_owner_key(item)}",
                  params=item_params(item), url=event_url(item.event_id), event=item.event)


def notify_open_items(items: list[ChecklistItem]) -> int:
    """Tell the owners of open items they owe them; safe to repeat (each is told once)."""
    directory = Directory.load()
    return sum(len(notify_item_assigned(item, directory)) for item in items
               if item.status in OPEN_STATUSES and (item.unit_id or item.user_id))


def _owner_key(item) -> str:
    return f"user{item.user_id}" if item.user_id else f"unit{item.unit_id}"


def notify_submission_reviewed(submission, accepted: bool, comment: str = "") -> list[Notification]:
    """Tell whoever submitted that it was accepted or returned, with the reviewer's comment.

    ``submission`` needs ``id``, ``item`` (a ChecklistItem) and ``submitted_by`` (User).
    """
    item = submission.item
    recipients = [submission.submitted_by]
    kind = Kind.SUBMISSION_ACCEPTED if accepted else Kind.SUBMISSION_RETURNED
    return notify(recipients, kind, submission, step="accepted" if accepted else "returned",
                  params={**item_params(item), "comment": comment}, url=event_url(item.event_id),
                  event=item.event)


def notify_submission_received(submission) -> list[Notification]:
    """Tell the lead unit's reviewers that a unit provided its information (not the submitter)."""
    item = submission.item
    reviewers = [u for u in Directory.load().item_reviewers(item)
                 if u.id != submission.submitted_by_id]
    return notify(reviewers, Kind.SUBMISSION_RECEIVED, submission, step="received",
                  params=item_params(item), url=f"/checklists/items/{item.id}", event=item.event)


def notify_assignment(assignment) -> list[Notification]:
    """Tell a person they were assigned as spokesperson of a briefing (with its .ics)."""
    briefing = assignment.briefing
    params = {"title_vi": briefing.title_vi, "title_en": briefing.title_en,
              **event_params(briefing.event), "starts_at": _iso(briefing.starts_at),
              "tz": briefing.timezone, "role": str(assignment.role)}
    return notify([assignment.user], Kind.SPOKESPERSON_ASSIGNED, assignment, step="assigned",
                  params=params, url=event_url(briefing.event_id), event=briefing.event)


def notify_nominated(nomination) -> list[Notification]:
    """Tell a person that their unit nominated them for a training course."""
    event = nomination.course.event
    return notify([nomination.user], Kind.TRAINING_NOMINATED, nomination, step="nominated",
                  params={**event_params(event), "unit_vi": nomination.unit.name_vi,
                          "unit_en": nomination.unit.name_en},
                  url=f"/training/{event.id}", event=event)


def notify_note_submitted(version) -> list[Notification]:
    """Tell those who may approve a briefing note that a version waits for them."""
    note = version.note
    briefing = note.briefing
    approvers = [u for u in Directory.load().note_approvers(briefing.event)
                 if u.id != version.author_id]
    return notify(approvers, Kind.NOTE_SUBMITTED, note, step=f"submitted:v{version.number}",
                  params={"title_vi": briefing.title_vi, "title_en": briefing.title_en,
                          **event_params(briefing.event), "number": version.number},
                  url=f"/notes/{note.id}", event=briefing.event)


def notify_note_reviewed(version, approved: bool) -> list[Notification]:
    """Tell the author of a briefing-note version that it was approved or returned."""
    note = version.note
    briefing = note.briefing
    kind = Kind.NOTE_APPROVED if approved else Kind.NOTE_RETURNED
    step = f"{'approved' if approved else 'returned'}:v{version.number}"
    if version.author is None:
        return []
    return notify([version.author], kind, note, step=step,
                  params={"title_vi": briefing.title_vi, "title_en": briefing.title_en,
                          **event_params(briefing.event), "comment": version.review_comment or ""},
                  url=event_url(briefing.event_id), event=briefing.event)


# --- events -------------------------------------------------------------------------------

def withdraw_item_reminders(event_id: int, *, reason: str = "event cancelled") -> int:
    """Withdraw the unsent item reminders of an event; they never go out. Returns how many."""
    unsent = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.DIGEST)
    rows = db.session.execute(
        sa.select(Delivery.id, Delivery.notification_id)
        .where(Delivery.event_id == event_id, Delivery.status.in_(unsent),
               Delivery.kind.in_(ITEM_REMINDERS))).all()
    mark_withdrawn([r.id for r in rows], [r.notification_id for r in rows], reason)
    return len(rows)


def mark_withdrawn(delivery_ids, notification_ids, reason: str) -> None:
    now = utcnow()
    if delivery_ids:
        db.session.execute(sa.update(Delivery).where(Delivery.id.in_(delivery_ids))
                           .values(status=DeliveryStatus.WITHDRAWN, last_error=reason))
    ids = [n for n in notification_ids if n is not None]
    if ids:
        db.session.execute(sa.update(Notification).where(Notification.id.in_(ids))
                           .values(withdrawn_at=now))


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value


def on_event_saved(event: Event, actor=None, changes=None, created=False, **_extra) -> None:
    """Rescheduled / cancelled notices; changes close to the start are e-mailed at once."""
    if created or not changes:
        return
    changed = set(changes)
    new_status = str(changes["status"][1]) if "status" in changes else None
    if new_status in AFTER_THE_FACT:
        changed.discard("status")  # marking an event held or reported is news to nobody
    old_start = _as_datetime(changes["starts_at"][0]) if "starts_at" in changes else None
    now = utcnow()
    soonest = min(d for d in (old_start, event.starts_at) if d is not None)
    urgent = (now - timedelta(hours=12) < soonest
              < now + timedelta(hours=load_rules().urgent_hours))
    params, step = event_params(event), f"v{event.version}"
    if new_status == EventStatus.CANCELLED:
        withdraw_item_reminders(event.id)
        kind, step = Kind.EVENT_CANCELLED, "cancelled"
        params["reason"] = event.status_reason or ""
    elif changed & TIME_FIELDS:
        kind, step = Kind.EVENT_RESCHEDULED, f"rescheduled:{step}"
        params["old_starts_at"] = _iso(old_start or event.starts_at)
    elif (urgent and changed & (PLACE_FIELDS | {"status"})) or new_status == EventStatus.POSTPONED:
        kind, step = Kind.EVENT_CHANGED, f"changed:{step}"
        params["changed"] = [name for name, fields in (("place", PLACE_FIELDS), ("status", {"status"}))
                             if changed & fields]
    else:
        return  # titles, descriptions, units: the feeds carry those
    recipients = event_stakeholders(event)
    if kind in (Kind.EVENT_CANCELLED, Kind.EVENT_RESCHEDULED):
        recipients += feed_subscribers_by_email(event)
    notify(recipients, kind, event, step=step, params=params,
           url=event_url(event.id), event=event, urgent=urgent)


def feed_subscribers_by_email(event: Event) -> list:
    """Subscribers of a feed showing ``event`` who chose e-mail for each notification.

    They hear once (the ledger's key) that it was rescheduled or cancelled, even when the
    event is none of their business otherwise.
    """
    from app.feeds.services import subscribers_of

    people = subscribers_of(event)
    prefs = preferences(u.id for u in people)
    return [u for u in people if (prefs[u.id].mode if u.id in prefs else Mode.EMAIL) is Mode.EMAIL]

