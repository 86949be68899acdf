"""The oversight dashboard: periods, figures by aggregate SQL, drill-down lists, charts, denials."""
from datetime import date

import pytest
from flask_babel import force_locale

from app.auth.roles import Role
from app.extensions import db
from app.oversight import periods, services
from app.oversight.periods import ScopeError
from tests.fixtures_oversight import OVERSIGHT_NOW
from tests.helpers import log_in, nothing_written

ZONE = "Asia/Ho_Chi_Minh"
TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-h2", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
    ("2024-2", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_named_periods(text, start, end):
    period = periods.parse(text, None, None, TODAY)
    assert (period.start, period.end) == (start, end)


def test_dates_and_the_default_period():
    assert periods.parse(None, "2026-10-01", "2026-10-15", TODAY).label == "2026-10-01..2026-10-15"
    default = periods.parse(None, None, None, TODAY)
    assert (default.start, default.end, default.label) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert periods.parse(None, "2026-10-01", None, TODAY).end == TODAY
    assert periods.parse(None, None, "2026-05-10", TODAY).start == date(2026, 4, 1)
    # Exactly five years is allowed.
    assert periods.parse(None, "2022-01-01", "2026-12-31", TODAY).start == date(2022, 1, 1)


@pytest.mark.parametrize(("period", "start", "end", "message"), [
    (None, "2026-12-01", "2026-11-01", "before it starts"),
    (None, "2020-01-01", "2026-01-01", "at most 5 years"),
    (None, "2026-13-01", None, "is not a date"),
    (None, None, "yesterday", "is not a date"),
    ("2026-Q5", None, None, "Unknown period"),
    ("2026-13", None, None, "numbered 1 to 12"),
    ("2026-123", None, None, "Unknown period"),
    ("2026-00", None, None, "numbered 1 to 12"),
    ("1999", None, None, "between 2000 and 2099"),
    ("last quarter", None, None, "Unknown period"),
])
def test_bad_periods_are_refused_with_a_reason(app, period, start, end, message):
    with pytest.raises(ScopeError) as refused:
        periods.parse(period, start, end, TODAY)
    with force_locale("en"):
        assert message in str(refused.value.message)


def test_unknown_unit_or_kind_is_refused(oversight_world):
    with force_locale("en"):
        with pytest.raises(ScopeError, match="Unknown unit"):
            services.make_scope(period="2026-Q4", unit="nowhere", zone=ZONE, now=OVERSIGHT_NOW)
        with pytest.raises(ScopeError, match="Unknown kind"):
            services.make_scope(period="2026-Q4", kind="party", zone=ZONE, now=OVERSIGHT_NOW)


def _scope(**filters):
    return services.make_scope(period="2026-Q4", zone=ZONE, now=OVERSIGHT_NOW, **filters)


def test_figures_per_unit_kind_and_total(oversight_world):
    w = oversight_world
    table = services.table(_scope())
    total = table.total
    assert (total.events_held, total.briefed_before, total.briefed_pct) == (4, 2, 50.0)
    assert (total.items_due, total.on_time, total.late, total.overdue_now) == (5, 1, 3, 2)
    assert total.on_time_pct == 25.0
    assert total.late_pct == 75.0
    assert total.median_lead_days == 3.0        # 9, 3 and 1 days
    good, bad = table.units[w.good.id], table.units[w.bad.id]
    assert (good.on_time_pct, good.median_lead_days, good.events_held, good.briefed_before) == (100.0, 9.0, 1, 1)
    assert (bad.items_due, bad.late, bad.overdue_now, bad.on_time_pct) == (4, 3, 2, 0.0)
    assert bad.median_lead_days == 2.0          # the mean of the middle two: 3 and 1
    assert (bad.events_held, bad.briefed_before) == (2, 0)
    assert table.units[w.ppc.id].briefed_pct == 100.0
    assert [unit.slug for unit, _f in table.ranking()][:2] == ["u-good", "u-bad"]
    from app.events.models import EventKind
    assert table.kinds[EventKind.CULTURAL].events_held == 1
    assert table.cells[(w.bad.id, EventKind.POLITICAL)].overdue_now == 1


def test_filters_narrow_every_figure(oversight_world):
    w = oversight_world
    from app.events.models import EventKind
    table = services.table(_scope(unit="u-bad", kind="cultural"))
    assert set(table.units) == {w.bad.id}
    assert set(table.kinds) == {EventKind.CULTURAL}
    assert (table.total.events_held, table.total.items_due, table.total.late) == (1, 2, 2)


def test_ppc_quarters_months_and_trend(oversight_world):
    data = services.dashboard(oversight_world.steering, services.make_scope(
        period="2026", zone=ZONE, now=OVERSIGHT_NOW))
    assert [(b.label, b.count) for b in data.ppc_quarters] == [
        ("2026-Q1", 0), ("2026-Q2", 0), ("2026-Q3", 0), ("2026-Q4", 1)]
    assert len(data.ppc_months) == 12
    assert [b.count for b in data.ppc_months if b.label == "2026-10"] == [2]   # conference and release
    assert [p.label for p in data.trend][-1] == "2026-12"
    assert len(data.trend) == 12
    by_month = {p.label: p for p in data.trend}
    assert (by_month["2026-11"].on_time, by_month["2026-11"].late) == (0, 3)
    assert by_month["2026-10"].on_time_pct == 100.0
    assert data.lowest_unit.slug == "u-bad"


def test_the_propaganda_commission_sees_figures_but_lists_only_what_it_may_see(client, oversight_world):
    w = oversight_world
    log_in(client, w.propaganda_user)
    client.post("/locale", data={"locale": "en"})
    page = client.get("/oversight?period=2026-Q4")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="briefed-total">50.0%' in text
    core = text.split('data-testid="core-figure"')[1].split("</section>")[0]
    assert "Culture festival" in core
    assert "Closed talks" not in core
    assert "1 more that you may not see" in core
    assert 'src="/oversight/charts/briefed.svg?period=2026-Q4"' in text
    late = client.get("/oversight/items?period=2026-Q4&unit=u-bad&state=late").get_data(as_text=True)
    assert f'data-item="{w.late.id}"' in late
    assert f'data-item="{w.overdue.id}"' in late
    assert f'data-item="{w.secret_overdue.id}"' not in late
    assert f'data-item="{w.not_yet.id}"' not in late
    client.post("/logout")
    log_in(client, w.steering)
    client.post("/locale", data={"locale": "en"})
    page = client.get("/oversight/events?period=2026-Q4&briefed=no").get_data(as_text=True)
    assert "Closed talks" in page
    assert "Culture festival" in page
    assert "External affairs" not in page


def test_short_notice_items_are_counted_apart_from_late_work(short_notice_items):
    """Done after its due time, or overdue now: not late when generated at short notice."""
    w = short_notice_items
    table = services.table(_scope())
    total = table.total
    # The world's figures are unchanged: the three short-notice items are due, not on time or late.
    assert (total.items_due, total.on_time, total.late, total.overdue_now) == (8, 1, 3, 2)
    assert (total.on_time_pct, total.late_pct, total.decided) == (25.0, 75.0, 4)
    assert total.short_notice == 3
    good, bad = table.units[w.good.id], table.units[w.bad.id]
    assert (good.short_notice, good.on_time, good.late, good.on_time_pct) == (1, 1, 0, 100.0)
    assert (bad.short_notice, bad.late, bad.overdue_now) == (2, 3, 2)
    from app.events.models import EventKind
    assert table.cells[(w.bad.id, EventKind.CULTURAL)].short_notice == 2
    assert table.kinds[EventKind.POLITICAL].short_notice == 1
    by_month = {p.label: p for p in services.trend(_scope())}
    assert (by_month["2026-10"].on_time, by_month["2026-10"].late) == (1, 0)
    assert (by_month["2026-11"].on_time, by_month["2026-11"].late) == (0, 3)
    # The same item stops being short notice: it is late work again.
    w.short_overdue.short_notice = False
    db.session.flush()
    again = services.table(_scope()).total
    assert (again.late, again.overdue_now, again.short_notice) == (4, 3, 2)


def test_short_notice_on_the_dashboard_and_its_list(client, short_notice_items):
    w = short_notice_items
    log_in(client, w.steering)
    client.post("/locale", data={"locale": "en"})
    text = client.get("/oversight?period=2026-Q4").get_data(as_text=True)
    unit_table = text.split('data-testid="unit-table"')[1].split("</table>")[0]
    assert '<th scope="col">Short notice</th>' in unit_table
    bad_row = unit_table.split('data-unit="u-bad"')[1].split("</tr>")[0]
    assert 'state=short_notice" data-testid="short-notice-link">2</a>' in bad_row
    total_row = unit_table.split('data-unit="total"')[1].split("</tr>")[0]
    assert 'state=short_notice" data-testid="short-notice-link">3</a>' in total_row

    listed = client.get("/oversight/items?period=2026-Q4&unit=u-bad&state=short_notice")
    assert listed.status_code == 200
    page = listed.get_data(as_text=True)
    assert "Checklist items generated at short notice" in page
    for item in (w.short_done_late, w.short_overdue):
        assert f'data-item="{item.id}"' in page
    for item in (w.short_done, w.late, w.overdue):
        assert f'data-item="{item.id}"' not in page
    assert 'data-testid="short-notice"' in page
    # Not among the late or overdue items: those lists match their figures.
    for state in ("late", "overdue", "on_time"):
        page = client.get(f"/oversight/items?period=2026-Q4&state={state}").get_data(as_text=True)
        for item in (w.short_done, w.short_done_late, w.short_overdue):
            assert f'data-item="{item.id}"' not in page, state
    page = client.get("/oversight/items?period=2026-Q4&state=due").get_data(as_text=True)
    assert f'data-item="{w.short_overdue.id}"' in page


def test_charts_are_svg_without_script(client, oversight_world):
    log_in(client, oversight_world.steering)
    for name in ("briefed", "on-time", "trend", "ppc"):
        response = client.get(f"/oversight/charts/{name}.svg?period=2026-Q4")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        body = response.get_data(as_text=True)
        assert "<svg" in body
        assert "<script" not in body
        assert "kozea.github.io" not in body
        assert "script-src" not in response.headers["Content-Security-Policy"]
    assert client.get("/oversight/charts/nothing.svg").status_code == 404
    assert client.get("/oversight/charts/trend.svg?from=2026-12-01&to=2026-01-01").status_code == 400


@pytest.mark.parametrize(("query", "message"), [
    ("from=2026-12-01&to=2026-11-01", "before it starts"),
    ("from=2019-01-01&to=2026-01-01", "at most 5 years"),
    ("period=2026-Q4&unit=nowhere", "Unknown unit"),
    ("period=2026-Q4&kind=party", "Unknown kind of event"),
    ("period=soon", "Unknown period"),
])
def test_bad_input_gets_a_clear_message_and_no_figures(client, oversight_world, query, message):
    log_in(client, oversight_world.steering)
    client.post("/locale", data={"locale": "en"})
    for path in ("/oversight", "/oversight/events", "/oversight/items"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert message in text
        assert 'data-testid="unit-table"' not in text
        assert 'data-testid="item-list"' not in text


def test_empty_period(client, oversight_world):
    log_in(client, oversight_world.steering)
    response = client.get("/oversight?period=2025-Q1")
    assert response.status_code == 200
    assert client.get("/oversight/charts/on-time.svg?period=2025-Q1").status_code == 200


ROUTES = ("/oversight", "/oversight?period=2026-Q4", "/oversight/events?period=2026-Q4&briefed=no",
          "/oversight/items?period=2026-Q4&state=late", "/oversight/items?period=2026-Q4&state=short_notice",
          "/oversight/charts/trend.svg")


@pytest.mark.parametrize("role", [Role.PROTOCOL, Role.FOCAL, Role.SPOKESPERSON, Role.LIAISON, Role.VIEWER])
def test_every_other_role_is_refused(client, oversight_world, make_user, role):
    log_in(client, make_user(role, unit=oversight_world.bad))
    for route in ROUTES:
        with nothing_written():
            assert client.get(route).status_code == 403
    assert 'href="/oversight"' not in client.get("/").get_data(as_text=True)


def test_visitors_are_sent_to_the_login(client, oversight_world):
    for route in ROUTES:
        with nothing_written():
            response = client.get(route)
        assert response.status_code in (302, 401)


@pytest.mark.parametrize("who", ["admin", "steering", "propaganda"])
def test_steering_admin_and_the_propaganda_commission_are_let_in(client, oversight_world, make_user, who):
    w = oversight_world
    user = {"admin": lambda: make_user(Role.ADMIN, unit=w.good), "steering": lambda: w.steering,
            "propaganda": lambda: w.propaganda_user}[who]()
    log_in(client, user)
    for route in ROUTES:
        assert client.get(route).status_code == 200
    assert 'href="/oversight"' in client.get("/").get_data(as_text=True)
