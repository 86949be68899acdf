"""A reschedule carries everything: programme, arrival/departure and briefings move with the event."""
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.events import delegations, history, services
from app.events.clashes import ClashesFound
from app.events.models import ClashOverride, Event, EventChange, ProgrammeItem
from app.events.reschedule import AFTER_START, BEFORE_START, WITHIN, RescheduleNeeded
from app.extensions import db
from app.press.models import Briefing, BriefingKind, BriefingStatus
from tests.fixtures_events import event_data, form_fields
from tests.helpers import log_in, nothing_written

FIVE_DAYS = timedelta(days=5)
VISIT = {"kind": "delegation_in", "country": "LA", "locality": "Attapeu",
         "start_date": date(2026, 12, 10), "end_date": date(2026, 12, 11),
         "start_time": time(8, 0), "end_time": time(17, 0)}
MOVED = {**VISIT, "start_date": date(2026, 12, 15), "end_date": date(2026, 12, 16)}


@pytest.fixture
def protocol(make_user):
    return make_user(Role.PROTOCOL)


@pytest.fixture
def unit(protocol):
    """The protocol officer's own unit leads the visits."""
    return protocol.unit


def _briefing(event, status, hour, title):
    starts = datetime(2026, 12, 9, hour, 0, tzinfo=UTC)
    briefing = Briefing(event=event, title_vi=title, starts_at=starts,
                        ends_at=starts + timedelta(hours=1), status=status)
    db.session.add(briefing)
    return briefing


@pytest.fixture
def visit(protocol, unit):
    """The Attapeu delegation's visit on 10–11 December, with its arrival, programme, briefings."""
    event = services.create_event(protocol, event_data(unit.id, **VISIT))
    services.change_status(protocol, event, "planned", "", event.version)
    delegations.save_delegation(protocol, event, delegations.DelegationData(
        direction="incoming", country="LA", locality="Attapeu", arrival_date=date(2026, 12, 9),
        arrival_time=time(15, 0), departure_date=date(2026, 12, 12), departure_time=time(9, 0)))
    for day, start, activity in ((10, 8, "Hội đàm"), (11, 9, "Thăm khu kinh tế")):
        delegations.add_programme_item(protocol, event, delegations.ProgrammeData(
            day=date(2026, 12, day), start_time=time(start, 0), end_time=time(start + 1, 0),
            activity_vi=activity))
    _briefing(event, BriefingStatus.PROPOSED, 2, "Họp báo trước chuyến thăm")
    _briefing(event, BriefingStatus.SCHEDULED, 3, "Họp báo đã lên lịch")
    db.session.commit()
    return event


def _keys(items):
    return {m.key: m.keep for m in items}


def test_preview_lists_everything_that_follows_and_saves_nothing(protocol, unit, visit):
    first, second = visit.programme
    proposed, scheduled = db.session.scalars(sa.select(Briefing).order_by(Briefing.starts_at))
    with nothing_written(), pytest.raises(RescheduleNeeded) as caught:
        services.update_event(protocol, visit, event_data(unit.id, **MOVED), visit.version,
                              keep=None)
    db.session.rollback()
    preview = caught.value.preview
    assert preview.offset == FIVE_DAYS
    assert _keys(preview.items) == {
        f"programme:{first.id}": False, f"programme:{second.id}": False, "arrival": False,
        "departure": False, f"briefing:{proposed.id}": False,
        f"briefing:{scheduled.id}": True}  # a scheduled briefing stays unless told to move
    assert [m.kind for m in preview.items][:2] == ["briefing", "briefing"]  # in time order
    page = services.reschedule_preview(protocol, visit, event_data(unit.id, **MOVED))
    assert _keys(page.items) == _keys(preview.items)


