"""The oversight's register of press inquiries moves into monitoring cases (migration 5c1d2e7a9b40)."""
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from app.extensions import db
from app.monitoring.models import CaseStatus, CaseStep, MonitoringCase, Origin, ResponseForm
from tests.test_migrations import _app_on

BEFORE = "20b48c27978c"


def test_inquiries_become_press_request_cases(make_database):
    app = _app_on(make_database("inquiries"))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO units (id, slug, name_vi, name_en, kind, active, deadlines_all_day, "
                                 "created_at) VALUES (7, 'so-x', 'Sở X', 'Dept X', 'department', true, false, "
                                 "'2026-01-01 00:00:00')"))
            conn.execute(sa.text("INSERT INTO users (id, email, name, title, phone, password_hash, unit_id, active, "
                                 "locale, is_unit_head, created_at, session_version) VALUES (3, 'a@x.example', "
                                 "'A', '', '', 'x', 7, true, 'vi', false, '2026-01-01 00:00:00', 1)"))
            conn.execute(sa.text("INSERT INTO domain_settings (key, value, legal_basis, verified, note, updated_at) "
                                 "VALUES ('oversight.answer_days', '20', 'Luật Báo chí 2016, Điều 39', true, '', "
                                 "'2026-01-01 00:00:00')"))
            conn.execute(sa.text(
                "INSERT INTO oversight_press_inquiries (id, kind, agency, subject, received_on, unit_id, "
                "answered_on, answer_reference, recorded_by_id, created_at) VALUES "
                "(1, 'question', 'Báo Quảng Ngãi', 'Cửa khẩu Bờ Y', '2026-11-01', 7, NULL, '', 3, "
                "'2026-11-01 03:00:00'), "
                "(2, 'complaint', 'VTV8', 'Ô nhiễm', '2026-10-01', 7, '2026-10-20', 'CV 12/UBND', NULL, "
                "'2026-10-01 03:00:00')"))
        upgrade()
        assert "oversight_press_inquiries" not in sa.inspect(db.engine).get_table_names()
        found = db.session.scalars(sa.select(MonitoringCase).order_by(MonitoringCase.id)).all()
        assert [(c.platform, c.headline, c.origin, c.status, c.lead_unit_id, c.created_by_id) for c in found] == [
            ("Báo Quảng Ngãi", "Cửa khẩu Bờ Y", Origin.PRESS_REQUEST, CaseStatus.VERIFYING, 7, 3),
            ("VTV8", "Ô nhiễm", Origin.PRESS_REQUEST, CaseStatus.CLOSED, 7, 3)]
        running, answered = found
        # Received 1/11 (midnight in the province), answered within the 20 days set before.
        assert running.created_at == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
        assert running.respond_due_at == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
        assert running.clock() == "respond"
        assert answered.responded_at == answered.closed_at == datetime(2026, 10, 19, 17, 0, tzinfo=UTC)
        assert answered.response_form is ResponseForm.WRITTEN_ANSWER
        assert "CV 12/UBND" in answered.findings
        assert [s.action for s in db.session.scalars(sa.select(CaseStep).where(CaseStep.case_id == answered.id)
                                                     .order_by(CaseStep.id))] == ["recorded", "closed"]
        assert db.session.scalar(sa.text("SELECT value FROM domain_settings "
                                         "WHERE key = 'monitoring.press_answer_days'")) == "20"
        db.session.remove()
        db.engine.dispose()
