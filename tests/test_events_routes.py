"""Event pages: list, detail, forms with clash warnings and stale versions, calendars, print."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events.models import ClashOverride, Event, EventKind, EventStatus, Visibility
from app.extensions import db
from tests.fixtures_events import form_fields
from tests.helpers import nothing_written


@pytest.fixture
def unit(make_unit):
    return make_unit("so-ngoai-vu", name_en="Department of Foreign Affairs")


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_pages_need_login(client, make_event):
    event = make_event()
    for url in ("/events/", f"/events/{event.id}", "/calendar", "/calendar/print"):
        assert client.get(url).status_code == 302


def test_protocol_creates_an_event_through_the_form(client, login, unit):
    login(Role.PROTOCOL, locale="en")
    response = client.post("/events/new", data=form_fields(unit.id))
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Event)).one().organiser_id is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "External information meeting" in page
    assert "10 Dec 2026, 08:00–10:00" in page
    assert "History" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"end_time": "07:00"}, "The end must be after the start."),
    ({"timezone": "Mars/Olympus"}, "Unknown time zone: Mars/Olympus."),
    ({"venue_id": "424242"}, "Unknown venue."),
    ({"lead_unit_id": "424242"}, "Unknown unit."),
    ({"title_vi": "x" * 301}, "At most 300 characters."),
    ({"start_date": "1999-01-01", "end_date": "1999-01-01"}, "between the years 2000 and 2100"),
])
def test_bad_input_rerenders_with_a_message_and_writes_nothing(client, login, unit, fields,
                                                                message):
    login(Role.PROTOCOL, locale="en")
    response = client.post("/events/new", data={**form_fields(unit.id), **fields})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_messages_are_in_vietnamese_for_vietnamese_users(client, login, unit):
    login(Role.PROTOCOL, locale="vi")
    page = client.post("/events/new", data=form_fields(unit.id, end_time="07:00")).get_data(
        as_text=True)
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in page


def test_venue_clash_is_shown_then_overridden_with_a_reason(client, login, unit, make_event,
                                                             make_venue):
    login(Role.PROTOCOL, locale="en")
    venue = make_venue("Hội trường A")
    make_event(title_en="Trade fair", venue=venue, lead_unit=unit,
               starts_at=datetime(2026, 12, 10, 1, 30, tzinfo=UTC))
    fields = form_fields(unit.id, venue_id=str(venue.id))
    page = client.post("/events/new", data=fields).get_data(as_text=True)
    assert "The venue Hội trường A is already booked for Trade fair" in page
    assert 'name="override_reason"' in page
    assert _count() == 1
    page = client.post("/events/new", data={**fields, "override": "y"}).get_data(as_text=True)
    assert "Give the reason for going ahead" in page
    assert _count() == 1
    response = client.post("/events/new", data={**fields, "override": "y",
                                                "override_reason": "Different rooms"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Clash warnings overridden" in page
    assert "Different rooms" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClashOverride)) == 1


def test_stale_form_is_refused_showing_the_changes_and_keeping_the_input(client, login, unit,
                                                                          make_event, make_user):
    login(Role.PROTOCOL, locale="en")
    event = make_event(lead_unit=unit)
    from app.events import services
    from tests.fixtures_events import event_data
    services.update_event(make_user(Role.ADMIN, name="Trần Quốc Bảo"), event,
                          event_data(unit.id, title_vi="Tiêu đề mới của người khác"), 1)
    db.session.commit()
    response = client.post(f"/events/{event.id}/edit", data=form_fields(
        unit.id, version="1", title_vi="Tiêu đề của tôi"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this event" in page
    assert "Trần Quốc Bảo" in page
    assert "Tiêu đề mới của người khác" in page
    assert 'value="Tiêu đề của tôi"' in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).title_vi == "Tiêu đề mới của người khác"
    # Having seen the changes, saving again applies the user's input.
    assert client.post(f"/events/{event.id}/edit", data=form_fields(
        unit.id, version="2", title_vi="Tiêu đề của tôi")).status_code == 302


def test_status_change_and_disallowed_transition(client, login, unit, make_event):
    login(Role.PROTOCOL, locale="en")
    event = make_event(lead_unit=unit, status=EventStatus.PLANNED)
    response = client.post(f"/events/{event.id}/status", data={"status": "reported",
                                                               "version": "1"})
    assert response.status_code == 400
    assert "An event cannot go from Planned to Reported." in response.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/status", data={
        "status": "postponed", "reason": "Đối tác đề nghị lùi lịch", "version": "1"})
    assert response.status_code == 302
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Đối tác đề nghị lùi lịch" in page
    assert "Postponed" in page


def test_confidential_event_is_404_for_outsiders_and_hidden_from_lists(client, login, unit,
                                                                       make_event):
    event = make_event(title_vi="Hội đàm kín", visibility=Visibility.CONFIDENTIAL, lead_unit=unit)
    login(Role.VIEWER)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/edit").status_code == 404
    with nothing_written():
        assert client.post(f"/events/{event.id}/status",
                           data={"status": "confirmed"}).status_code == 404
        assert client.post(f"/events/{event.id}/edit",
                           data=form_fields(unit.id, version="1")).status_code == 404
    db.session.expire_all()
    assert event.status is EventStatus.PLANNED
    assert event.version == 1
    assert "Hội đàm kín" not in client.get("/events/?from=").get_data(as_text=True)
    assert "Hội đàm kín" not in client.get("/calendar?view=month&date=2026-12-01").get_data(
        as_text=True)
    assert "Hội đàm kín" not in client.get("/calendar/print?week=2026-12-07").get_data(as_text=True)


def test_viewer_may_read_but_not_edit(client, login, make_event):
    event = make_event()
    login(Role.VIEWER)
    assert client.get(f"/events/{event.id}").status_code == 200
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.get("/events/new").status_code == 403
    assert client.get("/events/venues/").status_code == 403
    with nothing_written():
        assert client.post("/events/new", data=form_fields(event.lead_unit_id)).status_code == 403
        assert client.post(f"/events/{event.id}/edit", data=form_fields(
            event.lead_unit_id, title_vi="Sửa lén", version="1")).status_code == 403
        assert client.post(f"/events/{event.id}/status",
                           data={"status": "cancelled", "version": "1"}).status_code == 403
    db.session.expire_all()
    assert event.title_vi == "Hội nghị xúc tiến đầu tư"
    assert event.version == 1


def test_list_filters_and_text_search_in_both_languages(client, login, make_event, unit):
    login(Role.PROTOCOL)
    make_event(title_vi="Lễ hội văn hóa", title_en="Culture festival", kind=EventKind.CULTURAL)
    make_event(title_vi="Tập huấn phát ngôn", title_en="Spokesperson training",
               kind=EventKind.TRAINING, lead_unit=unit)
    page = client.get("/events/?from=&q=festival").get_data(as_text=True)
    assert "Lễ hội văn hóa" in page
    assert "Tập huấn" not in page
    page = client.get("/events/?from=&q=phát ngôn").get_data(as_text=True)
    assert "Tập huấn phát ngôn" in page
    assert "Lễ hội" not in page
    page = client.get("/events/?from=&kind=cultural").get_data(as_text=True)
    assert "Lễ hội văn hóa" in page
    assert "Tập huấn" not in page
    page = client.get(f"/events/?from=&unit={unit.id}").get_data(as_text=True)
    assert "Tập huấn phát ngôn" in page
    assert "Lễ hội" not in page
    page = client.get("/events/?from=2027-01-01").get_data(as_text=True)
    assert "Lễ hội" not in page


def test_list_paginates(client, login, make_event, app):
    login(Role.PROTOCOL)
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        make_event(title_vi=f"Sự kiện {n}")
    page = client.get("/events/?from=").get_data(as_text=True)
    assert "Sự kiện 1" in page
    assert "Sự kiện 2" not in page
    assert 'rel="next"' in page
    page = client.get("/events/?from=&page=2").get_data(as_text=True)
    assert "Sự kiện 2" in page
    assert 'rel="next"' not in page


def test_calendar_views_and_zone_named_when_different(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    make_event(title_vi="Xúc tiến du lịch tại Tokyo", title_en="Tourism promotion in Tokyo",
               timezone="Asia/Tokyo", kind=EventKind.PROMOTION)
    for view in ("month", "week", "agenda"):
        page = client.get(f"/calendar?view={view}&date=2026-12-10").get_data(as_text=True)
        assert "Tourism promotion in Tokyo" in page, view
    week = client.get("/calendar?view=week&date=2026-12-10").get_data(as_text=True)
    assert "10:00 (Japan Time)" in week  # the zone by its name, not its code
    assert "Asia/Tokyo" not in week
    assert client.get("/calendar?view=bogus&date=notadate").status_code == 200


def test_month_view_caps_each_day(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    for n in range(5):
        make_event(title_vi=f"Sự kiện {n}")
    page = client.get("/calendar?view=month&date=2026-12-01").get_data(as_text=True)
    assert "More…" in page


def test_print_view_lists_the_week(client, login, make_event, unit):
    login(Role.PROTOCOL)
    make_event(title_vi="Tiếp đoàn Champasak", lead_unit=unit)
    page = client.get("/calendar/print?week=2026-12-10").get_data(as_text=True)
    assert "LỊCH CÔNG TÁC TUẦN" in page
    assert "Tiếp đoàn Champasak" in page
    assert "7/12/2026" in page
    assert "size: A4 landscape" not in page


def test_delegation_members_and_programme_pages(client, login, unit, make_event):
    login(Role.PROTOCOL, locale="en")
    event = make_event(kind=EventKind.DELEGATION_IN, lead_unit=unit)
    response = client.post(f"/events/{event.id}/delegation", data={
        "direction": "incoming", "country": "LA", "locality": "Attapeu", "border_gate": "Bờ Y"})
    assert response.status_code == 302
    assert client.post(f"/events/{event.id}/members", data={
        "name": "Leuth Xaiyaphone", "title": "Governor", "is_head": "y"}).status_code == 302
    assert client.post(f"/events/{event.id}/programme", data={
        "day": "2026-12-10", "start_time": "08:30", "end_time": "09:30",
        "activity_vi": "Hội đàm", "activity_en": "Talks", "venue_id": "0"}).status_code == 302
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Laos — Attapeu" in page
    assert "Leuth Xaiyaphone, Governor" in page
    assert "Talks" in page
    assert "08:30–09:30" in page
    client.post("/locale", data={"locale": "vi"})
    assert "Lào — Attapeu" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_venue_pages(client, login):
    login(Role.PROTOCOL)
    assert client.post("/events/venues/new", data={"name": "Nhà khách Tỉnh ủy", "capacity": "80",
                                                   "active": "y"}).status_code == 302
    assert "Nhà khách Tỉnh ủy" in client.get("/events/venues/").get_data(as_text=True)


def test_form_field_messages_are_in_vietnamese_too(client, login, unit):
    login(Role.PROTOCOL, locale="vi")
    page = client.post("/events/new", data=form_fields(unit.id, title_vi="x" * 301)).get_data(
        as_text=True)
    assert "Tối đa 300 ký tự." in page
    assert _count() == 0


def _cell(page: str, day: str) -> str:
    """The HTML of the calendar cell of ``day`` (``data-day``), up to the next cell."""
    page = page.split('class="cal-list"')[0]  # not the phone's list of days
    start = page.index(f'data-day="{day}"')
    following = page.find("data-day=", start + 10)
    return page[start:following if following != -1 else None]


def test_week_grid_places_an_event_by_its_zone(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    # 09:00–11:00 in Tokyo on Thursday 10 December (00:00–02:00 UTC).
    event = make_event(title_vi="Hội thảo Tokyo", title_en="Tokyo seminar", timezone="Asia/Tokyo",
                       starts_at=datetime(2026, 12, 10, 0, 0, tzinfo=UTC),
                       ends_at=datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    page = client.get("/calendar?view=week&date=2026-12-10").get_data(as_text=True)
    assert 'class="timegrid"' in page
    thursday = _cell(page.split('class="tg-body"')[1], "2026-12-10")
    # Rows are half hours from 08:00: 09:00 is row 3, 11:00 the start of row 7.
    link = f'href="/events/{event.id}"'
    assert link in thursday
    assert "tg-event rs3 re7 l1" in thursday
    for other in ("2026-12-07", "2026-12-09", "2026-12-11", "2026-12-13"):
        assert link not in _cell(page.split('class="tg-body"')[1], other)
    assert "09:00 (Japan Time)" in thursday
    # An all-day event sits in the row above the hours, not in the grid.
    make_event(title_vi="Ngày hội", title_en="Festival day", all_day=True,
               starts_at=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
               ends_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC))
    page = client.get("/calendar?view=week&date=2026-12-10").get_data(as_text=True)
    allday, body = page.split('class="tg-body"')
    assert "Festival day" in _cell(allday.split('class="tg-allday"')[1], "2026-12-09")
    assert "Festival day" not in body.split('class="cal-list"')[0]


def test_week_grid_overlaps_side_by_side_and_hours_grow(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    # 06:00–07:00 and 06:30–08:00 Hanoi time on 10 December: the grid starts at 06:00.
    make_event(title_en="Early one", starts_at=datetime(2026, 12, 9, 23, 0, tzinfo=UTC),
               ends_at=datetime(2026, 12, 10, 0, 0, tzinfo=UTC))
    make_event(title_en="Early two", starts_at=datetime(2026, 12, 9, 23, 30, tzinfo=UTC),
               ends_at=datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
    page = client.get("/calendar?view=week&date=2026-12-10").get_data(as_text=True)
    body = page.split('class="tg-body"')[1]
    assert ">06:00</span>" in body
    thursday = _cell(body, "2026-12-10")
    assert "tg-event rs1 re3 l1" in thursday
    assert "tg-event rs2 re5 l2" in thursday


def test_month_shows_a_three_day_event_on_each_day(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    event = make_event(title_vi="Hội chợ ba ngày", title_en="Three-day fair",
                       starts_at=datetime(2026, 12, 15, 1, 0, tzinfo=UTC),  # 08:00 on the 15th
                       ends_at=datetime(2026, 12, 17, 10, 0, tzinfo=UTC))  # 17:00 on the 17th
    page = client.get("/calendar?view=month&date=2026-12-01").get_data(as_text=True)
    table = page.split('data-testid="month"')[1].split("</table>")[0]
    link = f'href="/events/{event.id}"'
    for day in ("2026-12-15", "2026-12-16", "2026-12-17"):
        assert link in _cell(table, day), day
    for day in ("2026-12-14", "2026-12-18"):
        assert link not in _cell(table, day), day
    assert "continues" in _cell(table, "2026-12-15")
    assert "continued" not in _cell(table, "2026-12-15")
    assert "continued continues" in _cell(table, "2026-12-16")
    assert "continued" in _cell(table, "2026-12-17")
    assert "continues" not in _cell(table, "2026-12-17")
    # The week grid: the middle day all day, the first and last by their times.
    page = client.get("/calendar?view=week&date=2026-12-15").get_data(as_text=True)
    allday, body = page.split('class="tg-body"')
    assert link in _cell(allday.split('class="tg-allday"')[1], "2026-12-16")
    # Half-hour rows from 08:00 to 18:00: the last day runs from the top of the grid to
    # 17:00, the first from 08:00 to the bottom of the grid (it goes on the next day).
    assert "tg-event rs1 re19 l1" in _cell(body, "2026-12-17")
    assert "tg-event rs1 re21 l1" in _cell(body, "2026-12-15")


def test_month_repeats_stay_within_the_daily_bound(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    make_event(title_en="Long visit", starts_at=datetime(2026, 12, 14, 1, 0, tzinfo=UTC),
               ends_at=datetime(2026, 12, 16, 10, 0, tzinfo=UTC))
    for n in range(3):
        make_event(title_en=f"Meeting {n}", starts_at=datetime(2026, 12, 15, 2 + n, 0, tzinfo=UTC))
    page = client.get("/calendar?view=month&date=2026-12-01").get_data(as_text=True)
    tuesday = _cell(page.split('data-testid="month"')[1], "2026-12-15")
    assert tuesday.count('class="cal-event') == 3
    assert "Long visit" in tuesday
    assert "More…" in tuesday


def test_confidential_multi_day_event_stays_out_of_every_view(client, login, unit, make_event):
    make_event(title_vi="Hội đàm kín nhiều ngày", visibility=Visibility.CONFIDENTIAL, lead_unit=unit,
               starts_at=datetime(2026, 12, 9, 1, 0, tzinfo=UTC),
               ends_at=datetime(2026, 12, 11, 10, 0, tzinfo=UTC))
    login(Role.VIEWER)
    for view in ("month", "week", "agenda"):
        page = client.get(f"/calendar?view={view}&date=2026-12-08").get_data(as_text=True)
        assert "Hội đàm kín nhiều ngày" not in page, view
    make_event(title_vi="Hội chợ công khai", visibility=Visibility.PUBLIC, lead_unit=unit,
               starts_at=datetime(2026, 12, 9, 1, 0, tzinfo=UTC),
               ends_at=datetime(2026, 12, 11, 10, 0, tzinfo=UTC))
    for view in ("month", "week", "agenda"):
        page = client.get(f"/calendar?view={view}&date=2026-12-08").get_data(as_text=True)
        assert "Hội chợ công khai" in page, view
        assert "Hội đàm kín nhiều ngày" not in page, view


def test_an_event_begun_before_the_week_goes_on_from_its_first_day(client, login, make_event):
    login(Role.PROTOCOL, locale="en")
    # From Saturday 5 December 09:00 to Tuesday 8 December 11:00 (Hanoi time).
    event = make_event(title_en="Long fair", starts_at=datetime(2026, 12, 5, 2, 0, tzinfo=UTC),
                       ends_at=datetime(2026, 12, 8, 4, 0, tzinfo=UTC))
    page = client.get("/calendar?view=week&date=2026-12-07").get_data(as_text=True)
    allday, body = page.split('class="tg-body"')
    monday = _cell(allday.split('class="tg-allday"')[1], "2026-12-07")
    assert f'href="/events/{event.id}"' in monday
    assert "continued continues" in monday
    # Tuesday: from the top of the grid (08:00) to 11:00.
    assert "continued tg-event rs1 re7 l1" in _cell(body, "2026-12-08")
