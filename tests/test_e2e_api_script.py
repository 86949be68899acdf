"""Issue 18's "done when", as a script would do it: real HTTP to the live server (gunicorn).

With a personal token (``issue_token_for``, what ``briefdesk api token`` calls), the script lists next week's events, creates a
delegation event with two programme items, updates it with If-Match (a second update with
the old ETag gets 412), and imports a partner's .ics into its programme.
"""
import json
import urllib.error
import urllib.request
from datetime import date, timedelta

import sqlalchemy as sa

from app.api.tokens import issue_token_for
from app.auth.models import User
from app.events.models import ProgrammeItem
from app.extensions import db
from app.timeutil import utcnow


def _call(base: str, token: str, method: str, path: str, body=None, headers=None):
    request = urllib.request.Request(
        base + "/api/v1" + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en",
                 **({"Content-Type": "application/json"} if body is not None else {}),
                 **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def test_a_script_with_a_token_does_what_the_issue_asks(live_server, live_db):
    _row, token = issue_token_for("protocol@demo.example", "write", "e2e script")
    db.session.commit()
    base = str(live_server)
    today = utcnow().date()
    monday = today + timedelta(days=7 - today.weekday())
    status, _h, week = _call(base, token, "GET", f"/events?from={monday}&to="
                                                 f"{monday + timedelta(days=6)}&limit=200")
    assert status == 200
    assert all(monday.isoformat() <= e["start_date"] <= (monday + timedelta(days=6)).isoformat()
               for e in week["items"])

    day = date.fromordinal(monday.toordinal() + 14)
    unit_id = db.session.scalar(sa.select(User.unit_id).where(
        User.email == "protocol@demo.example"))
    status, headers, event = _call(base, token, "POST", "/events", {
        "title_vi": "Đón Đoàn tỉnh Salavan (kịch bản API)", "kind": "delegation_in",
        "start_date": day.isoformat(), "end_date": day.isoformat(), "start_time": "07:00:00",
        "end_time": "21:00:00", "lead_unit_id": unit_id, "country": "LA",
        "override_reason": "Kịch bản kiểm thử"})
    assert status == 201, event
    etag = headers["ETag"]
    for start, activity in (("08:00:00", "Đón đoàn tại cửa khẩu"), ("15:00:00", "Hội đàm")):
        status, _h, item = _call(base, token, "POST", f"/events/{event['id']}/programme", {
            "day": day.isoformat(), "start_time": start, "end_time": start.replace(":00:00", ":45:00"),
            "activity_vi": activity, "override_reason": "Kịch bản kiểm thử"})
        assert status == 201, item

    status, headers, updated = _call(base, token, "PATCH", f"/events/{event['id']}",
                                     {"title_en": "Salavan delegation"}, {"If-Match": etag})
    assert status == 200, updated
    assert headers["ETag"] != etag
    status, _h, stale = _call(base, token, "PATCH", f"/events/{event['id']}",
                              {"title_en": "An older idea"}, {"If-Match": etag})
    assert status == 412
    assert stale["current"]["title_en"] == "Salavan delegation"

    stamp = day.strftime("%Y%m%d")
    calendar = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Salavan//LO\nBEGIN:VEVENT\n"
                f"UID:dinner@salavan.example\nDTSTAMP:20261201T000000Z\n"
                f"DTSTART;TZID=Asia/Vientiane:{stamp}T183000\n"
                f"DTEND;TZID=Asia/Vientiane:{stamp}T200000\nSUMMARY:Chiêu đãi\nEND:VEVENT\n"
                "END:VCALENDAR\n")
    status, _h, outcome = _call(base, token, "POST", f"/events/{event['id']}/programme/import",
                                {"ics": calendar})
    assert status == 200, outcome
    assert outcome["created"] == ["dinner@salavan.example"]
    status, _h, programme = _call(base, token, "GET", f"/events/{event['id']}/programme")
    assert [p["activity_vi"] for p in programme] == ["Đón đoàn tại cửa khẩu", "Hội đàm",
                                                     "Chiêu đãi"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeItem).where(
        ProgrammeItem.event_id == event["id"])) == 3
