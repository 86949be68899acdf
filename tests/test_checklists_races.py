"""Checklist items are locked optimistically, like events and briefing notes.

A review based on an older page is refused with its input kept, and accept and return
racing for the same submission cannot both succeed.
"""
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.auth.models import User
from app.auth.roles import Role
from app.checklists import work
from app.checklists.models import (
    ChecklistItem,
    ChecklistStep,
    ChecklistSubmission,
    ItemStatus,
    StepAction,
)
from app.checklists.services import sync_checklist
from app.errors import ValidationFailed
from app.events.models import Visibility
from app.extensions import db
from app.notifications.models import Notification
from tests.helpers import count, log_in

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
STALE = "Someone else changed this item after you opened it"


@pytest.fixture
def submitted(app, clock, setting, uploads):
    """The coordinating unit A's item, submitted and waiting for review."""
    clock(NOW)
    sync_checklist(setting.event)
    db.session.commit()
    item = db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == setting.event.id, ChecklistItem.unit_id == setting.coord_a.id,
        ChecklistItem.key.like("%:unit:%")))
    work.submit(setting.focal_a, item, "Số liệu của đơn vị", [], item.version)
    db.session.commit()
    return item


def review_steps(item) -> list[StepAction]:
    return list(db.session.scalars(sa.select(ChecklistStep.action).where(
        ChecklistStep.item_id == item.id, ChecklistStep.action.in_(
            [StepAction.ACCEPTED, StepAction.RETURNED]))))


