"""Index checklist_items.template_id: a template edit finds the events whose items use it.

Revision ID: 77a236ba0f4d
Revises: 596565833160
Create Date: 2026-12-02 18:48:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '77a236ba0f4d'
down_revision = '596565833160'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_template_id', ['template_id'], unique=False)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_template_id')
