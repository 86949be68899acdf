"""Demo: a partner province's programme (.ics) imported into an incoming delegation's programme."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import User
from app.events.models import Event, EventKind
from app.extensions import db
from app.imports import ics
from app.imports.models import ImportedProgrammeItem
from app.timeutil import utcnow

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Attapeu Provincial Office//Programme//LO
BEGIN:VEVENT
UID:demo-talks@attapeu.example
DTSTAMP:20260101T000000Z
DTSTART;TZID=Asia/Vientiane:{day}T140000
DTEND;TZID=Asia/Vientiane:{day}T153000
SUMMARY:Hội đàm giữa hai đoàn (theo chương trình của tỉnh Attapeu)
LOCATION:Nhà khách tỉnh
END:VEVENT
BEGIN:VEVENT
UID:demo-dinner@attapeu.example
DTSTAMP:20260101T000000Z
DTSTART;TZID=Asia/Vientiane:{day}T183000
DTEND;TZID=Asia/Vientiane:{day}T200000
SUMMARY:Chiêu đãi đoàn
END:VEVENT
END:VCALENDAR
"""


def load(users: dict[str, User]) -> int:
    """Once: the next incoming delegation gets two items from its partner's calendar."""
    protocol = users.get("protocol@demo.example")
    if protocol is None or db.session.scalar(sa.select(ImportedProgrammeItem.id).limit(1)):
        return 0
    event = db.session.scalar(
        sa.select(Event).where(Event.kind == EventKind.DELEGATION_IN,
                               Event.starts_at > utcnow() + timedelta(days=2))
        .order_by(Event.starts_at).limit(1))
    if event is None:
        return 0
    day = event.starts_at.astimezone(ZoneInfo(event.timezone)).strftime("%Y%m%d")
    entries = ics.parse(CALENDAR.format(day=day).encode(), event.timezone)
    outcome = ics.import_into_programme(protocol, event, entries)
    return len(outcome.created)
