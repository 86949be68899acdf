"""Drop ix_checklist_items_event_id: uq_checklist_items_event_key (event_id, key) covers it.

Revision ID: 3ebe075154e3
Revises: c28e86165468
Create Date: 2026-12-02 18:46:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3ebe075154e3'
down_revision = 'c28e86165468'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_event_id')


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_event_id', ['event_id'], unique=False)
