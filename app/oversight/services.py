"""Oversight figures: who is late, and whether every event was briefed before it happened.

Every figure is one aggregate query (GROUP BY, or one conditional SUM per month or
quarter) in the database; Python only adds up the few grouped rows. Lists behind a figure
show only the events the reader may see (``visible_clause``); the figures count them all.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus
from app.checklists.overview import can_see_overview
from app.checklists.short_notice import late_work_clause, short_notice_clause
from app.errors import PermissionDenied
from app.events.access import visible_clause
from app.events.models import Event, EventKind, EventStatus
from app.extensions import db
from app.i18n import _l
from app.monitoring import figures as monitoring_figures
from app.monitoring.models import Origin
from app.oversight import periods, rollup
from app.oversight.models import EventCount, ItemCount
from app.oversight.periods import Period, ScopeError
from app.press.models import Briefing, BriefingStatus
from app.settings import setting
from app.units.models import Unit

# An event counts as held once its status says so (held, or held and reported on).
HELD_STATUSES = (EventStatus.HELD, EventStatus.REPORTED)
LIST_LIMIT = 500
DASHBOARD_LIST_LIMIT = 20     # the dashboard shows the first ones; the list page has them all
TREND_MONTHS = 12


def can_see_dashboard(user) -> bool:
    """Steering committee, admins and the propaganda commission (as the checklist overview)."""
    return can_see_overview(user)


def require_dashboard(user) -> None:
    if not can_see_dashboard(user):
        raise PermissionDenied()


# --- the one "briefed before" rule ------------------------------------------------------------

def briefed_before_clause() -> sa.ColumnElement[bool]:
    """SQL condition on ``Event``: a press conference held, or a press release, before it started.

    A briefing of the event that was held, or that carries a press release and was not
    cancelled, starting no later than the event. The one place this rule is written; the
    briefings-for-every-kind work (issue 13) can replace its body.
    """
    return (sa.select(Briefing.id)
            .where(Briefing.event_id == Event.id, Briefing.starts_at <= Event.starts_at,
                   sa.or_(Briefing.status == BriefingStatus.HELD,
                          sa.and_(Briefing.release_vi != "", Briefing.status != BriefingStatus.CANCELLED)))
            .exists())


def held_clause() -> sa.ColumnElement[bool]:
    return Event.status.in_(HELD_STATUSES)


# --- scope: period and filters ------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    period: Period
    zone: str
    now: datetime
    unit: Unit | None = None
    kind: EventKind | None = None

    @property
    def start_at(self) -> datetime:
        return self.period.bounds(self.zone)[0]

    @property
    def end_at(self) -> datetime:
        return self.period.bounds(self.zone)[1]

    @property
    def query(self) -> dict[str, str]:
        """URL parameters naming this scope (for links to the lists and charts)."""
        params = dict(self.period.query)
        if self.unit is not None:
            params["unit"] = self.unit.slug
        if self.kind is not None:
            params["kind"] = self.kind.value
        return params

    def query_for(self, period_label: str) -> dict[str, str]:
        """These filters over another named period (a month of the trend)."""
        params = {key: value for key, value in self.query.items() if key in ("unit", "kind")}
        return {"period": period_label, **params}

    def with_unit(self, unit: Unit | None) -> "Scope":
        return Scope(self.period, self.zone, self.now, unit, self.kind)

    def with_kind(self, kind: EventKind | None) -> "Scope":
        return Scope(self.period, self.zone, self.now, self.unit, kind)


def make_scope(*, period: str | None = None, start: str | None = None, end: str | None = None,
               unit: str | None = None, kind: str | None = None, zone: str, now: datetime) -> Scope:
    """The scope a request or command asks for; ``ScopeError`` says what is wrong with it."""
    today = now.astimezone(ZoneInfo(zone)).date()
    chosen = periods.parse(period, start, end, today)
    found_unit = None
    if unit:
        found_unit = db.session.scalar(sa.select(Unit).where(Unit.slug == unit[:64]))
        if found_unit is None:
            raise ScopeError(_l("Unknown unit “%(unit)s”.", unit=unit[:64]))
    found_kind = None
    if kind:
        try:
            found_kind = EventKind(kind)
        except ValueError:
            raise ScopeError(_l("Unknown kind of event “%(kind)s”.", kind=kind[:40])) from None
    return Scope(chosen, zone, now, found_unit, found_kind)


# --- figures -----------------------------------------------------------------------------------

def _count(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The figures of one unit, one kind, one unit and kind, or everything."""

    events_held: int = 0
    briefed_before: int = 0
    items_due: int = 0
    on_time: int = 0
    late: int = 0
    overdue_now: int = 0
    short_notice: int = 0     # items generated at short notice: counted apart, not in the rates
    median_lead_seconds: float | None = None

    @property
    def not_briefed(self) -> int:
        return self.events_held - self.briefed_before

    @property
    def briefed_pct(self) -> float | None:
        return _percent(self.briefed_before, self.events_held)

    @property
    def decided(self) -> int:
        """Regular items done or overdue: the base of the on-time and late rates.

        Short-notice items are not in it: their rule's due time had passed before they
        existed, so they are neither on time nor late (``short_notice``).
        """
        return self.on_time + self.late

    @property
    def on_time_pct(self) -> float | None:
        return _percent(self.on_time, self.decided)

    @property
    def late_pct(self) -> float | None:
        return _percent(self.late, self.decided)

    @property
    def median_lead_days(self) -> float | None:
        return None if self.median_lead_seconds is None else round(self.median_lead_seconds / 86400, 1)

    def add(self, other: "Figures") -> None:
        for name in ("events_held", "briefed_before", "items_due", "on_time", "late", "overdue_now",
                     "short_notice"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _event_conditions(scope: Scope) -> list:
    conditions = [Event.starts_at >= scope.start_at, Event.starts_at < scope.end_at, held_clause()]
    if scope.unit is not None:
        conditions.append(Event.lead_unit_id == scope.unit.id)
    if scope.kind is not None:
        conditions.append(Event.kind == scope.kind)
    return conditions


def _item_conditions(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list:
    """Items due in the scope (or in [start, end)) that someone owes: not "not needed"."""
    conditions = [ChecklistItem.due_at >= (start or scope.start_at),
                  ChecklistItem.due_at < (end or scope.end_at),
                  ChecklistItem.unit_id.is_not(None),
                  ChecklistItem.status != ItemStatus.NOT_NEEDED]
    if scope.unit is not None:
        conditions.append(ChecklistItem.unit_id == scope.unit.id)
    if scope.kind is not None:
        conditions.append(Event.kind == scope.kind)
    return conditions


def regular_clause() -> sa.ColumnElement[bool]:
    """Not generated at short notice: the items the on-time and late figures are about."""
    return sa.not_(short_notice_clause())


def on_time_clause() -> sa.ColumnElement[bool]:
    """A regular item done by its due time."""
    return sa.and_(regular_clause(), ChecklistItem.status == ItemStatus.DONE,
                   ChecklistItem.completed_at <= ChecklistItem.due_at)


def late_clause(now: datetime) -> sa.ColumnElement[bool]:
    """Late work: a regular item done after its due time, or overdue now (``late_work_clause``)."""
    return late_work_clause(now)


def overdue_now_clause(now: datetime) -> sa.ColumnElement[bool]:
    """A regular item past its due time that its owner still has to provide or complete."""
    return sa.and_(regular_clause(), ChecklistItem.overdue_clause(now))


def _seconds(later, earlier) -> sa.ColumnElement:
    """``later - earlier`` in seconds, in SQL (each database has its own date arithmetic)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.extract("epoch", later - earlier)
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0


def _medians(scope: Scope, group: list) -> dict[tuple, float]:
    """Median lead time of information provision per group, in SQL.

    Lead time: from an item's first submission to the start of its event, for the items
    that ask for a submission. Neither SQLite nor a portable SQL has a median aggregate, so
    the rows of each group are numbered in lead-time order by a window function and the
    middle one (or the mean of the middle two) is averaged by a GROUP BY: one query, the
    sort bounded by the scope's items.
    """
    first = (sa.select(ChecklistSubmission.item_id,
                       sa.func.min(ChecklistSubmission.submitted_at).label("first_at"))
             .group_by(ChecklistSubmission.item_id).subquery())
    lead = _seconds(Event.starts_at, first.c.first_at)
    keys = [column.label(f"g{i}") for i, column in enumerate(group)]
    ranked = (sa.select(*keys, lead.label("lead"),
                        sa.func.row_number().over(partition_by=group, order_by=lead).label("rn"),
                        sa.func.count().over(partition_by=group).label("n"))
              .select_from(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
              .join(first, first.c.item_id == ChecklistItem.id)
              .where(*_item_conditions(scope), ChecklistItem.requires_submission.is_(True))
              .subquery())
    group_columns = [ranked.c[f"g{i}"] for i in range(len(group))]
    query = (sa.select(*group_columns, sa.func.avg(ranked.c.lead))
             .where(ranked.c.rn >= (ranked.c.n + 1) // 2, ranked.c.rn <= (ranked.c.n + 2) // 2)
             .group_by(*group_columns))
    return {tuple(row[:-1]): float(row[-1]) for row in db.session.execute(query) if row[-1] is not None}


MEDIAN_LEVELS = ("cells", "units", "kinds", "total")


def _all_medians_query(scope: Scope) -> sa.CompoundSelect:
    """The four groupings of ``_medians`` in one statement.

    The lead times of the scope's items are computed once (a CTE, materialised because it is
    read four times); each grouping ranks them and keeps its middle rows; UNION ALL.
    Rows: (level, unit id or NULL, kind or NULL, median seconds).
    """
    # The first submission of each item of the scope, by the submissions' item index (not a
    # GROUP BY over every submission ever made); NULL for an item not submitted yet.
    first_at = (sa.select(sa.func.min(ChecklistSubmission.submitted_at))
                .where(ChecklistSubmission.item_id == ChecklistItem.id).scalar_subquery())
    items = (sa.select(ChecklistItem.unit_id.label("unit_id"), Event.kind.label("kind"),
                       Event.starts_at.label("starts_at"), first_at.label("first_at"))
             .select_from(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
             .where(*_item_conditions(scope), ChecklistItem.requires_submission.is_(True))
             .subquery())
    leads = (sa.select(items.c.unit_id, items.c.kind,
                       _seconds(items.c.starts_at, items.c.first_at).label("lead"))
             .cte("leads"))
    parts = []
    for level in MEDIAN_LEVELS:
        group = {"cells": [leads.c.unit_id, leads.c.kind], "units": [leads.c.unit_id],
                 "kinds": [leads.c.kind], "total": []}[level]
        ranked = (sa.select(leads.c.unit_id, leads.c.kind, leads.c.lead,
                            sa.func.row_number().over(partition_by=group, order_by=leads.c.lead).label("rn"),
                            sa.func.count().over(partition_by=group).label("n"))
                  .where(leads.c.lead.is_not(None)).subquery())
        unit = ranked.c.unit_id if leads.c.unit_id in group else sa.null()
        kind = ranked.c.kind if leads.c.kind in group else sa.null()
        parts.append(sa.select(sa.literal(level).label("level"), unit.label("unit_id"), kind.label("kind"),
                               sa.func.avg(ranked.c.lead).label("median"))
                     .where(ranked.c.rn >= (ranked.c.n + 1) // 2, ranked.c.rn <= (ranked.c.n + 2) // 2)
                     .group_by(*[c for c in (ranked.c.unit_id if leads.c.unit_id in group else None,
                                             ranked.c.kind if leads.c.kind in group else None)
                                 if c is not None]))
    return sa.union_all(*parts)


@dataclass
class Table:
    """Per unit and kind, per unit, per kind and in total."""

    cells: dict[tuple[int, EventKind], Figures] = field(default_factory=dict)
    units: dict[int, Figures] = field(default_factory=dict)
    kinds: dict[EventKind, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)
    unit_names: dict[int, Unit] = field(default_factory=dict)

    def ranking(self) -> list[tuple[Unit, Figures]]:
        """Units by on-time rate, best first; units with nothing done or overdue last."""
        rows = [(self.unit_names[unit_id], figures) for unit_id, figures in self.units.items()]
        return sorted(rows, key=lambda r: (r[1].on_time_pct is None, -(r[1].on_time_pct or 0),
                                           -r[1].decided, r[0].name_vi))

    def by_unit(self) -> list[tuple[Unit, Figures]]:
        return sorted(((self.unit_names[u], f) for u, f in self.units.items()), key=lambda r: r[0].name_vi)

    def by_kind(self) -> list[tuple[EventKind, Figures]]:
        return [(kind, self.kinds[kind]) for kind in EventKind if kind in self.kinds]

    def by_unit_and_kind(self) -> list[tuple[Unit, EventKind, Figures]]:
        order = list(EventKind)
        return sorted(((self.unit_names[u], k, f) for (u, k), f in self.cells.items()),
                      key=lambda r: (r[0].name_vi, order.index(r[1])))


def _unit_kind_filters(scope: Scope, unit_column, kind_column) -> list:
    conditions = []
    if scope.unit is not None:
        conditions.append(unit_column == scope.unit.id)
    if scope.kind is not None:
        conditions.append(kind_column == scope.kind)
    return conditions


def done_late_clause() -> sa.ColumnElement[bool]:
    return sa.and_(regular_clause(), ChecklistItem.status == ItemStatus.DONE,
                   ChecklistItem.completed_at > ChecklistItem.due_at)


def awaiting_clause() -> sa.ColumnElement[bool]:
    """A regular item its owner still has to provide or complete (overdue once past due)."""
    return sa.and_(regular_clause(), ChecklistItem.awaits_owner_clause())


def raw_item_counts(start: datetime, end: datetime, scope: Scope | None = None,
                    now: datetime | None = None) -> sa.Select:
    """Items due in [start, end) per owing unit and kind.

    Columns: due, on time, done late, awaiting, short notice (and overdue at ``now`` when
    given). On time, done late, awaiting and overdue count regular items only; short notice
    counts the others. The rollup is filled by the same query.
    """
    conditions = [ChecklistItem.due_at >= start, ChecklistItem.due_at < end, ChecklistItem.unit_id.is_not(None),
                  ChecklistItem.status != ItemStatus.NOT_NEEDED]
    if scope is not None:
        conditions += _unit_kind_filters(scope, ChecklistItem.unit_id, Event.kind)
    columns = [ChecklistItem.unit_id, Event.kind, sa.func.count(), _count(on_time_clause()),
               _count(done_late_clause()), _count(awaiting_clause()), _count(short_notice_clause())]
    if now is not None:
        columns.append(_count(overdue_now_clause(now)))
    return (sa.select(*columns).select_from(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
            .where(*conditions).group_by(ChecklistItem.unit_id, Event.kind))


def raw_event_counts(start: datetime, end: datetime, scope: Scope | None = None) -> sa.Select:
    """Events held that started in [start, end) per lead unit and kind: held, briefed before."""
    conditions = [Event.starts_at >= start, Event.starts_at < end, held_clause()]
    if scope is not None:
        conditions += _unit_kind_filters(scope, Event.lead_unit_id, Event.kind)
    return (sa.select(Event.lead_unit_id, Event.kind, sa.func.count(), _count(briefed_before_clause()))
            .where(*conditions).group_by(Event.lead_unit_id, Event.kind))


def _fresh(scope: Scope, found: list[rollup.Segment]) -> set[str]:
    return rollup.fresh_months(found, raw_item_counts, raw_event_counts)


def _item_rollable(segment: rollup.Segment, now: datetime) -> bool:
    """A whole month whose "overdue now" is known without the clock: wholly past or to come."""
    return segment.key is not None and (segment.end <= now or segment.start >= now)


def item_counts(scope: Scope, start: datetime, end: datetime) -> dict[tuple[int, EventKind], list[int]]:
    """[due, on time, late, overdue now, short notice] per (owing unit, kind), items due in [start, end).

    Whole months come from the rollup, the rest (edges, the current month) from the items.
    """
    found = rollup.segments(start, end, scope.zone)
    fresh = _fresh(scope, found)
    rolled = [s for s in found if s.key in fresh and _item_rollable(s, scope.now)]
    cells: dict[tuple[int, EventKind], list[int]] = {}

    def add(unit_id, kind, values) -> None:
        cell = cells.setdefault((unit_id, EventKind(kind)), [0, 0, 0, 0, 0])
        for i, value in enumerate(values):
            cell[i] += int(value or 0)

    if rolled:
        t = ItemCount
        past = [s.key for s in rolled if s.end <= scope.now]
        overdue = sa.func.sum(sa.case((t.month.in_(past), t.awaiting), else_=0))
        query = (sa.select(t.unit_id, t.kind, sa.func.sum(t.due), sa.func.sum(t.on_time),
                           sa.func.sum(t.done_late) + overdue, overdue, sa.func.sum(t.short_notice))
                 .where(t.month.in_([s.key for s in rolled]), *_unit_kind_filters(scope, t.unit_id, t.kind))
                 .group_by(t.unit_id, t.kind))
        for unit_id, kind, *values in db.session.execute(query):
            add(unit_id, kind, values)
    for segment in found:
        if segment not in rolled:
            for unit_id, kind, due, on_time, done_late, _awaiting, short, overdue in db.session.execute(
                    raw_item_counts(segment.start, segment.end, scope, scope.now)):
                add(unit_id, kind, (due, on_time, done_late + overdue, overdue, short))
    return cells


def event_counts(scope: Scope) -> dict[tuple[int, EventKind], list[int]]:
    """[held, briefed before] per (lead unit, kind) for the events that started in the scope."""
    found = rollup.segments(scope.start_at, scope.end_at, scope.zone)
    fresh = _fresh(scope, found)
    cells: dict[tuple[int, EventKind], list[int]] = {}

    def add(unit_id, kind, values) -> None:
        cell = cells.setdefault((unit_id, EventKind(kind)), [0, 0])
        for i, value in enumerate(values):
            cell[i] += int(value or 0)

    keys = [s.key for s in found if s.key in fresh]
    if keys:
        t = EventCount
        for unit_id, kind, *values in db.session.execute(
                sa.select(t.unit_id, t.kind, sa.func.sum(t.held), sa.func.sum(t.briefed))
                .where(t.month.in_(keys), *_unit_kind_filters(scope, t.unit_id, t.kind))
                .group_by(t.unit_id, t.kind)):
            add(unit_id, kind, values)
    for segment in found:
        if segment.key not in fresh:
            for unit_id, kind, *values in db.session.execute(raw_event_counts(segment.start, segment.end, scope)):
                add(unit_id, kind, values)
    return cells


def _all_medians(scope: Scope) -> dict:
    """The four groupings of the median lead time, cached until a month of the scope changes."""
    def compute() -> dict:
        found: dict = {"cells": [], "units": [], "kinds": [], "total": None}
        for level, unit_id, kind, median in db.session.execute(_all_medians_query(scope)):
            if median is None:
                continue
            median = float(median)
            if level == "cells":
                found["cells"].append([unit_id, str(kind), median])
            elif level == "units":
                found["units"].append([unit_id, median])
            elif level == "kinds":
                found["kinds"].append([str(kind), median])
            else:
                found["total"] = median
        return found
    key = "|".join(["medians", scope.zone, scope.start_at.isoformat(), scope.end_at.isoformat(),
                    str(scope.unit.id if scope.unit else ""), str(scope.kind or "")])
    return rollup.cached(key, scope.start_at, scope.end_at, scope.zone, compute)


def table(scope: Scope) -> Table:
    """Events held and briefed before, items due, on time, late, overdue, short notice, median lead time."""
    result = Table()
    for key, (held, briefed) in event_counts(scope).items():
        cell = result.cells.setdefault(key, Figures())
        cell.events_held, cell.briefed_before = held, briefed
    for key, (due, on_time, late, overdue, short) in item_counts(scope, scope.start_at, scope.end_at).items():
        cell = result.cells.setdefault(key, Figures())
        cell.items_due, cell.on_time, cell.late, cell.overdue_now = due, on_time, late, overdue
        cell.short_notice = short
    for (unit_id, kind), cell in result.cells.items():
        result.units.setdefault(unit_id, Figures()).add(cell)
        result.kinds.setdefault(kind, Figures()).add(cell)
        result.total.add(cell)
    medians = _all_medians(scope)
    for unit_id, kind, median in medians["cells"]:
        result.cells[(unit_id, EventKind(kind))].median_lead_seconds = median
    for unit_id, median in medians["units"]:
        result.units[unit_id].median_lead_seconds = median
    for kind, median in medians["kinds"]:
        result.kinds[EventKind(kind)].median_lead_seconds = median
    result.total.median_lead_seconds = medians["total"]
    result.unit_names = {unit.id: unit for unit in db.session.scalars(
        sa.select(Unit).where(Unit.id.in_(list(result.units))))}
    return result


# --- lists behind the figures --------------------------------------------------------------------

@dataclass
class Listing:
    rows: list
    hidden: int       # rows the reader may not see (counted in the figures, not listed)
    more: int         # visible rows beyond LIST_LIMIT


def sees_everything(clause) -> bool:
    """``visible_clause`` of a reader who may see every event (no need to count twice)."""
    return isinstance(clause, sa.sql.elements.True_)


def _listing(user, query, base_count_query, visible_count_query, limit: int = LIST_LIMIT,
             total: int | None = None) -> Listing:
    if total is None:
        total = db.session.scalar(base_count_query) or 0
    visible: int = total if sees_everything(visible_clause(user)) else (db.session.scalar(visible_count_query) or 0)
    rows = list(db.session.scalars(query.limit(limit)))
    return Listing(rows, total - visible, max(0, visible - len(rows)))


def events_list(user, scope: Scope, briefed: bool | None, limit: int = LIST_LIMIT,
                total: int | None = None) -> Listing:
    """Events held in the scope (only those briefed before, or only those not).

    ``total``: how many there are when the caller knows it already (the figures).
    """
    require_dashboard(user)
    conditions = _event_conditions(scope)
    if briefed is not None:
        conditions.append(briefed_before_clause() if briefed else ~briefed_before_clause())
    count = sa.select(sa.func.count()).select_from(Event).where(*conditions)
    return _listing(user, sa.select(Event).where(*conditions, visible_clause(user))
                    .order_by(Event.starts_at, Event.id),
                    count, count.where(visible_clause(user)), limit, total)


ITEM_STATES = ("due", "on_time", "late", "overdue", "short_notice")


def items_list(user, scope: Scope, state: str) -> Listing:
    """Checklist items due in the scope: all, done on time, late, overdue now, or short notice.

    The same conditions as the figures: on time, late and overdue are regular items only.
    """
    require_dashboard(user)
    conditions = _item_conditions(scope)
    if state == "on_time":
        conditions.append(on_time_clause())
    elif state == "late":
        conditions.append(late_clause(scope.now))
    elif state == "overdue":
        conditions.append(overdue_now_clause(scope.now))
    elif state == "short_notice":
        conditions.append(short_notice_clause())
    count = (sa.select(sa.func.count()).select_from(ChecklistItem)
             .join(Event, Event.id == ChecklistItem.event_id).where(*conditions))
    return _listing(user, sa.select(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
                    .where(*conditions, visible_clause(user))
                    .order_by(ChecklistItem.due_at, ChecklistItem.id),
                    count, count.where(visible_clause(user)))


# --- Decree 09: the PPC's press conferences and monthly information ------------------------------

@dataclass
class Bucket:
    start: date
    label: str
    count: int


def _ppc_unit() -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(Unit.slug == setting("organisation.ppc_unit")))


def _bucketed(scope: Scope, starts: list[date], step_months: int, condition, label) -> list[Bucket]:
    """One query: a conditional count of the PPC's briefings per month or quarter."""
    ppc = _ppc_unit()
    if not starts:
        return []
    zone = ZoneInfo(scope.zone)

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone)

    bounds = [(at(s), at(periods.month_start(s, step_months))) for s in starts]
    counts: Iterable[int] = [0] * len(starts)
    if ppc is not None:
        # The PPC's events by their index, then their briefings by event (not every briefing
        # of the period joined to its event).
        query = (sa.select(*[_count(sa.and_(Briefing.starts_at >= a, Briefing.starts_at < b)) for a, b in bounds])
                 .select_from(Briefing)
                 .where(Briefing.event_id.in_(sa.select(Event.id).where(Event.lead_unit_id == ppc.id)), condition,
                        Briefing.starts_at >= bounds[0][0], Briefing.starts_at < bounds[-1][1]))
        counts = db.session.execute(query).one()
    return [Bucket(s, label(s), int(n)) for s, n in zip(starts, counts, strict=True)]


