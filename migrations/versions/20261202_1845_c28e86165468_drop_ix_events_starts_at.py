"""Drop ix_events_starts_at: ix_events_calendar starts with starts_at and serves the same ranges.

Revision ID: c28e86165468
Revises: d73a1a3a9d80
Create Date: 2026-12-02 18:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c28e86165468'
down_revision = 'd73a1a3a9d80'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_starts_at')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_starts_at', ['starts_at'], unique=False)
