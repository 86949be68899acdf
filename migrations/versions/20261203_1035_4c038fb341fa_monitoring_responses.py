"""Monitoring: the response (versions, form, speaker) and the correction request (Press Law Art. 42).

Revision ID: 4c038fb341fa
Revises: f0fbe2e2f189
Create Date: 2026-12-03 09:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4c038fb341fa'
down_revision = 'f0fbe2e2f189'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_response_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('form', sa.Enum('press_conference', 'portal_statement', 'interview', 'written_answer', 'briefing', 'correction_request', name='responseform', native_enum=False, length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'returned', name='versionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_monitoring_response_versions_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['monitoring_cases.id'], name=op.f('fk_monitoring_response_versions_case_id_monitoring_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_monitoring_response_versions_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_response_versions')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_monitoring_response_versions_case_id'))
    )
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_form', sa.Enum('press_conference', 'portal_statement', 'interview', 'written_answer', 'briefing', 'correction_request', name='responseform', native_enum=False, length=30), nullable=True))
        batch_op.add_column(sa.Column('speaker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('response_link', sa.String(length=2000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('briefing_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('latest_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('false_content', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('corrected_content', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signatory', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('correction_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('correction_follow_up_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('correction_published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('correction_link', sa.String(length=2000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('correction_removed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_monitoring_cases_speaker_id_users'), 'users', ['speaker_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_monitoring_cases_briefing_id_briefings'), 'briefings', ['briefing_id'], ['id'], ondelete='SET NULL')
    # The defaults filled the existing rows; the model sets these values itself.
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.alter_column('response_link', server_default=None)
        batch_op.alter_column('latest_version', server_default=None)
        batch_op.alter_column('false_content', server_default=None)
        batch_op.alter_column('corrected_content', server_default=None)
        batch_op.alter_column('signatory', server_default=None)
        batch_op.alter_column('correction_link', server_default=None)
        batch_op.alter_column('correction_removed', server_default=None)



def downgrade():
    with op.batch_alter_table('monitoring_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_monitoring_cases_briefing_id_briefings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_monitoring_cases_speaker_id_users'), type_='foreignkey')
        batch_op.drop_column('correction_removed')
        batch_op.drop_column('correction_link')
        batch_op.drop_column('correction_published_at')
        batch_op.drop_column('correction_follow_up_at')
        batch_op.drop_column('correction_requested_at')
        batch_op.drop_column('signatory')
        batch_op.drop_column('corrected_content')
        batch_op.drop_column('false_content')
        batch_op.drop_column('latest_version')
        batch_op.drop_column('briefing_id')
        batch_op.drop_column('response_link')
        batch_op.drop_column('speaker_id')
        batch_op.drop_column('response_form')

    op.drop_table('monitoring_response_versions')
