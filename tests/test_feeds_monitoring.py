"""Issue 15 item 2: the monitoring clocks in the calendar feeds (a deadline source).

Each open clock of a case (verify, respond/answer, correction follow-up) is an entry of the
lead unit's feeds and of the "mine" feeds of those who owe it, at its due time, with a stable
UID ``case-<id>-<clock>@host``; it leaves when it stops, is cancelled with "no action needed",
and a sensitive case never reaches a feed its owner could not open, a press-safe one or the
public feed. Every feed is parsed by icalendar, vobject and the strict ``ical`` package.
"""
from datetime import timedelta

import pytest

from app.extensions import db
from app.feeds import build
from app.feeds.models import AlarmPreset, DetailLevel, FeedToken
from app.monitoring import corrections, responses, services
from app.monitoring.models import Origin, ResponseForm
from app.timeutil import utcnow
from tests.fixtures_feeds import parse_three, statements_during
from tests.fixtures_monitoring import MONITORING_NOW
from tests.helpers import log_in

pytestmark = pytest.mark.usefixtures("feed_cache_dir")
HEADLINE = "Thông tin sai về đoàn công tác tại cửa khẩu Bờ Y"


def _get(client, token, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/feeds/{token}.ics", headers=headers)


def _fetch(client, token, component="VEVENT"):
    response = _get(client, token)
    assert response.status_code == 200
    calendar = parse_three(response.data)
    return {str(c["UID"]): c for c in calendar.walk(component)}, response


def _uid(case, clock):
    return f"case-{case.id}-{clock}@localhost"


def test_a_unit_feed_holds_the_open_clocks_at_their_due_times(cast, client, make_case, make_feed):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead, headline=HEADLINE)
    answer = make_case(p["liaison"], lead_unit=lead, origin=Origin.PRESS_REQUEST,
                       headline="Câu hỏi của Báo Tin Nhanh")
    _feed, token = make_feed(p["focal"], for_unit=True, alarms=AlarmPreset.DAY)
    entries, _response = _fetch(client, token)
    verify = entries[_uid(case, "verify")]
    assert verify["DTSTART"].dt == case.verify_due_at == MONITORING_NOW + timedelta(hours=24)
    assert verify["DTEND"].dt - verify["DTSTART"].dt == timedelta(minutes=15)
    assert str(verify["SUMMARY"]) == f"Hạn: Xác minh thông tin — {HEADLINE}"
    assert str(verify["STATUS"]) == "CONFIRMED"
    assert verify["CATEGORIES"].cats == ["Hạn nộp", "Theo dõi báo chí"]
    assert str(verify["URL"]) == f"http://localhost/monitoring/{case.id}"
    description = str(verify["DESCRIPTION"])
    assert "Sở Ngoại vụ" in description
    assert "Sai sự thật" in description
    assert "chưa xác minh" in description  # the 24-hour rule is not verified law
    assert [a["TRIGGER"].dt for a in verify.walk("VALARM")] == [timedelta(days=-1)]
    respond = entries[_uid(case, "respond")]
    assert respond["DTSTART"].dt == case.respond_due_at
    assert str(respond["SUMMARY"]).startswith("Hạn: Phản hồi thông tin — ")
    # A press agency's written question: 30 days (rule 10), verified law.
    thirty = entries[_uid(answer, "respond")]
    assert thirty["DTSTART"].dt == MONITORING_NOW + timedelta(days=30)
    assert str(thirty["SUMMARY"]).startswith("Hạn: Trả lời cơ quan báo chí — ")
    assert "Luật Báo chí 2016, Điều 39" in str(thirty["DESCRIPTION"])
    assert "chưa xác minh" not in str(thirty["DESCRIPTION"])
    assert str(verify["DTSTART"].params.get("TZID")) == "Asia/Ho_Chi_Minh"


def test_mine_feeds_of_those_who_owe_it_and_no_one_else(cast, client, make_case, make_feed):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead)
    owes = {name: make_feed(p[name], mine=True)[1] for name in ("focal", "head", "speaker")}
    others = {name: make_feed(p[name], mine=True)[1] for name in ("outsider", "steering")}
    for name, token in owes.items():
        assert _uid(case, "verify") in _fetch(client, token)[0], name
    for name, token in others.items():
        assert _uid(case, "verify") not in _fetch(client, token)[0], name
    # Deadlines off, a feed narrowed to event kinds, the public feed: no clock.
    _feed, off = make_feed(p["focal"], mine=True, deadlines="off")
    _feed, kinds = make_feed(p["focal"], mine=True, kinds=["cultural"])
    assert not any(u.startswith("case-") for u in _fetch(client, off)[0])
    assert not any(u.startswith("case-") for u in _fetch(client, kinds)[0])
    public = client.get("/feeds/public.ics")
    assert b"case-" not in public.data
    assert b"monitoring" not in public.data


