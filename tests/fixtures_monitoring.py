"""Fixtures for the monitoring tests: outlets, cases and the people around a case.

Registered for every test by ``pytest_plugins`` in conftest.py.
"""
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.roles import Role
from app.extensions import db
from app.monitoring import services
from app.monitoring.models import Classification, Origin
from app.press.models import PressOutlet

# 1 Dec 2026, 09:00 in Hà Nội time.
MONITORING_NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def make_outlet(app):
    def _make(name: str = "Báo Điện tử Tin Nhanh", **fields) -> PressOutlet:
        outlet = PressOutlet(name=name, **fields)
        db.session.add(outlet)
        db.session.commit()
        return outlet

    return _make


@pytest.fixture
def make_case(app, make_outlet, make_unit):
    """Factory: a case recorded through the service (``by`` records it; commit included)."""
    outlets: list[PressOutlet] = []

    def _make(by, *, lead_unit=None, units=(), sensitive=False, outlet=None, **fields):
        if outlet is None and "platform" not in fields:
            outlets.append(outlets[0] if outlets else make_outlet())
            outlet = outlets[-1]
        data = services.CaseData(
            headline=fields.pop("headline", "Thông tin sai về đoàn công tác tại cửa khẩu Bờ Y"),
            url=fields.pop("url", "https://tin-nhanh.example/bai-viet/123"),
            published_at=fields.pop("published_at", MONITORING_NOW - timedelta(hours=3)),
            classification=fields.pop("classification", Classification.UNTRUE),
            lead_unit_id=(lead_unit or make_unit()).id, outlet_id=outlet.id if outlet else None,
            unit_ids=[u.id for u in units], is_sensitive=sensitive,
            origin=fields.pop("origin", Origin.MONITORED), **fields)
        case = services.create_case(by, data)
        db.session.commit()
        return case

    return _make


@pytest.fixture
def cast(app, clock, make_unit, make_user, designate):
    """The lead unit (liaison, focal point, head), its spokesperson from another unit, outsiders."""
    clock(MONITORING_NOW)
    lead = make_unit("so-ngoai-vu", name_vi="Sở Ngoại vụ")
    other = make_unit("so-vhttdl", name_vi="Sở VHTTDL")
    p = {
        "liaison": make_user(Role.LIAISON, unit=lead),
        "focal": make_user(Role.FOCAL, unit=lead),
        "head": make_user(Role.FOCAL, unit=lead, is_unit_head=True),
        "speaker": make_user(Role.SPOKESPERSON, unit=other, name="Phạm Minh Tuấn"),
        "outsider": make_user(Role.FOCAL, unit=other),
        "steering": make_user(Role.STEERING, unit=other),
        "viewer": make_user(Role.VIEWER, unit=other),
    }
    designate(p["speaker"], lead)
    return lead, other, p


@pytest.fixture
def case_people(app, clock, make_unit, make_user, designate):
    """(lead, coordinating, other unit, {who: user}): one person of every kind around a case."""
    clock(MONITORING_NOW)
    lead = make_unit("so-ngoai-vu", name_vi="Sở Ngoại vụ")
    other = make_unit("so-vhttdl", name_vi="Sở VHTTDL")
    coordinating = make_unit("bql-kkt", name_vi="Ban quản lý Khu kinh tế")
    p = {
        "liaison": make_user(Role.LIAISON, unit=lead, locale="en"),
        "lead_focal": make_user(Role.FOCAL, unit=lead),
        "lead_head": make_user(Role.VIEWER, unit=lead, is_unit_head=True),
        "coord_focal": make_user(Role.FOCAL, unit=coordinating),
        "other_focal": make_user(Role.FOCAL, unit=other),
        "other_liaison": make_user(Role.LIAISON, unit=other),
        "protocol": make_user(Role.PROTOCOL, unit=other),
        "viewer": make_user(Role.VIEWER, unit=other),
        "spokesperson": make_user(Role.SPOKESPERSON, unit=other),  # designated for the lead unit
        "other_spokesperson": make_user(Role.SPOKESPERSON, unit=other),
        "steering": make_user(Role.STEERING, unit=other),
        "admin": make_user(Role.ADMIN, unit=other),
    }
    designate(p["spokesperson"], lead)
    return lead, coordinating, other, p
