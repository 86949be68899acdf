"""Benchmark: `reminders send` over 20,000 events with their checklists.

    .venv/bin/python -m bench.reminders [--events 20000] [--reminders 1000]

Set DATABASE_URL to run it on PostgreSQL (the tables are created in that
database and dropped afterwards); the default is a temporary SQLite file.
Measured in one run on this machine and printed with ratios:
- an idle run that finds nothing to do (floor < 1 s), against a full count of
  the checklist table (what the run would cost without its indexes);
- a run that claims and e-mails N reminders to a loopback aiosmtpd server,
  against plain smtplib sending the same number of messages to the same server;
- a repeat run right after it, which must claim and send nothing.
"""
import argparse
import os
import socket
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

IDLE_FLOOR_S = 1.0
ITEMS_PER_EVENT = 5
NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


class CountingHandler:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _populate(n_events: int, n_reminders: int) -> None:
    """Bulk insert: units, one focal point per reminder, events and five items each.

    Only the ``n_reminders`` target items are open and due within a day of NOW;
    every other item due before NOW + 4 days is done, the later ones are open
    (and so outside the reminder window): a realistic table for the query.
    """
    import sqlalchemy as sa

    from app.auth.models import User, UserRole
    from app.auth.roles import Role
    from app.checklists.models import ChecklistItem, ItemStatus, ResponsibleRole
    from app.events.models import Event, EventKind, EventStatus, Visibility
    from app.extensions import db
    from app.units.models import Unit, UnitKind

    db.session.execute(sa.insert(Unit), [
        {"slug": f"unit-{n}", "name_vi": f"Đơn vị {n}", "name_en": f"Unit {n}",
         "kind": UnitKind.DEPARTMENT} for n in range(40)])
    unit_ids = db.session.scalars(sa.select(Unit.id).order_by(Unit.id)).all()
    db.session.execute(sa.insert(User), [
        {"email": f"focal{n}@bench.example", "name": f"Đầu mối {n}", "password_hash": "x",
         "unit_id": unit_ids[n % len(unit_ids)], "locale": "vi" if n % 3 else "en"}
        for n in range(n_reminders)])
    user_ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": u, "role": Role.FOCAL} for u in user_ids])
    kinds = list(EventKind)
    span = timedelta(days=730)
    first = NOW - span / 2
    events = []
    for n in range(n_events):
        starts = first + span * n / n_events
        events.append({"title_vi": f"Sự kiện {n}", "title_en": f"Event {n}", "kind": kinds[n % len(kinds)],
                       "status": EventStatus.CONFIRMED, "visibility": Visibility.INTERNAL,
                       "starts_at": starts, "ends_at": starts + timedelta(hours=2),
                       "lead_unit_id": unit_ids[n % len(unit_ids)]})
    db.session.execute(sa.insert(Event), events)
    event_rows = db.session.execute(sa.select(Event.id, Event.starts_at, Event.lead_unit_id)
                                    .order_by(Event.id)).all()
    items = []
    for event_id, starts, unit_id in event_rows:
        for k in range(ITEMS_PER_EVENT):
            due = starts - timedelta(days=2 * k + 1)
            items.append({"event_id": event_id, "key": f"tpl:{k}", "title_vi": f"Nhiệm vụ {k}",
                          "title_en": f"Task {k}", "role": ResponsibleRole.LEAD_UNIT,
                          "unit_id": unit_id, "due_at": due,
                          "status": ItemStatus.DONE if due < NOW + timedelta(days=4) else ItemStatus.OPEN})
    # The targets: one open item per focal point, due 20 hours after NOW (the 1-day reminder).
    for n, user_id in enumerate(user_ids):
        event_id = event_rows[n % len(event_rows)][0]
        items.append({"event_id": event_id, "key": f"target:{n}", "title_vi": "Cung cấp thông tin",
                      "title_en": "Provide information", "role": ResponsibleRole.LEAD_UNIT,
                      "user_id": user_id, "due_at": NOW + timedelta(hours=20),
                      "status": ItemStatus.OPEN})
    for start in range(0, len(items), 10_000):
        db.session.execute(sa.insert(ChecklistItem), items[start:start + 10_000])
    db.session.commit()


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _reference_smtp(port: int, count: int) -> float:
    """Plain smtplib: the same number of small multipart messages, one connection."""
    import smtplib

    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            message = EmailMessage()
            message["Subject"], message["From"], message["To"] = "ref", "a@x.example", f"r{n}@x.example"
            message.set_content("Còn 1 ngày đến hạn " * 20)
            message.add_alternative("<p>Còn 1 ngày đến hạn</p>" * 20, subtype="html")
            smtp.send_message(message)
    return time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--reminders", type=int, default=1_000)
    args = parser.parse_args(argv)

    import sqlalchemy as sa
    from aiosmtpd.controller import Controller

    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.notifications import sending
    from app.timeutil import freeze

    tmp = tempfile.TemporaryDirectory()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = controller.port
        MAIL_DEFAULT_SENDER = "desk@bench.example"

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        try:
            print(f"database: {db.engine.dialect.name}; populating {args.events:,} events, "
                  f"{args.events * ITEMS_PER_EVENT + args.reminders:,} checklist items ...", flush=True)
            populate_s, _none = _timed(lambda: _populate(args.events, args.reminders))
            print(f"  populated in {populate_s:.1f} s")

            from app.checklists.models import ChecklistItem
            scan_s, _n = _timed(lambda: db.session.scalar(
                sa.select(sa.func.count()).select_from(ChecklistItem)
                .where(ChecklistItem.title_en.like("%x%"))))
            freeze(NOW - timedelta(days=5))
            idle_s, idle = _timed(sending.run)
            freeze(NOW)
            send_s, sent = _timed(sending.run)
            repeat_s, repeat = _timed(sending.run)
            reference_s = _reference_smtp(controller.port, args.reminders)
        finally:
            freeze(None)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
            controller.stop()
            tmp.cleanup()

    assert idle.claimed == idle.sent == 0, idle
    assert sent.claimed == sent.sent == args.reminders, sent
    assert repeat.claimed == repeat.sent == 0, repeat
    rate, reference_rate = sent.sent / send_s, args.reminders / reference_s
    print(f"full scan of the checklist table (reference): {scan_s * 1000:8.1f} ms")
    print(f"idle run, nothing due:                       {idle_s * 1000:8.1f} ms  "
          f"= {idle_s / scan_s:.2f}x the scan  (floor < {IDLE_FLOOR_S:.0f} s: "
          f"{'ok' if idle_s < IDLE_FLOOR_S else 'MISSED'})")
    print(f"run sending {sent.sent:,} reminders:               {send_s:8.2f} s   "
          f"= {rate:,.0f} messages/s")
    print(f"plain smtplib, same count (reference):       {reference_s:8.2f} s   "
          f"= {reference_rate:,.0f} messages/s; the run reaches {rate / reference_rate:.2f}x")
    print(f"repeat run right after, nothing left:        {repeat_s * 1000:8.1f} ms  "
          f"= {repeat_s / scan_s:.2f}x the scan")
    print(f"messages received by the SMTP server: {handler.count:,} "
          f"(expected {args.reminders * 2:,} with the reference)")


if __name__ == "__main__":
    main()
