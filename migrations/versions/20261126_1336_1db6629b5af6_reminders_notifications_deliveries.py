"""Reminders: notifications (the bell), the delivery ledger, reminder rules, preferences.

Revision ID: 1db6629b5af6
Revises: d7c6dccd0a8d
Create Date: 2026-11-26 13:41:28.959251

"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1db6629b5af6'
down_revision = 'd7c6dccd0a8d'
branch_labels = None
depends_on = None


def upgrade():
    settings = op.create_table('reminder_settings',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_reminder_settings'))
    )
    # The defaults as rows, so administrators see and change them as data (app/notifications/rules.py).
    op.bulk_insert(settings, [
        {"name": name, "value": value, "updated_at": datetime(2026, 11, 26)}
        for name, value in [("due_soon_days", "3,1"), ("overdue_every_days", "1"),
                            ("overdue_limit", "5"), ("escalate_after_days", "2"),
                            ("digest_time", "07:30"), ("urgent_hours", "48"), ("max_attempts", "8")]])
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.Enum('email', 'digest', 'in_app', name='mode', native_enum=False, length=30), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('item_assigned', 'item_due_soon', 'item_overdue', 'item_escalated', 'submission_accepted', 'submission_returned', 'spokesperson_assigned', 'note_approved', 'note_returned', 'event_rescheduled', 'event_cancelled', 'event_changed', 'digest', name='kind', native_enum=False, length=30), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notifications_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_notifications_recipient_read', ['recipient_id', 'read_at'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('item_assigned', 'item_due_soon', 'item_overdue', 'item_escalated', 'submission_accepted', 'submission_returned', 'spokesperson_assigned', 'note_approved', 'note_returned', 'event_rescheduled', 'event_cancelled', 'event_changed', 'digest', name='kind', native_enum=False, length=30), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'logged', 'failed', 'gave_up', 'digest', 'in_digest', 'in_app', 'withdrawn', 'empty', name='deliverystatus', native_enum=False, length=30), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['deliveries.id'], name=op.f('fk_deliveries_digest_id_deliveries')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_deliveries_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_deliveries_notification_id_notifications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_deliveries_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('object_type', 'object_id', 'step', 'recipient_id', name='uq_deliveries_key')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_digest_id'), ['digest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_deliveries_recipient_status', ['recipient_id', 'status'], unique=False)
        batch_op.create_index('ix_deliveries_status_next', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_status_next')
        batch_op.drop_index('ix_deliveries_recipient_status')
        batch_op.drop_index(batch_op.f('ix_deliveries_event_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_digest_id'))

    op.drop_table('deliveries')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_recipient_read')
        batch_op.drop_index(batch_op.f('ix_notifications_event_id'))

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
    op.drop_table('reminder_settings')
