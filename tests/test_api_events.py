"""/api/v1/events with personal tokens: list, get, create, update with If-Match, status."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.api.models import ApiToken
from app.auth.roles import Role
from app.events.models import Event, EventStatus, Visibility
from app.extensions import db
from tests.helpers import count, nothing_written


@pytest.fixture
def unit(make_unit):
    return make_unit("so-ngoai-vu", name_en="Department of Foreign Affairs")


def body(unit_id: int, **fields) -> dict:
    values = {"title_vi": "Tiếp đoàn tỉnh Attapeu", "title_en": "Receiving Attapeu",
              "kind": "delegation_in", "start_date": "2026-12-10", "start_time": "08:00:00",
              "end_date": "2026-12-12", "end_time": "17:00:00", "lead_unit_id": unit_id,
              "country": "LA", "locality": "Attapeu"}
    values.update(fields)
    return values


def test_create_get_update_with_if_match_and_stale_412(api_as, unit):
    api = api_as(Role.PROTOCOL, unit=unit)
    created = api.send("POST", "/events", json=body(unit.id))
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["status"] == "draft"
    assert event["country"] == "LA"
    assert event["start_time"] == "08:00:00"
    assert created.headers["Location"].endswith(f"/api/v1/events/{event['id']}")
    etag = created.headers["ETag"]

    got = api.get(f"/events/{event['id']}")
    assert got.status_code == 200
    assert got.headers["ETag"] == etag

    updated = api.send("PATCH", f"/events/{event['id']}", json={"title_en": "Attapeu visit"},
                       headers={"If-Match": etag})
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json()["title_en"] == "Attapeu visit"
    assert updated.get_json()["title_vi"] == "Tiếp đoàn tỉnh Attapeu"  # the rest stays
    assert updated.headers["ETag"] != etag

    again = api.send("PATCH", f"/events/{event['id']}", json={"title_en": "Old idea"},
                     headers={"If-Match": etag})
    assert again.status_code == 412
    assert again.mimetype == "application/problem+json"
    assert again.get_json()["current"]["title_en"] == "Attapeu visit"
    assert again.headers["ETag"] == updated.headers["ETag"]
    assert db.session.get(Event, event["id"]).title_en == "Attapeu visit"


def test_a_write_without_if_match_is_428(api_as, unit, make_event):
    event = make_event(lead_unit=unit)
    api = api_as(Role.PROTOCOL, unit=unit)
    with nothing_written():
        response = api.send("PATCH", f"/events/{event.id}", json={"title_en": "X"})
    assert response.status_code == 428
    assert response.get_json()["title"] == "If-Match required"


def test_status_change_with_reason(api_as, unit, make_event):
    event = make_event(lead_unit=unit, status=EventStatus.PLANNED)
    api = api_as(Role.PROTOCOL, unit=unit)
    etag = api.get(f"/events/{event.id}").headers["ETag"]
    missing = api.send("POST", f"/events/{event.id}/status", json={"status": "cancelled"},
                       headers={"If-Match": etag})
    assert missing.status_code == 422
    assert missing.get_json()["errors"] == [{"field": "reason",
                                             "message": "Give the reason for postponing or "
                                                        "cancelling."}]
    done = api.send("POST", f"/events/{event.id}/status",
                    json={"status": "cancelled", "reason": "Bão số 9"}, headers={"If-Match": etag})
    assert done.status_code == 200
    assert done.get_json()["status"] == "cancelled"
    assert done.get_json()["status_reason"] == "Bão số 9"


def test_field_errors_in_the_callers_language(api_as, unit):
    api = api_as(Role.PROTOCOL, unit=unit, language="vi")
    response = api.send("POST", "/events", json=body(unit.id, kind="picnic", title_vi="x" * 301,
                                                     start_date="nope"))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["title"] == "Dữ liệu không hợp lệ"
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert fields["title_vi"] == "Tối đa 300 ký tự."
    assert fields["start_date"] == "Không phải ngày hợp lệ."
    assert fields["kind"].startswith("Phải là một trong:")
    english = api_as(Role.PROTOCOL, unit=unit).send(
        "POST", "/events", json=body(unit.id, end_time="07:00:00", end_date="2026-12-10"))
    assert english.get_json()["errors"] == [{"field": "end_time",
                                             "message": "The end must be after the start."}]


def test_clashes_are_409_until_a_reason_is_given(api_as, unit, make_venue):
    venue = make_venue()
    api = api_as(Role.PROTOCOL, unit=unit)
    first = api.send("POST", "/events", json=body(unit.id, venue_id=venue.id, kind="political",
                                                   country=""))
    assert first.status_code == 201
    second = api.send("POST", "/events", json=body(unit.id, venue_id=venue.id, kind="political",
                                                    country=""))
    assert second.status_code == 409
    assert second.get_json()["clashes"]
    third = api.send("POST", "/events", json=body(unit.id, venue_id=venue.id, kind="political",
                                                   country="", override_reason="Hai phòng"))
    assert third.status_code == 201


def test_list_filters_visibility_and_cursor(api_as, unit, make_unit, make_event):
    other = make_unit()
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    for n in range(7):
        make_event(lead_unit=unit, starts_at=start + timedelta(days=n), title_vi=f"Sự kiện {n}")
    secret = make_event(lead_unit=other, starts_at=start, visibility=Visibility.CONFIDENTIAL,
                        title_vi="Mật")
    api = api_as(Role.VIEWER, unit=unit)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"from": "2026-11-01", "limit": 3, **({"cursor": cursor} if cursor else {})}
        response = api.get("/events", query_string=query)
        assert response.status_code == 200
        page = response.get_json()
        seen += [e["title_vi"] for e in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            assert "Link" not in response.headers
            break
        assert 'rel="next"' in response.headers["Link"]
    assert seen == [f"Sự kiện {n}" for n in range(7)]
    assert pages == 3
    assert all("internal_notes" not in e for e in page["items"])
    filtered = api.get("/events", query_string={"from": "2026-12-03", "to": "2026-12-04"})
    assert [e["title_vi"] for e in filtered.get_json()["items"]] == ["Sự kiện 2", "Sự kiện 3"]
    assert api.get(f"/events/{secret.id}").status_code == 404
    insider = api_as(Role.VIEWER, unit=other)
    assert insider.get(f"/events/{secret.id}").status_code == 200
    bad = api.get("/events", query_string={"cursor": "garbage!"})
    assert bad.status_code == 422


@pytest.mark.parametrize(("role", "same_unit", "status"), [
    (Role.VIEWER, True, 403), (Role.SPOKESPERSON, True, 403), (Role.LIAISON, True, 403),
    (Role.FOCAL, False, 403), (Role.STEERING, True, 403),
])
def test_denials_per_role_write_nothing(api_as, unit, make_unit, role, same_unit, status):
    api = api_as(role, unit=unit if same_unit else make_unit())
    with nothing_written():
        assert api.send("POST", "/events", json=body(unit.id)).status_code == status


def test_focal_point_creates_for_own_unit_and_edits_only_its_events(api_as, unit, make_unit,
                                                                    make_event):
    api = api_as(Role.FOCAL, unit=unit)
    assert api.send("POST", "/events", json=body(unit.id)).status_code == 201
    foreign = make_event(lead_unit=make_unit())
    etag = api.get(f"/events/{foreign.id}").headers["ETag"]
    with nothing_written():
        response = api.send("PATCH", f"/events/{foreign.id}", json={"title_en": "Mine now"},
                            headers={"If-Match": etag})
    assert response.status_code == 403


def test_confidential_event_is_404_for_outsiders_even_to_write(api_as, unit, make_unit, make_event):
    event = make_event(lead_unit=make_unit(), visibility=Visibility.CONFIDENTIAL)
    api = api_as(Role.PROTOCOL, unit=unit)
    with nothing_written():
        response = api.send("PATCH", f"/events/{event.id}", json={"title_en": "X"},
                            headers={"If-Match": f'"{event.id}.1"'})
    assert response.status_code == 404


def test_tokens_refused(client, api_as, make_user, make_token, unit, clock):
    assert client.get("/api/v1/events").status_code == 401
    assert client.get("/api/v1/events",
                      headers={"Authorization": "Bearer bd_nope"}).status_code == 401
    user = make_user(Role.PROTOCOL, unit=unit)
    reader = api_as(user, scope="read")
    assert reader.get("/events").status_code == 200
    with nothing_written():
        assert reader.send("POST", "/events", json=body(unit.id)).status_code == 403
    user.active = False
    db.session.commit()
    response = reader.get("/events")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_stop(api_as, make_user, unit, clock):
    user = make_user(Role.VIEWER, unit=unit)
    api = api_as(user, scope="read")
    assert api.get("/events").status_code == 200
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert token.last_used_at is not None
    clock(datetime.now(UTC) + timedelta(days=91))  # the default lifetime is 90 days
    assert api.get("/events").status_code == 401
    clock(None)
    token.revoked_at = token.created_at
    db.session.commit()
    assert api.get("/events").status_code == 401


def test_throttling_answers_429_with_retry_after(api_as, unit, clock):
    from app.settings.services import change

    admin_like = api_as(Role.VIEWER, unit=unit)
    change("api.requests_per_minute", value="3")
    db.session.commit()
    now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    clock(now)
    assert [admin_like.get("/events").status_code for _ in range(3)] == [200, 200, 200]
    refused = admin_like.get("/events")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    clock(now + timedelta(seconds=45))
    assert admin_like.get("/events").headers["Retry-After"] == "15"
    clock(now + timedelta(seconds=61))
    assert admin_like.get("/events").status_code == 200


def test_cookie_sessions_keep_csrf(app, client, login, unit):
    login(Role.PROTOCOL, unit=unit)
    assert client.get("/api/v1/events").status_code == 200
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with nothing_written():
            response = client.post("/api/v1/events", json=body(unit.id))
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/events", "/api/v1/events/{event_id}",
            "/api/v1/events/{event_id}/status"} <= spec["paths"].keys()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1].replace('data-spec-url="/api', "")
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_cli_prints_a_token_once(app, make_user, client):
    user = make_user(Role.FOCAL, email="focal@example.com")
    result = app.test_cli_runner().invoke(args=["api", "token", "focal@example.com", "--scope",
                                                "write", "--name", "portal"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("bd_")
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert (row.user_id, row.name, row.scope.value) == (user.id, "portal", "write")
    assert secret not in (row.token_hash, row.prefix)
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert count(ApiToken) == 1


@pytest.mark.parametrize(("path", "method", "status"), [
    ("/api/v1/events/-1", "GET", 404),  # the int converter refuses it: no API view is reached
    ("/api/v1/events/abc", "GET", 404),
    ("/api/v1/events/99999999999999", "GET", 404),
    ("/api/v1/nope", "GET", 404),
    ("/api/v1/events/-1/status", "POST", 404),
    ("/api/v1/openapi.json", "DELETE", 405),
])
@pytest.mark.parametrize(("language", "title"), [("en", "Not found"), ("vi", "Không tìm thấy")])
def test_urls_no_api_view_sees_are_problems_too(client, make_user, make_token, path, method,
                                                 status, language, title):
    secret = make_token(make_user(Role.PROTOCOL))
    for headers in ({"Authorization": f"Bearer {secret}"}, {}):  # with a token and without
        response = client.open(path, method=method,
                               headers={**headers, "Accept-Language": language,
                                        "Accept": "text/html"})
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == status
        if status == 404:
            assert problem["title"] == title
            assert problem["detail"]
        else:
            assert "GET" in response.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_error_page(client, login):
    login(Role.PROTOCOL)
    response = client.get("/events/-1")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_patch_keeps_the_embargo_it_does_not_mention(api_as, unit, make_event):
    embargo = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)
    event = make_event(lead_unit=unit, is_sensitive=True, embargo_until=embargo)
    api = api_as(Role.PROTOCOL, unit=unit)
    etag = api.get(f"/events/{event.id}").headers["ETag"]
    updated = api.send("PATCH", f"/events/{event.id}", json={"title_en": "Renamed"},
                       headers={"If-Match": etag})
    assert updated.status_code == 200, updated.get_json()
    db.session.expire_all()
    assert db.session.get(Event, event.id).embargo_until == embargo
    assert db.session.get(Event, event.id).is_sensitive
