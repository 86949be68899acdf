"""The spokesperson list's log for the press authority: changes and notices sent (rule 3).

Revision ID: 88e239fb5920
Revises: ec2accdff9da
Create Date: 2026-12-03 10:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '88e239fb5920'
down_revision = 'ec2accdff9da'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spokesperson_list_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_spokesperson_list_notices_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spokesperson_list_notices'))
    )
    with op.batch_alter_table('spokesperson_list_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spokesperson_list_notices_at'), ['at'], unique=False)



def downgrade():
    with op.batch_alter_table('spokesperson_list_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spokesperson_list_notices_at'))

    op.drop_table('spokesperson_list_notices')
