"""Occurrences of the standing alerts: the subject of their notices, told once to each person.

Revision ID: 2f08d31ee2e3
Revises: 5c1d2e7a9b40
Create Date: 2026-12-04 02:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2f08d31ee2e3'
down_revision = '5c1d2e7a9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('oversight_alert_occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['monitoring_cases.id'], name=op.f('fk_oversight_alert_occurrences_case_id_monitoring_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_oversight_alert_occurrences_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oversight_alert_occurrences')),
    sa.UniqueConstraint('key', name=op.f('uq_oversight_alert_occurrences_key'))
    )
    with op.batch_alter_table('oversight_alert_occurrences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oversight_alert_occurrences_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('oversight_alert_occurrences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oversight_alert_occurrences_unit_id'))

    op.drop_table('oversight_alert_occurrences')