def test_confirmed_move_carries_programme_arrival_and_briefings(protocol, unit, visit):
    first, second = visit.programme
    first_start, second_start = first.starts_at, second.starts_at
    arrival, departure = visit.delegation.arrival_at, visit.delegation.departure_at
    proposed, scheduled = db.session.scalars(sa.select(Briefing).order_by(Briefing.starts_at))
    proposed_start, scheduled_start = proposed.starts_at, scheduled.starts_at
    version = visit.version
    services.update_event(protocol, visit, event_data(unit.id, **MOVED), version,
                          keep={f"programme:{second.id}", f"briefing:{scheduled.id}"})
    db.session.commit()
    db.session.expire_all()
    event = db.session.get(Event, visit.id)
    assert event.starts_at == datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    assert db.session.get(ProgrammeItem, first.id).starts_at == first_start + FIVE_DAYS
    assert db.session.get(ProgrammeItem, second.id).starts_at == second_start  # kept
    assert event.delegation.arrival_at == arrival + FIVE_DAYS
    assert event.delegation.departure_at == departure + FIVE_DAYS
    assert db.session.get(Briefing, proposed.id).starts_at == proposed_start + FIVE_DAYS
    assert db.session.get(Briefing, scheduled.id).starts_at == scheduled_start
    assert event.version == version + 1
    row = db.session.scalars(sa.select(EventChange).where(EventChange.event_id == event.id)
                             .order_by(EventChange.id.desc())).first()
    assert {"starts_at", "programme", "delegation.arrival_at", "delegation.departure_at",
            "briefings"} <= row.changes.keys()
    assert "2026-12-15" in row.changes["programme"][1]
    assert "Hội đàm" in row.changes["programme"][1]


def test_a_kept_proposed_briefing_is_scheduled_where_it_is(protocol, unit, visit):
    proposed = db.session.scalars(sa.select(Briefing).where(
        Briefing.status == BriefingStatus.PROPOSED)).one()
    start = proposed.starts_at
    services.update_event(protocol, visit, event_data(unit.id, **MOVED), visit.version,
                          keep={f"briefing:{proposed.id}"})
    db.session.commit()
    db.session.refresh(proposed)
    assert (proposed.status, proposed.starts_at) == (BriefingStatus.SCHEDULED, start)


def test_an_event_without_followers_saves_at_once(protocol, unit):
    event = services.create_event(protocol, event_data(unit.id))
    db.session.commit()
    changes = services.update_event(protocol, event, event_data(
        unit.id, start_date=date(2026, 12, 14), end_date=date(2026, 12, 14)), 1, keep=None)
    assert "starts_at" in changes


def test_a_stale_confirmation_is_refused_and_nothing_moves(protocol, unit, visit, make_user):
    other = make_user(Role.PROTOCOL, name="Người khác")
    version = visit.version
    services.update_event(other, visit, event_data(unit.id, **VISIT, description_vi="Bổ sung"),
                          version)
    db.session.commit()
    item_start = visit.programme[0].starts_at
    with pytest.raises(history.StaleVersion) as caught:
        services.update_event(protocol, visit, event_data(unit.id, **MOVED), version, keep=set())
    db.session.rollback()
    assert [c.user.name for c in caught.value.changes] == ["Người khác"]
    assert db.session.get(ProgrammeItem, visit.programme[0].id).starts_at == item_start


def test_overrides_that_no_longer_apply_are_dropped_and_clashes_checked_again(
        protocol, unit, make_venue, make_user):
    venue = make_venue()
    host = make_user(Role.SPOKESPERSON, name="Phạm Minh Tuấn")
    services.create_event(protocol, event_data(unit.id, title_vi="Hội nghị A", venue_id=venue.id))
    busy = services.create_event(protocol, event_data(
        unit.id, title_vi="Hội nghị B", host_ids=[host.id], start_date=date(2026, 12, 17),
        end_date=date(2026, 12, 17), start_time=time(9, 0), end_time=time(10, 0)))
    event = services.create_event(protocol, event_data(
        unit.id, title_vi="Hội nghị C", venue_id=venue.id, override_reason="Hai phòng khác nhau"))
    delegations.add_programme_item(protocol, event, delegations.ProgrammeData(
        day=date(2026, 12, 10), start_time=time(9, 0), end_time=time(9, 30),
        activity_vi="Phát biểu", host_ids=[host.id]))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClashOverride)
                             .where(ClashOverride.event_id == event.id)) == 1
    # Moved to the 12th: the venue clash is gone, so is its override; no reason needed.
    services.update_event(protocol, event, event_data(
        unit.id, title_vi="Hội nghị C", venue_id=venue.id, start_date=date(2026, 12, 12),
        end_date=date(2026, 12, 12)), event.version, keep=set())
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClashOverride)
                             .where(ClashOverride.event_id == event.id)) == 0
    # Moved to the 17th: its programme item now clashes with the host's other event.
    with pytest.raises(ClashesFound) as caught:
        services.update_event(protocol, event, event_data(
            unit.id, title_vi="Hội nghị C", venue_id=venue.id, start_date=date(2026, 12, 17),
            end_date=date(2026, 12, 17)), event.version, keep=set())
    db.session.rollback()
    assert [(c.kind, c.other_event_id) for c in caught.value.clashes] == [("host", busy.id)]
    # Keeping the item where it was: no clash.
    item = db.session.scalars(sa.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id)).one()
    services.update_event(protocol, event, event_data(
        unit.id, title_vi="Hội nghị C", venue_id=venue.id, start_date=date(2026, 12, 17),
        end_date=date(2026, 12, 17)), event.version, keep={f"programme:{item.id}"})
    db.session.commit()


