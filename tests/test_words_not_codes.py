"""Words, not codes (issue 16, item 6): labels, country, language and zone names, dates."""
import re
from datetime import UTC, datetime

import pytest

from app.auth.roles import Role
from app.errors import ValidationFailed
from app.events import display, history
from app.events.models import Delegation, DelegationDirection, DelegationMember, EventKind
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
                                 "starts_at": (old, new)})
    db.session.commit()
    section = _text(client.get(f"/events/{event.id}").get_data(as_text=True)
                    .split('data-testid="history"')[1])
    for code in ("delegation_in", "internal", "confirmed", " LA ", "Asia/Vientiane",
                 "Asia/Ho_Chi_Minh", "2026-12-15"):
        assert code not in section, code
    assert not re.search(r"\d\d:\d\d:\d\d", section)  # never seconds
    for words in ("Đoàn vào", "Công khai", "Lào", "Giờ Lào", "15 thg 12, 2026, 08:00"):
        assert words in section, words
    client.post("/locale", data={"locale": "en"})
    english = _text(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert "Incoming delegation" in english
    assert "15 Dec 2026, 08:00" in english  # day month year, four-digit year, no seconds


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
