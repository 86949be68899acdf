"""Feed HTTP: tokens (create, rotate, revoke, expiry), the public feed, ETag/304, HEAD, gzip."""
import gzip
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from app.auth.roles import Role
from app.events.models import EventKind, EventStatus, Visibility
from app.extensions import db
from app.feeds import services, tokens
from app.feeds.models import DetailLevel, FeedToken
from app.idempotency import issue
from app.press.models import Briefing, BriefingStatus
from app.timeutil import utcnow
from tests.fixtures_feeds import parse_three, vevents
from tests.helpers import nothing_written

pytestmark = pytest.mark.usefixtures("feed_cache_dir")


def _token_in(html: str) -> str:
    return re.search(r'/feeds/([A-Za-z0-9_-]{43})\.ics', html).group(1)


def _path(token: str) -> str:
    return f"/feeds/{token}.ics"


def test_create_feed_shows_token_once_and_stores_only_its_hash(client, login):
    user = login(Role.LIAISON)
    response = client.post("/feeds/new", data={
        "name": "Báo chí", "language": "en", "detail": "press_safe", "alarms": "1h",
        "kinds": ["diplomatic"], "days_back": "30", "days_ahead": "365", "form_token": issue()})
    assert response.status_code == 200
    feed = db.session.scalar(sa.select(FeedToken).where(FeedToken.owner_id == user.id))
    html = response.get_data(as_text=True)
    token = _token_in(html)
    assert len(token) >= 43
    assert feed.token_hash == tokens.hash_token(token)
    assert token not in str(feed.filters)
    assert feed.token_hash != token
    assert "webcal://" in html
    assert "calendar.google.com/calendar/render?cid=webcal" in html
    assert "outlook.office.com/calendar/0/addfromweb?url=" in html
    assert feed.filters["kinds"] == ["diplomatic"]
    assert feed.detail is DetailLevel.PRESS_SAFE
    listing = client.get("/feeds/").get_data(as_text=True)
    assert "Báo chí" in listing
    assert token not in listing


def test_bad_form_input_rerenders(client, login):
    login(Role.VIEWER)
    response = client.post("/feeds/new", data={"name": "", "language": "vi", "detail": "full",
                                               "alarms": "none", "days_back": "9999",
                                               "days_ahead": "10"})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0


def test_nav_has_calendar_feeds_for_every_user(client, login):
    login(Role.VIEWER)
    assert 'href="/feeds/"' in client.get("/").get_data(as_text=True)