# --- pages --------------------------------------------------------------------------------

def _edit_fields(unit, event, **fields):
    values = form_fields(unit.id, **{"title_vi": event.title_vi, "kind": "delegation_in",
                                     "country": "LA", "locality": "Attapeu",
                                     "start_date": "2026-12-15", "end_date": "2026-12-16",
                                     "start_time": "08:00", "end_time": "17:00",
                                     "version": str(event.version)})
    values.pop("form_token")
    values.update(fields)
    return values


def test_the_edit_form_shows_the_preview_then_moves_on_confirmation(client, unit, visit,
                                                                    make_user):
    log_in(client, make_user(Role.PROTOCOL))
    first, second = visit.programme
    arrival = visit.delegation.arrival_at
    with nothing_written():
        page = client.post(f"/events/{visit.id}/edit", data=_edit_fields(unit, visit))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="reschedule-items"' in html
    assert f'value="programme:{first.id}"' in html
    assert 'value="arrival"' in html
    assert "Hội đàm" in html
    assert 'name="reschedule" value="1"' in html
    confirm = _edit_fields(unit, visit, reschedule="1", keep=[f"programme:{second.id}"])
    done = client.post(f"/events/{visit.id}/edit", data=confirm)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, first.id).starts_at.day == 15
    assert db.session.get(ProgrammeItem, second.id).starts_at.day == 11
    assert db.session.get(Event, visit.id).delegation.arrival_at == arrival + FIVE_DAYS
    # The kept item is now outside the event's time: marked on the programme page.
    assert 'data-testid="outside-event"' in client.get(
        f"/events/{visit.id}/programme").get_data(as_text=True)


def test_a_stale_preview_submit_is_a_409_with_the_changes(client, unit, visit, make_user,
                                                          protocol):
    log_in(client, make_user(Role.PROTOCOL))
    confirm = _edit_fields(unit, visit, reschedule="1", locality="Attapeu (mới)")
    services.update_event(protocol, visit, event_data(unit.id, **VISIT, description_vi="Khác"),
                          visit.version)
    db.session.commit()
    with nothing_written():
        page = client.post(f"/events/{visit.id}/edit", data=confirm)
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    assert 'data-testid="stale"' in html
    assert "Attapeu (mới)" in html


def test_a_programme_item_outside_the_event_is_a_warning(client, unit, visit, make_user):
    log_in(client, make_user(Role.PROTOCOL))
    response = client.post(f"/events/{visit.id}/programme", data={
        "day": "2026-12-20", "start_time": "08:00", "end_time": "09:00",
        "activity_vi": "Tham quan", "venue_id": "0"}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "flash-warning" in html
    assert 'data-testid="outside-event"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeItem).where(
        ProgrammeItem.event_id == visit.id)) == 3


def test_others_get_no_preview(client, unit, visit, make_user):
    log_in(client, make_user(Role.VIEWER))
    with nothing_written():
        response = client.post(f"/events/{visit.id}/edit", data=_edit_fields(unit, visit))
    assert response.status_code in (403, 404)


