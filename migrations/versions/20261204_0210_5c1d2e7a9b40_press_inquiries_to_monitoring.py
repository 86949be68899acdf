"""The press's questions and forwarded complaints move from oversight to monitoring cases.

The oversight's register (``oversight_press_inquiries``) was built before press monitoring
existed; rule 10 (a press agency's written question or forwarded complaint, answered within
30 days) is now a monitoring case of origin ``press_request``. Each inquiry becomes such a
case: received on → recorded (midnight, Asia/Ho_Chi_Minh) with its 30-day clock; answered →
closed with a written answer on that day (its reference kept in the findings and the
timeline). A changed ``oversight.answer_days`` setting carries over to
``monitoring.press_answer_days`` when that one was never set. The table is then dropped.

Downgrade recreates the empty table; the cases stay in monitoring.

Revision ID: 5c1d2e7a9b40
Revises: 20b48c27978c
Create Date: 2026-12-04 02:10:00

"""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1d2e7a9b40'
down_revision = '20b48c27978c'
branch_labels = None
depends_on = None

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
KIND_VI = {"question": "Vấn đề cơ quan báo chí đề nghị trả lời",
           "complaint": "Khiếu nại do báo chí chuyển đến"}

inquiries = sa.table(
    "oversight_press_inquiries", sa.column("id", sa.Integer), sa.column("kind", sa.String),
    sa.column("agency", sa.String), sa.column("subject", sa.String), sa.column("received_on", sa.Date),
    sa.column("unit_id", sa.Integer), sa.column("answered_on", sa.Date),
    sa.column("answer_reference", sa.String), sa.column("recorded_by_id", sa.Integer))
cases = sa.table(
    "monitoring_cases", *(sa.column(name) for name in (
        "id", "outlet_id", "platform", "account", "url", "published_at", "headline", "excerpt", "topic", "area",
        "lead_unit_id", "classification", "origin", "is_sensitive", "status", "created_by_id", "created_at",
        "updated_at", "verify_due_at", "respond_due_at", "verified_at", "findings", "responded_at",
        "closed_at", "no_action_reason", "response_form", "response_link", "latest_version", "false_content",
        "corrected_content", "signatory", "correction_link", "correction_removed", "version")))
steps = sa.table("monitoring_steps", *(sa.column(name) for name in (
    "case_id", "action", "actor_id", "at", "from_status", "to_status", "comment", "version")))
settings = sa.table("domain_settings", sa.column("key", sa.String), sa.column("value", sa.Text),
                    sa.column("legal_basis", sa.String), sa.column("verified", sa.Boolean),
                    sa.column("note", sa.Text), sa.column("updated_at", sa.DateTime),
                    sa.column("updated_by_id", sa.Integer))


def _utc(day: date) -> datetime:
    """Midnight of ``day`` in the province, as the naive UTC the DateTime columns store."""
    return datetime(day.year, day.month, day.day, tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _answer_days(bind) -> int:
    rows = dict(bind.execute(sa.select(settings.c.key, settings.c.value).where(
        settings.c.key.in_(["oversight.answer_days", "monitoring.press_answer_days"]))).all())
    old = rows.get("oversight.answer_days")
    if old is not None and "monitoring.press_answer_days" not in rows:
        row = bind.execute(sa.select(settings).where(settings.c.key == "oversight.answer_days")).mappings().one()
        bind.execute(settings.insert().values({**row, "key": "monitoring.press_answer_days"}))
        rows["monitoring.press_answer_days"] = old
    try:
        return max(1, int(str(rows.get("monitoring.press_answer_days", "30")).split()[0]))
    except ValueError:
        return 30


def _fallback_user(bind) -> int | None:
    return bind.execute(sa.text("SELECT min(id) FROM users")).scalar()


def upgrade():
    bind = op.get_bind()
    found = bind.execute(sa.select(inquiries).order_by(inquiries.c.id)).mappings().all()
    if found:
        days = _answer_days(bind)
        fallback = _fallback_user(bind)
        now = datetime.now(UTC).replace(tzinfo=None)
        for row in found:
            recorder = row["recorded_by_id"] or fallback
            received = _utc(_day(row["received_on"]))
            answered = _utc(_day(row["answered_on"])) if row["answered_on"] else None
            reference = (row["answer_reference"] or "").strip()
            findings = f"Trả lời bằng văn bản {reference}." if answered and reference else ""
            values = {
                "outlet_id": None, "platform": (row["agency"] or "")[:100], "account": "", "url": "",
                "published_at": received, "headline": (row["subject"] or "")[:500],
                "excerpt": KIND_VI.get(row["kind"], ""), "topic": "", "area": "",
                "lead_unit_id": row["unit_id"], "classification": "incomplete", "origin": "press_request",
                "is_sensitive": False, "status": "closed" if answered else "verifying",
                "created_by_id": recorder, "created_at": received, "updated_at": now,
                # Recorded on receipt, before monitoring existed: the verification counts as done
                # then, so only the 30-day answer clock runs.
                "verify_due_at": received, "respond_due_at": received + timedelta(days=days),
                "verified_at": received, "findings": findings, "responded_at": answered,
                "closed_at": answered, "no_action_reason": "",
                "response_form": "written_answer" if answered else None, "response_link": "",
                "latest_version": 0, "false_content": "", "corrected_content": "", "signatory": "",
                "correction_link": "", "correction_removed": False, "version": 1}
            case_id = bind.execute(cases.insert().values(values).returning(cases.c.id)).scalar_one()
            timeline = [{"action": "recorded", "at": received, "from_status": "", "to_status": "new",
                         "comment": "Chuyển từ sổ theo dõi câu hỏi, khiếu nại của báo chí (trang Theo dõi)."}]
            if answered:
                timeline.append({"action": "closed", "at": answered, "from_status": "verifying",
                                 "to_status": "closed", "comment": findings or "Đã trả lời."})
            for step in timeline:
                bind.execute(steps.insert().values(case_id=case_id, actor_id=recorder, version=1, **step))
    with op.batch_alter_table('oversight_press_inquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oversight_press_inquiries_unit_id'))
        batch_op.drop_index('ix_oversight_press_inquiries_open')
    op.drop_table('oversight_press_inquiries')


def downgrade():
    op.create_table('oversight_press_inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('question', 'complaint', name='inquirykind', native_enum=False, length=20), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answer_reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_oversight_press_inquiries_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_oversight_press_inquiries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_press_inquiries'))
    )
    with op.batch_alter_table('oversight_press_inquiries', schema=None) as batch_op:
        batch_op.create_index('ix_oversight_press_inquiries_open', ['answered_on', 'received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_oversight_press_inquiries_unit_id'), ['unit_id'], unique=False)
