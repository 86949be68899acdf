"""Domain settings: types, the registry, typed reads with one query per context, CLI, seed."""
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.auth.roles import Role
from app.errors import ValidationFailed
from app.extensions import db
from app.inputs import SPAN_DAYS
from app.settings import registry, services, setting, types
from app.settings.models import DomainSetting, SettingChange
from app.settings.registry import Setting
from app.settings.types import InvalidValue, MonthDay


def _definition(value_type, default, **bounds):
    return Setting("test.x", "x", value_type, default, **bounds)


# --- types -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value_type", "text", "expected"), [
    (types.HOURS, " 48 ", 48),
    (types.DAYS, "90", 90),
    (types.WORKING_DAYS, "1", 1),
    (types.PERCENT, "80", 80),
    (types.DAY_LIST, "1, 3;3", (3, 1)),
    (types.TIME_OF_DAY, "7:30", time(7, 30)),
    (types.TIME_OF_DAY, "14h00", time(14, 0)),
    (types.MONTH_DAYS, "15/12, 15/6", (MonthDay(6, 15), MonthDay(12, 15))),
    (types.MONTH_DAYS, "29/02", (MonthDay(2, 29),)),
    (types.TEXT, "  Quảng Ngãi ", "Quảng Ngãi"),
    (types.UNIT_SLUG, "ubnd-tinh", "ubnd-tinh"),
])
def test_values_are_parsed_to_their_type(value_type, text, expected):
    assert _definition(value_type, expected).parse(text) == expected


@pytest.mark.parametrize(("value_type", "text"), [
    (types.HOURS, "24h"), (types.HOURS, ""), (types.HOURS, "-1"), (types.DAYS, "1.5"),
    (types.PERCENT, "101"), (types.DAY_LIST, "3,x"), (types.DAY_LIST, ""),
    (types.TIME_OF_DAY, "24:00"), (types.TIME_OF_DAY, "7.30"),
    (types.MONTH_DAYS, "31/02"), (types.MONTH_DAYS, "15-06"), (types.MONTH_DAYS, ""),
    (types.TEXT, "   "), (types.TEXT, "x" * 501), (types.UNIT_SLUG, "Ủy ban"),
])
def test_bad_values_are_refused_with_a_message(value_type, text):
    with pytest.raises(InvalidValue) as refused:
        _definition(value_type, None).parse(text)
    assert refused.value.message


def test_bounds_apply_to_every_number_of_a_list():
    days = _definition(types.DAY_LIST, (3, 1), minimum=1, maximum=30)
    with pytest.raises(InvalidValue, match="1"):
        days.parse("5,0")
    with pytest.raises(InvalidValue, match="30"):
        days.parse("31")
    assert days.parse("30,1") == (30, 1)


@pytest.mark.parametrize(("value_type", "largest"), [
    (types.DAYS, SPAN_DAYS), (types.WORKING_DAYS, SPAN_DAYS), (types.HOURS, SPAN_DAYS * 24),
    (types.MINUTES, SPAN_DAYS * 24 * 60),
])
def test_a_duration_is_at_most_the_apps_span_of_years(value_type, largest):
    """Longer ones would take a date out of the calendar on every page that uses them."""
    free = _definition(value_type, 1, minimum=1)
    assert free.parse(str(largest)) == largest
    with pytest.raises(InvalidValue) as refused:
        free.parse(str(largest + 1))
    assert refused.value.message == f"Enter a number from 1 to {largest}."
    assert _definition(value_type, 1, minimum=1, maximum=10).upper == 10  # a tighter one holds
    for key, definition in registry.SETTINGS.items():
        if definition.type is value_type:
            assert definition.upper <= largest, key


@pytest.mark.parametrize("key", ["press.notice_lead_hours", "oversight.ppc_briefing_interval_days"])
def test_the_largest_durations_leave_their_pages_working(demo_app, client, login, key):
    from app.press.models import Briefing

    login(Role.ADMIN)
    largest = registry.get(key).upper
    assert client.post(f"/admin/settings/{key}", data={"value": str(largest)}).status_code == 302
    assert setting(key) == largest
    briefing_id = db.session.scalar(sa.select(sa.func.min(Briefing.id)))
    for url in ("/", "/checklists/overview", "/briefings/", f"/briefings/{briefing_id}",
                f"/briefings/{briefing_id}/notice"):
        assert client.get(url).status_code == 200, url


