"""The press-safe rule holds on pages too (issue 16, item 11).

A viewer-only account (a guest or journalist) sees an internal delegation's event page, its
history, the API and its own "full" calendar feed without the delegation's members,
interpreters, movements, security and logistics: exactly what the press-safe feed shows
(``events.access.sees_full_detail``, one rule for all of them).
"""
from datetime import timedelta

import pytest

from app.auth.roles import Role
from app.events import delegations
from app.events.models import (
    Delegation,
    DelegationDirection,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Visibility,
)
from app.extensions import db
from app.feeds.models import DetailLevel
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("feed_cache_dir")

MEMBER = "Leuth Xaiyaphone"
HIDDEN = (MEMBER, "Phiên dịch viên Bounmy", "Xe biển số 12A", "Cửa khẩu quốc tế Bờ Y",
          "Chủ tịch UBND tỉnh chủ trì")


@pytest.fixture(name="visit")
def visit_fixture(make_event, make_user):
    event = make_event(kind=EventKind.DELEGATION_IN, status=EventStatus.CONFIRMED,
                       visibility=Visibility.INTERNAL, title_vi="Đón Đoàn tỉnh Attapeu")
    event.delegation = Delegation(
        direction=DelegationDirection.INCOMING, country="LA", locality="Attapeu",
        interpreters=HIDDEN[1], logistics=HIDDEN[2], border_gate=HIDDEN[3],
        arrival_at=event.starts_at - timedelta(hours=3))
    event.programme.append(ProgrammeItem(starts_at=event.starts_at, ends_at=event.ends_at,
                                         activity_vi="Hội đàm", hosts_text=HIDDEN[4]))
    db.session.commit()
    delegations.add_member(make_user(Role.PROTOCOL), event, MEMBER, "Tỉnh trưởng", is_head=True)
    db.session.commit()
    return event


def _page(client, user, event) -> str:
    log_in(client, user)
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_viewer_sees_the_event_as_the_press_safe_feed_shows_it(client, make_user, visit):
    html = _page(client, make_user(Role.VIEWER), visit)
    for secret in HIDDEN:
        assert secret not in html  # neither in the delegation, the programme nor the history
    assert "Attapeu" in html
    assert "Hội đàm" in html
    assert 'data-testid="press-safe"' in html


@pytest.mark.parametrize("role", [Role.SPOKESPERSON, Role.LIAISON, Role.STEERING])
def test_working_roles_see_members_interpreters_and_hosts(client, make_user, visit, role):
    html = _page(client, make_user(role), visit)
    for shown in (MEMBER, HIDDEN[1], HIDDEN[3], HIDDEN[4]):
        assert shown in html
    assert HIDDEN[2] not in html  # security and logistics: only for editors
    assert 'data-testid="press-safe"' not in html


def test_a_viewer_with_another_role_reads_full_detail(client, make_user, visit):
    html = _page(client, make_user(roles={Role.VIEWER, Role.FOCAL}), visit)
    assert MEMBER in html


def test_the_viewers_full_feed_is_press_safe_like_the_page(client, make_user, make_feed, visit):
    viewer, liaison = make_user(Role.VIEWER), make_user(Role.LIAISON)
    _feed, token = make_feed(viewer, detail=DetailLevel.FULL)
    body = client.get(f"/feeds/{token}.ics").data.decode("utf-8").replace("\r\n ", "")
    assert "Attapeu" in body
    for secret in HIDDEN:
        assert secret not in body
    _feed, token = make_feed(liaison, detail=DetailLevel.FULL)
    body = client.get(f"/feeds/{token}.ics").data.decode("utf-8").replace("\r\n ", "")
    assert MEMBER in body


def test_the_api_applies_the_same_rule(api_as, visit):
    api = api_as(Role.VIEWER, scope="read")
    delegation = api.get(f"/events/{visit.id}/delegation")
    assert delegation.status_code == 200
    body = delegation.get_data(as_text=True)
    for secret in HIDDEN:
        assert secret not in body
    assert delegation.json["members"] == []
    programme = api.get(f"/events/{visit.id}/programme").get_data(as_text=True)
    assert HIDDEN[4] not in programme
    assert MEMBER in api_as(Role.LIAISON, scope="read").get(
        f"/events/{visit.id}/delegation").get_data(as_text=True)


def test_the_single_event_file_follows_the_rule(client, make_user, visit):
    log_in(client, make_user(Role.VIEWER))
    body = client.get(f"/events/{visit.id}.ics").data.decode("utf-8").replace("\r\n ", "")
    assert "Attapeu" in body
    for secret in HIDDEN:
        assert secret not in body
