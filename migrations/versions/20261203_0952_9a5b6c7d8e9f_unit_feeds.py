"""Unit feeds: a calendar feed may belong to a unit (a shared calendar) instead of a person.

Revision ID: 9a5b6c7d8e9f
Revises: 8f4a5b6c7d8e
Create Date: 2026-12-03 09:52:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9a5b6c7d8e9f'
down_revision = '8f4a5b6c7d8e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_feed_tokens_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_feed_tokens_unit_id_units'), 'units',
                                    ['unit_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feed_tokens_unit_id_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_feed_tokens_unit_id'))
        batch_op.drop_column('unit_id')
