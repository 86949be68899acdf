"""Deadlines that were never possible: short-notice checklist items.

The rule is ``rules.due_with_notice`` (pure); the grace period is a setting. Oversight counts
short-notice items apart from late work with ``short_notice_clause`` and
``late_work_clause``.
"""
from datetime import datetime

import sqlalchemy as sa

from app.checklists.models import ChecklistItem, ItemStatus
from app.i18n import _l
from app.settings import define, group, setting, types

group("checklists", _l("Checklists and deadlines"))
define("checklists.short_notice_grace_working_days", _l("Grace period of a short-notice task"),
       types.WORKING_DAYS, 1, minimum=0, maximum=10,
       legal_basis="Quy định nội bộ của Ban Chỉ đạo (chưa có văn bản quy định thời hạn này)",
       verified=False,
       help=_l("A task whose due time had already passed when it was generated (an event "
               "planned at short notice) is due as soon as possible: by the end of this many "
               "working days after it was generated (0: by the end of that day). Such tasks "
               "are marked “short notice” and are not counted as late work."))


def grace_working_days() -> int:
    return setting("checklists.short_notice_grace_working_days")


def short_notice_clause() -> sa.ColumnElement[bool]:
    """SQL: the item was generated at short notice (counted apart from late work)."""
    return ChecklistItem.short_notice.is_(True)


def late_work_clause(now: datetime) -> sa.ColumnElement[bool]:
    """SQL: late work — done after its due time, or overdue now — never a short-notice item.

    Oversight's "late" figures can use this in place of their own clause so that short-notice
    items are counted separately (``short_notice_clause``).
    """
    return sa.and_(ChecklistItem.short_notice.is_(False), sa.or_(
        sa.and_(ChecklistItem.status == ItemStatus.DONE,
                ChecklistItem.completed_at > ChecklistItem.due_at),
        ChecklistItem.overdue_clause(now)))
