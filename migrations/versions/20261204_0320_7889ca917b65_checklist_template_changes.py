"""The history of checklist templates: who created or changed one, when, from what to what.

Revision ID: 7889ca917b65
Revises: adbf5748ee3f
Create Date: 2026-12-04 03:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7889ca917b65'
down_revision = 'adbf5748ee3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_template_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_checklist_template_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_template_changes_template_id_checklist_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template_changes'))
    )
    with op.batch_alter_table('checklist_template_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_template_changes_template_id'), ['template_id'], unique=False)


def downgrade():
    with op.batch_alter_table('checklist_template_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_changes_template_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_template_changes_changed_at'))
    op.drop_table('checklist_template_changes')
