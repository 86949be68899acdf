"""/api/v1 beyond events: delegations and programmes, checklist items, assignments, briefings, feeds."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.checklists.models import ItemStatus
from app.events.models import EventKind, ProgrammeItem, Visibility
from app.extensions import db
from app.feeds.models import FeedToken
from app.spokespeople import assignments
from app.spokespeople.models import AssignmentRole, AssignmentStatus
from tests.fixtures_api import Api
from tests.fixtures_checklists import provide_item
from tests.fixtures_spokespeople import NOW
from tests.helpers import count, nothing_written


def test_a_script_builds_a_delegation_with_its_programme(api_as, make_unit):
    unit = make_unit("so-ngoai-vu")
    api = api_as(Role.PROTOCOL, unit=unit)
    event = api.send("POST", "/events", json={
        "title_vi": "Đón đoàn tỉnh Champasak", "kind": "delegation_in", "start_date": "2026-12-14",
        "end_date": "2026-12-15", "start_time": "08:00:00", "end_time": "17:00:00",
        "lead_unit_id": unit.id, "country": "LA"}).get_json()
    delegation = api.send("PUT", f"/events/{event['id']}/delegation", json={
        "direction": "incoming", "country": "LA", "locality": "Champasak",
        "logistics": "Xe đón tại cửa khẩu"})
    assert delegation.status_code == 200, delegation.get_json()
    assert delegation.get_json()["logistics"] == "Xe đón tại cửa khẩu"
    member = api.send("POST", f"/events/{event['id']}/delegation/members",
                      json={"name": "Ông Viengthong", "title": "Phó Tỉnh trưởng", "is_head": True})
    assert member.status_code == 201
    for day, start, activity in (("2026-12-14", "08:30:00", "Hội đàm"),
                                 ("2026-12-15", "09:00:00", "Thăm khu kinh tế Dung Quất")):
        added = api.send("POST", f"/events/{event['id']}/programme", json={
            "day": day, "start_time": start, "end_time": "11:00:00", "activity_vi": activity})
        assert added.status_code == 201, added.get_json()
    programme = api.get(f"/events/{event['id']}/programme").get_json()
    assert [(p["day"], p["start_time"], p["activity_vi"]) for p in programme] == [
        ("2026-12-14", "08:30:00", "Hội đàm"), ("2026-12-15", "09:00:00", "Thăm khu kinh tế Dung Quất")]
    assert programme[0]["starts_at"].startswith("2026-12-14T01:30:00")
    removed = api.send("DELETE", f"/events/{event['id']}/programme/{programme[0]['id']}")
    assert removed.status_code == 204
    assert count(ProgrammeItem) == 1
    viewer = api_as(Role.VIEWER, unit=make_unit())
    seen = viewer.get(f"/events/{event['id']}/delegation").get_json()
    assert "logistics" not in seen
    assert seen["members"] == []  # press-safe for a viewer-only account (issue 16)
    liaison = api_as(Role.LIAISON, unit=make_unit())
    assert liaison.get(f"/events/{event['id']}/delegation").get_json()["members"][0]["name"] \
        == "Ông Viengthong"
    with nothing_written():
        refused = viewer.send("POST", f"/events/{event['id']}/programme", json={
            "day": "2026-12-14", "start_time": "13:00:00", "end_time": "14:00:00",
            "activity_vi": "Không được"})
    assert refused.status_code == 403


def test_programme_of_a_confidential_event_is_404_to_outsiders(api_as, make_unit, make_event):
    event = make_event(kind=EventKind.DELEGATION_IN, visibility=Visibility.CONFIDENTIAL)
    outsider = api_as(Role.PROTOCOL, unit=make_unit())
    assert outsider.get(f"/events/{event.id}/programme").status_code == 404
    with nothing_written():
        assert outsider.send("POST", f"/events/{event.id}/programme", json={
            "day": "2026-12-10", "start_time": "13:00:00", "end_time": "14:00:00",
            "activity_vi": "X"}).status_code == 404


def test_checklist_items_submit_accept_and_return(client, setting, make_token):
    item = provide_item(setting, setting.coord_a)
    focal = Api(client, make_token(setting.focal_a))
    listed = focal.get("/checklist-items", query_string={"whose": "unit"}).get_json()["items"]
    assert item.id in [i["id"] for i in listed]
    got = focal.get(f"/checklist-items/{item.id}")
    assert got.get_json()["may_provide"] is True
    etag = got.headers["ETag"]
    assert focal.send("POST", f"/checklist-items/{item.id}/submissions",
                      json={"text": "Số liệu"}).status_code == 428
    submitted = focal.send("POST", f"/checklist-items/{item.id}/submissions",
                           json={"text": "Số liệu xuất khẩu 2026"}, headers={"If-Match": etag})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"
    stale = focal.send("POST", f"/checklist-items/{item.id}/submissions",
                       json={"text": "Lần hai"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.get_json()["current"]["status"] == "submitted"

    other = Api(client, make_token(setting.focal_b))
    with nothing_written():  # another unit's focal point may not review
        assert other.send("POST", f"/checklist-items/{item.id}/accept", json={},
                          headers={"If-Match": submitted.headers["ETag"]}).status_code == 403
    lead = Api(client, make_token(setting.lead_focal))
    assert item.id in [i["id"] for i in
                       lead.get("/checklist-items", query_string={"whose": "review"})
                       .get_json()["items"]]
    no_comment = lead.send("POST", f"/checklist-items/{item.id}/return", json={},
                           headers={"If-Match": submitted.headers["ETag"]})
    assert no_comment.status_code == 422
    returned = lead.send("POST", f"/checklist-items/{item.id}/return",
                         json={"comment": "Thiếu số liệu quý IV"},
                         headers={"If-Match": submitted.headers["ETag"]})
    assert returned.get_json()["status"] == "returned"
    again = focal.send("POST", f"/checklist-items/{item.id}/submissions",
                       json={"text": "Đủ số liệu"}, headers={"If-Match": returned.headers["ETag"]})
    accepted = lead.send("POST", f"/checklist-items/{item.id}/accept", json={"comment": "OK"},
                         headers={"If-Match": again.headers["ETag"]})
    assert accepted.get_json()["status"] == ItemStatus.DONE.value


def test_assignments_accept_and_decline(client, clock, make_unit, make_user, make_briefing,
                                        designate, make_token):
    clock(NOW)
    unit = make_unit("ubnd")
    an, bui = (make_user(Role.SPOKESPERSON, unit=unit, name=n) for n in ("An", "Bùi"))
    for person in (an, bui):
        designate(person, unit)
    briefing = make_briefing()
    briefing.event.lead_unit = unit
    protocol = make_user(Role.PROTOCOL)
    first = assignments.assign(protocol, briefing, an, unit, AssignmentRole.LEAD)
    db.session.commit()
    api = Api(client, make_token(an))
    mine = api.get("/assignments").get_json()["items"]
    assert [a["id"] for a in mine] == [first.id]
    other = Api(client, make_token(bui))
    with nothing_written():
        assert other.send("POST", f"/assignments/{first.id}/accept").status_code == 404
    declined = api.send("POST", f"/assignments/{first.id}/decline", json={"reason": "Đi công tác"})
    assert declined.status_code == 200, declined.get_json()
    assert declined.get_json()["proposed_next_user_id"] == bui.id
    assert first.status is AssignmentStatus.DECLINED
    successor = other.get("/assignments").get_json()["items"][0]
    assert other.send("POST", f"/assignments/{successor['id']}/accept").get_json()["status"] \
        == "accepted"


def test_briefings_follow_the_events_visibility(api_as, make_unit, make_event, make_briefing):
    public = make_briefing()
    secret_event = make_event(visibility=Visibility.CONFIDENTIAL,
                              starts_at=datetime(2026, 12, 11, 1, 0, tzinfo=UTC))
    hidden = make_briefing(event=secret_event)
    api = api_as(Role.VIEWER, unit=make_unit())
    listed = api.get("/briefings", query_string={"from": "2026-12-01"}).get_json()
    assert [b["id"] for b in listed] == [public.id]
    assert api.get(f"/briefings/{hidden.id}").status_code == 404
    assert api.get(f"/briefings/{public.id}").get_json()["title_vi"] == "Họp báo thông tin sự kiện"


def test_feeds_create_rotate_revoke(client, api_as, make_unit):
    api = api_as(Role.VIEWER, unit=make_unit())
    created = api.send("POST", "/feeds", json={"name": "Lịch của tôi", "detail": "busy_only"})
    assert created.status_code == 201, created.get_json()
    feed = created.get_json()
    assert feed["url"].endswith(".ics")
    path = "/feeds/" + feed["url"].rsplit("/feeds/", 1)[1]
    assert client.get(path).status_code == 200
    assert "url" not in api.get("/feeds").get_json()["items"][0]
    rotated = api.send("POST", f"/feeds/{feed['id']}/rotate").get_json()
    assert rotated["url"] != feed["url"]
    assert client.get(path).status_code == 404
    assert api.send("POST", f"/feeds/{feed['id']}/revoke").get_json()["revoked"] is True
    other = api_as(Role.ADMIN, unit=make_unit())
    with nothing_written():
        assert other.send("POST", f"/feeds/{feed['id']}/rotate").status_code == 404
    assert db.session.scalar(sa.select(FeedToken.revoked_at)) is not None


@pytest.mark.parametrize("path", ["/checklist-items", "/assignments", "/briefings", "/feeds"])
def test_reading_needs_a_token(client, path):
    assert client.get("/api/v1" + path).status_code == 401
