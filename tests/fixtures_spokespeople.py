"""Fixtures for the spokespeople tests: briefings, designations and authorisations.

Registered for every test by ``pytest_plugins`` in conftest.py.
"""
from datetime import UTC, date, datetime, timedelta

import pytest

from app.auth.roles import Role
from app.extensions import db
from app.press.models import Briefing, BriefingStatus
from app.spokespeople import assignments, notes
from app.spokespeople.models import AssignmentRole, Authorisation, SpokespersonDesignation

# 10 Dec 2026, 08:00–09:00 in Hà Nội time.
BRIEFING_START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def make_briefing(app, make_event):
    def _make(event=None, starts_at=BRIEFING_START, hours=1, **fields) -> Briefing:
        event = event or make_event(starts_at=starts_at + timedelta(hours=2))
        briefing = Briefing(event=event, title_vi=fields.pop("title_vi", "Họp báo thông tin sự kiện"),
                            title_en=fields.pop("title_en", "Press briefing"),
                            starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                            status=fields.pop("status", BriefingStatus.SCHEDULED), **fields)
        db.session.add(briefing)
        db.session.commit()
        return briefing

    return _make


@pytest.fixture
def designate(app):
    def _designate(user, unit, since=date(2026, 1, 1), until=None, **fields):
        designation = SpokespersonDesignation(
            user=user, unit=unit, title=fields.pop("title", "Người phát ngôn"),
            phone=fields.pop("phone", "0260 3 862 000"), email=fields.pop("email", user.email),
            since=since, until=until, **fields)
        db.session.add(designation)
        db.session.commit()
        return designation

    return _designate


@pytest.fixture
def authorise(app, make_user):
    def _authorise(user, unit, valid_from, valid_until, issued_by=None):
        issued_by = issued_by or make_user("focal", unit=unit, is_unit_head=True)
        authorisation = Authorisation(
            document_number="12/GUQ-UBND", document_date=valid_from, issued_by=issued_by,
            user=user, unit=unit, valid_from=valid_from, valid_until=valid_until,
            matters="Hội nghị xúc tiến đầu tư")
        db.session.add(authorisation)
        db.session.commit()
        return authorisation

    return _authorise


@pytest.fixture
def note_setting(app, clock, make_unit, make_user, make_event, make_briefing, designate):
    """A briefing of an event led by ``unit``, an assigned spokesperson and an empty note."""
    clock(NOW)
    unit = make_unit("so-ngoai-vu", name_vi="Sở Ngoại vụ")
    speaker = make_user(Role.SPOKESPERSON, name="Phạm Minh Tuấn")
    designate(speaker, unit)
    event = make_event(lead_unit=unit)
    briefing = make_briefing(event=event)
    protocol = make_user(Role.PROTOCOL)
    assignments.assign(protocol, briefing, speaker, unit, AssignmentRole.LEAD)
    note = notes.start_note(speaker, briefing)
    db.session.commit()
    return unit, speaker, briefing, note, protocol
