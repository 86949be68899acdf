"""Demo events: every kind, delegations with programmes, loaded once by default."""
import sqlalchemy as sa

from app import demo
from app.events.demo import VENUES
from app.events.models import Delegation, Event, EventKind, ProgrammeItem, Venue, Visibility
from app.extensions import db
from app.training.demo import COURSES

TRAINING = len(COURSES)  # the demo's training courses are events too


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_default_demo_events_load_once_with_every_kind(demo_app):
    demo.load()
    db.session.commit()
    assert _count(Event) == 150 + TRAINING
    assert {k for (k,) in db.session.execute(sa.select(Event.kind).distinct())} == set(EventKind)
    assert _count(Delegation) > 0
    assert _count(ProgrammeItem) > 0
    assert _count(Event, Event.visibility == Visibility.CONFIDENTIAL) > 0
    localities = set(db.session.scalars(sa.select(Delegation.locality)))
    assert {"Attapeu", "Salavan", "Champasak", "Ratanakiri", "Stung Treng"} <= localities
    demo.load()
    db.session.commit()
    assert _count(Event) == 150 + TRAINING
    assert _count(Venue) == len(VENUES)


def test_events_option_adds_that_many(app):
    demo.load(n_events=40)
    db.session.commit()
    assert _count(Event) == 40 + TRAINING
    demo.load(n_events=10)  # an explicit number always adds (benchmarks build on it)
    db.session.commit()
    assert _count(Event) == 50 + TRAINING