def test_values_are_formatted_canonically():
    assert types.MONTH_DAYS.format((MonthDay(6, 15), MonthDay(12, 1))) == "15/06, 01/12"
    assert types.TIME_OF_DAY.format(time(7, 5)) == "07:05"
    assert types.DAY_LIST.format((3, 1)) == "3,1"
    assert MonthDay(2, 29).in_year(2027) == datetime(2027, 2, 28).date()


# --- registry ----------------------------------------------------------------------------

@pytest.fixture
def scratch_registry(monkeypatch):
    """Declarations made by a test vanish after it."""
    monkeypatch.setattr(registry, "SETTINGS", dict(registry.SETTINGS))
    monkeypatch.setattr(registry, "GROUPS", dict(registry.GROUPS))


def test_declarations_are_checked_at_import_time(scratch_registry):
    registry.group("test", "Test")
    registry.define("test.ok", "ok", types.HOURS, 24)
    with pytest.raises(ValueError, match="twice"):
        registry.define("test.ok", "ok", types.HOURS, 24)
    with pytest.raises(ValueError, match="group"):
        registry.define("nogroup.x", "x", types.HOURS, 24)
    with pytest.raises(ValueError, match="lower case"):
        registry.define("Test.Bad Key", "x", types.HOURS, 24)
    with pytest.raises(InvalidValue):  # a default outside its own bounds
        registry.define("test.negative", "x", types.HOURS, -1)
    with pytest.raises(ValueError, match="survive"):
        registry.define("test.untidy", "x", types.DAY_LIST, (1, 3))  # stored as 3,1


def test_the_examples_of_the_code_are_registered(app):
    assert {"press.notice_lead_hours", "press.proposed_start", "press.proposed_length_minutes",
            "oversight.ppc_briefing_interval_days", "organisation.document_place",
            "organisation.ppc_unit", "organisation.propaganda_unit"} <= set(registry.SETTINGS)
    notice = registry.get("press.notice_lead_hours")
    assert notice.legal_basis == "Luật Báo chí 2016, khoản 3 Điều 41"
    assert notice.verified


# --- typed reads ------------------------------------------------------------------------

def test_a_setting_is_its_default_until_a_row_says_otherwise(app):
    assert setting("press.notice_lead_hours") == 24
    assert setting("press.proposed_start") == time(9, 0)
    services.change("press.notice_lead_hours", value="48")
    services.change("press.proposed_start", value="14:30")
    db.session.commit()
    assert setting("press.notice_lead_hours") == 48
    assert setting("press.proposed_start") == time(14, 30)


def test_a_stored_value_that_no_longer_parses_gives_the_default(app):
    db.session.add(DomainSetting(key="press.notice_lead_hours", value="soon"))
    db.session.commit()
    assert setting("press.notice_lead_hours") == 24
    entry = services.entry_of("press.notice_lead_hours")
    assert entry.row_is_invalid
    assert entry.shown == "24"


def test_an_undeclared_key_is_a_programming_error(app):
    with pytest.raises(LookupError):
        setting("press.no_such_thing")


