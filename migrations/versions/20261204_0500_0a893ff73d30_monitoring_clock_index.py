"""Monitoring cases: index (lead unit, state, closed) for the clocks in calendar feeds.

Replaces the index on the lead unit alone (same leading column, so the log's unit filter
keeps it): a feed build reads the running clocks of a unit's cases, and those closed "no
action needed" lately, as index ranges, whatever the size of the unit's history.

Revision ID: 0a893ff73d30
Revises: 5e4c1a9b7d20
Create Date: 2026-12-04 05:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0a893ff73d30'
down_revision = '5e4c1a9b7d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_cases_lead_unit_status',
                              ['lead_unit_id', 'status', 'closed_at'], unique=False)
        batch_op.drop_index('ix_monitoring_cases_lead_unit')


def downgrade():
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_cases_lead_unit', ['lead_unit_id'], unique=False)
        batch_op.drop_index('ix_monitoring_cases_lead_unit_status')
