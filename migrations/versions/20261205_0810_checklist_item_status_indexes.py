"""Index checklist items by unit (and by person), state and due time; by unit and completion.

The task page's groups and the dashboard's counts (``app.checklists.work``) read a unit's items
in one state by due time: its open items due before now, its submissions waiting; and its
items done in the last 30 days. With only (unit, due time) they walked the unit's whole
history, done items included.

Revision ID: 6a4e8b1c9d27
Revises: 3d7a9c2e5f18
Create Date: 2026-12-05 08:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '6a4e8b1c9d27'
down_revision = '3d7a9c2e5f18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_unit_status_due',
                              ['unit_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_checklist_items_user_status_due',
                              ['user_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_checklist_items_unit_completed',
                              ['unit_id', 'completed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_unit_completed')
        batch_op.drop_index('ix_checklist_items_user_status_due')
        batch_op.drop_index('ix_checklist_items_unit_status_due')
