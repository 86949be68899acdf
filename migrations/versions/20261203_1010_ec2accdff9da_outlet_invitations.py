"""Invitations to press outlets: answer per outlet, and the ledger of e-mails to outlets.

Revision ID: ec2accdff9da
Revises: 1035efb3fd50
Create Date: 2026-12-03 10:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ec2accdff9da'
down_revision = '1035efb3fd50'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outlet_mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('briefing_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=60), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'logged', 'failed', 'gave_up', 'digest', 'in_digest', 'in_app', 'withdrawn', 'empty', name='deliverystatus', native_enum=False, length=30), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['briefing_id'], ['briefings.id'], name=op.f('fk_outlet_mailings_briefing_id_briefings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outlet_id'], ['press_outlets.id'], name=op.f('fk_outlet_mailings_outlet_id_press_outlets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlet_mailings')),
    sa.UniqueConstraint('briefing_id', 'outlet_id', 'step', name='uq_outlet_mailings_key')
    )
    with op.batch_alter_table('outlet_mailings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outlet_mailings_outlet_id'), ['outlet_id'], unique=False)
        batch_op.create_index('ix_outlet_mailings_status_next', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('briefing_outlets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='invited', nullable=False))
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('briefing_outlets', schema=None) as batch_op:
        batch_op.drop_column('invited_at')
        batch_op.drop_column('status')

    with op.batch_alter_table('outlet_mailings', schema=None) as batch_op:
        batch_op.drop_index('ix_outlet_mailings_status_next')
        batch_op.drop_index(batch_op.f('ix_outlet_mailings_outlet_id'))

    op.drop_table('outlet_mailings')
