"""Issue 12 items 2 and 5: unit feeds (a unit's shared calendar).

Created by the unit's head or a focal point (403 for anyone else), showing the unit's
events (led or coordinated) and the unit's deadlines at what a member of the unit may see,
re-checked on every request; surviving its creator leaving; managed by any head or focal
point of the unit; a revoked one answers like an unknown token.
"""
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from app.auth.roles import Role
from app.events.models import EventStatus, Visibility
from app.extensions import db
from app.feeds import services
from app.feeds.models import DetailLevel, FeedToken
from app.idempotency import issue
from tests.fixtures_checklists import provide_item
from tests.fixtures_feeds import parse_three, vevents
from tests.helpers import log_in, nothing_written

pytestmark = pytest.mark.usefixtures("feed_cache_dir")

FORM = {"name": "Lịch đơn vị", "language": "vi", "detail": "full", "alarms": "none",
        "days_back": "30", "days_ahead": "365", "deadlines": "auto", "for_unit": "y"}


def _uids(client, token) -> set[str]:
    response = client.application.test_client().get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    return set(vevents(parse_three(response.data)))


def _unit_feed(user, **fields):
    feed, token = services.create_feed(user, services.FeedSettings(
        name=fields.pop("name", "Lịch đơn vị"), detail=fields.pop("detail", DetailLevel.FULL),
        for_unit=True, **fields))
    db.session.commit()
    return feed, token


def test_focal_point_creates_a_unit_feed_in_the_browser_form(client, setting):
    log_in(client, setting.focal_a)
    assert "for_unit" in client.get("/feeds/new").get_data(as_text=True)
    response = client.post("/feeds/new", data={**FORM, "form_token": issue()})
    assert response.status_code == 200
    feed = db.session.scalar(sa.select(FeedToken))
    assert feed.unit_id == setting.coord_a.id
    assert feed.owner_id == setting.focal_a.id
    assert feed.filters["deadlines"] is True  # on by default for unit feeds
    listing = client.get("/feeds/").get_data(as_text=True)
    assert "Lịch dùng chung của" in listing
    assert setting.focal_a.name in listing


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LIAISON, Role.PROTOCOL])
def test_only_head_or_focal_point_may_create_one(client, setting, make_user, role):
    outsider = make_user(role, unit=setting.coord_a)
    log_in(client, outsider)
    assert "for_unit" not in client.get("/feeds/new").get_data(as_text=True)
    with nothing_written():
        response = client.post("/feeds/new", data={**FORM, "form_token": issue()})
        assert response.status_code == 403
        db.session.rollback()
    head = make_user(Role.VIEWER, unit=setting.coord_a, is_unit_head=True)
    feed, _token = _unit_feed(head)
    assert feed.unit_id == setting.coord_a.id


def test_unit_feed_holds_the_units_events_and_deadlines_only(client, setting, make_event):
    own = provide_item(setting, setting.coord_a)
    other = provide_item(setting, setting.coord_b)
    led = make_event(lead_unit=setting.coord_a, status=EventStatus.CONFIRMED)
    elsewhere = make_event(lead_unit=setting.other, status=EventStatus.CONFIRMED)
    hidden = make_event(lead_unit=setting.other, visibility=Visibility.CONFIDENTIAL,
                        status=EventStatus.CONFIRMED, coordinating_units=[setting.coord_b])
    _feed, token = _unit_feed(setting.focal_a)
    uids = _uids(client, token)
    assert f"event-{setting.event.id}@localhost" in uids   # coordinated
    assert f"event-{led.id}@localhost" in uids             # led
    assert f"event-{elsewhere.id}@localhost" not in uids
    assert f"event-{hidden.id}@localhost" not in uids
    assert f"item-{own.id}@localhost" in uids
    assert f"item-{other.id}@localhost" not in uids


def test_unit_feed_never_carries_internal_notes(client, setting, make_event):
    make_event(lead_unit=setting.coord_a, status=EventStatus.CONFIRMED,
               internal_notes="Ghi chú nội bộ QQQ")
    _feed, token = _unit_feed(setting.focal_a)
    body = client.application.test_client().get(f"/feeds/{token}.ics").get_data(as_text=True)
    assert "QQQ" not in body.replace("\r\n ", "")


def test_survives_the_creator_leaving_and_others_manage_it(client, setting, make_user):
    feed, token = _unit_feed(setting.focal_a)
    setting.focal_a.unit = setting.other  # the creator moves to another unit
    db.session.commit()
    assert _uids(client, token)
    log_in(client, setting.focal_a)
    with nothing_written():
        assert client.post(f"/feeds/{feed.id}/rotate").status_code == 404
        assert client.post(f"/feeds/{feed.id}/revoke").status_code == 404
    client.post("/logout")
    successor = make_user(Role.FOCAL, unit=setting.coord_a)
    log_in(client, successor)
    listing = client.get("/feeds/").get_data(as_text=True)
    assert "Lịch đơn vị" in listing
    assert setting.focal_a.name in listing  # who created it
    assert client.post(f"/feeds/{feed.id}/revoke").status_code == 302
    calendar = client.application.test_client()
    revoked = calendar.get(f"/feeds/{token}.ics")
    unknown = calendar.get(f"/feeds/{'x' * 43}.ics")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.data == unknown.data


def test_creator_deactivated_feed_still_works_unit_deactivated_404(client, setting):
    _feed, token = _unit_feed(setting.focal_a)
    setting.focal_a.active = False
    db.session.commit()
    assert _uids(client, token)
    setting.coord_a.active = False
    db.session.commit()
    assert client.application.test_client().get(f"/feeds/{token}.ics").status_code == 404


def test_cli_unit_feed(app, setting):
    setting.focal_a.email = "dau.moi@example.com"
    db.session.commit()
    runner = CliRunner()
    result = runner.invoke(app.cli, ["feeds", "token", "dau.moi@example.com", "--unit",
                                     setting.coord_a.slug], obj=None)
    assert result.exit_code == 0, result.output
    assert "/feeds/" in result.output
    feed = db.session.scalar(sa.select(FeedToken))
    assert feed.unit_id == setting.coord_a.id
    refused = runner.invoke(app.cli, ["feeds", "token", "dau.moi@example.com", "--unit",
                                      setting.coord_b.slug], obj=None)
    assert refused.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1
