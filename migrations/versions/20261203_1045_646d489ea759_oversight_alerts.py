"""Standing alerts: notices of spokesperson lists to the press authority, the press's inquiries (30-day clock).

Revision ID: 646d489ea759
Revises: 69d52a29a379
Create Date: 2026-12-03 10:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '646d489ea759'
down_revision = '69d52a29a379'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oversight_press_inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('question', 'complaint', name='inquirykind', native_enum=False, length=20), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answer_reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_oversight_press_inquiries_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_oversight_press_inquiries_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_press_inquiries'))
    )
    with op.batch_alter_table('oversight_press_inquiries', schema=None) as batch_op:
        batch_op.create_index('ix_oversight_press_inquiries_open', ['answered_on', 'received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_oversight_press_inquiries_unit_id'), ['unit_id'], unique=False)

    op.create_table('oversight_roster_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_oversight_roster_notices_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_oversight_roster_notices_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_roster_notices'))
    )
    with op.batch_alter_table('oversight_roster_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oversight_roster_notices_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('oversight_roster_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oversight_roster_notices_unit_id'))

    op.drop_table('oversight_roster_notices')
    with op.batch_alter_table('oversight_press_inquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oversight_press_inquiries_unit_id'))
        batch_op.drop_index('ix_oversight_press_inquiries_open')

    op.drop_table('oversight_press_inquiries')
