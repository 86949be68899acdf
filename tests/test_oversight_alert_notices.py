"""Standing alerts through the notifications: once per occurrence, to those concerned only."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.extensions import db
from app.monitoring.models import MonitoringCase, Origin
from app.notifications import inbox, sending
from app.notifications.models import Delivery, DeliveryStatus, Kind, Notification
from app.oversight import notices
from app.oversight.models import AlertOccurrence, RosterNotice
from app.spokespeople.models import SpokespersonDesignation
from tests.fixtures_oversight import OVERSIGHT_NOW
from tests.helpers import log_in

TODAY = OVERSIGHT_NOW.date()


def alert_notices(user) -> list[Notification]:
    return [n for n in inbox.list_notifications(user) if n.kind is Kind.STANDING_ALERT]


def codes(user) -> list[str]:
    return sorted(n.params["code"] for n in alert_notices(user))


def _roster_change(w, make_user):
    speaker = make_user(Role.SPOKESPERSON, unit=w.bad)
    db.session.add(SpokespersonDesignation(unit_id=w.bad.id, user_id=speaker.id, title="Phó Giám đốc",
                                           since=TODAY, created_at=OVERSIGHT_NOW - timedelta(hours=1)))
    db.session.commit()


def test_each_alert_is_sent_once_to_those_concerned(oversight_world, make_user, smtp):
    w = oversight_world
    _roster_change(w, make_user)
    outsider = make_user(Role.FOCAL, unit=w.good)
    viewer = make_user(Role.VIEWER, unit=w.bad)
    ppc_focal = make_user(Role.FOCAL, unit=w.ppc)
    sending.run(OVERSIGHT_NOW + timedelta(days=7))    # 27/11: November's press information is due
    sending.run(OVERSIGHT_NOW + timedelta(days=7, hours=1))   # the next cron run: nothing new
    later = OVERSIGHT_NOW + timedelta(days=12)        # 2/12: the report of 15/12 is near
    sending.run(later)
    sending.run(later + timedelta(hours=1))
    assert codes(w.head) == ["roster_changed"]   # the focal point of the unit whose list changed
    assert codes(w.steering) == codes(w.propaganda_user) == ["monthly_information", "report_date",
                                                              "roster_changed"]
    assert codes(ppc_focal) == ["monthly_information"]
    assert codes(outsider) == codes(viewer) == []
    # Once: one ledger row per person and occurrence, one e-mail each.
    rows = db.session.execute(sa.select(Delivery.recipient_id, Delivery.object_id, sa.func.count())
                              .where(Delivery.kind == Kind.STANDING_ALERT)
                              .group_by(Delivery.recipient_id, Delivery.object_id)).all()
    assert rows
    assert all(n == 1 for _r, _o, n in rows)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlertOccurrence)) == 3
    to_head = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == w.head.email
               and "Danh sách người phát ngôn" in m["Subject"]]
    assert len(to_head) == 1
    # The notice is back when the list changes again after the letter (a new occurrence).
    db.session.add(RosterNotice(unit_id=w.bad.id, notified_at=later + timedelta(hours=2)))
    db.session.add(SpokespersonDesignation(unit_id=w.bad.id, user_id=viewer.id, title="Trưởng phòng",
                                           since=TODAY, created_at=later + timedelta(hours=3)))
    db.session.commit()
    sending.run(later + timedelta(hours=4))
    assert codes(w.head) == ["roster_changed", "roster_changed"]


def test_an_answer_clock_reaches_only_those_who_may_see_the_case(oversight_world, make_case, make_user, clock):
    w = oversight_world
    clock(OVERSIGHT_NOW - timedelta(days=26))
    for sensitive, headline in ((False, "Câu hỏi về đất đai"), (True, "Hồ sơ nhạy cảm")):
        make_case(w.steering, lead_unit=w.bad, origin=Origin.PRESS_REQUEST, sensitive=sensitive,
                  headline=headline, url=f"https://bao.example/{int(sensitive)}",
                  published_at=OVERSIGHT_NOW - timedelta(days=27))
    clock(OVERSIGHT_NOW)
    sending.run(OVERSIGHT_NOW)
    heads = sorted(n.params["headline"] for n in alert_notices(w.steering) if n.params["code"] == "answer_clock")
    assert heads == ["Câu hỏi về đất đai", "Hồ sơ nhạy cảm"]
    # The answering unit's focal point is in the sensitive case's circle; the propaganda
    # commission (which hears of every other alert) is not, and of the other unit nobody.
    assert len([n for n in alert_notices(w.head) if n.params["code"] == "answer_clock"]) == 2
    assert [n.params["headline"] for n in alert_notices(w.propaganda_user) if n.params["code"] == "answer_clock"] \
        == ["Câu hỏi về đất đai"]
    assert alert_notices(make_user(Role.FOCAL, unit=w.good)) == []
    # Not even a row in the ledger: the notice was never created for them.
    secret = db.session.scalar(sa.select(AlertOccurrence.id).join(MonitoringCase, MonitoringCase.id ==
                                                                  AlertOccurrence.case_id)
                               .where(MonitoringCase.is_sensitive.is_(True)))
    for user in (w.propaganda_user,):
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(
            Delivery.recipient_id == user.id, Delivery.object_type == "alert", Delivery.object_id == secret))


def test_someone_no_longer_concerned_is_not_sent_it_nor_shown_it(client, oversight_world, make_user, smtp):
    w = oversight_world
    _roster_change(w, make_user)
    # The notice is claimed (bell + pending e-mail), then the focal point moves to another unit.
    notices.claim(OVERSIGHT_NOW)
    db.session.commit()
    assert codes(w.head) == ["roster_changed"]
    w.head.unit_id = w.good.id
    db.session.commit()
    sending.run(OVERSIGHT_NOW)
    assert alert_notices(w.head) == []
    assert not [m for m in smtp.messages if m["To"].addresses[0].addr_spec == w.head.email
                and "Danh sách người phát ngôn" in m["Subject"]]
    status = db.session.scalar(sa.select(Delivery.status).where(Delivery.recipient_id == w.head.id,
                                                                Delivery.kind == Kind.STANDING_ALERT))
    assert status is DeliveryStatus.WITHDRAWN
    log_in(client, w.head)
    assert "Danh sách người phát ngôn" not in client.get("/notifications").get_data(as_text=True)


def test_a_second_host_claiming_the_same_alerts_adds_nothing(oversight_world, make_user):
    w = oversight_world
    _roster_change(w, make_user)
    first = notices.claim(OVERSIGHT_NOW)
    db.session.commit()
    assert first > 0
    # What another host's run finds at the same moment: the occurrence and the ledger rows exist.
    assert notices.claim(OVERSIGHT_NOW) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlertOccurrence)) == 1


def test_two_hosts_sending_at_once_tell_each_person_once(app, oversight_world, make_user, smtp):
    """``reminders send`` on two hosts at the same moment (PostgreSQL: really concurrent)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers in one file; concurrent runs are a PostgreSQL matter")
    w = oversight_world
    _roster_change(w, make_user)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def host():
        try:
            with app.app_context():   # its own session and connection
                barrier.wait()
                sending.run(OVERSIGHT_NOW)
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=host) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlertOccurrence)) == 1
    assert codes(w.head) == ["roster_changed"]
    assert len([m for m in smtp.messages if m["To"].addresses[0].addr_spec == w.head.email
                and "Danh sách người phát ngôn" in m["Subject"]]) == 1
