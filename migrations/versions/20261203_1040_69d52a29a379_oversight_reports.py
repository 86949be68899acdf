"""The periodic implementation report (oversight) and its narrative versions.

Revision ID: 69d52a29a379
Revises: 4c038fb341fa
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '69d52a29a379'
down_revision = '4c038fb341fa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oversight_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_label', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'returned', name='notestatus', native_enum=False, length=20), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_oversight_reports_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_oversight_reports_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_reports')),
    sa.UniqueConstraint('period_label', name=op.f('uq_oversight_reports_period_label'))
    )
    op.create_table('oversight_report_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=10), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_oversight_report_texts_author_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['oversight_reports.id'], name=op.f('fk_oversight_report_texts_report_id_oversight_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_report_texts')),
    sa.UniqueConstraint('report_id', 'section', 'number', name='uq_oversight_report_texts_version')
    )


def downgrade():
    op.drop_table('oversight_report_texts')
    op.drop_table('oversight_reports')
