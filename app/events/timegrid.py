"""The week view's time grid: hours down the side, a column per day, events by their times.

Pure layout over the days ``queries.calendar_days`` returns (no query). Times are those of
the event's own zone, as its label shows them. The grid is in half-hour rows placed by CSS
classes (``rs<n>``/``re<n>`` for the first row and the row after the last, ``l<n>`` for
the lane of overlapping events): the CSP forbids ``style=`` attributes.
"""
from dataclasses import dataclass, field

from app.events.display import local
from app.events.queries import Day, Entry

DAY_MINUTES = 24 * 60
SLOT = 30  # minutes per row
FIRST_HOUR, LAST_HOUR = 8, 18  # at least this range is shown
LANES = 4  # overlapping events side by side; more share the last lane


@dataclass(frozen=True)
class Placed:
    entry: Entry
    row_start: int  # 1-based grid row
    row_end: int  # the row after the last one (CSS grid-row-end)
    lane: int  # 1-based
    start_minute: int  # minutes after local midnight, in the event's zone
    end_minute: int


@dataclass
class Column:
    day: Day
    all_day: list[Entry] = field(default_factory=list)
    timed: list[Placed] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    columns: list[Column]
    first_hour: int
    last_hour: int

    @property
    def rows(self) -> int:
        return (self.last_hour - self.first_hour) * 60 // SLOT

    @property
    def hours(self) -> list[tuple[int, int]]:
        """(hour, its first row) for each hour shown down the side."""
        return [(hour, (hour - self.first_hour) * 60 // SLOT + 1)
                for hour in range(self.first_hour, self.last_hour)]


def _minutes(entry: Entry) -> tuple[int, int]:
    """The part of the entry on this day, in minutes after midnight of the event's zone."""
    start = 0
    if not entry.continued:
        moment = local(entry.starts_at, entry.timezone)
        start = moment.hour * 60 + moment.minute
    end = DAY_MINUTES
    if not entry.continues:
        moment = local(entry.ends_at, entry.timezone)
        end = moment.hour * 60 + moment.minute
        if end <= start:  # ends at midnight, or a zero-length event
            end = min(start + SLOT, DAY_MINUTES) if end == start else DAY_MINUTES
    return start, end


def week_grid(days: list[Day]) -> Grid:
    spans: list[tuple[Column, list[tuple[Entry, int, int]]]] = []
    first, last = FIRST_HOUR * 60, LAST_HOUR * 60
    for day in days:
        column, timed = Column(day), []
        for entry in day.events:
            if entry.all_day or (entry.continued and entry.continues):
                column.all_day.append(entry)
                continue
            start, end = _minutes(entry)
            # A day an event goes on from or to fills the grid but does not widen it.
            if not entry.continued:
                first = min(first, start)
            if not entry.continues:
                last = max(last, end)
            timed.append((entry, start, end))
        spans.append((column, timed))
    first_hour, last_hour = first // 60, -(-last // 60)
    base, top = first_hour * 60, last_hour * 60
    for column, timed in spans:
        lane_ends: list[int] = []
        for entry, start, end in sorted(timed, key=lambda t: (t[1], -t[2])):
            start, end = max(start, base), min(end, top)
            lane = next((i for i, free_at in enumerate(lane_ends) if free_at <= start), None)
            if lane is None:
                lane = min(len(lane_ends), LANES - 1)
                if lane == len(lane_ends):
                    lane_ends.append(end)
            lane_ends[lane] = max(lane_ends[lane], end)
            row_start = (start - base) // SLOT + 1
            row_end = max(-(-(end - base) // SLOT) + 1, row_start + 1)
            column.timed.append(Placed(entry, row_start, row_end, lane + 1, start, end))
    return Grid([column for column, _ in spans], first_hour, last_hour)
