"""Fixtures for the training tests: a course with two sessions and units with heads and focal points.

Registered for every test by ``pytest_plugins`` in conftest.py.
"""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import User
from app.auth.roles import Role
from app.events.models import EventKind, ProgrammeItem
from app.extensions import db
from app.training.models import TrainingCourse, TrainingQuota
from app.training.topics import active_topics, seed_topics
from app.units.models import Unit

# The course: 10–11 Dec 2026 in Hà Nội time; nominations close on 3 Dec at 17:00 (10:00 UTC).
COURSE_START = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)  # 10 Dec 00:00 local
COURSE_END = COURSE_START + timedelta(days=2)
DEADLINE = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
BEFORE_DEADLINE = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@dataclass
class Setup:
    course: TrainingCourse
    organiser: User  # protocol
    units: dict[str, Unit] = field(default_factory=dict)
    heads: dict[str, User] = field(default_factory=dict)
    focals: dict[str, User] = field(default_factory=dict)
    staff: dict[str, list[User]] = field(default_factory=dict)

    @property
    def sessions(self) -> list[ProgrammeItem]:
        return list(self.course.event.programme)


@pytest.fixture
def make_course(app, make_event, make_unit):
    def _make(*, lead=None, topics=None, capacity=10, deadline=DEADLINE, **event_fields) -> TrainingCourse:
        seed_topics()
        event = make_event(kind=EventKind.TRAINING, title_vi=event_fields.pop("title_vi", "Lớp bồi dưỡng TTĐN"),
                           title_en=event_fields.pop("title_en", "External-information course"),
                           starts_at=event_fields.pop("starts_at", COURSE_START),
                           ends_at=event_fields.pop("ends_at", COURSE_END), all_day=True,
                           lead_unit=lead or make_unit(), **event_fields)
        course = TrainingCourse(event=event, capacity=capacity, target_roles=["focal", "spokesperson"],
                                nomination_deadline=deadline,
                                topics=topics if topics is not None else active_topics()[:3])
        db.session.add(course)
        for day in (0, 1):  # 08:00–11:00 local on each day
            start = COURSE_START + timedelta(days=day, hours=9)
            event.programme.append(ProgrammeItem(starts_at=start, ends_at=start + timedelta(hours=3),
                                                 activity_vi=f"Buổi {day + 1}", place="Phòng 2"))
        db.session.commit()
        return course

    return _make


@pytest.fixture
def training(app, make_course, make_unit, make_user, clock):
    """A course organised by protocol; two units with two seats each, a head, a focal point and staff."""
    clock(BEFORE_DEADLINE)
    organiser_unit = make_unit("so-ngoai-vu")
    # English pages: the tests read the services' messages as written.
    organiser = make_user(Role.PROTOCOL, unit=organiser_unit, email="protocol@example.gov.vn", locale="en")
    course = make_course(lead=organiser_unit)
    setup = Setup(course=course, organiser=organiser)
    for slug in ("so-vhttdl", "huyen-ngoc-hoi"):
        unit = setup.units[slug] = make_unit(slug)
        setup.heads[slug] = make_user(Role.SPOKESPERSON, unit=unit, is_unit_head=True,
                                      email=f"head@{slug}.example", locale="en")
        setup.focals[slug] = make_user(Role.FOCAL, unit=unit, email=f"focal@{slug}.example", locale="en")
        setup.staff[slug] = [make_user(Role.LIAISON, unit=unit, email=f"staff{n}@{slug}.example", locale="en")
                             for n in range(3)]
        course.quotas.append(TrainingQuota(unit=unit, unit_id=unit.id, seats=2))
    db.session.commit()
    return setup
