"""Checklist templates, submissions with attachments and history; briefing outlets,
notice and press release.

Columns added to existing tables carry a server default so that existing rows fill in.

Revision ID: f9f8fb67a777
Revises: 93861eb4e3ac
Create Date: 2026-11-26 13:41:37.851359

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f9f8fb67a777'
down_revision = '93861eb4e3ac'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('political', 'cultural', 'diplomatic', 'delegation_in', 'delegation_out', 'signing', 'promotion', 'training', name='eventkind', native_enum=False, length=20), nullable=True),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('phase', sa.Enum('before', 'during', 'after', name='templatephase', native_enum=False, length=20), nullable=False),
    sa.Column('offset', sa.Integer(), nullable=False),
    sa.Column('offset_unit', sa.Enum('calendar_days', 'working_days', 'hours', name='offsetunit', native_enum=False, length=20), nullable=False),
    sa.Column('anchor', sa.Enum('start', 'end', name='anchor', native_enum=False, length=20), nullable=False),
    sa.Column('role', sa.Enum('lead_unit', 'coordinating_unit', 'spokesperson', 'protocol', 'press_liaison', 'steering', name='responsiblerole', native_enum=False, length=20), nullable=False),
    sa.Column('requires_submission', sa.Boolean(), nullable=False),
    sa.Column('condition', sa.Enum('always', 'sensitive', 'foreign', 'sensitive_or_foreign', name='condition', native_enum=False), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    sa.Column('legal_verified', sa.Boolean(), nullable=False),
    sa.Column('creates_briefing', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates')),
    sa.UniqueConstraint('code', name=op.f('uq_checklist_templates_code'))
    )
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_templates_kind'), ['kind'], unique=False)

    op.create_table('press_outlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.Enum('domestic', 'foreign', name='outletscope', native_enum=False, length=20), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('languages', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_press_outlets')),
    sa.UniqueConstraint('name', name=op.f('uq_press_outlets_name'))
    )
    op.create_table('briefing_outlets',
    sa.Column('briefing_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['briefing_id'], ['briefings.id'], name=op.f('fk_briefing_outlets_briefing_id_briefings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outlet_id'], ['press_outlets.id'], name=op.f('fk_briefing_outlets_outlet_id_press_outlets')),
    sa.PrimaryKeyConstraint('briefing_id', 'outlet_id', name=op.f('pk_briefing_outlets'))
    )
    with op.batch_alter_table('briefing_outlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_outlets_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('checklist_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('open', 'submitted', 'returned', 'done', 'not_needed', name='itemstatus', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_items.id'], name=op.f('fk_checklist_submissions_item_id_checklist_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_checklist_submissions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_submissions'))
    )
    with op.batch_alter_table('checklist_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_submissions_item_id'), ['item_id'], unique=False)

    op.create_table('checklist_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['checklist_submissions.id'], name=op.f('fk_checklist_attachments_submission_id_checklist_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_checklist_attachments_stored_name'))
    )
    with op.batch_alter_table('checklist_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_attachments_submission_id'), ['submission_id'], unique=False)

    op.create_table('checklist_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('generated', 'submitted', 'accepted', 'returned', 'completed', 'not_needed', 'reopened', name='stepaction', native_enum=False, length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_checklist_steps_actor_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_items.id'], name=op.f('fk_checklist_steps_item_id_checklist_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['checklist_submissions.id'], name=op.f('fk_checklist_steps_submission_id_checklist_submissions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_steps'))
    )
    with op.batch_alter_table('checklist_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_steps_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('purpose', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('chair', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('release_vi', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('release_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('release_embargo_until', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_briefings_event_checklist_key', ['event_id', 'checklist_key'])

    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offset', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('offset_unit', sa.Enum('calendar_days', 'working_days', 'hours', name='offsetunit', native_enum=False, length=20), nullable=False, server_default='calendar_days'))
        batch_op.add_column(sa.Column('anchor', sa.Enum('start', 'end', name='anchor', native_enum=False, length=20), nullable=False, server_default='start'))
        batch_op.add_column(sa.Column('legal_verified', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_checklist_items_template_id_checklist_templates'), 'checklist_templates', ['template_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checklist_items_template_id_checklist_templates'), type_='foreignkey')
        batch_op.drop_column('legal_verified')
        batch_op.drop_column('anchor')
        batch_op.drop_column('offset_unit')
        batch_op.drop_column('offset')
        batch_op.drop_column('template_id')

    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.drop_constraint('uq_briefings_event_checklist_key', type_='unique')
        batch_op.drop_column('release_embargo_until')
        batch_op.drop_column('release_en')
        batch_op.drop_column('release_vi')
        batch_op.drop_column('chair')
        batch_op.drop_column('purpose')
        batch_op.drop_column('checklist_key')

    with op.batch_alter_table('checklist_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_steps_item_id'))

    op.drop_table('checklist_steps')
    with op.batch_alter_table('checklist_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_attachments_submission_id'))

    op.drop_table('checklist_attachments')
    with op.batch_alter_table('checklist_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_submissions_item_id'))

    op.drop_table('checklist_submissions')
    with op.batch_alter_table('briefing_outlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_outlets_outlet_id'))

    op.drop_table('briefing_outlets')
    op.drop_table('press_outlets')
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_templates_kind'))

    op.drop_table('checklist_templates')
