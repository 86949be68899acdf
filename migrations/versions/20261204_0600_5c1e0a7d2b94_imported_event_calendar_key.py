"""Imported events: the calendar each UID came from; kept uploads: a calendar's address.

A re-import of a partner's calendar as events lists the events imported from that calendar
whose UID is no longer in it. Existing rows stay NULL (adopted by their next import).

Revision ID: 5c1e0a7d2b94
Revises: 0a893ff73d30
Create Date: 2026-12-04 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c1e0a7d2b94'
down_revision = '0a893ff73d30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('imported_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_imported_events_calendar_key'), ['calendar_key'],
                              unique=False)
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_url', sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.drop_column('source_url')
    with op.batch_alter_table('imported_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_events_calendar_key'))
        batch_op.drop_column('calendar_key')