def test_a_sensitive_case_only_in_full_feeds_of_its_circle(cast, client, make_case, make_feed):
    lead, _other, p = cast
    secret = make_case(p["liaison"], lead_unit=lead, sensitive=True, headline="Vụ việc nhạy cảm")
    plain = make_case(p["liaison"], lead_unit=lead, headline="Vụ việc thường")
    _feed, full = make_feed(p["focal"], mine=True)
    _feed, press_safe = make_feed(p["focal"], mine=True, detail=DetailLevel.PRESS_SAFE)
    _feed, busy = make_feed(p["focal"], for_unit=True, detail=DetailLevel.BUSY_ONLY)
    _feed, outsider = make_feed(p["outsider"], mine=True)
    _feed, steering = make_feed(p["steering"], deadlines="on")
    assert _uid(secret, "verify") in _fetch(client, full)[0]
    for token in (press_safe, busy, outsider, steering):
        entries, response = _fetch(client, token)
        assert _uid(secret, "verify") not in entries
        assert "Vụ việc nhạy cảm" not in response.get_data(as_text=True).replace("\r\n ", "")
    # Below full detail a case's clock says "Deadline" and nothing of the case.
    for token in (press_safe, busy):
        entries, response = _fetch(client, token)
        entry = entries[_uid(plain, "verify")]
        assert str(entry["SUMMARY"]) == "Hạn nộp"
        assert str(entry["CLASS"]) == "PRIVATE"
        assert "DESCRIPTION" not in entry
        assert "URL" not in entry
        assert entry["CATEGORIES"].cats == ["Hạn nộp"]
        assert "Vụ việc thường" not in response.get_data(as_text=True).replace("\r\n ", "")


def test_clocks_leave_as_they_stop_and_the_etag_moves(cast, client, clock, make_case, make_feed):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead)
    _feed, token = make_feed(p["focal"], for_unit=True, detail=DetailLevel.FULL)
    entries, response = _fetch(client, token)
    assert {_uid(case, "verify"), _uid(case, "respond")} <= set(entries)
    etag = response.headers["ETag"]
    assert _get(client, token, etag).status_code == 304

    services.record_verification(p["focal"], case, case.version, "Đã xác minh: sai sự thật",
                                 "untrue")
    db.session.commit()
    assert _get(client, token, etag).status_code == 200  # nothing stale
    entries, response = _fetch(client, token)
    assert _uid(case, "verify") not in entries
    assert _uid(case, "respond") in entries
    assert str(entries[_uid(case, "respond")]["STATUS"]) == "CONFIRMED"

    # Drafted, approved, given: the response clock stops.
    version = responses.save_text(p["focal"], case, case.version, ResponseForm.PORTAL_STATEMENT,
                                  "Thông tin trên là sai sự thật.")
    responses.submit(p["focal"], case, case.version, version.number)
    responses.review(p["head"], case, case.version, version.number, approved=True)
    responses.record_response(p["focal"], case, case.version, p["head"].id, utcnow())
    db.session.commit()
    entries, response = _fetch(client, token)
    assert not any(u.startswith(f"case-{case.id}-") for u in entries)

    # A correction request starts the follow-up clock; asked again later, the due time moves
    # and SEQUENCE goes up; the closed case leaves the feed at the next fetch.
    corrections.request_correction(p["focal"], case, case.version, "Đoàn bị từ chối",
                                   "Đoàn nhập cảnh bình thường", "Giám đốc Sở Ngoại vụ")
    db.session.commit()
    first = _fetch(client, token)[0][_uid(case, "correction")]
    assert first["DTSTART"].dt == case.correction_follow_up_at
    clock(MONITORING_NOW + timedelta(days=1))
    corrections.request_correction(p["focal"], case, case.version, "Đoàn bị từ chối",
                                   "Đoàn nhập cảnh bình thường", "Giám đốc Sở Ngoại vụ")
    db.session.commit()
    entries, response = _fetch(client, token)
    moved = entries[_uid(case, "correction")]
    assert moved["DTSTART"].dt == first["DTSTART"].dt + timedelta(days=1)
    assert moved["SEQUENCE"] > first["SEQUENCE"]
    etag = response.headers["ETag"]
    services.close(p["focal"], case, case.version, "Báo đã cải chính")
    db.session.commit()
    assert _get(client, token, etag).status_code == 200
    assert _uid(case, "correction") not in _fetch(client, token)[0]


