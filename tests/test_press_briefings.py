"""Briefings of events: proposal, editing, invited outlets, notice letter, embargoed release."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.services import sync_checklist
from app.extensions import db
from app.navigation import BRIEFING_PANELS
from app.press.demo import seed_outlets
from app.press.models import Briefing, BriefingStatus, PressOutlet
from tests.helpers import log_in, nothing_written

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


@pytest.fixture
def briefing(setting):
    sync_checklist(setting.event)
    seed_outlets()
    db.session.commit()
    return db.session.scalar(sa.select(Briefing).where(Briefing.event_id == setting.event.id))


def _edit_data(briefing, **changes):
    data = {"title_vi": briefing.title_vi, "title_en": briefing.title_en,
            "starts_at": "2026-12-03T09:00", "ends_at": "2026-12-03T10:00",
            "location": "Hội trường UBND tỉnh", "status": "scheduled", "visibility": "internal",
            "chair": "Phó Chủ tịch UBND tỉnh", "purpose": "Giới thiệu sự kiện"}
    data.update(changes)
    return data


def test_a_political_event_gets_a_proposed_briefing_before_it(briefing, setting):
    assert briefing.status is BriefingStatus.PROPOSED
    assert briefing.starts_at < setting.event.starts_at
    # T-7 days, 09:00 in Hà Nội.
    assert briefing.starts_at == datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def test_protocol_edits_time_venue_status_and_invited_outlets(client, briefing, setting):
    outlets = db.session.scalars(sa.select(PressOutlet).order_by(PressOutlet.id)).all()
    log_in(client, setting.protocol)
    response = client.post(f"/briefings/{briefing.id}/edit", data={
        **_edit_data(briefing, starts_at="2026-12-04T14:00", ends_at="2026-12-04T15:30"),
        "outlet_ids": [str(outlets[0].id), str(outlets[4].id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert briefing.status is BriefingStatus.SCHEDULED
    assert briefing.starts_at == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    assert {o.id for o in briefing.outlets} == {outlets[0].id, outlets[4].id}
    page = client.get(f"/briefings/{briefing.id}").get_data(as_text=True)
    assert outlets[4].name in page


def test_a_focal_point_of_another_unit_may_not_edit(client, briefing, setting):
    outlet = db.session.scalars(sa.select(PressOutlet)).first()
    log_in(client, setting.focal_other)
    assert client.get(f"/briefings/{briefing.id}").status_code == 200
    with nothing_written():
        assert client.post(f"/briefings/{briefing.id}/edit", data={
            **_edit_data(briefing), "outlet_ids": [str(outlet.id)]}).status_code == 403
        assert client.post(f"/briefings/{briefing.id}/release", data={
            "release_vi": "Thông cáo lén", "release_en": ""}).status_code == 403
    assert client.get(f"/briefings/{briefing.id}/notice").status_code == 403
    db.session.expire_all()
    assert briefing.status is BriefingStatus.PROPOSED
    assert briefing.outlets == []
    assert not briefing.release_vi


def test_end_before_start_is_refused(client, briefing, setting):
    log_in(client, setting.protocol)
    client.post("/locale", data={"locale": "en"})
    response = client.post(f"/briefings/{briefing.id}/edit",
                           data=_edit_data(briefing, ends_at="2026-12-03T08:00"))
    assert response.status_code == 400
    assert "must end after it starts" in response.get_data(as_text=True)


def test_the_release_is_hidden_outside_the_event_units_until_the_embargo(client, briefing, setting,
                                                                         clock):
    log_in(client, setting.lead_focal)
    assert client.post(f"/briefings/{briefing.id}/release", data={
        "release_vi": "THÔNG CÁO BÁO CHÍ bí mật", "release_en": "PRESS RELEASE",
        "embargo_until": "2026-12-10T08:00"}).status_code == 302
    assert "THÔNG CÁO BÁO CHÍ bí mật" in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)
    client.post("/logout")
    log_in(client, setting.focal_a)   # a coordinating unit: an insider
    assert "THÔNG CÁO BÁO CHÍ bí mật" in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)
    client.post("/logout")
    log_in(client, setting.focal_other)
    assert "THÔNG CÁO BÁO CHÍ bí mật" not in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)
    clock(datetime(2026, 12, 10, 1, 0, tzinfo=UTC))  # 08:00 in Hà Nội
    assert "THÔNG CÁO BÁO CHÍ bí mật" in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)


def test_notice_letter_and_the_24_hour_warning(client, briefing, setting, clock):
    log_in(client, setting.protocol)
    client.post("/locale", data={"locale": "en"})
    letter = client.get(f"/briefings/{briefing.id}/notice").get_data(as_text=True)
    assert "NOTICE OF A PRESS CONFERENCE" in letter
    assert 'data-testid="notice-warning"' not in letter
    clock(briefing.starts_at - timedelta(hours=20))
    letter = client.get(f"/briefings/{briefing.id}/notice").get_data(as_text=True)
    assert 'data-testid="notice-warning"' in letter
    assert 'data-testid="notice-warning"' in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)


def test_briefing_panels_are_included(client, briefing, setting, monkeypatch):
    BRIEFING_PANELS.append("checklists/_test_briefing_panel.html")
    try:
        from jinja2 import ChoiceLoader, DictLoader
        app = client.application
        # The app outlives the test: monkeypatch puts its loader back afterwards.
        monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([
            DictLoader({"checklists/_test_briefing_panel.html": "<p>PANEL {{ briefing.id }}</p>"}),
            app.jinja_env.loader]))
        log_in(client, setting.protocol)
        assert f"PANEL {briefing.id}" in client.get(f"/briefings/{briefing.id}").get_data(as_text=True)
    finally:
        BRIEFING_PANELS.remove("checklists/_test_briefing_panel.html")


def test_outlet_directory_is_for_protocol_and_liaison(client, app, login, make_user):
    seed_outlets()
    db.session.commit()
    login(Role.FOCAL)
    assert client.get("/press/outlets/").status_code == 403
    with nothing_written():
        assert client.post("/press/outlets/new",
                           data={"name": "X", "scope": "domestic"}).status_code == 403
        outlet = db.session.scalars(sa.select(PressOutlet)).first()
        assert client.post(f"/press/outlets/{outlet.id}/edit",
                           data={"name": "X", "scope": "domestic"}).status_code == 403
    assert db.session.scalar(sa.select(PressOutlet).where(PressOutlet.name == "X")) is None
    client.post("/logout")
    log_in(client, make_user(Role.LIAISON, locale="en"))
    assert client.post("/press/outlets/new", data={
        "name": "Asahi Shimbun", "scope": "foreign", "contact": "a@asahi.example",
        "languages": "ja, en", "active": "y"}).status_code == 302
    duplicate = client.post("/press/outlets/new", data={"name": "asahi shimbun", "scope": "foreign"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_data(as_text=True)
    assert "Asahi Shimbun" in client.get("/press/outlets/").get_data(as_text=True)


def test_a_proposed_briefing_follows_its_event_but_a_scheduled_one_stays(briefing, setting,
                                                                          make_event):
    proposed_at, sequence = briefing.starts_at, briefing.sequence
    setting.event.starts_at += timedelta(days=7)
    setting.event.ends_at += timedelta(days=7)
    db.session.commit()
    sync_checklist(setting.event)
    db.session.commit()
    assert briefing.starts_at == proposed_at + timedelta(days=7)
    assert briefing.sequence == sequence + 1

    briefing.status = BriefingStatus.SCHEDULED
    db.session.commit()
    setting.event.starts_at += timedelta(days=7)
    setting.event.ends_at += timedelta(days=7)
    db.session.commit()
    sync_checklist(setting.event)
    db.session.commit()
    assert briefing.starts_at == proposed_at + timedelta(days=7)
