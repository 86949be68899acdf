"""Search (issue 16, item 5): folded words, every word must match, only what the user may read.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL: the filtering is SQL on both.
"""
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.auth.models import User
from app.auth.roles import Role
from app.config import TestConfig
from app.events.models import Delegation, DelegationDirection, Event, EventKind, Visibility
from app.events.queries import matches_words
from app.extensions import db
from app.inputs import fold, search_words
from app.main import search
from app.spokespeople import notes
from tests.helpers import log_in

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_fold_ignores_case_accents_and_d_bar():
    assert {fold(w) for w in ("đoàn", "Đoàn", "ĐOÀN", "doan", "Doàn")} == {"doan"}
    assert fold("Bờ Y – Ngọc Hồi") == "bo y ngoc hoi"
    assert fold("Họp báo: 57-KL/TW") == "hop bao 57 kl tw"
    assert search_words("  Đoàn   doan ATTAPEU%_ ") == ["doan", "attapeu"]
    assert search_words("%%% ''") == []


def _demo_user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _attapeu_ids() -> set[int]:
    return set(db.session.scalars(sa.select(Delegation.event_id)
                                  .where(Delegation.locality == "Attapeu")))


def test_doan_attapeu_finds_the_attapeu_delegations(demo_app):
    steering = _demo_user("steering@demo.example")
    attapeu = _attapeu_ids()
    assert attapeu, "the demo has Attapeu delegations"
    found = {}
    for query in ("doan attapeu", "Đoàn Attapeu", "ĐOÀN attapeu", "attapeu đoàn"):
        rows = search.events(steering, search_words(query), size=500).rows
        found[query] = {e.id for e in rows}
    assert len(set(map(frozenset, found.values()))) == 1, "accents, case and order do not matter"
    ids = found["doan attapeu"]
    # Every Attapeu delegation whose title says "Đoàn" (incoming and outgoing), nothing else.
    titled = {i for i in attapeu if "Đoàn" in db.session.get(Event, i).title_vi}
    assert titled
    assert ids == titled
    # Every word must match: "doan salavan" finds no Attapeu event.
    assert not ids & {e.id for e in search.events(steering, ["doan", "salavan"], size=500).rows}


def test_search_page_for_a_viewer(demo_app, client):
    client.post("/login", data={"email": "viewer@demo.example", "password": "demo"})
    page = client.get("/search?q=doan+attapeu")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-testid="search-events"' in text
    assert "Attapeu" in text
    assert 'data-testid="header-search"' in text
    viewer = _demo_user("viewer@demo.example")
    shown = search.events(viewer, ["doan", "attapeu"], size=500).rows
    assert all(e.visibility is not Visibility.CONFIDENTIAL for e in shown)
    # The list's own search box uses the same rule.
    listed = client.get("/events/?q=%C4%90O%C3%80N+attapeu&from=")
    assert listed.status_code == 200
    assert "Attapeu" in listed.get_data(as_text=True)


def test_bad_queries_do_not_fail(demo_app, client):
    client.post("/login", data={"email": "viewer@demo.example", "password": "demo"})
    for query in ("", "%", "_", "'; drop table events; --", "x" * 5000, "\\", "đ" * 300):
        assert client.get("/search", query_string={"q": query}).status_code == 200
    assert client.get("/search?q=doan&in=nope&page=-3").status_code == 200
    assert client.get("/search?q=doan&in=events&page=99999999999").status_code == 200


def test_confidential_event_outside_the_circle_is_never_found(app, client, make_unit, make_user,
                                                             make_event):
    lead, other = make_unit("lead"), make_unit("other")
    secret = make_event(title_vi="Đoàn đại biểu Attapeu (mật)", lead_unit=lead,
                        kind=EventKind.DELEGATION_IN, visibility=Visibility.CONFIDENTIAL)
    secret.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                   locality="Attapeu")
    db.session.commit()
    insider = make_user(Role.FOCAL, unit=lead)
    outsiders = [make_user(Role.FOCAL, unit=other), make_user(Role.PROTOCOL, unit=other),
                 make_user(Role.VIEWER, unit=other), make_user(Role.SPOKESPERSON, unit=other)]
    steering = make_user(Role.STEERING, unit=other)
    words = search_words("doan attapeu")
    for user in (insider, steering):
        assert [e.id for e in search.events(user, words).rows] == [secret.id]
    for user in outsiders:
        assert search.events(user, words).rows == []
        log_in(client, user)
        for url in ("/search?q=doan+attapeu", "/search?q=attapeu&in=events",
                    "/events/?q=attapeu&from="):
            assert "(mật)" not in client.get(url).get_data(as_text=True), (user.roles, url)
        client.post("/logout")
    # By country name too ("lào", "laos"), for those who may see it.
    assert search.events(insider, search_words("Lào")).rows
    assert search.events(insider, search_words("laos attapeu")).rows


def test_search_text_follows_edits(app, make_event):
    event = make_event(title_vi="Hội nghị xúc tiến đầu tư")
    assert event.search_text.startswith("hoi nghi xuc tien dau tu")
    event.title_vi = "Lễ hội văn hóa cồng chiêng"
    db.session.commit()
    admin_words = search_words("cong chieng")
    stored = db.session.scalar(sa.select(Event.search_text).where(Event.id == event.id))
    assert "cong chieng" in stored
    assert "xuc tien" not in stored
    assert [e.id for e in search.events(None, admin_words).rows] == []  # a visitor: internal


