"""Pages cost a fixed number of SQL statements: the count with 100 rows is the count with 10.

Each test builds its page's data for 10 rows, counts the statements of one request, grows
the data to 100 rows and counts again (a warm-up request first fills per-app caches). The work
pages (tasks, dashboard) also read the same number of rows at both sizes: their counts are
aggregates and their lists bounded pages.
"""
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ChecklistItem, ItemStatus, ResponsibleRole
from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    EventChange,
    ProgrammeItem,
    Venue,
)
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.models import (
    AssignmentRole,
    AssignmentStatus,
    BriefingNote,
    SpokespersonAssignment,
)
from tests.helpers import log_in

START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
SIZES = (10, 100)


@pytest.fixture
def statements(app):
    """``statements(fn)``: the SQL statements ``fn()`` sends (before_cursor_execute)."""
    def _count(fn) -> list[str]:
        sent: list[str] = []

        def listener(conn, cursor, statement, parameters, context, executemany):
            sent.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = fn()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.status_code
        return sent
    return _count


@pytest.fixture
def rows_fetched(app, monkeypatch):
    """``rows_fetched(fn)``: how many rows the database hands back while ``fn()`` runs."""
    from sqlalchemy.engine.cursor import CursorResult

    fetched = [0]
    watching = [False]

    def counting(name, many):
        original = getattr(CursorResult, name)

        def fetch(self, *args, **kwargs):
            found = original(self, *args, **kwargs)
            if watching[0]:
                fetched[0] += len(found) if many else found is not None
            return found
        monkeypatch.setattr(CursorResult, name, fetch)

    counting("_fetchone_impl", False)
    counting("_fetchall_impl", True)
    counting("_fetchmany_impl", True)
    iterate = CursorResult._fetchiter_impl

    def fetch_iter(self):
        for row in iterate(self):
            fetched[0] += watching[0]
            yield row
    monkeypatch.setattr(CursorResult, "_fetchiter_impl", fetch_iter)

    def _count(fn) -> int:
        fetched[0], watching[0] = 0, True
        try:
            assert fn().status_code == 200
        finally:
            watching[0] = False
        return fetched[0]
    return _count


# Rows per size for pages that read a bounded page: the smaller already fills every list.
PAGE_FILLING_SIZES = (30, 120)


def _grow_and_measure(client, statements, rows_fetched, url: str, grow) -> list[tuple[int, int]]:
    """(statements, rows fetched) of one request at each size in PAGE_FILLING_SIZES.

    The page size is 10 (the dashboard's lists are at most 20).
    """
    client.application.config["PAGE_SIZE"] = 10
    measured = []
    for size in PAGE_FILLING_SIZES:
        grow(size)
        db.session.commit()
        _get(client, url)  # warm-up: per-app caches
        measured.append((len(statements(lambda: _get(client, url))),
                         rows_fetched(lambda: _get(client, url))))
    return measured


def _get(client, url: str):
    """A request in its own app context, hence its own session.

    Nothing it reads comes from the objects the test holds.
    """
    with client.application.app_context():
        return client.get(url)


def _grow_and_count(client, statements, url: str, grow) -> list[int]:
    """Counts for each size in SIZES; ``grow(n)`` brings the data to ``n`` rows."""
    counts = []
    for size in SIZES:
        grow(size)
        db.session.commit()
        _get(client, url)  # warm-up: per-app caches
        counts.append(len(statements(lambda: _get(client, url))))
    return counts


def _growing(make):
    """``grow(n)``: calls ``make(i)`` for the rows not made yet."""
    made = []

    def grow(size: int) -> None:
        while len(made) < size:
            made.append(make(len(made)))
    return grow


def test_roster_page(client, statements, make_unit, make_user, designate, authorise):
    unit = make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    log_in(client, make_user(Role.PROTOCOL))

    def make(i):
        person = make_user(Role.SPOKESPERSON, unit=unit)
        designate(person, unit)
        authorise(person, unit, date(2026, 12, 1), date(2026, 12, 31), issued_by=head)

    counts = _grow_and_count(client, statements, "/spokespeople/", _growing(make))
    assert counts[0] == counts[1], counts


