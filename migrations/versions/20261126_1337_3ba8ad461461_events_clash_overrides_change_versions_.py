"""events clash overrides, change versions, calendar index

Revision ID: 3ba8ad461461
Revises: 1db6629b5af6
Create Date: 2026-11-26 13:48:08.398289

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3ba8ad461461'
down_revision = '1db6629b5af6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_clash_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('clashes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_clash_overrides_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_clash_overrides_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_clash_overrides'))
    )
    with op.batch_alter_table('event_clash_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_clash_overrides_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_calendar', ['starts_at', 'id', 'ends_at', 'visibility', 'lead_unit_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_calendar')

    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('event_clash_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_clash_overrides_event_id'))

    op.drop_table('event_clash_overrides')
    # ### end Alembic commands ###
