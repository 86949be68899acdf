"""Briefings get a kind and a form (Decree 09/2017 Art. 4); the per-event-kind briefing defaults.

Existing briefings were all pre-event press conferences proposed by the checklist.

Revision ID: 1035efb3fd50
Revises: d206063e6b48
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1035efb3fd50'
down_revision = 'd206063e6b48'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('briefing_defaults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_kind', sa.Enum('political', 'cultural', 'diplomatic', 'delegation_in', 'delegation_out', 'signing', 'promotion', 'training', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('briefing_kind', sa.Enum('pre_event', 'results', 'joint_availability', 'release_only', 'joint_release', name='briefingkind', native_enum=False, length=20), nullable=False),
    sa.Column('form', sa.Enum('press_conference', 'portal', 'statement', 'release', 'press_briefing', 'written_request', name='pressform', native_enum=False, length=20), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('anchor', sa.Enum('start', 'end', name='anchor', native_enum=False, length=20), nullable=False),
    sa.Column('bilingual', sa.Boolean(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    sa.Column('legal_verified', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_defaults')),
    sa.UniqueConstraint('event_kind', 'briefing_kind', name='uq_briefing_defaults_kinds')
    )
    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('pre_event', 'results', 'joint_availability', 'release_only', 'joint_release', name='briefingkind', native_enum=False, length=20), server_default='pre_event', nullable=False))
        batch_op.add_column(sa.Column('form', sa.Enum('press_conference', 'portal', 'statement', 'release', 'press_briefing', 'written_request', name='pressform', native_enum=False, length=20), server_default='press_conference', nullable=False))



def downgrade():
    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.drop_column('form')
        batch_op.drop_column('kind')

    op.drop_table('briefing_defaults')
