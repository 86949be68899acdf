"""Index checklist items by whether they ask for a submission and their due time.

The oversight's median lead time reads the items of a period that ask for a submission
(a quarter of them); without it, every item of the period was read.

Revision ID: 7d3e9a1c4b52
Revises: 2f08d31ee2e3
Create Date: 2026-12-04 02:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d3e9a1c4b52'
down_revision = '2f08d31ee2e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_submission_due', ['requires_submission', 'due_at'], unique=False)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_submission_due')