def test_token_feed_http_headers_etag_304_head_gzip(client, make_user, make_event, make_feed):
    owner = make_user(Role.PROTOCOL)
    make_event(status=EventStatus.CONFIRMED, title_vi="Hội nghị A")
    feed, token = make_feed(owner)
    response = client.get(_path(token), headers={"User-Agent": "Thunderbird/128"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    etag = response.headers["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert not etag.startswith('W/')
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"].startswith("private")
    assert "Accept-Encoding" in response.headers["Vary"]
    parse_three(response.data)
    db.session.refresh(feed)
    assert feed.last_used_at is not None
    assert feed.last_user_agent == "Thunderbird/128"

    assert client.get(_path(token), headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get(_path(token),
                              headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["ETag"] == etag
    assert client.get(_path(token), headers={"If-None-Match": '"other"'}).status_code == 200

    head = client.head(_path(token))
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == etag

    zipped = client.get(_path(token), headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == response.data


def test_change_gives_new_etag_and_content(client, make_user, make_event, make_feed):
    owner = make_user(Role.PROTOCOL)
    event = make_event(status=EventStatus.CONFIRMED, title_vi="Tiêu đề cũ")
    _feed, token = make_feed(owner)
    first = client.get(_path(token))
    event.title_vi = "Tiêu đề mới"
    event.sequence += 1
    db.session.commit()
    second = client.get(_path(token), headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "Tiêu đề mới" in second.get_data(as_text=True)
    assert "Tiêu đề cũ" not in second.get_data(as_text=True)


def test_cancellation_reaches_feed_with_higher_sequence(client, make_user, make_event, make_feed):
    owner = make_user(Role.PROTOCOL)
    event = make_event(status=EventStatus.CONFIRMED, sequence=2)
    _feed, token = make_feed(owner)
    uid = f"event-{event.id}@localhost"
    before = vevents(parse_three(client.get(_path(token)).data))[uid]
    event.status, event.sequence, event.status_changed_at = EventStatus.CANCELLED, 3, utcnow()
    db.session.commit()
    after = vevents(parse_three(client.get(_path(token)).data))[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_cancelled_event_leaves_feed_after_30_days(client, clock, make_user, make_event, make_feed):
    now = datetime(2026, 11, 20, 3, tzinfo=UTC)
    clock(now)
    owner = make_user(Role.PROTOCOL)
    event = make_event(status=EventStatus.CANCELLED, status_changed_at=now - timedelta(days=29),
                       starts_at=now + timedelta(days=10))
    _feed, token = make_feed(owner)
    assert f"event-{event.id}@" in client.get(_path(token)).get_data(as_text=True)
    clock(now + timedelta(days=2))
    assert f"event-{event.id}@" not in client.get(_path(token)).get_data(as_text=True)


def test_window_limits_the_feed(client, clock, make_user, make_event, make_feed):
    now = datetime(2026, 11, 20, 3, tzinfo=UTC)
    clock(now)
    owner = make_user(Role.PROTOCOL)
    old = make_event(starts_at=now - timedelta(days=90))
    far = make_event(starts_at=now + timedelta(days=800))
    near = make_event(starts_at=now + timedelta(days=5))
    _feed, token = make_feed(owner)
    body = client.get(_path(token)).get_data(as_text=True)
    assert f"event-{near.id}@" in body
    assert f"event-{old.id}@" not in body
    assert f"event-{far.id}@" not in body
    _feed, wide = make_feed(owner, days_back=120, days_ahead=900)
    body = client.get(_path(wide)).get_data(as_text=True)
    assert f"event-{old.id}@" in body
    assert f"event-{far.id}@" in body


def test_unknown_revoked_expired_tokens_get_the_same_404(client, clock, login, make_feed):
    now = datetime(2026, 11, 20, 3, tzinfo=UTC)
    clock(now)
    owner = login(Role.LIAISON)
    revoked, revoked_token = make_feed(owner)
    _expiring, expiring_token = make_feed(owner, expires_at=now + timedelta(days=1))
    assert client.post(f"/feeds/{revoked.id}/revoke").status_code == 302
    clock(now + timedelta(days=2))
    calendar_client = client.application.test_client()  # no session, like a calendar app
    answers = [calendar_client.get(_path(t)) for t in ("x" * 43, revoked_token, expiring_token)]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert len({a.data for a in answers}) == 1
    assert len({tuple(sorted((k, v) for k, v in a.headers if k != "Date")) for a in answers}) == 1


def test_rotate_kills_old_address(client, login, make_feed):
    owner = login(Role.LIAISON)
    feed, old_token = make_feed(owner)
    assert client.get(_path(old_token)).status_code == 200
    response = client.post(f"/feeds/{feed.id}/rotate")
    new_token = _token_in(response.get_data(as_text=True))
    assert new_token != old_token
    assert client.get(_path(old_token)).status_code == 404
    assert client.get(_path(new_token)).status_code == 200


def test_someone_elses_feed_is_not_found(client, login, make_user, make_feed):
    other = make_user(Role.LIAISON)
    feed, _token = make_feed(other)
    digest = feed.token_hash
    login(Role.ADMIN)
    with nothing_written():
        assert client.post(f"/feeds/{feed.id}/revoke").status_code == 404
        assert client.post(f"/feeds/{feed.id}/rotate").status_code == 404
        assert client.post(f"/feeds/{feed.id}/edit", data={"name": "Của tôi"}).status_code == 404
    assert client.get(f"/feeds/{feed.id}/edit").status_code == 404
    db.session.expire_all()
    feed = db.session.get(FeedToken, feed.id)
    assert feed.revoked_at is None
    assert (feed.token_hash, feed.name) == (digest, "Lịch của tôi")


def test_edit_feed_changes_settings(client, login, make_feed):
    owner = login(Role.LIAISON)
    feed, token = make_feed(owner)
    assert client.get(f"/feeds/{feed.id}/edit").status_code == 200
    response = client.post(f"/feeds/{feed.id}/edit", data={
        "name": "Mới", "language": "en", "detail": "busy_only", "alarms": "both",
        "days_back": "10", "days_ahead": "100"})
    assert response.status_code == 302
    db.session.refresh(feed)
    assert (feed.name, feed.detail, feed.days_back) == ("Mới", DetailLevel.BUSY_ONLY, 10)
    assert "X-WR-CALNAME:Mới" in client.get(_path(token)).get_data(as_text=True)


def test_inactive_owner_gets_404(client, make_user, make_feed):
    owner = make_user(Role.PROTOCOL)
    _feed, token = make_feed(owner)
    assert client.get(_path(token)).status_code == 200
    owner.active = False
    db.session.commit()
    assert client.get(_path(token)).status_code == 404


def test_user_who_loses_access_stops_seeing_events_in_existing_feed(
        client, make_user, make_unit, make_event, make_feed):
    unit, other_unit = make_unit(), make_unit()
    owner = make_user(Role.FOCAL, unit=unit)
    secret = make_event(visibility=Visibility.CONFIDENTIAL, lead_unit=unit, title_vi="Mật A")
    _feed, token = make_feed(owner)
    first = client.get(_path(token))
    assert f"event-{secret.id}@" in first.get_data(as_text=True)
    owner.unit = other_unit
    db.session.commit()
    second = client.get(_path(token), headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert f"event-{secret.id}@" not in second.get_data(as_text=True)
    assert "Mật A" not in second.get_data(as_text=True)


def test_steering_role_lost_hides_confidential(client, make_user, make_event, make_feed):
    owner = make_user(Role.STEERING)
    secret = make_event(visibility=Visibility.CONFIDENTIAL)
    _feed, token = make_feed(owner)
    assert f"event-{secret.id}@" in client.get(_path(token)).get_data(as_text=True)
    owner.roles = {Role.VIEWER}
    db.session.commit()
    assert f"event-{secret.id}@" not in client.get(_path(token)).get_data(as_text=True)


def test_filters_kinds_units_mine_and_delegation(client, make_user, make_unit, make_event,
                                                 make_feed):
    unit = make_unit()
    owner = make_user(Role.PROTOCOL, unit=unit)
    diplomatic = make_event(kind=EventKind.DIPLOMATIC)
    cultural = make_event(kind=EventKind.CULTURAL, lead_unit=unit)
    hosted = make_event(kind=EventKind.POLITICAL)
    hosted.hosts = [owner]
    db.session.commit()

    def ids(token):
        return {uid.split("@")[0] for uid in vevents(parse_three(client.get(_path(token)).data))}

    assert ids(make_feed(owner, kinds=["diplomatic"])[1]) == {f"event-{diplomatic.id}"}
    assert ids(make_feed(owner, unit_ids=[unit.id])[1]) == {f"event-{cultural.id}"}
    assert ids(make_feed(owner, mine=True)[1]) == {f"event-{hosted.id}"}
    assert ids(make_feed(owner, delegation_event_id=diplomatic.id)[1]) == {f"event-{diplomatic.id}"}


def test_public_feed_no_login_only_public_released_planned(client, make_event):
    public = make_event(visibility=Visibility.PUBLIC, status=EventStatus.PLANNED)
    make_event(visibility=Visibility.PUBLIC, status=EventStatus.DRAFT, title_vi="Nháp X")
    make_event(visibility=Visibility.INTERNAL, title_vi="Nội bộ X")
    make_event(visibility=Visibility.CONFIDENTIAL, title_vi="Mật X")
    make_event(visibility=Visibility.PUBLIC, is_sensitive=True, released_at=utcnow(),
               title_vi="Nhạy cảm X")
    db.session.add_all([
        Briefing(event=public, title_vi="Họp báo công khai", starts_at=public.starts_at,
                 ends_at=public.ends_at, status=BriefingStatus.SCHEDULED,
                 visibility=Visibility.PUBLIC),
        Briefing(event=public, title_vi="Họp báo nội bộ", starts_at=public.starts_at,
                 ends_at=public.ends_at, status=BriefingStatus.SCHEDULED)])
    db.session.commit()
    response = client.get("/feeds/public.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")
    body = response.get_data(as_text=True)
    parse_three(response.data)
    assert f"event-{public.id}@" in body
    assert "Họp báo công khai" in body
    for hidden in ("Nháp X", "Nội bộ X", "Mật X", "Nhạy cảm X", "Họp báo nội bộ"):
        assert hidden not in body
    assert client.get("/feeds/public.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.head("/feeds/public.ics").status_code == 200


def test_release_route_for_steering_only(client, login, make_user, make_event, make_feed):
    event = make_event(is_sensitive=True, status=EventStatus.CONFIRMED, title_vi="Đàm phán Z")
    owner = make_user(Role.PROTOCOL)
    _feed, token = make_feed(owner)
    assert "Đàm phán Z" not in client.get(_path(token)).get_data(as_text=True)
    login(Role.LIAISON)
    with nothing_written():
        assert client.post(f"/feeds/events/{event.id}/release").status_code == 403
    db.session.refresh(event)
    assert event.released_at is None
    client.post("/logout")
    steering = login(Role.STEERING)
    assert client.post(f"/feeds/events/{event.id}/release").status_code == 302
    db.session.refresh(event)
    assert event.released_at is not None
    assert event.released_by_id == steering.id
    assert "Đàm phán Z" in client.get(_path(token)).get_data(as_text=True)


def test_release_of_invisible_event_is_404(client, login, make_event):
    event = make_event(is_sensitive=True, visibility=Visibility.CONFIDENTIAL)
    login(Role.FOCAL)
    with nothing_written():
        assert client.post(f"/feeds/events/{event.id}/release").status_code == 404
        assert client.post("/feeds/events/999999/release").status_code == 404
    db.session.refresh(event)
    assert event.released_at is None


def test_single_event_download(client, login, make_event):
    visible = make_event(title_vi="Sự kiện tải về")
    hidden = make_event(visibility=Visibility.CONFIDENTIAL)
    assert client.get(f"/events/{visible.id}.ics").status_code == 302  # login first
    login(Role.VIEWER)
    response = client.get(f"/events/{visible.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"event-{visible.id}@localhost" in vevents(parse_three(response.data))
    assert client.get(f"/events/{hidden.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


def test_cli_issues_a_token_url(app, make_user):
    make_user(Role.LIAISON, email="lienlac@example.com")
    result = CliRunner().invoke(app.cli, ["feeds", "token", "lienlac@example.com",
                                          "--scope", "press_safe"], obj=None)
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith("http://localhost/feeds/")
    assert url.endswith(".ics")
    token = url.rsplit("/", 1)[1][:-4]
    feed = tokens.find_usable_feed(token, utcnow())
    assert feed is not None
    assert feed.detail is DetailLevel.PRESS_SAFE
    bad = CliRunner().invoke(app.cli, ["feeds", "token", "nobody@example.com"])
    assert bad.exit_code != 0



@pytest.mark.parametrize(("role", "sees_button"), [(Role.STEERING, True), (Role.LIAISON, False)])
def test_event_panel_offers_download_and_release(app, make_user, make_event, role, sees_button):
    from flask import render_template
    from flask_login import login_user

    event = make_event(is_sensitive=True)
    user = make_user(role)
    with app.test_request_context():
        login_user(user)
        html = render_template("feeds/_event_panel.html", event=event)
    assert f"/events/{event.id}.ics" in html
    assert ('data-testid="release-event"' in html) is sees_button


def test_fast_304_matches_the_full_route(client, make_user, make_event, make_feed):
    owner = make_user(Role.PROTOCOL)
    make_event()
    feed, token = make_feed(owner)
    full = client.get(_path(token), headers={"User-Agent": "Outlook"})
    fast = client.get(_path(token), headers={"If-None-Match": full.headers["ETag"],
                                             "User-Agent": "Google-Calendar-Importer"})
    assert fast.status_code == 304
    assert fast.data == b""
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert fast.headers[header] == full.headers[header]
    assert "Accept-Encoding" in fast.headers["Vary"]
    db.session.refresh(feed)
    assert feed.last_user_agent == "Google-Calendar-Importer"
    services.revoke_feed(owner, feed.id)
    db.session.commit()
    assert client.get(_path(token), headers={"If-None-Match": full.headers["ETag"]}
                      ).status_code == 404


def test_a_replaced_body_stays_for_requests_already_sent_its_path(tmp_path):
    """With X-Accel-Redirect nginx opens the path after the app answered: it must still exist."""
    import os
    import time

    from app.feeds import cache as feed_cache

    store = feed_cache.FeedCache(tmp_path)
    first = store.store_body("feed-1", "a", b"one")
    store.gzipped(first)
    second = store.store_body("feed-1", "b", b"two")
    assert first.exists()  # replaced a moment ago: kept
    assert second.exists()
    # Once the replacement is older than the grace, the next store removes the old body.
    past = time.time() - feed_cache.BODY_GRACE_S - 5
    os.utime(first, (past - 10, past - 10))
    os.utime(second, (past, past))
    third = store.store_body("feed-1", "c", b"three")
    assert not first.exists()
    assert not first.with_name(first.name + ".gz").exists()
    assert second.exists()  # replaced just now
    assert third.exists()
    store.store_body("feed-2", "x", b"other")  # another scope leaves this one alone
    assert third.exists()
