"""Spokespeople: roster (designations, written authorisations) and versioned briefing notes with their Q&A.

Revision ID: d7c6dccd0a8d
Revises: 1c5431e30de1
Create Date: 2026-11-26 13:41:27.323842

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd7c6dccd0a8d'
down_revision = '1c5431e30de1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spokesperson_authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=100), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('matters', sa.Text(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('valid_until >= valid_from', name=op.f('ck_spokesperson_authorisations_window_not_reversed')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_spokesperson_authorisations_issued_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_spokesperson_authorisations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_spokesperson_authorisations_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_spokesperson_authorisations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spokesperson_authorisations'))
    )
    with op.batch_alter_table('spokesperson_authorisations', schema=None) as batch_op:
        batch_op.create_index('ix_spokesperson_authorisations_user_unit', ['user_id', 'unit_id'], unique=False)

    op.create_table('spokesperson_designations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('until IS NULL OR until >= since', name=op.f('ck_spokesperson_designations_until_after_since')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_spokesperson_designations_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_spokesperson_designations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spokesperson_designations'))
    )
    with op.batch_alter_table('spokesperson_designations', schema=None) as batch_op:
        batch_op.create_index('ix_spokesperson_designations_unit_user', ['unit_id', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spokesperson_designations_user_id'), ['user_id'], unique=False)

    op.create_table('briefing_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('briefing_id', sa.Integer(), nullable=False),
    sa.Column('latest_number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'returned', name='notestatus', native_enum=False, length=20), nullable=False),
    sa.Column('approved_number', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['briefing_id'], ['briefings.id'], name=op.f('fk_briefing_notes_briefing_id_briefings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_briefing_notes_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_notes')),
    sa.UniqueConstraint('briefing_id', name=op.f('uq_briefing_notes_briefing_id'))
    )
    op.create_table('briefing_note_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'returned', name='notestatus', native_enum=False, length=20), nullable=False),
    sa.Column('key_messages_vi', sa.Text(), nullable=False),
    sa.Column('key_messages_en', sa.Text(), nullable=False),
    sa.Column('background_vi', sa.Text(), nullable=False),
    sa.Column('background_en', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('red_lines_vi', sa.Text(), nullable=False),
    sa.Column('red_lines_en', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_briefing_note_versions_author_id_users')),
    sa.ForeignKeyConstraint(['note_id'], ['briefing_notes.id'], name=op.f('fk_briefing_note_versions_note_id_briefing_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_briefing_note_versions_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_note_versions')),
    sa.UniqueConstraint('note_id', 'number', name=op.f('uq_briefing_note_versions_note_id'))
    )
    op.create_table('briefing_note_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_vi', sa.Text(), nullable=False),
    sa.Column('answer_vi', sa.Text(), nullable=False),
    sa.Column('question_en', sa.Text(), nullable=False),
    sa.Column('answer_en', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['briefing_note_versions.id'], name=op.f('fk_briefing_note_answers_version_id_briefing_note_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_note_answers'))
    )
    with op.batch_alter_table('briefing_note_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_note_answers_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('briefing_note_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_note_answers_version_id'))

    op.drop_table('briefing_note_answers')
    op.drop_table('briefing_note_versions')
    op.drop_table('briefing_notes')
    with op.batch_alter_table('spokesperson_designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spokesperson_designations_user_id'))
        batch_op.drop_index('ix_spokesperson_designations_unit_user')

    op.drop_table('spokesperson_designations')
    with op.batch_alter_table('spokesperson_authorisations', schema=None) as batch_op:
        batch_op.drop_index('ix_spokesperson_authorisations_user_unit')

    op.drop_table('spokesperson_authorisations')