@pytest.fixture
def statements(app):
    """Statements sent to the database while the fixture's list is being filled."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


def test_one_query_per_context_however_many_settings_are_read(app, statements):
    services.seed()
    db.session.commit()
    with app.app_context():
        statements.clear()
        for _round in range(3):
            for key in registry.SETTINGS:
                setting(key)
        assert len(statements) == 1
        assert "domain_settings" in statements[0]


def test_a_change_is_seen_by_the_next_context_not_a_stale_copy(app):
    with app.app_context():
        assert setting("oversight.ppc_briefing_interval_days") == 90
        with app.app_context():  # another request, maybe another process, changes it
            services.change("oversight.ppc_briefing_interval_days", value="60")
            db.session.commit()
        assert setting("oversight.ppc_briefing_interval_days") == 90  # this request's view
    with app.app_context():
        assert setting("oversight.ppc_briefing_interval_days") == 60


def test_a_page_reading_several_settings_queries_them_once(client, login, make_unit, statements):
    make_unit("ubnd-tinh")
    login("steering")
    statements.clear()
    response = client.get("/checklists/overview")
    assert response.status_code == 200
    assert sum("domain_settings" in s for s in statements) == 1


# --- changing -----------------------------------------------------------------------------

def test_a_change_is_normalised_and_kept_in_the_history(app, make_user):
    admin = make_user("admin")
    services.update(admin, "press.notice_lead_hours", value=" 36 ", legal_basis="Luật Báo chí",
                    verified=False, note="Theo chỉ đạo")
    db.session.commit()
    row = db.session.get(DomainSetting, "press.notice_lead_hours")
    assert (row.value, row.legal_basis, row.verified, row.note) == ("36", "Luật Báo chí", False,
                                                                    "Theo chỉ đạo")
    assert row.updated_by == admin
    changes = {c.field: (c.old, c.new, c.changed_by_id) for c in db.session.scalars(
        sa.select(SettingChange))}
    assert changes == {"value": ("24", "36", admin.id),
                       "legal_basis": ("Luật Báo chí 2016, khoản 3 Điều 41", "Luật Báo chí", admin.id),
                       "verified": ("true", "false", admin.id), "note": ("", "Theo chỉ đạo", admin.id)}
    services.update(admin, "press.notice_lead_hours", value="36", legal_basis="Luật Báo chí",
                    verified=False, note="Theo chỉ đạo")  # nothing changed: nothing recorded
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettingChange)) == 4


def test_a_refused_value_writes_nothing(app, make_user):
    admin = make_user("admin")
    with pytest.raises(ValidationFailed) as refused:
        services.update(admin, "press.proposed_length_minutes", value="5", legal_basis="",
                        verified=False, note="")
    assert refused.value.field == "value"
    assert "15" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DomainSetting)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettingChange)) == 0


def test_a_unit_setting_must_name_an_existing_unit(app, make_unit):
    with pytest.raises(ValidationFailed, match="nowhere"):
        services.change("organisation.ppc_unit", value="nowhere")
    make_unit("ubnd-quang-ngai")
    services.change("organisation.ppc_unit", value="ubnd-quang-ngai")
    assert setting("organisation.ppc_unit") == "ubnd-quang-ngai"


def test_only_admins_change_settings_through_the_service(app, make_user):
    from app.errors import PermissionDenied

    for role in ("protocol", "steering", "focal", "viewer"):
        with pytest.raises(PermissionDenied):
            services.update(make_user(role), "press.notice_lead_hours", value="1", legal_basis="",
                            verified=False, note="")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DomainSetting)) == 0


# --- seed and command line ----------------------------------------------------------------

def test_seed_writes_missing_rows_only(app, make_user):
    assert services.seed() == len(registry.SETTINGS)
    services.update(make_user("admin"), "press.notice_lead_hours", value="30", legal_basis="x",
                    verified=False, note="")
    db.session.delete(db.session.get(DomainSetting, "press.proposed_start"))
    db.session.commit()
    assert services.seed() == 1
    db.session.commit()
    row = db.session.get(DomainSetting, "press.notice_lead_hours")
    assert (row.value, row.legal_basis) == ("30", "x")
    assert db.session.get(DomainSetting, "organisation.document_place").value == "Quảng Ngãi"
    assert db.session.get(DomainSetting, "oversight.ppc_briefing_interval_days").verified


def test_the_commands_list_set_and_seed(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["settings", "seed"])
    assert result.exit_code == 0
    assert f"{len(registry.SETTINGS)} settings added" in result.output
    assert "0 settings added" in runner.invoke(args=["settings", "seed"]).output
    result = runner.invoke(args=["settings", "set", "press.notice_lead_hours", "48",
                                 "--basis", "Luật Báo chí 2016, Điều 41", "--unverified"])
    assert result.exit_code == 0, result.output
    assert "press.notice_lead_hours = 48" in result.output
    assert "[unverified]" in result.output
    listing = runner.invoke(args=["settings", "list"]).output
    assert "press.notice_lead_hours = 48" in listing
    assert "organisation.document_place = Quảng Ngãi" in listing
    assert "[verified]" in listing
    change = db.session.scalars(sa.select(SettingChange).where(SettingChange.field == "value")).one()
    assert (change.old, change.new, change.changed_by_id) == ("24", "48", None)


def test_the_set_command_refuses_bad_input_and_writes_nothing(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["settings", "set", "press.notice_lead_hours", "soon"])
    assert result.exit_code != 0
    assert "press.notice_lead_hours" in result.output
    result = runner.invoke(args=["settings", "set", "press.nothing", "1"])
    assert result.exit_code != 0
    assert "press.nothing" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DomainSetting)) == 0


def test_demo_load_seeds_the_settings(app):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    stored = set(db.session.scalars(sa.select(DomainSetting.key)))
    assert stored == set(registry.SETTINGS)


# --- the call sites read the settings -----------------------------------------------------

def test_the_notice_deadline_follows_its_setting(app, make_event):
    from app.press.briefings import notice_deadline
    from app.press.models import Briefing

    event = make_event()
    briefing = Briefing(event=event, title_vi="Họp báo", starts_at=event.starts_at,
                        ends_at=event.ends_at)
    assert notice_deadline(briefing) == event.starts_at - timedelta(hours=24)
    services.change("press.notice_lead_hours", value="48")
    assert notice_deadline(briefing) == event.starts_at - timedelta(hours=48)


def test_the_ppc_briefing_alert_follows_its_interval_and_unit(app, make_unit, make_event):
    from app.checklists.overview import standing_alerts
    from app.press.models import Briefing, BriefingStatus

    now = datetime(2026, 12, 1, tzinfo=UTC)
    held = now - timedelta(days=100)
    ppc = make_unit("ubnd-quang-ngai")  # a new slug after a merger, say
    db.session.add(Briefing(event=make_event(lead_unit=ppc, starts_at=held), title_vi="Họp báo",
                            starts_at=held, ends_at=held + timedelta(hours=1),
                            status=BriefingStatus.HELD))
    db.session.commit()
    services.change("oversight.ppc_briefing_interval_days", value="120")
    assert "ppc_briefing" in {a.code for a in standing_alerts(now)}  # ubnd-tinh held none
    services.change("organisation.ppc_unit", value="ubnd-quang-ngai")
    assert "ppc_briefing" not in {a.code for a in standing_alerts(now)}
    services.change("oversight.ppc_briefing_interval_days", value="90")
    assert "ppc_briefing" in {a.code for a in standing_alerts(now)}


def test_a_proposed_briefing_takes_its_hour_and_length_from_the_settings(app, make_event):
    from app.checklists.seed import seed_templates
    from app.checklists.services import sync_checklist
    from app.press.models import Briefing

    seed_templates()
    services.change("press.proposed_start", value="14:00")
    services.change("press.proposed_length_minutes", value="90")
    event = make_event()  # political, 10 Dec 2026 08:00 in Hà Nội: T-7 days
    sync_checklist(event)
    briefing = db.session.scalar(sa.select(Briefing).where(Briefing.event_id == event.id))
    assert briefing.starts_at == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert briefing.ends_at - briefing.starts_at == timedelta(minutes=90)


def test_the_place_line_of_a_briefing_note_follows_its_setting(client, note_setting):
    import io

    from docx import Document

    from app.spokespeople import notes
    from tests.helpers import log_in

    _unit, speaker, _briefing, note, protocol = note_setting
    notes.save_version(speaker, note, 0, notes.NoteContent(key_messages_vi="Thông điệp."))
    services.change("organisation.document_place", value="Kon Tum")
    db.session.commit()
    log_in(client, speaker)
    document = Document(io.BytesIO(client.get(f"/notes/{note.id}.docx").data))
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "Kon Tum, ngày" in header
    assert "Quảng Ngãi" not in header


def test_the_migration_moves_the_reminder_rules_and_back(make_database):
    from flask_migrate import downgrade, upgrade

    from app import create_app
    from app.config import TestConfig
    from app.notifications.rules import load_rules

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = make_database("fold")

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="106bdd2bc5b7")  # the settings tables, before the fold
        db.session.execute(sa.text(
            "UPDATE reminder_settings SET value = '5,2' WHERE name = 'due_soon_days'"))
        db.session.commit()
        upgrade(revision="493e13ca6ba3")
        assert db.session.get(DomainSetting, "reminders.due_soon_days").value == "5,2"
        assert load_rules().due_soon_days == (5, 2)
        # A write at that revision, in SQL: today's models (e.g. the feeds' change counter,
        # bumped by every settings write) describe tables this old schema does not have.
        db.session.execute(sa.text("UPDATE domain_settings SET value = '08:15' "
                                   "WHERE key = 'reminders.digest_time'"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="106bdd2bc5b7")
        rows = dict(db.session.execute(sa.text("SELECT name, value FROM reminder_settings")).all())
        assert rows["due_soon_days"] == "5,2"
        assert rows["digest_time"] == "08:15"
        assert len(rows) == 7
        assert db.session.scalar(sa.text("SELECT count(*) FROM domain_settings")) == 0
        db.session.remove()
        db.engine.dispose()