def test_no_action_cancels_the_open_clocks_and_reopening_brings_them_back(
        cast, client, make_case, make_feed):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead)
    _feed, token = make_feed(p["focal"], mine=True)
    before = _fetch(client, token)[0][_uid(case, "respond")]
    services.no_action(p["focal"], case, case.version, "Thông tin chính xác")
    db.session.commit()
    entries, _response = _fetch(client, token)
    for clock in ("verify", "respond"):
        entry = entries[_uid(case, clock)]
        assert str(entry["STATUS"]) == "CANCELLED"
        assert str(entry["SUMMARY"]).startswith("Đã hủy: Hạn: ")
        assert entry["SEQUENCE"] > before["SEQUENCE"]
        assert not list(entry.walk("VALARM"))
    cancelled = entries[_uid(case, "respond")]
    services.reopen(p["focal"], case, case.version, "Có thông tin mới")
    db.session.commit()
    reopened = _fetch(client, token)[0][_uid(case, "respond")]
    assert str(reopened["STATUS"]) == "CONFIRMED"
    assert reopened["SEQUENCE"] > cancelled["SEQUENCE"]


def test_vtodo_variant_in_english(cast, client, make_case, make_feed):
    lead, _other, p = cast
    case = make_case(p["liaison"], lead_unit=lead, headline=HEADLINE)
    _feed, token = make_feed(p["focal"], mine=True, tasks=True, language="en",
                             alarms=AlarmPreset.BOTH)
    tasks, _response = _fetch(client, token, "VTODO")
    assert _uid(case, "verify") not in _fetch(client, token)[0]
    task = tasks[_uid(case, "verify")]
    assert task["DUE"].dt == case.verify_due_at
    assert str(task["STATUS"]) == "NEEDS-ACTION"
    assert str(task["SUMMARY"]) == f"Due: Verify the report — {HEADLINE}"
    assert task["CATEGORIES"].cats == ["Deadline", "Press monitoring"]
    assert len(list(task.walk("VALARM"))) == 2
    services.start_verification(p["focal"], case, case.version)
    db.session.commit()
    tasks, _response = _fetch(client, token, "VTODO")
    assert str(tasks[_uid(case, "verify")]["STATUS"]) == "IN-PROCESS"


def test_atom_and_the_feeds_page_list_new_and_cancelled_clocks(cast, client, make_case,
                                                                 make_feed):
    lead, _other, p = cast
    _feed, token = make_feed(p["focal"], mine=True)
    _get(client, token)  # fetched once: the page lists what changed since
    case = make_case(p["liaison"], lead_unit=lead, headline=HEADLINE)
    services.no_action(p["focal"], case, case.version, "Thông tin chính xác")
    db.session.commit()
    atom = client.get(f"/feeds/{token}.atom").get_data(as_text=True)
    assert f"new_deadline-case-{case.id}-verify@localhost" in atom
    assert f"cancelled-case-{case.id}-respond@localhost" in atom
    assert HEADLINE in atom
    log_in(client, p["focal"])
    page = client.get("/feeds/").get_data(as_text=True)
    assert f"Hạn: Xác minh thông tin — {HEADLINE}" in page
    # An outsider's Atom feed says nothing of the case.
    _feed, outsider = make_feed(p["outsider"], mine=True)
    assert HEADLINE not in client.get(f"/feeds/{outsider}.atom").get_data(as_text=True)


def test_one_query_per_build_however_many_cases(app, cast, make_case, make_feed):
    lead, other, p = cast
    make_case(p["liaison"], lead_unit=lead)
    feed, _token = make_feed(p["speaker"], mine=True)

    def count() -> int:
        spec = build.token_spec(db.session.get(FeedToken, feed.id))
        sent = statements_during(lambda: build.build_feed(spec, utcnow()))
        return len([s for s in sent if "monitoring_cases" in s])

    assert count() == 1
    for n in range(4):
        make_case(p["liaison"], lead_unit=lead if n % 2 else other, sensitive=n == 3)
    assert count() == 1
