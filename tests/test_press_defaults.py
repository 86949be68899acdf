"""Briefings for every event: the kinds' defaults as data, briefings by hand, the "not briefed" rule."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.errors import PermissionDenied, ValidationFailed
from app.events.models import Event, EventKind, EventStatus
from app.extensions import db
from app.press import briefed, defaults
from app.press.briefings import NewBriefingData, create_briefing
from app.press.models import Briefing, BriefingDefault, BriefingKind, BriefingStatus, PressForm
from tests.helpers import count, log_in, nothing_written

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen(clock):
    clock(NOW)


def _new(event, **changes):
    """A form POST for a briefing the day before the event, 09:00–10:00 local."""
    data = {"kind": "pre_event", "press_form": "press_conference",
            "title_vi": "Họp báo: " + event.title_vi, "title_en": "Press conference",
            "starts_at": "2026-12-09T09:00", "ends_at": "2026-12-09T10:00",
            "location": "Sở Ngoại vụ", "visibility": "public"}
    data.update(changes)
    return data


def _token(client, event) -> str:
    page = client.get(f"/events/{event.id}/briefings/new").get_data(as_text=True)
    marker = 'name="form_token" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_every_kind_proposes_briefings_with_a_form_of_decree_09(briefing_defaults):
    rows = defaults.all_defaults()
    assert {r.event_kind for r in rows} == set(EventKind)
    assert defaults.seed_defaults() == 0  # idempotent
    by_kind = {(r.event_kind, r.briefing_kind): r for r in rows}
    assert by_kind[EventKind.DELEGATION_IN, BriefingKind.PRE_EVENT].required
    joint = by_kind[EventKind.DELEGATION_IN, BriefingKind.JOINT_RELEASE]
    assert joint.bilingual
    assert joint.form is PressForm.RELEASE
    assert by_kind[EventKind.SIGNING, BriefingKind.JOINT_RELEASE].bilingual
    assert by_kind[EventKind.SIGNING, BriefingKind.JOINT_AVAILABILITY].form is PressForm.STATEMENT
    assert all(r.legal_basis for r in rows)


def test_an_admins_edit_survives_a_second_seed(briefing_defaults):
    row = db.session.scalar(sa.select(BriefingDefault).where(
        BriefingDefault.event_kind == EventKind.TRAINING))
    row.offset_days = -5
    db.session.commit()
    defaults.seed_defaults()
    db.session.expire_all()
    assert row.offset_days == -5


def test_the_event_page_proposes_a_pre_event_briefing_and_a_joint_release(client, press_setting):
    s = press_setting
    log_in(client, s.protocol)
    client.post("/locale", data={"locale": "en"})
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert 'data-testid="proposal-pre_event"' in page
    assert 'data-testid="proposal-joint_release"' in page
    assert 'data-testid="no-briefing-warning"' in page
    proposal = {p.default.briefing_kind: p for p in defaults.proposals(s.event)}
    # The day before, at the proposed hour (09:00 in Hà Nội).
    assert proposal[BriefingKind.PRE_EVENT].starts_at == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


def test_protocol_creates_a_briefing_by_hand_and_the_warning_clears(client, press_setting):
    s = press_setting
    log_in(client, s.protocol)
    form = client.get(f"/events/{s.event.id}/briefings/new?default=0")
    assert form.status_code == 200
    response = client.post(f"/events/{s.event.id}/briefings/new",
                           data={**_new(s.event), "form_token": _token(client, s.event)})
    assert response.status_code == 302
    briefing = db.session.scalar(sa.select(Briefing).where(Briefing.event_id == s.event.id))
    assert briefing.status is BriefingStatus.SCHEDULED
    assert briefing.kind is BriefingKind.PRE_EVENT
    assert briefing.form is PressForm.PRESS_CONFERENCE
    assert briefing.starts_at == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert 'data-testid="no-briefing-warning"' not in page
    assert 'data-testid="proposal-pre_event"' not in page
    assert 'data-testid="proposal-joint_release"' in page
    assert briefed.is_briefed_before(s.event)


def test_the_same_form_sent_twice_creates_one_briefing(client, press_setting):
    s = press_setting
    log_in(client, s.focal)
    data = {**_new(s.event), "form_token": _token(client, s.event)}
    assert client.post(f"/events/{s.event.id}/briefings/new", data=data).status_code == 302
    assert client.post(f"/events/{s.event.id}/briefings/new", data=data).status_code == 302
    assert count(Briefing) == 1


@pytest.mark.parametrize("who", ["protocol", "admin", "focal", "head"])
def test_protocol_admin_and_the_lead_units_head_or_focal_point_may_create(client, press_setting, who):
    s = press_setting
    log_in(client, getattr(s, who))
    response = client.post(f"/events/{s.event.id}/briefings/new",
                           data={**_new(s.event), "form_token": _token(client, s.event)})
    assert response.status_code == 302
    assert count(Briefing) == 1


@pytest.mark.parametrize("who", ["viewer", "spokesperson", "liaison", "focal_other", "steering"])
def test_everyone_else_is_denied(client, press_setting, who):
    s = press_setting
    user = getattr(s, who)
    log_in(client, user)
    with nothing_written():
        assert client.get(f"/events/{s.event.id}/briefings/new").status_code == 403
        assert client.post(f"/events/{s.event.id}/briefings/new",
                           data=_new(s.event)).status_code == 403
        with pytest.raises(PermissionDenied):
            create_briefing(user, s.event, NewBriefingData(
                BriefingKind.PRE_EVENT, PressForm.PRESS_CONFERENCE, "Họp báo", "",
                s.event.starts_at - timedelta(days=1), s.event.starts_at - timedelta(hours=23)))
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert 'data-testid="new-briefing"' not in page


def test_a_pre_event_briefing_after_its_event_is_refused(client, press_setting):
    s = press_setting
    log_in(client, s.protocol)
    client.post("/locale", data={"locale": "en"})
    token = _token(client, s.event)
    with nothing_written():
        response = client.post(f"/events/{s.event.id}/briefings/new", data={
            **_new(s.event, starts_at="2026-12-10T09:00", ends_at="2026-12-10T10:00"),
            "form_token": token})
        assert response.status_code == 400
        assert "must start before the event" in response.get_data(as_text=True)
        response = client.post(f"/events/{s.event.id}/briefings/new", data={
            **_new(s.event, ends_at="2026-12-09T08:00"), "form_token": token})
        assert response.status_code == 400
        assert "must end after it starts" in response.get_data(as_text=True)
    # A results briefing after the event is fine.
    response = client.post(f"/events/{s.event.id}/briefings/new", data={
        **_new(s.event, kind="results", press_form="release", starts_at="2026-12-11T09:00",
               ends_at="2026-12-11T10:00"), "form_token": token})
    assert response.status_code == 302


def test_a_cancelled_event_gets_no_new_briefing(press_setting):
    s = press_setting
    s.event.status = EventStatus.CANCELLED
    db.session.commit()
    with nothing_written(), pytest.raises(ValidationFailed):
        create_briefing(s.protocol, s.event, NewBriefingData(
            BriefingKind.PRE_EVENT, PressForm.PRESS_CONFERENCE, "Họp báo", "",
            s.event.starts_at - timedelta(days=1), s.event.starts_at - timedelta(hours=23)))


def _lacking_in_sql() -> set[int]:
    return set(db.session.scalars(sa.select(Event.id).where(briefed.lacks_briefing_clause())))


def test_briefed_before_in_python_and_sql_agree(press_setting, make_event):
    s = press_setting
    event = s.event
    training = make_event(kind=EventKind.TRAINING, lead_unit=s.lead)   # no briefing required
    draft = make_event(kind=EventKind.POLITICAL, status=EventStatus.DRAFT)
    assert _lacking_in_sql() == {event.id}
    assert briefed.lacks_briefing(event)
    assert not briefed.lacks_briefing(training)
    assert not briefed.lacks_briefing(draft)

    def add(status, starts_at):
        briefing = Briefing(event=event, title_vi="Họp báo", status=status, starts_at=starts_at,
                            ends_at=starts_at + timedelta(hours=1))
        db.session.add(briefing)
        db.session.commit()
        return briefing

    add(BriefingStatus.PROPOSED, event.starts_at - timedelta(days=1))   # nobody agreed to it
    add(BriefingStatus.CANCELLED, event.starts_at - timedelta(days=1))
    add(BriefingStatus.SCHEDULED, event.starts_at + timedelta(days=1))  # after the event
    assert not briefed.is_briefed_before(event)
    assert _lacking_in_sql() == {event.id}
    held = add(BriefingStatus.HELD, event.starts_at - timedelta(days=2))
    assert briefed.is_briefed_before(event)
    assert not briefed.lacks_briefing(event)
    assert _lacking_in_sql() == set()
    held.status = BriefingStatus.CANCELLED
    db.session.commit()
    assert _lacking_in_sql() == {event.id}
    # A default no longer required: no event of the kind lacks a briefing.
    db.session.execute(sa.update(BriefingDefault).values(required=False))
    db.session.commit()
    assert _lacking_in_sql() == set()
    assert not briefed.lacks_briefing(event)


def test_the_lead_units_tasks_warn_of_the_unbriefed_event(client, press_setting):
    s = press_setting
    log_in(client, s.viewer)
    page = client.get("/tasks").get_data(as_text=True)
    assert 'data-testid="tasks-unbriefed"' in page
    assert s.event.title_vi in page
    client.post("/logout")
    log_in(client, s.focal_other)
    assert 'data-testid="tasks-unbriefed"' not in client.get("/tasks").get_data(as_text=True)


def _default_form(row=None, **changes):
    data = {"event_kind": "training", "briefing_kind": "pre_event", "press_form": "press_conference",
            "offset_days": "-4", "anchor": "start", "required": "y", "active": "y",
            "legal_basis": "Quyết định của UBND tỉnh", "legal_verified": ""}
    data.update(changes)
    return data


def test_an_admin_edits_the_defaults_and_others_may_not(client, press_setting):
    s = press_setting
    row = db.session.scalar(sa.select(BriefingDefault).where(
        BriefingDefault.event_kind == EventKind.TRAINING))
    for who in (s.protocol, s.focal, s.steering):
        log_in(client, who)
        with nothing_written():
            assert client.get("/admin/briefing-defaults").status_code == 403
            assert client.post(f"/admin/briefing-defaults/{row.id}/edit",
                               data=_default_form(briefing_kind="release_only")).status_code == 403
        client.post("/logout")
    log_in(client, s.admin)
    assert client.get("/admin/briefing-defaults").status_code == 200
    response = client.post(f"/admin/briefing-defaults/{row.id}/edit", data=_default_form(
        briefing_kind="release_only", press_form="portal"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (row.offset_days, row.required, row.legal_basis) == (-4, True, "Quyết định của UBND tỉnh")
    # A second default of the same kinds is refused; a new pair is added once.
    page = client.get("/admin/briefing-defaults/new").get_data(as_text=True)
    marker = 'name="form_token" type="hidden" value="'
    token = page[page.index(marker) + len(marker):][:43]
    with nothing_written():
        response = client.post("/admin/briefing-defaults/new", data={
            **_default_form(briefing_kind="release_only"), "form_token": token})
        assert response.status_code == 400
    before = count(BriefingDefault)
    data = {**_default_form(), "form_token": token}
    assert client.post("/admin/briefing-defaults/new", data=data).status_code == 302
    assert client.post("/admin/briefing-defaults/new", data=data).status_code == 302
    assert count(BriefingDefault) == before + 1
    # Training now requires a pre-event briefing.
    assert EventKind.TRAINING in briefed.required_kinds()
