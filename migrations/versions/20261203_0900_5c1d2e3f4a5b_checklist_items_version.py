"""Checklist items get a version for optimistic locking (accept and return cannot both win).

Revision ID: 5c1d2e3f4a5b
Revises: 38aa9345fb23
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1d2e3f4a5b'
down_revision = '38aa9345fb23'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at version 1; the app sets it on every insert afterwards.
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('version')
