"""Oversight rollups: short-notice items counted apart from on-time and late work.

``oversight_item_counts.short_notice`` counts the items due in a month that were generated at
short notice; ``on_time``, ``done_late`` and ``awaiting`` now count the other items only.
Every month is made stale (refilled by its next reader with the new rule).

Revision ID: 8b2f4d6e1a37
Revises: 5c1e0a7d2b94
Create Date: 2026-12-04 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8b2f4d6e1a37'
down_revision = '5c1e0a7d2b94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('oversight_item_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_notice', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('oversight_item_counts', schema=None) as batch_op:
        batch_op.alter_column('short_notice', server_default=None)
    # The months rolled up under the old rule are refilled by their next reader.
    op.execute("UPDATE oversight_rollup_months SET generation = generation + 1")


def downgrade():
    with op.batch_alter_table('oversight_item_counts', schema=None) as batch_op:
        batch_op.drop_column('short_notice')
    op.execute("UPDATE oversight_rollup_months SET generation = generation + 1")

