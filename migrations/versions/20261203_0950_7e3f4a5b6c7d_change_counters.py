"""The feeds' change counter: one row bumped by every write a feed can show.

Revision ID: 7e3f4a5b6c7d
Revises: 8a1b2c3d4e5f
Create Date: 2026-12-03 09:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7e3f4a5b6c7d'
down_revision = '8a1b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'change_counters',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_change_counters')),
    )


def downgrade():
    op.drop_table('change_counters')