def ppc_conferences(scope: Scope) -> list[Bucket]:
    """Press conferences the PPC held in each quarter that overlaps the period (rule 2)."""
    return _bucketed(scope, periods.quarters_between(scope.period.start, scope.period.end), 3,
                     Briefing.status == BriefingStatus.HELD, periods.quarter_label)


def ppc_monthly_information(scope: Scope) -> list[Bucket]:
    """Press information the PPC gave per month (rule 1): conferences held and press releases."""
    return _bucketed(scope, periods.months_between(scope.period.start, scope.period.end), 1,
                     sa.or_(Briefing.status == BriefingStatus.HELD,
                            sa.and_(Briefing.release_vi != "", Briefing.status != BriefingStatus.CANCELLED)),
                     lambda s: f"{s.year}-{s.month:02d}")


# --- trend ---------------------------------------------------------------------------------------

@dataclass
class TrendPoint:
    month: date
    on_time: int
    late: int

    @property
    def on_time_pct(self) -> float | None:
        return _percent(self.on_time, self.on_time + self.late)

    @property
    def label(self) -> str:
        return f"{self.month.year}-{self.month.month:02d}"


def trend(scope: Scope) -> list[TrendPoint]:
    """On-time rate of the items due in each of the 12 months up to the period's end.

    One GROUP BY month over the rollup, plus the raw count of a month not rolled up (the
    current one).
    """
    last = periods.month_start(scope.period.end)
    months = [periods.month_start(last, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    zone = ZoneInfo(scope.zone)

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone)

    found = rollup.segments(at(months[0]), at(periods.month_start(last, 1)), scope.zone)
    fresh = _fresh(scope, found)
    rolled = [s for s in found if s.key in fresh and _item_rollable(s, scope.now)]
    counts: dict[str, tuple[int, int]] = {}
    if rolled:
        t = ItemCount
        past = [s.key for s in rolled if s.end <= scope.now]
        late_sum = sa.func.sum(t.done_late) + sa.func.sum(sa.case((t.month.in_(past), t.awaiting), else_=0))
        query = (sa.select(t.month, sa.func.sum(t.on_time), late_sum)
                 .where(t.month.in_([s.key for s in rolled]), *_unit_kind_filters(scope, t.unit_id, t.kind))
                 .group_by(t.month))
        counts = {key: (int(on_time or 0), int(n or 0)) for key, on_time, n in db.session.execute(query)}
    for segment in found:
        if segment not in rolled:
            row = db.session.execute(
                sa.select(_count(on_time_clause()), _count(late_clause(scope.now)))
                .select_from(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
                .where(*_item_conditions(scope, segment.start, segment.end))).one()
            counts[rollup.month_key(scope.zone, segment.start.astimezone(zone).date())] = (int(row[0]), int(row[1]))
    points = []
    for month in months:
        on_time, late = counts.get(rollup.month_key(scope.zone, month), (0, 0))
        points.append(TrendPoint(month, on_time, late))
    return points


# --- press monitoring (issue 15's cases: rule 5 statements, rule 10 answers) ---------------------

@dataclass
class MonitoringFigures:
    """The monitoring log's figures per lead unit for the period, as ``reader`` may see them.

    ``units``: every case recorded in the period; ``press_requests``: only the press
    agencies' written questions and forwarded complaints (rule 10, the 30-day answer clock).
    """

    units: list[monitoring_figures.UnitFigures]
    press_requests: list[monitoring_figures.UnitFigures]

    @staticmethod
    def total(rows: list[monitoring_figures.UnitFigures]) -> dict[str, int | float | None]:
        found = {name: sum(getattr(r, name) for r in rows)
                 for name in ("cases", "verified", "responded", "decided", "within_deadline")}
        found["within_deadline_pct"] = _percent(int(found["within_deadline"] or 0), int(found["decided"] or 0))
        return found

    @property
    def cases_total(self) -> dict:
        return self.total(self.units)

    @property
    def press_total(self) -> dict:
        return self.total(self.press_requests)


def monitoring(reader, scope: Scope) -> MonitoringFigures:
    """``monitoring.figures.unit_figures`` for the scope (and its unit filter; kinds do not apply)."""
    def rows(origin=None) -> list[monitoring_figures.UnitFigures]:
        found = monitoring_figures.unit_figures(scope.start_at, scope.end_at, reader, scope.now, origin=origin)
        return [r for r in found if scope.unit is None or r.unit.id == scope.unit.id]
    return MonitoringFigures(rows(), rows(Origin.PRESS_REQUEST))


# --- the dashboard ------------------------------------------------------------------------------

@dataclass
class Dashboard:
    scope: Scope
    table: Table
    not_briefed: Listing
    ppc_quarters: list[Bucket]
    ppc_months: list[Bucket]
    trend: list[TrendPoint]
    ppc_unit: Unit | None
    monitoring: MonitoringFigures | None = None

    @property
    def lowest_unit(self) -> Unit | None:
        """The unit with the lowest on-time rate (the last ranked unit with a rate)."""
        rated = [unit for unit, figures in self.table.ranking() if figures.on_time_pct is not None]
        return rated[-1] if rated else None


def dashboard_figures(scope: Scope) -> Dashboard:
    """Every figure of the dashboard, without the list of events (for charts and the report)."""
    return Dashboard(scope, table(scope), Listing([], 0, 0), ppc_conferences(scope),
                     ppc_monthly_information(scope), trend(scope), _ppc_unit())


def dashboard(user, scope: Scope) -> Dashboard:
    """The dashboard as ``user`` sees it: the figures and the events not briefed they may see."""
    require_dashboard(user)
    data = dashboard_figures(scope)
    data.not_briefed = events_list(user, scope, briefed=False, limit=DASHBOARD_LIST_LIMIT,
                                   total=data.table.total.not_briefed)
    data.monitoring = monitoring(user, scope)
    return data


def quarter_days(first_day: date) -> tuple[date, date]:
    return first_day, periods.month_start(first_day, 3) - timedelta(days=1)