def test_directory_and_vcard(client, statements, make_unit, make_user, designate):
    unit = make_unit()
    first = designate(make_user(Role.SPOKESPERSON, unit=unit), unit)
    grow = _growing(lambda i: designate(make_user(Role.SPOKESPERSON, unit=unit), unit))
    counts = {"/spokespeople/directory": [], f"/spokespeople/directory/{first.id}.vcf": []}
    for size in SIZES:
        grow(size)
        db.session.commit()
        for url, found in counts.items():
            _get(client, url)
            found.append(len(statements(lambda url=url: _get(client, url))))
    assert all(found[0] == found[1] for found in counts.values()), counts


def test_designation_form_lists_people_with_their_units(client, statements, make_unit, make_user):
    log_in(client, make_user(Role.PROTOCOL))
    counts = _grow_and_count(client, statements, "/spokespeople/designations/new",
                             _growing(lambda i: make_user(Role.VIEWER, unit=make_unit())))
    assert counts[0] == counts[1], counts


def test_briefing_assignment_page_with_busy_candidates(client, statements, make_unit, make_user,
                                                       make_event, make_briefing, designate):
    unit = make_unit()
    briefing = make_briefing(event=make_event(lead_unit=unit, starts_at=START + timedelta(hours=2)))
    log_in(client, make_user(Role.PROTOCOL))

    def make(i):
        person = make_user(Role.SPOKESPERSON, unit=unit)
        designate(person, unit)
        # Every other candidate is busy: hosting an event, a programme item, or briefing.
        if i % 3 == 0:
            make_event(starts_at=START, hosts=[person])
        elif i % 3 == 1:
            other = make_event(starts_at=START - timedelta(hours=3))
            db.session.add(ProgrammeItem(event=other, starts_at=START, activity_vi="Tiếp khách",
                                         ends_at=START + timedelta(hours=1), hosts=[person]))
        else:
            elsewhere = make_briefing(starts_at=START)
            db.session.add(SpokespersonAssignment(briefing=elsewhere, user=person, unit=unit,
                                                  role=AssignmentRole.LEAD))

    counts = _grow_and_count(client, statements, f"/spokespeople/briefings/{briefing.id}",
                             _growing(make))
    assert counts[0] == counts[1], counts


def test_event_list(client, statements, make_unit, make_user, make_event):
    log_in(client, make_user(Role.VIEWER))
    venue = Venue(name="Hội trường")
    db.session.add(venue)

    def make(i):
        event = make_event(starts_at=START + timedelta(hours=i), venue=venue, lead_unit=make_unit())
        db.session.add(Delegation(event=event, direction=DelegationDirection.INCOMING, country="LA"))

    counts = _grow_and_count(client, statements, "/events/?from=2026-12-01", _growing(make))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("view", ["month", "week"])
def test_calendar_with_multi_day_events(client, statements, make_unit, make_user, make_event, view):
    """Multi-day events repeated on their days, and the week's time grid, cost no query."""
    log_in(client, make_user(Role.VIEWER))
    unit = make_unit()

    def make(i):
        starts_at = START + timedelta(hours=7 * i)
        make_event(starts_at=starts_at, ends_at=starts_at + timedelta(days=i % 4, hours=2),
                   lead_unit=unit)

    counts = _grow_and_count(client, statements, f"/calendar?view={view}&date=2026-12-10",
                             _growing(make))
    assert counts[0] == counts[1], counts


def test_event_page(client, statements, make_unit, make_user, make_event, make_briefing):
    unit = make_unit()
    event = make_event(lead_unit=unit)
    delegation = Delegation(event=event, direction=DelegationDirection.INCOMING, country="LA")
    db.session.add(delegation)
    log_in(client, make_user(Role.FOCAL, unit=unit))

    def make(i):
        host = make_user(Role.VIEWER, unit=make_unit())
        coordinating, responsible = make_unit(), make_unit()  # (each commits)
        event.hosts.append(host)
        event.coordinating_units.append(coordinating)
        delegation.members.append(DelegationMember(name=f"Thành viên {i}", position=i))
        db.session.add(ProgrammeItem(event=event, starts_at=START, ends_at=START + timedelta(hours=1),
                                     activity_vi=f"Hoạt động {i}", hosts=[host]))
        db.session.add(EventChange(event_id=event.id, user_id=host.id, changes={"title_vi": ["a", "b"]},
                                   version=1))
        db.session.add(ChecklistItem(event=event, key=f"k{i}", title_vi=f"Việc {i}",
                                     role=ResponsibleRole.COORDINATING_UNIT, unit=responsible,
                                     due_at=START - timedelta(days=1)))
        db.session.add(Briefing(event=event, title_vi=f"Họp báo {i}", starts_at=START,
                                ends_at=START + timedelta(hours=1)))

    counts = _grow_and_count(client, statements, f"/events/{event.id}", _growing(make))
    assert counts[0] == counts[1], counts


