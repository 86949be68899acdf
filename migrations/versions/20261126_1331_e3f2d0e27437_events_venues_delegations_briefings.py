"""Events, venues, delegations with members and programmes, event history, briefings.

Revision ID: e3f2d0e27437
Revises: eb31515ef0ef
Create Date: 2026-11-26 13:31:09.773747

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3f2d0e27437'
down_revision = 'eb31515ef0ef'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues'))
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('description_vi', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('political', 'cultural', 'diplomatic', 'delegation_in', 'delegation_out', 'signing', 'promotion', 'training', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'planned', 'confirmed', 'held', 'reported', 'postponed', 'cancelled', name='eventstatus', native_enum=False, length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(), nullable=True),
    sa.Column('visibility', sa.Enum('public', 'internal', 'confidential', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('is_sensitive', sa.Boolean(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('embargo_until', sa.DateTime(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_events_ends_after_start')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_events_lead_unit_id_units')),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_events_organiser_id_users')),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_events_released_by_id_users')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_events_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_ends_at', ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_events_lead_unit_starts', ['lead_unit_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_events_starts_at', ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)
        batch_op.create_index('ix_events_updated_at', ['updated_at'], unique=False)
        batch_op.create_index('ix_events_venue_starts', ['venue_id', 'starts_at'], unique=False)

    op.create_table('briefings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'scheduled', 'held', 'cancelled', name='briefingstatus', native_enum=False, length=20), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'internal', 'confidential', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_briefings_ends_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_briefings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_briefings_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_briefings'))
    )
    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefings_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_briefings_starts_at', ['starts_at'], unique=False)

    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('incoming', 'outgoing', name='delegationdirection', native_enum=False, length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('locality', sa.String(length=200), nullable=False),
    sa.Column('arrival_at', sa.DateTime(), nullable=True),
    sa.Column('departure_at', sa.DateTime(), nullable=True),
    sa.Column('border_gate', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('interpreters', sa.Text(), nullable=False),
    sa.Column('logistics', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_delegations_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    sa.UniqueConstraint('event_id', name=op.f('uq_delegations_event_id'))
    )
    op.create_table('event_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_changes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_changes'))
    )
    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_changes_event_id'), ['event_id'], unique=False)

    op.create_table('event_coordinating_units',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_coordinating_units_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_event_coordinating_units_unit_id_units')),
    sa.PrimaryKeyConstraint('event_id', 'unit_id', name=op.f('pk_event_coordinating_units'))
    )
    with op.batch_alter_table('event_coordinating_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_coordinating_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('event_hosts',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_hosts_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_hosts_user_id_users')),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_hosts'))
    )
    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_hosts_user_id'), ['user_id'], unique=False)

    op.create_table('programme_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('activity_vi', sa.String(length=500), nullable=False),
    sa.Column('activity_en', sa.String(length=500), nullable=False),
    sa.Column('hosts_text', sa.String(length=500), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_programme_items_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_programme_items_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_items'))
    )
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_items_event_id'), ['event_id'], unique=False)

    op.create_table('delegation_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('is_head', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_delegation_members_delegation_id_delegations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegation_members'))
    )
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_members_delegation_id'), ['delegation_id'], unique=False)

    op.create_table('programme_item_hosts',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['programme_items.id'], name=op.f('fk_programme_item_hosts_item_id_programme_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_item_hosts_user_id_users')),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_programme_item_hosts'))
    )
    with op.batch_alter_table('programme_item_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_item_hosts_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('programme_item_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_item_hosts_user_id'))

    op.drop_table('programme_item_hosts')
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_members_delegation_id'))

    op.drop_table('delegation_members')
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_items_event_id'))

    op.drop_table('programme_items')
    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_hosts_user_id'))

    op.drop_table('event_hosts')
    with op.batch_alter_table('event_coordinating_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_coordinating_units_unit_id'))

    op.drop_table('event_coordinating_units')
    with op.batch_alter_table('event_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_changes_event_id'))

    op.drop_table('event_changes')
    op.drop_table('delegations')
    with op.batch_alter_table('briefings', schema=None) as batch_op:
        batch_op.drop_index('ix_briefings_starts_at')
        batch_op.drop_index(batch_op.f('ix_briefings_event_id'))

    op.drop_table('briefings')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_venue_starts')
        batch_op.drop_index('ix_events_updated_at')
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index('ix_events_starts_at')
        batch_op.drop_index('ix_events_lead_unit_starts')
        batch_op.drop_index(batch_op.f('ix_events_kind'))
        batch_op.drop_index('ix_events_ends_at')

    op.drop_table('events')
    op.drop_table('venues')
