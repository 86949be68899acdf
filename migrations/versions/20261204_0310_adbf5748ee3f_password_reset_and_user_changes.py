"""Accounts: a forced password reset, and the history of changes to user accounts.

Revision ID: adbf5748ee3f
Revises: 0c8feb9ec4ae
Create Date: 2026-12-04 03:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'adbf5748ee3f'
down_revision = '0c8feb9ec4ae'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('must_change_password', server_default=None)
    op.create_table('user_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_user_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_changes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_changes'))
    )
    with op.batch_alter_table('user_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_changes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_changes_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_changes_changed_at'))
    op.drop_table('user_changes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