def test_tasks_page(client, statements, rows_fetched, make_unit, make_user, make_event):
    """Every group of /tasks, and one group page by page, read the same rows at both sizes.

    The unit filter lists every active unit: a directory of a fixed size here, not the workload.
    """
    unit = make_unit()
    others = [make_unit() for _ in range(3)]
    focal = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    log_in(client, focal)

    def make(i):
        event = make_event(lead_unit=unit, starts_at=START + timedelta(days=i))
        for status in (ItemStatus.OPEN, ItemStatus.SUBMITTED):
            db.session.add(ChecklistItem(event=event, key=f"k-{status}", title_vi=f"Việc {i}",
                                         role=ResponsibleRole.LEAD_UNIT, unit=others[i % 3]
                                         if status is ItemStatus.SUBMITTED else unit,
                                         status=status, due_at=START + timedelta(days=i - 5)))

    grow = _growing(make)
    for url in ("/tasks", "/tasks?show=overdue", "/tasks?show=review&page=2"):
        measured = _grow_and_measure(client, statements, rows_fetched, url, grow)
        assert measured[0] == measured[1], (url, measured)


def test_dashboard(client, statements, rows_fetched, make_unit, make_user, make_event,
                   make_briefing):
    unit = make_unit()
    speaker = make_user(Role.SPOKESPERSON, unit=unit)
    log_in(client, speaker)

    def make(i):
        briefing = make_briefing(starts_at=datetime(2027, 1, 1, 1, tzinfo=UTC) + timedelta(days=i),
                                 status=BriefingStatus.SCHEDULED)
        db.session.add(SpokespersonAssignment(briefing=briefing, user=speaker, unit=make_unit(),
                                              role=AssignmentRole.LEAD,
                                              status=AssignmentStatus.PROPOSED))
        db.session.add(BriefingNote(briefing=briefing))
        db.session.add(ChecklistItem(event=briefing.event, key="k", title_vi=f"Việc {i}",
                                     role=ResponsibleRole.LEAD_UNIT, unit=unit,
                                     due_at=START + timedelta(days=i)))

    measured = _grow_and_measure(client, statements, rows_fetched, "/", _growing(make))
    assert measured[0] == measured[1], measured


def test_dashboard_of_a_unit_head(client, statements, rows_fetched, make_unit, make_user,
                                  make_event, make_briefing):
    """Waiting for me (items to review, notes to approve), due this week, overdue, this week's events.

    Counted by aggregates, listed by bounded pages: the same statements and rows at both sizes.
    """
    from app.spokespeople.models import NoteStatus

    unit = make_unit()
    head = make_user(Role.FOCAL, unit=unit, is_unit_head=True)
    log_in(client, head)
    now = datetime.now(UTC)

    def make(i):
        event = make_event(lead_unit=unit, starts_at=now + timedelta(days=i % 6, hours=1))
        briefing = make_briefing(event=event, starts_at=now + timedelta(days=i % 6))
        db.session.add(BriefingNote(briefing=briefing, status=NoteStatus.SUBMITTED,
                                    latest_number=1))
        for n, (status, due) in enumerate(((ItemStatus.OPEN, -2), (ItemStatus.OPEN, 3),
                                           (ItemStatus.SUBMITTED, 1))):
            db.session.add(ChecklistItem(event=event, key=f"k{n}", title_vi=f"Việc {i}",
                                         role=ResponsibleRole.LEAD_UNIT,
                                         unit=unit if status is ItemStatus.OPEN else make_unit(),
                                         status=status, due_at=now + timedelta(days=due)))

    measured = _grow_and_measure(client, statements, rows_fetched, "/", _growing(make))
    assert measured[0] == measured[1], measured
    from app.checklists import work
    from app.spokespeople import notes

    assert work.task_counts(head) == {"review": 120, "overdue": 120, "due_soon": 120,
                                      "waiting": 0}
    assert len(notes.awaiting_approval_page(head)[0]) == 20
    assert notes.awaiting_approval_page(head)[1]
