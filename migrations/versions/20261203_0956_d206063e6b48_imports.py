"""Imports: rows and calendar UIDs already imported, uploads waiting for their commit.

Revision ID: d206063e6b48
Revises: 2bbefe8fd775
Create Date: 2026-12-03 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd206063e6b48'
down_revision = '2bbefe8fd775'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_uploads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_uploads'))
    )
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_uploads_user_id'), ['user_id'], unique=False)

    op.create_table('imported_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_key', sa.String(length=200), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_imported_events_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_imported_events_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_events')),
    sa.UniqueConstraint('external_key', name=op.f('uq_imported_events_external_key'))
    )
    with op.batch_alter_table('imported_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_events_event_id'), ['event_id'], unique=False)

    op.create_table('imported_programme_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=200), nullable=False),
    sa.Column('programme_item_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_imported_programme_items_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_item_id'], ['programme_items.id'], name=op.f('fk_imported_programme_items_programme_item_id_programme_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_programme_items')),
    sa.UniqueConstraint('event_id', 'uid', name=op.f('uq_imported_programme_items_event_id'))
    )
    with op.batch_alter_table('imported_programme_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_programme_items_programme_item_id'), ['programme_item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('imported_programme_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_programme_items_programme_item_id'))

    op.drop_table('imported_programme_items')
    with op.batch_alter_table('imported_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_events_event_id'))

    op.drop_table('imported_events')
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_uploads_user_id'))

    op.drop_table('import_uploads')
