"""Logins: a session version per user, and login throttling counters.

``users.session_version`` is part of every session cookie; raising it (logout, new
password) ends every session opened before. Existing rows start at 1 through a
temporary server default (sessions issued before this release name no version and end
once). ``login_throttles`` holds the failure counts per account, per address and per
account-and-address (app/auth/throttle.py); the old ``login_attempts`` stays as the
audit log.

Revision ID: 38aa9345fb23
Revises: 77a236ba0f4d
Create Date: 2026-12-02 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '38aa9345fb23'
down_revision = '77a236ba0f4d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('account', 'address', 'pair', name='throttlescope', native_enum=False, length=10), nullable=False),
    sa.Column('key', sa.String(length=320), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_login_throttles_scope'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    op.drop_table('login_throttles')
