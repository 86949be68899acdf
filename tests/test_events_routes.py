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
