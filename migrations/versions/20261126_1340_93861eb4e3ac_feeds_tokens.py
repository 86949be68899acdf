"""feeds tokens

Revision ID: 93861eb4e3ac
Revises: 3ba8ad461461
Create Date: 2026-11-26 13:40:24.770996

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '93861eb4e3ac'
down_revision = '3ba8ad461461'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('detail', sa.Enum('full', 'press_safe', 'busy_only', name='detaillevel', native_enum=False, length=20), nullable=False),
    sa.Column('alarms', sa.Enum('none', '1d', '1h', 'both', name='alarmpreset', native_enum=False, length=20), nullable=False),
    sa.Column('days_back', sa.Integer(), nullable=False),
    sa.Column('days_ahead', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('last_user_agent', sa.String(length=300), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_feed_tokens_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_owner_id'), ['owner_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tokens_owner_id'))

    op.drop_table('feed_tokens')
    # ### end Alembic commands ###
