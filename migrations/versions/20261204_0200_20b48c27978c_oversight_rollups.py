"""Oversight month rollups (item and event counts per month, unit, kind) and the median cache.

Caches of the raw tables, filled by the first reader: nothing to migrate.

Revision ID: 20b48c27978c
Revises: 646d489ea759
Create Date: 2026-12-04 02:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20b48c27978c'
down_revision = '646d489ea759'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oversight_event_counts',
    sa.Column('month', sa.String(length=80), nullable=False),
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.Enum('political', 'cultural', 'diplomatic', 'delegation_in', 'delegation_out', 'signing', 'promotion', 'training', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('briefed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'kind', name=op.f('pk_oversight_event_counts'))
    )
    op.create_table('oversight_item_counts',
    sa.Column('month', sa.String(length=80), nullable=False),
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.Enum('political', 'cultural', 'diplomatic', 'delegation_in', 'delegation_out', 'signing', 'promotion', 'training', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('due', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('done_late', sa.Integer(), nullable=False),
    sa.Column('awaiting', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'kind', name=op.f('pk_oversight_item_counts'))
    )
    op.create_table('oversight_median_cache',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_oversight_median_cache'))
    )
    op.create_table('oversight_rollup_months',
    sa.Column('month', sa.String(length=80), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('rolled', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_oversight_rollup_months'))
    )


def downgrade():
    op.drop_table('oversight_rollup_months')
    op.drop_table('oversight_median_cache')
    op.drop_table('oversight_item_counts')
    op.drop_table('oversight_event_counts')
