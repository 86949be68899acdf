"""Deadlines in calendar feeds: a checklist item's due-time revision; a unit's all-day choice.

Revision ID: 8f4a5b6c7d8e
Revises: 7e3f4a5b6c7d
Create Date: 2026-12-03 09:51:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8f4a5b6c7d8e'
down_revision = '7e3f4a5b6c7d'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at 0 (items) and False (units); the app sets both on every insert.
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.alter_column('sequence', server_default=None)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadlines_all_day', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.alter_column('deadlines_all_day', server_default=None)


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('deadlines_all_day')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('sequence')
