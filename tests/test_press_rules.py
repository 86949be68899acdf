"""Legal numbers as data on the letters, the event's embargo field, and the release's embargo."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events.models import Event
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.settings.services import change
from tests.fixtures_events import form_fields
from tests.helpers import log_in, nothing_written

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


@pytest.fixture
def briefing(press_setting):
    found = Briefing(event=press_setting.event, title_vi="Họp báo", status=BriefingStatus.SCHEDULED,
                     starts_at=datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
                     ends_at=datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    db.session.add(found)
    db.session.commit()
    return found


def test_the_notice_letter_reads_the_press_authority_number_and_signatory_from_settings(
        client, press_setting, briefing):
    s = press_setting
    log_in(client, s.protocol)
    letter = client.get(f"/briefings/{briefing.id}/notice").get_data(as_text=True)
    assert "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi" in letter
    assert "Số: …/TB" in letter
    assert "Thủ trưởng đơn vị" in letter
    for key, value in (("press.authority_name", "Sở VHTTDL tỉnh Kon Tum"),
                       ("press.authority_address", "123 Đường Trần Hưng Đạo"),
                       ("press.notice_number", "Số: 12/TB-SNgV"),
                       ("press.notice_signatory", "GIÁM ĐỐC")):
        change(key, value=value, by=s.admin)
    db.session.commit()
    letter = client.get(f"/briefings/{briefing.id}/notice").get_data(as_text=True)
    for text in ("Sở VHTTDL tỉnh Kon Tum", "123 Đường Trần Hưng Đạo", "Số: 12/TB-SNgV", "GIÁM ĐỐC"):
        assert text in letter


def test_an_embargo_before_the_release_is_written_is_refused(client, press_setting, briefing):
    log_in(client, press_setting.protocol)
    client.post("/locale", data={"locale": "en"})
    with nothing_written():
        response = client.post(f"/briefings/{briefing.id}/release", data={
            "release_vi": "Thông cáo", "release_en": "", "embargo_until": "2026-11-01T08:00"})
        assert response.status_code == 400
        assert "The embargo must end after the release is written" in response.get_data(as_text=True)
        assert "Thông cáo" in response.get_data(as_text=True)  # the input is kept
    db.session.expire_all()
    assert briefing.release_vi == ""
    assert client.post(f"/briefings/{briefing.id}/release", data={
        "release_vi": "Thông cáo", "release_en": "",
        "embargo_until": "2026-12-09T10:00"}).status_code == 302
    db.session.expire_all()
    assert briefing.release_embargo_until == datetime(2026, 12, 9, 3, 0, tzinfo=UTC)


def test_the_event_form_sets_a_sensitive_events_embargo(client, login, make_unit):
    unit = make_unit("so-ngoai-vu")
    login(Role.PROTOCOL, locale="en")
    with nothing_written():
        response = client.post("/events/new", data=form_fields(
            unit.id, embargo_until="2026-12-10T07:00"))
        assert "An embargo applies only to a sensitive event" in response.get_data(as_text=True)
    response = client.post("/events/new", data=form_fields(
        unit.id, is_sensitive="y", embargo_until="2026-12-10T07:00"))
    assert response.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.embargo_until == datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert "2026-12-10T07:00" in page
    assert "calendar feeds show it as busy only" in page


def test_only_steering_or_an_admin_changes_the_embargo(client, make_user, make_unit, make_event):
    unit = make_unit()
    focal = make_user(Role.FOCAL, unit=unit)
    admin = make_user(Role.ADMIN)
    event = make_event(lead_unit=unit, is_sensitive=True,
                       embargo_until=datetime(2026, 12, 10, 0, 0, tzinfo=UTC))
    log_in(client, focal)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'id="embargo_until" name="embargo_until"' in page
    fields = {**form_fields(unit.id, is_sensitive="y", embargo_until=""), "version": event.version}
    del fields["form_token"]
    assert client.post(f"/events/{event.id}/edit", data=fields).status_code == 302
    db.session.expire_all()
    assert event.embargo_until == datetime(2026, 12, 10, 0, 0, tzinfo=UTC)  # the field is disabled
    client.post("/logout")
    log_in(client, admin)
    fields["version"] = event.version
    assert client.post(f"/events/{event.id}/edit", data=fields).status_code == 302
    db.session.expire_all()
    assert event.embargo_until is None
