"""Words, not codes (issue 16, item 6): labels, country, language and zone names, dates."""
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import ValidationFailed
from app.events import display, history
from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    EventChange,
    EventKind,
)
from app.events.validation import check_country
from app.extensions import db
from app.press.models import OutletScope, PressOutlet


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_history_reads_in_words(client, login, make_event):
    user = login(Role.PROTOCOL)
    event = make_event()
    old, new = datetime(2026, 12, 10, 1, tzinfo=UTC), datetime(2026, 12, 15, 1, tzinfo=UTC)
    history.record(user, event, {"kind": ("political", "delegation_in"),
                                 "visibility": ("internal", "public"),
                                 "status": ("planned", "confirmed"),
                                 "country": ("", "LA"), "timezone": ("Asia/Ho_Chi_Minh", "Asia/Vientiane"),
                                 "starts_at": (old, new),
                                 "programme": ("2026-12-10 09:00 Asia/Ho_Chi_Minh Hội đàm",
                                               "2026-12-15 09:00 Asia/Ho_Chi_Minh Hội đàm")})
    db.session.commit()
    section = _text(client.get(f"/events/{event.id}").get_data(as_text=True)
                    .split('data-testid="history"')[1])
    for code in ("delegation_in", "internal", "confirmed", " LA ", "Asia/Vientiane",
                 "Asia/Ho_Chi_Minh", "2026-12-15"):
        assert code not in section, code
    assert not re.search(r"\d\d:\d\d:\d\d", section)  # never seconds
    for words in ("Đoàn vào", "Công khai", "Lào", "Giờ Lào", "15 thg 12, 2026, 08:00",
                  "15 thg 12, 2026, 09:00 Hội đàm"):
        assert words in section, words
    client.post("/locale", data={"locale": "en"})
    english = _text(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert "Incoming delegation" in english
    assert "15 Dec 2026, 08:00" in english  # day month year, four-digit year, no seconds


def test_history_names_units_as_they_are_called_now_in_the_readers_language(
        client, login, make_event, make_unit):
    user = login(Role.PROTOCOL)
    old_lead = make_unit(name_vi="Sở Văn hóa", name_en="Department of Culture")
    lead = make_unit(name_vi="Sở Ngoại vụ (cũ)", name_en="Foreign Affairs (old)")
    partner = make_unit(name_vi="Công an tỉnh", name_en="Provincial Police")
    event = make_event(lead_unit=old_lead)
    history.record(user, event, {"lead_unit_id": (old_lead.id, lead.id),
                                 "coordinating_unit_ids": ([], [partner.id, lead.id])})
    # A row written before units' ids were kept: only the Vietnamese names.
    db.session.add(EventChange(event_id=event.id, user_id=user.id, version=1,
                               changes={"lead_unit_id": ["Ban Tuyên giáo", "Sở Văn hóa"]}))
    db.session.commit()
    row = db.session.scalars(sa.select(EventChange).where(EventChange.event_id == event.id)
                             .order_by(EventChange.id)).first()
    assert row.changes["lead_unit_id"] == ["Sở Văn hóa", "Sở Ngoại vụ (cũ)", [old_lead.id],
                                           [lead.id]]
    lead.name_vi, lead.name_en = "Sở Ngoại vụ", "Department of Foreign Affairs"  # renamed since
    db.session.commit()

    def section():
        return " ".join(_text(client.get(f"/events/{event.id}").get_data(as_text=True)
                              .split('data-testid="history"')[1]).split())

    vietnamese = section()
    assert "Sở Văn hóa → Sở Ngoại vụ" in vietnamese
    assert "Công an tỉnh, Sở Ngoại vụ" in vietnamese
    assert "(cũ)" not in vietnamese
    assert "Ban Tuyên giáo → Sở Văn hóa" in vietnamese
    client.post("/locale", data={"locale": "en"})
    english = section()
    assert "Department of Culture → Department of Foreign Affairs" in english
    assert "Department of Foreign Affairs, Provincial Police" in english
    assert "Ban Tuyên giáo → Sở Văn hóa" in english  # the old row, as it was written
    assert "Sở Ngoại vụ" not in english


def test_country_list_holds_real_countries_only(app):
    with app.test_request_context():
        codes = [code for code, _name in display.country_choices()]
    assert codes[:4] == ["", "LA", "KH", "JP"]
    for grouping in ("EU", "UN", "EZ", "QO", "ZZ", "001", "419", "XA"):
        assert grouping not in codes
        if len(grouping) == 2:
            with pytest.raises(ValidationFailed):
                check_country(grouping)
    assert check_country("la") == "LA"
    assert {"VN", "LA", "KH", "TH", "CN", "JP", "KR", "US", "FR"} <= set(codes)


def test_zone_picker_puts_the_provinces_and_partners_zones_first(client, login):
    login(Role.PROTOCOL)
    page = client.get("/events/new").get_data(as_text=True)
    menu = page.split('name="timezone"')[1].split("</select>")[0]
    values = re.findall(r'<option[^>]*value="([^"]+)"', menu)
    assert values[:5] == ["Asia/Ho_Chi_Minh", "Asia/Vientiane", "Asia/Phnom_Penh", "Asia/Tokyo",
                          "Asia/Seoul"]
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", menu)
    assert labels[0] == "Giờ Việt Nam (UTC+07:00)"
    assert labels[1] == "Giờ Lào (UTC+07:00)"
    assert not any("/" in label for label in labels)
    settings = client.get("/notifications/settings").get_data(as_text=True)
    assert re.findall(r'<option[^>]*value="([^"]*)"', settings.split('name="timezone"')[1])[:3] == \
        ["", "Asia/Ho_Chi_Minh", "Asia/Vientiane"]


def test_delegation_head_is_truong_doan_and_languages_are_named(client, login, make_event):
    login(Role.PROTOCOL)
    event = make_event(kind=EventKind.DELEGATION_IN)
    event.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                  locality="Attapeu", members=[
                                      DelegationMember(name="Leuth Xaiyaphone", is_head=True)])
    db.session.add(PressOutlet(name="Pasaxon", scope=OutletScope.FOREIGN, languages="lo, vi"))
    db.session.commit()
    page = _text(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert page.count("Trưởng đoàn") >= 2  # the fact and the member's tag
    assert "Thủ trưởng" not in page
    assert "Lào — Attapeu" in page
    outlets = _text(client.get("/press/outlets/").get_data(as_text=True))
    assert "Tiếng Lào, Tiếng Việt" in outlets or "tiếng Lào, tiếng Việt" in outlets
    assert " lo, vi " not in outlets


def test_press_mailings_name_their_step(app):
    from app.notifications.outlets import step_label

    with app.test_request_context():
        assert step_label("invite@3") == "Giấy mời"
        assert step_label("update@4") == "Giấy mời điều chỉnh"
        assert step_label("cancel") == "Thông báo hủy"


def _feed_form(**fields):
    from app.idempotency import issue

    return {"name": "Lịch đoàn", "language": "vi", "detail": "press_safe", "alarms": "none",
            "days_back": "30", "days_ahead": "365", "deadlines": "auto", "form_token": issue(),
            **fields}


def test_the_feed_form_picks_an_event_by_name(client, login, make_unit, make_event):
    from app.events.models import Visibility
    from app.feeds.models import FeedToken

    user = login(Role.FOCAL)
    wanted = make_event(title_vi="Đón Đoàn đại biểu tỉnh Attapeu")
    make_event(title_vi="Đón Đoàn đại biểu tỉnh Salavan")
    secret = make_event(title_vi="Đón Đoàn Attapeu (mật)", lead_unit=make_unit(),
                        visibility=Visibility.CONFIDENTIAL)
    found = client.get("/events/lookup.json?q=doan+ATTAPEU").get_json()["events"]
    assert [e["id"] for e in found] == [wanted.id]  # not the confidential one
    assert found[0]["label"].startswith("Đón Đoàn đại biểu tỉnh Attapeu — ")
    assert client.get("/events/lookup.json?q=%25").get_json() == {"events": []}
    page = client.get("/feeds/new").get_data(as_text=True)
    assert "(number)" not in page
    assert "(số)" not in page
    assert 'data-lookup="/events/lookup.json"' in page
    # Several events match the words: the form says so and creates nothing.
    refused = client.post("/feeds/new", data=_feed_form(event_search="doan dai bieu"))
    assert "Hãy chọn một sự kiện trong danh sách" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0
    # A name the user may not see is no choice either.
    client.post("/feeds/new", data=_feed_form(event_search="mật"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0
    # The picker's label (what the script fills in), or enough words, names one event.
    client.post("/feeds/new", data=_feed_form(event_search=found[0]["label"]))
    feed = db.session.scalars(sa.select(FeedToken).where(FeedToken.owner_id == user.id)).one()
    assert feed.filters["delegation_event_id"] == wanted.id
    edit = client.get(f"/feeds/{feed.id}/edit").get_data(as_text=True)
    assert f'value="{found[0]["label"]}"' in edit
    assert secret.id != wanted.id


def test_a_moved_programme_reads_in_words_in_the_history(client, login, make_event):
    """History keeps "2026-12-10 09:00 Asia/Ho_Chi_Minh Hội đàm; …": shown as a date in words."""
    user = login(Role.PROTOCOL)
    event = make_event()
    history.record(user, event, {"programme": (
        "2026-12-10 09:00 Asia/Ho_Chi_Minh Hội đàm; 2026-12-10 14:00 Asia/Vientiane Tham quan",
        "2026-12-15 09:00 Asia/Ho_Chi_Minh Hội đàm")})
    db.session.commit()
    section = _text(client.get(f"/events/{event.id}").get_data(as_text=True)
                    .split('data-testid="history"')[1])
    for code in ("2026-12-10", "2026-12-15", "Asia/"):
        assert code not in section, code
    assert "15 thg 12, 2026, 09:00 Hội đàm" in section
    assert "Tham quan" in section
    assert "Giờ Lào" in section
    assert display.history_value("locality", "Attapeu 2026") == "Attapeu 2026"


def test_time_zone_hints_name_the_zone(client, login, make_event):
    """The forms' "times are in …" hints name the zone in words (not "Asia/Ho_Chi_Minh")."""
    login(Role.PROTOCOL)
    event = make_event(timezone="Asia/Vientiane")
    for path in (f"/events/{event.id}/programme", f"/events/{event.id}/briefings/new",
                 "/monitoring/new", "/events/import/calendar"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Asia/" not in _text(response.get_data(as_text=True)), path
    assert "Thời gian tính theo Giờ Lào" in _text(
        client.get(f"/events/{event.id}/briefings/new").get_data(as_text=True))