def test_notes_only_for_their_readers(app, note_setting, make_user, make_unit, make_briefing):
    from app.spokespeople.notes import NoteContent

    unit, speaker, briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, NoteContent(key_messages_vi="Hợp tác phát triển cửa khẩu Bờ Y"))
    db.session.commit()
    words = search_words("cua khau BO Y")
    readers = [speaker, protocol, make_user(Role.FOCAL, unit=unit), make_user(Role.STEERING)]
    for user in readers:
        assert notes.can_read_briefing_notes(user, briefing)
        assert [n.id for n in search.briefing_notes(user, words).rows] == [note.id]
    others = [make_user(Role.FOCAL, unit=make_unit()), make_user(Role.VIEWER, unit=make_unit()),
              make_user(Role.SPOKESPERSON, unit=make_unit())]
    for user in others:
        assert not notes.can_read_briefing_notes(user, briefing)
        assert search.briefing_notes(user, words).rows == []
    # Briefings: whoever may see the event (internal here: every account, no visitor).
    assert [b.id for b in search.briefings(others[1], search_words("hop bao")).rows] == [briefing.id]
    # Sensitive: protocol no longer reads the note (steering approves), and cannot find it.
    briefing.event.is_sensitive = True
    db.session.commit()
    assert search.briefing_notes(protocol, words).rows == []
    assert search.briefing_notes(readers[3], words).rows


def test_migration_fills_existing_rows(make_database):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = make_database("search-migrate")

    app = create_app(Config)
    with app.app_context():
        upgrade()
        from app.units.models import Unit, UnitKind
        unit = Unit(slug="u", name_vi="Đơn vị", name_en="Unit", kind=UnitKind.DEPARTMENT)
        start = datetime(2026, 12, 10, 1, tzinfo=UTC)
        event = Event(title_vi="Đón Đoàn đại biểu", kind=EventKind.DELEGATION_IN, starts_at=start,
                      ends_at=start, lead_unit=unit)
        event.delegation = Delegation(direction=DelegationDirection.INCOMING, country="LA",
                                      locality="Attapeu")
        db.session.add(event)
        db.session.commit()
        db.session.close()
        downgrade(revision="646d489ea759")
        upgrade()
        texts = db.session.execute(sa.text(
            "SELECT e.search_text, d.search_text FROM events e JOIN delegations d ON d.event_id = e.id"
        )).one()
        db.session.close()
        db.engine.dispose()
    assert texts == ("don doan dai bieu", "la attapeu lao laos")


def test_notes_read_clause_agrees_with_the_python_rule(demo_app):
    """The SQL twin of ``can_read_briefing_notes`` (used by the search) says the same."""
    from app.events.models import Event as EventModel
    from app.press.models import Briefing

    briefings = db.session.scalars(sa.select(Briefing)).all()
    assert briefings
    for user in db.session.scalars(sa.select(User)).all():
        in_sql = set(db.session.scalars(
            sa.select(Briefing.id).join(EventModel, EventModel.id == Briefing.event_id)
            .where(notes.read_clause(user))))
        in_python = {b.id for b in briefings if notes.can_read_briefing_notes(user, b)}
        assert in_sql == in_python, user.email


def _searchable_tables() -> set[str]:
    from app.extensions import Searchable

    return {table.name for table in db.metadata.sorted_tables if "search_text" in table.c
            and any(issubclass(m.class_, Searchable) and m.local_table is table
                    for m in db.Model.registry.mappers)}


def _migrated_app(make_database, label: str):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = make_database(label)

    return create_app(Config)


def _trigram_indexes() -> dict[str, str]:
    return dict(db.session.execute(sa.text(
        "SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE '%search_text_trgm'")).all())


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="trigram indexes are PostgreSQL's")
def test_postgresql_answers_the_search_from_trigram_indexes(make_database):
    """Every searchable table gets a trigram index, and the search's query shape can use them.

    With sequential scans priced out, the plan of the events search (event text or delegation
    text, one word) reads both indexes: the LIKE is on each indexed column itself.
    """
    app = _migrated_app(make_database, "trigram")
    with app.app_context():
        upgrade()
        indexes = _trigram_indexes()
        assert set(indexes) == _searchable_tables()
        assert all("gin (search_text gin_trgm_ops)" in d for d in indexes.values()), indexes
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        query = sa.select(Event.id).where(matches_words(["attapeu"]))
        sql = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")))
        assert "ix_events_search_text_trgm" in plan, plan
        assert "ix_delegations_search_text_trgm" in plan, plan
        db.session.rollback()
        db.session.close()
        db.engine.dispose()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="trigram indexes are PostgreSQL's")
def test_upgrade_goes_on_without_trigram_indexes_when_the_extension_is_refused(make_database,
                                                                                capfd):
    """A database that refuses ``CREATE EXTENSION`` (no right to it) still upgrades to the head.

    The refusal is simulated by asking for an extension that does not exist: the same failed
    statement, rolled back to its SAVEPOINT, then a warning and no index.
    """
    from alembic.script import ScriptDirectory

    app = _migrated_app(make_database, "notrigram")

    def refuse(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("CREATE EXTENSION IF NOT EXISTS pg_trgm"):
            statement = "CREATE EXTENSION IF NOT EXISTS pg_trgm_refused_here"
        return statement, parameters

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", refuse, retval=True)
        try:
            upgrade()  # alembic.ini logs to stderr, which pytest's caplog does not see
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", refuse)
        assert _trigram_indexes() == {}
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == head
        db.session.close()
        db.engine.dispose()
    assert "pg_trgm is not available" in capfd.readouterr().err
