"""Reminder rules become domain settings: reminder_settings rows move to domain_settings.

Each row ``name`` becomes ``reminders.<name>`` with its value and time of change;
the values are already in the settings' canonical text (app/notifications/rules.py).

Revision ID: 493e13ca6ba3
Revises: 106bdd2bc5b7
Create Date: 2026-12-02 17:19:50.124006

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '493e13ca6ba3'
down_revision = '106bdd2bc5b7'
branch_labels = None
depends_on = None

PREFIX = "reminders."

domain_settings = sa.table(
    'domain_settings', sa.column('key', sa.String), sa.column('value', sa.Text),
    sa.column('legal_basis', sa.String), sa.column('verified', sa.Boolean),
    sa.column('note', sa.Text), sa.column('updated_at', sa.DateTime))
old_settings = sa.table(
    'reminder_settings', sa.column('name', sa.String), sa.column('value', sa.String),
    sa.column('updated_at', sa.DateTime))


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(old_settings.c.name, old_settings.c.value,
                                  old_settings.c.updated_at)).all()
    if rows:
        op.bulk_insert(domain_settings, [
            {"key": PREFIX + name, "value": value, "legal_basis": "", "verified": False, "note": "",
             "updated_at": updated_at} for name, value, updated_at in rows])
    op.drop_table('reminder_settings')


def downgrade():
    op.create_table('reminder_settings',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_reminder_settings'))
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(domain_settings.c.key, domain_settings.c.value,
                                  domain_settings.c.updated_at)
                        .where(domain_settings.c.key.startswith(PREFIX))).all()
    if rows:
        op.bulk_insert(old_settings, [
            {"name": key[len(PREFIX):], "value": value[:200], "updated_at": updated_at}
            for key, value, updated_at in rows])
    conn.execute(sa.table('setting_changes', sa.column('key', sa.String)).delete()
                 .where(sa.column('key').startswith(PREFIX)))
    conn.execute(domain_settings.delete().where(domain_settings.c.key.startswith(PREFIX)))
