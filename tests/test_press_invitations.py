"""Invitations that reach the press: outlets invited from the directory, e-mailed exactly once each."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.errors import ValidationFailed
from app.extensions import db
from app.notifications import sending
from app.notifications.models import OutletMailing
from app.press.briefings import invitations, invite_outlets, set_invitation_status
from app.press.models import (
    Briefing,
    BriefingStatus,
    InvitationStatus,
    OutletScope,
    PressOutlet,
    briefing_outlets,
)
from tests.helpers import count, log_in, nothing_written

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


@pytest.fixture
def outlets(app):
    found = {
        "domestic": PressOutlet(name="Báo Quảng Ngãi", scope=OutletScope.DOMESTIC,
                                contact="Ban Thời sự, toasoan@baoqn.example", languages="vi"),
        "foreign": PressOutlet(name="Vientiane Times", scope=OutletScope.FOREIGN,
                               contact="news@vientianetimes.example", languages="lo, en"),
        "no_email": PressOutlet(name="Đài Truyền thanh huyện", scope=OutletScope.DOMESTIC,
                                contact="0255 3822 111", languages="vi"),
    }
    db.session.add_all(found.values())
    db.session.commit()
    return found


@pytest.fixture
def briefing(press_setting):
    found = Briefing(event=press_setting.event, title_vi="Họp báo đón Đoàn tỉnh Attapeu",
                     title_en="Press conference: Attapeu delegation",
                     status=BriefingStatus.SCHEDULED, location="Sở Ngoại vụ, 52 Hùng Vương",
                     starts_at=datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
                     ends_at=datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    db.session.add(found)
    db.session.commit()
    return found


def _send():
    report = sending.run()
    db.session.expire_all()
    return report


def test_the_invite_page_filters_domestic_foreign_and_language(client, press_setting, briefing,
                                                               outlets):
    log_in(client, press_setting.protocol)
    page = client.get(f"/briefings/{briefing.id}/invite?scope=foreign").get_data(as_text=True)
    assert "Vientiane Times" in page
    assert "Báo Quảng Ngãi" not in page
    page = client.get(f"/briefings/{briefing.id}/invite?lang=vi").get_data(as_text=True)
    assert "Báo Quảng Ngãi" in page
    assert "Vientiane Times" not in page
    response = client.post(f"/briefings/{briefing.id}/invite", data={
        "outlet_ids": [str(outlets["domestic"].id), str(outlets["foreign"].id)]})
    assert response.status_code == 302
    assert [i.status for i in invitations(briefing)] == [InvitationStatus.INVITED] * 2


def test_an_outlet_without_an_e_mail_address_is_refused(client, press_setting, briefing, outlets):
    log_in(client, press_setting.protocol)
    client.post("/locale", data={"locale": "en"})
    with nothing_written():
        response = client.post(f"/briefings/{briefing.id}/invite", data={
            "outlet_ids": [str(outlets["domestic"].id), str(outlets["no_email"].id)]})
        assert response.status_code == 400
        assert "Đài Truyền thanh huyện has no e-mail address" in response.get_data(as_text=True)
    assert briefing.outlets == []


@pytest.mark.parametrize("who", ["viewer", "spokesperson", "focal_other"])
def test_others_may_not_invite_or_record_answers(client, press_setting, briefing, outlets, who):
    invite_outlets(press_setting.protocol, briefing, [outlets["domestic"].id])
    db.session.commit()
    log_in(client, getattr(press_setting, who))
    with nothing_written():
        assert client.get(f"/briefings/{briefing.id}/invite").status_code == 403
        assert client.post(f"/briefings/{briefing.id}/invite", data={
            "outlet_ids": [str(outlets["foreign"].id)]}).status_code == 403
        assert client.post(f"/briefings/{briefing.id}/outlets/{outlets['domestic'].id}/status",
                           data={"status": "attended"}).status_code == 403
    assert invitations(briefing)[0].status is InvitationStatus.INVITED


def test_invited_confirmed_attended_per_outlet(client, press_setting, briefing, outlets):
    invite_outlets(press_setting.protocol, briefing, [outlets["domestic"].id, outlets["foreign"].id])
    db.session.commit()
    log_in(client, press_setting.focal)  # the lead unit may edit the event: manages its briefings
    url = f"/briefings/{briefing.id}/outlets/{outlets['foreign'].id}/status"
    assert client.post(url, data={"status": "confirmed"}).status_code == 302
    assert client.post(url, data={"status": "attended"}).status_code == 302
    got = {i.outlet.name: i.status for i in invitations(briefing)}
    assert got == {"Báo Quảng Ngãi": InvitationStatus.INVITED,
                   "Vientiane Times": InvitationStatus.ATTENDED}
    with pytest.raises(ValidationFailed):
        set_invitation_status(press_setting.protocol, briefing, outlets["no_email"].id,
                              InvitationStatus.CONFIRMED)


def test_each_outlet_gets_one_invitation_in_its_language_with_the_ics(press_setting, briefing,
                                                                     outlets, smtp):
    invite_outlets(press_setting.protocol, briefing, [outlets["domestic"].id, outlets["foreign"].id])
    db.session.commit()
    _send()
    _send()  # a second run sends nothing again
    domestic = smtp.to("toasoan@baoqn.example")
    foreign = smtp.to("news@vientianetimes.example")
    assert len(domestic) == 1
    assert len(foreign) == 1
    assert "Giấy mời" in domestic[0]["Subject"] or "họp báo" in domestic[0]["Subject"].lower()
    assert foreign[0]["Subject"] == "Invitation to a press conference: Press conference: Attapeu delegation"
    body = foreign[0].get_body(("plain",)).get_content()
    assert "09:00" in body
    assert "Sở Ngoại vụ, 52 Hùng Vương" in body
    assert "press card" in body
    attachment = next(part for part in foreign[0].iter_attachments())
    calendar = Calendar.from_ical(attachment.get_content())
    vevent = next(iter(calendar.walk("VEVENT")))
    assert str(vevent["UID"]).startswith(f"briefing-{briefing.id}@")
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


def test_a_reschedule_sends_each_outlet_one_update_and_a_cancellation_one_notice(
        press_setting, briefing, outlets, smtp):
    invite_outlets(press_setting.protocol, briefing, [outlets["domestic"].id, outlets["foreign"].id])
    db.session.commit()
    _send()
    for hours in (1, 2):  # moved twice before the next run: one update
        briefing.starts_at += timedelta(hours=hours)
        briefing.ends_at += timedelta(hours=hours)
        briefing.sequence += 1
        db.session.commit()
    _send()
    _send()
    for address in ("toasoan@baoqn.example", "news@vientianetimes.example"):
        subjects = [m["Subject"] for m in smtp.to(address)]
        assert len(subjects) == 2, subjects
    update = smtp.to("news@vientianetimes.example")[1]
    assert update["Subject"].startswith("Changed:")
    assert "12:00" in update.get_body(("plain",)).get_content()
    briefing.status = BriefingStatus.CANCELLED
    briefing.sequence += 1
    db.session.commit()
    _send()
    _send()
    assert [m["Subject"].split(":")[0] for m in smtp.to("news@vientianetimes.example")] == [
        "Invitation to a press conference", "Changed", "Cancelled"]
    assert count(OutletMailing) == 6


def test_the_release_goes_out_only_after_its_embargo(press_setting, briefing, outlets, smtp, clock):
    invite_outlets(press_setting.protocol, briefing, [outlets["foreign"].id])
    briefing.release_vi, briefing.release_en = "Thông cáo báo chí", "PRESS RELEASE Attapeu"
    briefing.release_embargo_until = datetime(2026, 12, 9, 3, 0, tzinfo=UTC)
    db.session.commit()
    _send()
    assert [m["Subject"].split(":")[0] for m in smtp.to("news@vientianetimes.example")] == [
        "Invitation to a press conference"]
    clock(datetime(2026, 12, 9, 2, 59, tzinfo=UTC))
    _send()
    assert len(smtp.to("news@vientianetimes.example")) == 1
    clock(datetime(2026, 12, 9, 3, 0, tzinfo=UTC))
    _send()
    _send()
    mails = smtp.to("news@vientianetimes.example")
    assert len(mails) == 2
    assert "PRESS RELEASE Attapeu" in mails[1].get_body(("plain",)).get_content()


def test_a_public_briefing_made_by_hand_is_in_the_public_feed_at_once(client, press_setting):
    from app.events.models import EventStatus, Visibility
    event = press_setting.event
    event.visibility, event.status = Visibility.PUBLIC, EventStatus.PLANNED
    db.session.commit()
    assert "briefing-" not in client.get("/feeds/public.ics").get_data(as_text=True)
    db.session.add(Briefing(event=event, title_vi="Họp báo", status=BriefingStatus.SCHEDULED,
                            visibility=Visibility.PUBLIC,
                            starts_at=datetime(2026, 12, 9, 2, 0, tzinfo=UTC),
                            ends_at=datetime(2026, 12, 9, 3, 0, tzinfo=UTC)))
    db.session.commit()
    briefing_id = db.session.scalar(sa.select(Briefing.id))
    assert f"briefing-{briefing_id}@" in client.get("/feeds/public.ics").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(briefing_outlets)) == 0