def test_clashes_at_the_new_time_are_confirmed_on_the_preview(client, unit, visit, make_user,
                                                             make_venue, protocol):
    venue = make_venue()
    services.create_event(protocol, event_data(unit.id, title_vi="Hội nghị chiếm hội trường",
                                               venue_id=venue.id, start_date=date(2026, 12, 15),
                                               end_date=date(2026, 12, 15)))
    db.session.commit()
    log_in(client, make_user(Role.PROTOCOL))
    confirm = _edit_fields(unit, visit, reschedule="1", venue_id=str(venue.id))
    with nothing_written():
        page = client.post(f"/events/{visit.id}/edit", data=confirm)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="clashes"' in html
    assert 'data-testid="reschedule-items"' in html  # still the preview, choices kept
    done = client.post(f"/events/{visit.id}/edit", data={
        **confirm, "override": "y", "override_reason": "Hai phòng khác nhau"})
    assert done.status_code == 302
    overrides = db.session.scalars(sa.select(ClashOverride).where(
        ClashOverride.event_id == visit.id)).all()
    assert [o.reason for o in overrides] == ["Hai phòng khác nhau"]


# --- what is kept where it was, against the event's new time --------------------------------

EARLIER = {**VISIT, "start_date": date(2026, 12, 8), "end_date": date(2026, 12, 9)}


def _scheduled(event):
    return db.session.scalars(sa.select(Briefing).where(
        Briefing.event_id == event.id, Briefing.status == BriefingStatus.SCHEDULED)).one()


def _preview(protocol, unit, event, moved):
    return services.reschedule_preview(protocol, event, event_data(unit.id, **moved))


def test_kept_briefings_are_flagged_when_the_event_moves_away_from_them(protocol, unit, visit):
    scheduled = _scheduled(visit)  # pre-event, 9 December
    results = _briefing(visit, BriefingStatus.SCHEDULED, 3, "Thông tin kết quả")
    results.kind = BriefingKind.RESULTS
    results.starts_at = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)
    results.ends_at = results.starts_at + timedelta(hours=1)
    db.session.commit()
    # Five days later: the pre-event one is still before the start; the results are not after.
    later = _preview(protocol, unit, visit, MOVED)
    flags = {m.key: later.misplaced(m) for m in later.items}
    assert flags[f"briefing:{scheduled.id}"] == ""
    assert flags[f"briefing:{results.id}"] == AFTER_START
    assert flags[f"programme:{visit.programme[0].id}"] == WITHIN  # as before
    assert flags["arrival"] == ""  # arrival and departure belong anywhere
    # Two days earlier: the pre-event press conference would come after the new start.
    earlier = _preview(protocol, unit, visit, EARLIER)
    flags = {m.key: earlier.misplaced(m) for m in earlier.items}
    assert flags[f"briefing:{scheduled.id}"] == BEFORE_START
    assert flags[f"briefing:{results.id}"] == ""


def test_the_preview_flags_a_kept_briefing_and_the_save_warns(client, unit, visit, make_user):
    scheduled = _scheduled(visit)
    log_in(client, make_user(Role.PROTOCOL))
    earlier = {"start_date": "2026-12-08", "end_date": "2026-12-09"}
    with nothing_written():
        html = client.post(f"/events/{visit.id}/edit",
                           data=_edit_fields(unit, visit, **earlier)).get_data(as_text=True)
    row = html.split(f'data-key="briefing:{scheduled.id}"')[1].split("</tr>")[0]
    assert 'data-testid="misplaced"' in row
    assert "Nếu giữ nguyên, họp báo sẽ diễn ra sau thời điểm bắt đầu mới của sự kiện" in row
    done = client.post(f"/events/{visit.id}/edit", data=_edit_fields(
        unit, visit, **earlier, reschedule="1", keep=[f"briefing:{scheduled.id}"]))
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" in page
    assert "Họp báo đã lên lịch" in page.split("flash-warning")[1].split("</div>")[0]
    # Moved with the event, nothing is flagged on save.
    db.session.expire_all()
    assert db.session.get(Briefing, scheduled.id).starts_at.day == 9


def test_nothing_kept_nothing_warned(client, unit, visit, make_user):
    log_in(client, make_user(Role.PROTOCOL))
    done = client.post(f"/events/{visit.id}/edit", data=_edit_fields(
        unit, visit, start_date="2026-12-08", end_date="2026-12-09", reschedule="1"))
    assert done.status_code == 302
    assert "flash-warning" not in client.get(done.headers["Location"]).get_data(as_text=True)
