"""Checklist items and spokesperson assignments.

Revision ID: 1c5431e30de1
Revises: e3f2d0e27437
Create Date: 2026-11-26 13:33:55.957605

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1c5431e30de1'
down_revision = 'e3f2d0e27437'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('lead_unit', 'coordinating_unit', 'spokesperson', 'protocol', 'press_liaison', 'steering', name='responsiblerole', native_enum=False, length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('requires_submission', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('open', 'submitted', 'returned', 'done', 'not_needed', name='itemstatus', native_enum=False, length=20), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_checklist_items_completed_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_checklist_items_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_checklist_items_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checklist_items_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('event_id', 'key', name='uq_checklist_items_event_key')
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_items_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_checklist_items_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_checklist_items_unit_due', ['unit_id', 'due_at'], unique=False)
        batch_op.create_index('ix_checklist_items_user_due', ['user_id', 'due_at'], unique=False)

    op.create_table('spokesperson_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('briefing_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead', 'deputy', name='assignmentrole', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', 'withdrawn', name='assignmentstatus', native_enum=False, length=20), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_spokesperson_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['briefing_id'], ['briefings.id'], name=op.f('fk_spokesperson_assignments_briefing_id_briefings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_spokesperson_assignments_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_spokesperson_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spokesperson_assignments'))
    )
    with op.batch_alter_table('spokesperson_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spokesperson_assignments_briefing_id'), ['briefing_id'], unique=False)
        batch_op.create_index('ix_spokesperson_assignments_user_status', ['user_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('spokesperson_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_spokesperson_assignments_user_status')
        batch_op.drop_index(batch_op.f('ix_spokesperson_assignments_briefing_id'))

    op.drop_table('spokesperson_assignments')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_user_due')
        batch_op.drop_index('ix_checklist_items_unit_due')
        batch_op.drop_index('ix_checklist_items_status_due')
        batch_op.drop_index(batch_op.f('ix_checklist_items_event_id'))

    op.drop_table('checklist_items')