def test_a_review_from_an_older_page_is_refused_and_keeps_the_comment(client, setting, submitted):
    opened = str(submitted.version)  # both reviewers open the page
    log_in(client, setting.protocol)
    assert client.post(f"/checklists/items/{submitted.id}/accept",
                       data={"version": opened}).status_code == 302
    client.post("/logout")
    log_in(client, setting.lead_focal)
    client.post("/locale", data={"locale": "en"})
    refused = client.post(f"/checklists/items/{submitted.id}/return",
                          data={"version": opened, "comment": "Thiếu số liệu quý III"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert STALE in page
    assert "Thiếu số liệu quý III" in page  # kept in the form
    db.session.expire_all()
    assert submitted.status is ItemStatus.DONE
    assert review_steps(submitted) == [StepAction.ACCEPTED]
    assert count(Notification, Notification.recipient_id == setting.focal_a.id,
                 Notification.kind == "submission_returned") == 0


def test_a_form_without_its_version_is_refused(client, setting, submitted):
    log_in(client, setting.protocol)
    client.post("/locale", data={"locale": "en"})
    refused = client.post(f"/checklists/items/{submitted.id}/accept", data={})
    assert refused.status_code == 400
    assert "missing its version" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert submitted.status is ItemStatus.SUBMITTED


def _read(item_id, user_id):
    """What a review request reads before it writes: the item, its event and submissions."""
    item = db.session.get(ChecklistItem, item_id)
    assert item.event.lead_unit_id
    assert item.submissions
    return item, db.session.get(User, user_id)


def _in_own_session(app, item_id, user_id, action, outcome, label, ready=None):
    """``action`` by ``user`` on the item, in a session of its own (a second request)."""
    with app.app_context(), force_locale("en"):
        try:
            item, user = _read(item_id, user_id)
            version = item.version
            if ready is not None:
                ready.wait()  # both have read the item before either writes
            action(user, item, version)
            db.session.commit()
            outcome[label] = "done"
        except ValidationFailed as exc:
            db.session.rollback()
            outcome[label] = exc.message
        finally:
            db.session.remove()


def _accept(user, item, version):
    work.accept(user, item, "Tốt", version)


def _return(user, item, version):
    work.return_item(user, item, "Thiếu số liệu", version)


def test_accept_and_return_interleaved_only_the_first_counts(app, setting, submitted):
    """Both reviewers read the item, then the first commits.

    The second one's UPDATE finds the version moved (version_id_col) and is refused, on
    SQLite and PostgreSQL alike.
    """
    outcome = {}
    with app.app_context(), force_locale("en"):  # the second reviewer reads the item first...
        item, late = _read(submitted.id, setting.lead_focal.id)
        version = item.version
        _in_own_session(app, submitted.id, setting.protocol.id, _accept, outcome, "accept")
        try:  # ...and writes after the first one committed
            _return(late, item, version)
            db.session.commit()
            outcome["return"] = "done"
        except ValidationFailed as exc:
            db.session.rollback()
            outcome["return"] = exc.message
        finally:
            db.session.remove()
    assert outcome["accept"] == "done"
    assert STALE in outcome["return"]
    db.session.expire_all()
    assert submitted.status is ItemStatus.DONE
    assert review_steps(submitted) == [StepAction.ACCEPTED]
    assert db.session.scalar(sa.select(ChecklistSubmission.status)) is ItemStatus.DONE
    assert count(Notification, Notification.kind.in_(["submission_accepted",
                                                      "submission_returned"])) == 1


def test_accept_and_return_at_the_same_instant_on_postgresql(app, setting, submitted):
    """Two threads, two connections: exactly one review stands, whichever came first.

    The second UPDATE waits for the first transaction and then matches no row.
    """
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time; the interleaved test covers it")
    outcome = {}
    ready = threading.Barrier(2)
    threads = [threading.Thread(target=_in_own_session, args=(
        app, submitted.id, user.id, action, outcome, label, ready))
        for user, action, label in ((setting.protocol, _accept, "accept"),
                                    (setting.lead_focal, _return, "return"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome) == ["accept", "return"]
    winners = [label for label, result in outcome.items() if result == "done"]
    assert len(winners) == 1, outcome
    loser = ({"accept", "return"} - set(winners)).pop()
    assert STALE in outcome[loser]
    db.session.expire_all()
    expected = ItemStatus.DONE if winners == ["accept"] else ItemStatus.RETURNED
    assert submitted.status is expected
    assert review_steps(submitted) == [StepAction.ACCEPTED if winners == ["accept"]
                                       else StepAction.RETURNED]
    assert count(Notification, Notification.kind.in_(["submission_accepted",
                                                      "submission_returned"])) == 1


# --- what moves the version ----------------------------------------------------------------

def test_a_reschedule_keeps_the_version_a_change_of_owner_or_state_moves_it(
        setting, uploads, clock, make_unit, make_user):
    clock(NOW)
    make_user(Role.LIAISON, unit=make_unit("so-vhttdl"))  # liaison items go to that unit
    sync_checklist(setting.event)
    db.session.commit()
    provide = db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == setting.event.id, ChecklistItem.unit_id == setting.coord_a.id,
        ChecklistItem.key.like("%:unit:%")))
    messages = db.session.scalar(sa.select(ChecklistItem).where(
        ChecklistItem.event_id == setting.event.id, ChecklistItem.role == "press_liaison"))
    assert messages.unit_id != setting.lead.id
    versions = (provide.version, messages.version)

    setting.event.starts_at += timedelta(days=2)
    setting.event.ends_at += timedelta(days=2)
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    db.session.expire_all()
    assert (provide.version, messages.version) == versions  # only the due times moved
    # A submission prepared before the reschedule still goes in.
    work.submit(setting.focal_a, provide, "Số liệu", [], versions[0])
    db.session.commit()
    assert provide.version == versions[0] + 1

    setting.event.visibility = Visibility.CONFIDENTIAL  # the liaison item goes to the lead unit
    setting.event.coordinating_units = [setting.coord_b]  # unit A's item is no longer needed
    db.session.flush()
    sync_checklist(setting.event)
    db.session.commit()
    db.session.expire_all()
    assert messages.unit_id == setting.lead.id
    assert messages.version == versions[1] + 1
    assert provide.status is ItemStatus.NOT_NEEDED
    assert provide.version == versions[0] + 2
    with pytest.raises(ValidationFailed):  # a review from the page before the close
        work.accept(setting.protocol, provide, "", versions[0] + 1)
