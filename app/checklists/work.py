"""Information provision: who may see, submit, complete, accept or return an item.

A focal point works only for their own unit; acceptance and return belong to the
lead unit (its focal points and head), protocol and admins. Every step is kept.
Each action names the item's version its page showed: an action based on an older
state is refused (the form keeps the input), and the item's lock column catches two
actions racing in the same instant (accept and return cannot both succeed).
"""
import functools
import operator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from app.auth.permissions import belongs_to, has_role, is_active_user
from app.auth.roles import Role
from app.checklists import storage
from app.checklists.models import (
    AWAITING_OWNER_STATUSES,
    OPEN_STATUSES,
    ChecklistItem,
    ChecklistStep,
    ChecklistSubmission,
    ItemStatus,
    ResponsibleRole,
    StepAction,
    SubmissionAttachment,
)
from app.checklists.signals import item_submitted, submission_reviewed
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.events import access
from app.events.models import Event, EventStatus
from app.events.queries import matches_words
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow

REVIEW_ANY_ROLES = (Role.ADMIN, Role.PROTOCOL)
# The role that may act for an item inside the item's unit, besides focal points and the head.
ROLE_FOR_ITEM = {
    ResponsibleRole.PROTOCOL: Role.PROTOCOL,
    ResponsibleRole.PRESS_LIAISON: Role.LIAISON,
    ResponsibleRole.SPOKESPERSON: Role.SPOKESPERSON,
    ResponsibleRole.STEERING: Role.STEERING,
}
MAX_FILES = 5
DUE_SOON = timedelta(days=7)


def can_work_on(user, item: ChecklistItem) -> bool:
    """The item's own unit: its focal points, its head, or holders of the item's role."""
    if not is_active_user(user):
        return False
    if item.user_id is not None and item.user_id == user.id:
        return True
    if not belongs_to(user, item.unit_id):
        return False
    role = ROLE_FOR_ITEM.get(item.role)
    return user.is_unit_head or has_role(user, Role.FOCAL) or (role is not None and has_role(user, role))


def can_review(user, item: ChecklistItem) -> bool:
    """The lead unit's focal points and head, protocol and admins."""
    if has_role(user, *REVIEW_ANY_ROLES):
        return True
    return is_active_user(user) and belongs_to(user, item.event.lead_unit_id) and (
        user.is_unit_head or has_role(user, Role.FOCAL))


def can_see(user, item: ChecklistItem) -> bool:
    """Details and files: the item's unit, the reviewers, and the steering committee."""
    if not access.can_view(user, item.event):
        return False
    return can_work_on(user, item) or can_review(user, item) or has_role(user, Role.STEERING) \
        or belongs_to(user, item.unit_id)


@dataclass(frozen=True)
class ItemActions:
    """What the item's page offers ``user`` now."""

    review: bool   # accept or return the submission waiting for review
    provide: bool  # submit information, or mark done when no submission is required


def actions(user, item: ChecklistItem) -> ItemActions:
    return ItemActions(
        review=item.status is ItemStatus.SUBMITTED and can_review(user, item),
        provide=(item.awaits_owner and item.event.status is not EventStatus.CANCELLED
                 and can_work_on(user, item)))


def get_item(user, item_id: int) -> ChecklistItem:
    """The item if the user may see its details; 404 if not even the event is visible."""
    item = db.session.get(ChecklistItem, item_id)
    if item is None:
        raise NotVisible()
    access.require_view(user, item.event)
    if not can_see(user, item):
        raise PermissionDenied()
    return item


def _stale() -> ValidationFailed:
    return ValidationFailed(_("Someone else changed this item after you opened it. Your input "
                              "is kept below: check the item as it is now, then try again."))


