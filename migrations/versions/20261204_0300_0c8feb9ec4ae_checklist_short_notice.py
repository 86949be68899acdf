"""Short-notice checklist items: due as soon as possible, counted apart from late work.

Revision ID: 0c8feb9ec4ae
Revises: 7d3e9a1c4b52
Create Date: 2026-12-04 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0c8feb9ec4ae'
down_revision = '7d3e9a1c4b52'
branch_labels = None
depends_on = None


def upgrade():
    # Existing items were generated before the rule: none is short notice. The app sets the
    # column on every insert.
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_notice', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.alter_column('short_notice', server_default=None)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('short_notice')
