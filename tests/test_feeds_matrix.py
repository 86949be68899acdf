"""Role × visibility × sensitivity × detail level: nothing confidential or unreleased leaks."""
import itertools

import pytest

from app.auth.roles import Role
from app.events.access import can_edit, can_view
from app.events.models import EventStatus, Visibility
from app.extensions import db
from app.feeds import tokens
from app.feeds.models import DetailLevel
from app.timeutil import utcnow
from tests.fixtures_feeds import parse_three, vevents

pytestmark = pytest.mark.usefixtures("feed_cache_dir")

SENSITIVITY = ("plain", "sensitive", "released")


@pytest.fixture
def world(app, make_unit, make_user, make_event, make_venue):
    """One event per visibility × sensitivity, led by unit A.

    Users of every role in unit B, plus a focal point of unit A.
    """
    unit_a, unit_b = make_unit("unit-a"), make_unit("unit-b")
    venue = make_venue("Địa điểm bí mật V")
    events = {}
    for visibility, sensitivity in itertools.product(Visibility, SENSITIVITY):
        tag = f"{visibility.value}-{sensitivity}"
        events[tag] = make_event(
            title_vi=f"TIEU-DE-{tag}", title_en=f"TITLE-{tag}",
            description_vi=f"MO-TA-{tag}", internal_notes=f"NOI-BO-{tag}",
            visibility=visibility, status=EventStatus.CONFIRMED, lead_unit=unit_a, venue=venue,
            is_sensitive=sensitivity != "plain",
            released_at=utcnow() if sensitivity == "released" else None)
    users = {role.value: make_user(role, unit=unit_b) for role in Role}
    users["focal-own-unit"] = make_user(Role.FOCAL, unit=unit_a)
    return events, users


@pytest.mark.parametrize("detail", list(DetailLevel))
def test_matrix(client, world, make_feed, detail):
    events, users = world
    for who, user in users.items():
        _feed, token = make_feed(user, detail=detail, language="vi")
        body = client.get(f"/feeds/{token}.ics").get_data(as_text=True).replace("\r\n ", "")
        entries = vevents(parse_three(body.encode()))
        for tag, event in events.items():
            uid = f"event-{event.id}@localhost"
            visible = can_view(user, event)
            assert (uid in entries) == visible, (who, tag)
            unreleased = event.is_sensitive and event.released_at is None
            shows_details = visible and not unreleased and detail is not DetailLevel.BUSY_ONLY
            assert (f"TIEU-DE-{tag}" in body) == shows_details, (who, tag, detail)
            assert (f"MO-TA-{tag}" in body) == shows_details, (who, tag, detail)
            # Internal notes: full detail, and only for those who may edit the event.
            internal = shows_details and detail is DetailLevel.FULL and can_edit(user, event)
            assert (f"NOI-BO-{tag}" in body) == internal, (who, tag, detail)
            if visible and not shows_details:
                assert str(entries[uid]["SUMMARY"]) == "Hoạt động đối ngoại"
                assert "LOCATION" not in entries[uid]
        if detail is DetailLevel.BUSY_ONLY or not any(
                can_view(user, e) and not (e.is_sensitive and e.released_at is None)
                for e in events.values()):
            assert "Địa điểm bí mật V" not in body


def test_public_feed_in_matrix(client, world):
    events, _users = world
    body = client.get("/feeds/public.ics").get_data(as_text=True).replace("\r\n ", "")
    entries = vevents(parse_three(body.encode()))
    shown = {tag for tag, e in events.items() if f"event-{e.id}@localhost" in entries}
    assert shown == {"public-plain"}
    assert "NOI-BO" not in body
    assert "sensitive" not in body
    assert "released" not in body


def test_embargo_passing_changes_etag_and_shows_details(client, clock, world, make_feed):
    from datetime import timedelta

    events, users = world
    event = events["internal-sensitive"]
    now = utcnow()
    clock(now)
    event.embargo_until = now + timedelta(hours=1)
    db.session.commit()
    _feed, token = make_feed(users["protocol"])
    first = client.get(f"/feeds/{token}.ics")
    assert "TIEU-DE-internal-sensitive" not in first.get_data(as_text=True)
    clock(now + timedelta(hours=2))
    second = client.get(f"/feeds/{token}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert "TIEU-DE-internal-sensitive" in second.get_data(as_text=True)
    assert tokens.find_usable_feed(token, utcnow()) is not None
