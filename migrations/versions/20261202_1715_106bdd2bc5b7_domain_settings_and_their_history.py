"""Domain settings: the rows administrators edit (app/settings), and the history of changes.

Rows are written by `settings seed` / `demo load` from the code registry, never here:
the registry is code and migrations do not import the app.

Revision ID: 106bdd2bc5b7
Revises: f9f8fb67a777
Create Date: 2026-12-02 17:15:37.455633

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '106bdd2bc5b7'
down_revision = 'f9f8fb67a777'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('domain_settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.String(length=300), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_domain_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_domain_settings'))
    )
    op.create_table('setting_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('old', sa.Text(), nullable=False),
    sa.Column('new', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_setting_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['key'], ['domain_settings.key'], name=op.f('fk_setting_changes_key_domain_settings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setting_changes'))
    )
    with op.batch_alter_table('setting_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_setting_changes_key'), ['key'], unique=False)



def downgrade():
    with op.batch_alter_table('setting_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_setting_changes_key'))

    op.drop_table('setting_changes')
    op.drop_table('domain_settings')