def _check_version(item: ChecklistItem, expected_version) -> None:
    """Refuse an action based on an older state of the item than the current one."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The form is missing its version; reload the page.")) from None
    if expected != item.version:
        raise _stale()


def _flush_item() -> None:
    """Flush, refusing clearly an action that raced another on the same item.

    Its version moved meanwhile: the same refusal as a stale page, not a 500.
    """
    try:
        db.session.flush()
    except StaleDataError:
        raise _stale() from None


def _step(item, action, user, comment="", submission=None) -> None:
    db.session.add(ChecklistStep(item=item, action=action, actor_id=user.id if user else None,
                                 comment=comment, submission_id=submission.id if submission else None,
                                 at=utcnow()))


def _refuse_if_closed(item: ChecklistItem) -> None:
    if item.event.status is EventStatus.CANCELLED:
        raise ValidationFailed(_("The event is cancelled: nothing more can be submitted."))
    if item.status is ItemStatus.NOT_NEEDED:
        raise ValidationFailed(_("This item is no longer needed."))
    if item.status is ItemStatus.DONE:
        raise ValidationFailed(_("This item is already done."))


def submit(user, item: ChecklistItem, text: str, uploads: list[FileStorage],
           expected_version) -> ChecklistSubmission:
    """A unit provides its information. Late submissions are accepted and marked late.

    Every file is checked before anything is written; if the database refuses,
    the files already stored are removed again.
    """
    if not can_work_on(user, item):
        raise PermissionDenied()
    _check_version(item, expected_version)
    _refuse_if_closed(item)
    uploads = [u for u in uploads if u and u.filename]
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d files per submission.", n=MAX_FILES), "attachments")
    checked = [storage.check_upload(u) for u in uploads]
    text = (text or "").strip()
    if not text and not checked:
        raise ValidationFailed(_("Write the information or attach a file."), "text")
    now = utcnow()
    submission = ChecklistSubmission(item=item, text=text, submitted_by=user, submitted_at=now,
                                     is_late=now > item.due_at, status=ItemStatus.SUBMITTED)
    db.session.add(submission)
    stored = []
    try:
        for f in checked:
            name = storage.store(f)
            stored.append(name)
            db.session.add(SubmissionAttachment(submission=submission, original_name=f.original_name,
                                                stored_name=name, content_type=f.content_type,
                                                size=f.size))
        item.status = ItemStatus.SUBMITTED
        _flush_item()
        _step(item, StepAction.SUBMITTED, user, submission=submission)
        db.session.flush()
    except Exception:
        for name in stored:
            storage.discard(name)
        raise
    item_submitted.send(submission, actor=user)
    return submission


def _latest_submission(item: ChecklistItem) -> ChecklistSubmission:
    pending = [s for s in item.submissions if s.status is ItemStatus.SUBMITTED]
    if item.status is not ItemStatus.SUBMITTED or not pending:
        raise ValidationFailed(_("There is no submission waiting for review."))
    return pending[-1]


def accept(user, item: ChecklistItem, comment: str, expected_version) -> None:
    if not can_review(user, item):
        raise PermissionDenied()
    _check_version(item, expected_version)
    submission = _latest_submission(item)
    now = utcnow()
    submission.status = ItemStatus.DONE
    item.status = ItemStatus.DONE
    item.completed_at, item.completed_by = now, user
    _step(item, StepAction.ACCEPTED, user, comment.strip(), submission)
    _flush_item()
    submission_reviewed.send(submission, accepted=True, comment=comment.strip(), actor=user)


def return_item(user, item: ChecklistItem, comment: str, expected_version) -> None:
    if not can_review(user, item):
        raise PermissionDenied()
    _check_version(item, expected_version)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("Say what is missing when returning a submission."), "comment")
    submission = _latest_submission(item)
    submission.status = ItemStatus.RETURNED
    item.status = ItemStatus.RETURNED
    _step(item, StepAction.RETURNED, user, comment, submission)
    _flush_item()
    submission_reviewed.send(submission, accepted=False, comment=comment, actor=user)


def complete(user, item: ChecklistItem, comment: str, expected_version) -> None:
    """Mark an item that needs no submission as done."""
    if not (can_work_on(user, item) or can_review(user, item)):
        raise PermissionDenied()
    _check_version(item, expected_version)
    _refuse_if_closed(item)
    if item.requires_submission:
        raise ValidationFailed(_("This item needs a submission that the lead unit accepts."))
    item.status = ItemStatus.DONE
    item.completed_at, item.completed_by = utcnow(), user
    _step(item, StepAction.COMPLETED, user, comment.strip())
    _flush_item()


def attachment_for(user, attachment_id: int) -> SubmissionAttachment:
    attachment = db.session.get(SubmissionAttachment, attachment_id)
    if attachment is None:
        raise NotVisible()
    get_item(user, attachment.submission.item_id)
    return attachment


# --- work views ---------------------------------------------------------------------------

@dataclass
class Tasks:
    overdue: list[ChecklistItem]
    due_soon: list[ChecklistItem]
    later: list[ChecklistItem]
    waiting: list[ChecklistItem]      # submitted, waiting for the lead unit
    to_review: list[ChecklistItem]    # submissions the user may accept or return
    done: list[ChecklistItem]


def my_tasks(user, now: datetime | None = None, done_days: int = 30) -> Tasks:
    """The user's and their unit's items on events they may see."""
    now = now or utcnow()
    mine = sa.or_(ChecklistItem.user_id == user.id, ChecklistItem.unit_id == user.unit_id) \
        if user.unit_id else ChecklistItem.user_id == user.id
    base = (sa.select(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
            .where(access.visible_clause(user))
            .options(selectinload(ChecklistItem.event), selectinload(ChecklistItem.unit))
            .order_by(ChecklistItem.due_at, ChecklistItem.id))
    items = [i for i in db.session.scalars(base.where(mine, sa.or_(
        ChecklistItem.status.in_([s.value for s in OPEN_STATUSES]),
        sa.and_(ChecklistItem.status == ItemStatus.DONE,
                ChecklistItem.completed_at >= now - timedelta(days=done_days)))))
        if can_work_on(user, i) or belongs_to(user, i.unit_id)]
    tasks = Tasks([], [], [], [], [], [])
    for item in items:
        if item.status is ItemStatus.DONE:
            tasks.done.append(item)
        elif item.status is ItemStatus.SUBMITTED:
            tasks.waiting.append(item)
        elif item.is_overdue(now):
            tasks.overdue.append(item)
        elif item.due_at < now + DUE_SOON:
            tasks.due_soon.append(item)
        else:
            tasks.later.append(item)
    review = base.where(ChecklistItem.status == ItemStatus.SUBMITTED)
    if not has_role(user, *REVIEW_ANY_ROLES):
        if user.unit_id is None or not (user.is_unit_head or has_role(user, Role.FOCAL)):
            return tasks
        review = review.where(Event.lead_unit_id == user.unit_id)
    tasks.to_review = list(db.session.scalars(review.limit(200)))
    return tasks


# The task page's views, in the order it shows them.
TASK_VIEWS = ("review", "overdue", "due_soon", "later", "waiting", "done")


@dataclass
class TaskFilters:
    """What /tasks narrows to; every field optional."""

    event_id: int | None = None
    unit_id: int | None = None      # the responsible unit
    due_from: datetime | None = None
    due_to: datetime | None = None  # exclusive
    words: list[str] = field(default_factory=list)  # folded, matched on the event


def _own_branches(user) -> list[sa.ColumnElement[bool]]:
    """Items given to the user, then to their unit (what ``my_tasks`` lists), without overlap.

    Two conditions, not one OR: each follows its own index in due order and stops at the page.
    """
    if not is_active_user(user):
        return [sa.false()]
    mine = ChecklistItem.user_id == user.id
    if not user.unit_id:
        return [mine]
    return [mine, sa.and_(ChecklistItem.unit_id == user.unit_id,
                          sa.or_(ChecklistItem.user_id.is_(None), ChecklistItem.user_id != user.id))]


def _review_clause(user) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    """Submissions ``user`` may accept or return (``can_review``): on the item, on its event."""
    if has_role(user, *REVIEW_ANY_ROLES):
        return ChecklistItem.status == ItemStatus.SUBMITTED, sa.true()
    if not is_active_user(user) or user.unit_id is None or not (
            user.is_unit_head or has_role(user, Role.FOCAL)):
        return sa.false(), sa.true()
    return ChecklistItem.status == ItemStatus.SUBMITTED, Event.lead_unit_id == user.unit_id


def _view_clauses(view: str, now: datetime, done_days: int) -> list[sa.ColumnElement[bool]]:
    """The rule of each of ``my_tasks``' own groups, in SQL: one disjoint condition per state.

    A single state each (not ``status IN (...)``), so that the (unit, state, due time) index
    gives the items in due order and the planner never walks the unit's done history instead.
    """
    if view == "waiting":
        return [ChecklistItem.status == ItemStatus.SUBMITTED]
    if view == "done":
        return [sa.and_(ChecklistItem.status == ItemStatus.DONE,
                        ChecklistItem.completed_at >= now - timedelta(days=done_days))]
    due = {"overdue": [ChecklistItem.due_at < now],
           "due_soon": [ChecklistItem.due_at >= now, ChecklistItem.due_at < now + DUE_SOON],
           "later": [ChecklistItem.due_at >= now + DUE_SOON]}[view]
    # ``ChecklistItem.awaits_owner_clause()``, one state at a time.
    return [sa.and_(ChecklistItem.status == status, *due)
            for status in sorted(AWAITING_OWNER_STATUSES)]


def _group_branches(user, view: str, now: datetime,
                    done_days: int) -> list[tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]]:
    """A group of the task page as disjoint branches, each following its own index.

    Each branch is a condition on the item and one on its event.
    """
    if view == "review":
        return [_review_clause(user)]
    return [(sa.and_(branch, rule), sa.true())
            for branch in _own_branches(user) for rule in _view_clauses(view, now, done_days)]


def task_page(user, view: str, filters: TaskFilters, *, page: int = 1, size: int = 50,
              now: datetime | None = None, done_days: int = 30) -> tuple[list[ChecklistItem], bool]:
    """One page of one of the task page's groups, and whether another page follows.

    In SQL (visibility, ownership, filters), one row more than the page: no total is counted,
    so the page costs the same with 20 or 20,000 tasks.
    """
    now = now or utcnow()
    wanted = [access.visible_clause(user)]
    if filters.event_id:
        wanted.append(ChecklistItem.event_id == filters.event_id)
    if filters.unit_id:
        wanted.append(ChecklistItem.unit_id == filters.unit_id)
    if filters.due_from:
        wanted.append(ChecklistItem.due_at >= filters.due_from)
    if filters.due_to:
        wanted.append(ChecklistItem.due_at < filters.due_to)
    if filters.words:
        wanted.append(matches_words(filters.words))
    branches = [sa.and_(*branch) for branch in _group_branches(user, view, now, done_days)]
    done = view == "done"
    key = ChecklistItem.completed_at if done else ChecklistItem.due_at
    reach = page * size + 1  # each branch reads at most this far; no count of the rest
    firsts = [sa.select(ChecklistItem.id.label("id"), key.label("key"))
              .join(Event, Event.id == ChecklistItem.event_id).where(branch, *wanted)
              .order_by(key.desc() if done else key,
                        ChecklistItem.id.desc() if done else ChecklistItem.id)
              .limit(reach).subquery() for branch in branches]
    picked = sa.union_all(*(sa.select(first.c.id, first.c.key) for first in firsts)).subquery()
    order = (picked.c.key.desc(), picked.c.id.desc()) if done else (picked.c.key, picked.c.id)
    ids = list(db.session.scalars(sa.select(picked.c.id).order_by(*order)
                                  .limit(size + 1).offset((page - 1) * size)))
    found = {item.id: item for item in db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.id.in_(ids))
        .options(selectinload(ChecklistItem.event), selectinload(ChecklistItem.unit)))}
    items = [found[i] for i in ids if i in found]
    return items[:size], len(items) > size


# What the dashboard counts, each the rule of the task page's group of the same name.
COUNTED_VIEWS = ("review", "overdue", "due_soon", "waiting")


def task_counts(user, now: datetime | None = None) -> dict[str, int]:
    """How many tasks each of ``COUNTED_VIEWS`` holds: what ``task_page`` would page through.

    One statement of counts, a subquery per branch of each group (``_group_branches``), so each
    counts an index range of items (the unit's open items due before now, ...) and checks their
    events, rather than scanning the unit's history or every event; no row is loaded.
    """
    now = now or utcnow()
    visible = access.visible_clause(user)

    def count(branch) -> sa.ScalarSelect:
        on_item, on_event = branch
        return (sa.select(sa.func.count()).select_from(ChecklistItem)
                .where(on_item, sa.select(Event.id).where(Event.id == ChecklistItem.event_id,
                                                          on_event, visible).exists())
                .scalar_subquery())

    totals = [functools.reduce(operator.add, map(count, _group_branches(user, view, now, 0)))
              .label(view) for view in COUNTED_VIEWS]
    row = db.session.execute(sa.select(*totals)).one()
    return {view: row._mapping[view] or 0 for view in COUNTED_VIEWS}


def event_checklist(event: Event) -> list[ChecklistItem]:
    return list(db.session.scalars(
        sa.select(ChecklistItem).where(ChecklistItem.event_id == event.id)
        .options(selectinload(ChecklistItem.unit))
        .order_by(ChecklistItem.due_at, ChecklistItem.id)))


@dataclass
class Progress:
    done: int
    total: int  # not counting items no longer needed
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(items: list[ChecklistItem], now: datetime | None = None) -> Progress:
    now = now or utcnow()
    counted = [i for i in items if i.status is not ItemStatus.NOT_NEEDED]
    return Progress(done=sum(i.status is ItemStatus.DONE for i in counted), total=len(counted),
                    overdue=sum(i.is_overdue(now) for i in counted))
