"""Index events.organiser_id: the feeds' "mine" filter selects the events a user organises.

Revision ID: 596565833160
Revises: 3ebe075154e3
Create Date: 2026-12-02 18:47:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '596565833160'
down_revision = '3ebe075154e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_organiser_id', ['organiser_id'], unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_organiser_id')
