"""Press monitoring cases (vụ việc): the report, its units, attachments and timeline.

Revision ID: f0fbe2e2f189
Revises: 88e239fb5920
Create Date: 2026-12-03 09:53:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f0fbe2e2f189'
down_revision = '88e239fb5920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=100), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('headline', sa.String(length=500), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('classification', sa.Enum('accurate', 'one_sided', 'incomplete', 'untrue', 'hostile', name='classification', native_enum=False, length=20), nullable=False),
    sa.Column('origin', sa.Enum('monitored', 'press_request', name='origin', native_enum=False, length=20), nullable=False),
    sa.Column('reach', sa.Integer(), nullable=True),
    sa.Column('is_sensitive', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('new', 'verifying', 'drafted', 'approved', 'responded', 'correction', 'closed', 'no_action', name='casestatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('verify_due_at', sa.DateTime(), nullable=False),
    sa.Column('respond_due_at', sa.DateTime(), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('no_action_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_monitoring_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_monitoring_cases_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_monitoring_cases_lead_unit_id_units')),
    sa.ForeignKeyConstraint(['outlet_id'], ['press_outlets.id'], name=op.f('fk_monitoring_cases_outlet_id_press_outlets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_cases'))
    )
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_cases_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_monitoring_cases_lead_unit', ['lead_unit_id'], unique=False)
        batch_op.create_index('ix_monitoring_cases_outlet', ['outlet_id'], unique=False)
        batch_op.create_index('ix_monitoring_cases_status_created', ['status', 'created_at'], unique=False)

    op.create_table('monitoring_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('storage_key', sa.String(length=250), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['monitoring_cases.id'], name=op.f('fk_monitoring_attachments_case_id_monitoring_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_monitoring_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_monitoring_attachments_storage_key'))
    )
    with op.batch_alter_table('monitoring_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_attachments_case_id'), ['case_id'], unique=False)

    op.create_table('monitoring_case_units',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['monitoring_cases.id'], name=op.f('fk_monitoring_case_units_case_id_monitoring_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monitoring_case_units_unit_id_units')),
    sa.PrimaryKeyConstraint('case_id', 'unit_id', name=op.f('pk_monitoring_case_units'))
    )
    with op.batch_alter_table('monitoring_case_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_case_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('monitoring_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_monitoring_steps_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['monitoring_cases.id'], name=op.f('fk_monitoring_steps_case_id_monitoring_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_steps'))
    )
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_steps_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('monitoring_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_steps_case_id'))

    op.drop_table('monitoring_steps')
    with op.batch_alter_table('monitoring_case_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_case_units_unit_id'))

    op.drop_table('monitoring_case_units')
    with op.batch_alter_table('monitoring_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_attachments_case_id'))

    op.drop_table('monitoring_attachments')
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_monitoring_cases_status_created')
        batch_op.drop_index('ix_monitoring_cases_outlet')
        batch_op.drop_index('ix_monitoring_cases_lead_unit')
        batch_op.drop_index(batch_op.f('ix_monitoring_cases_event_id'))

    op.drop_table('monitoring_cases')
