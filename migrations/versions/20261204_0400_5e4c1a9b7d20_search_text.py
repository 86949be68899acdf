"""Search: a folded search_text on events, delegations, briefings, note versions, outlets.

Also an index on checklist items' completion time, for the task page's "done" group.

Filled here for the rows that exist; the models keep it up to date before every insert and
update (``app.extensions.Searchable``).

Revision ID: 5e4c1a9b7d20
Revises: 7889ca917b65
Create Date: 2026-12-04 04:00:00

"""
import sqlalchemy as sa
from alembic import op
from babel import Locale

from app.inputs import fold

# revision identifiers, used by Alembic.
revision = '5e4c1a9b7d20'
down_revision = '7889ca917b65'
branch_labels = None
depends_on = None

# The columns each table searched on at this revision (the models' SEARCH_FIELDS).
FIELDS = {
    'events': ('title_vi', 'title_en', 'description_vi', 'description_en', 'location'),
    'delegations': ('country', 'locality', 'border_gate'),
    'briefings': ('title_vi', 'title_en', 'location', 'chair'),
    'press_outlets': ('name', 'contact'),
    'briefing_note_versions': ('key_messages_vi', 'key_messages_en', 'background_vi',
                               'background_en', 'red_lines_vi', 'red_lines_en'),
}
BATCH = 1000


def _country_names(code):
    code = (code or '').upper()
    return [Locale.parse(name).territories.get(code, '') for name in ('vi', 'en')] if code else []


def upgrade():
    for name in FIELDS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    connection = op.get_bind()
    for name, fields in FIELDS.items():
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('search_text', sa.Text),
                         *(sa.column(f, sa.Text) for f in fields))
        last = 0
        while True:
            rows = connection.execute(sa.select(table).where(table.c.id > last)
                                      .order_by(table.c.id).limit(BATCH)).mappings().all()
            if not rows:
                break
            updates = []
            for row in rows:
                parts = [str(row[f] or '') for f in fields]
                if name == 'delegations':
                    parts += _country_names(row['country'])
                updates.append({'row_id': row['id'], 'text': fold(' '.join(parts))})
            connection.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                               .values(search_text=sa.bindparam('text')), updates)
            last = rows[-1]['id']
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_items_completed_at', ['completed_at'], unique=False)
    # The default filled the existing rows; the models set the value themselves.
    for name in FIELDS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('search_text', server_default=None)


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_items_completed_at')
    for name in reversed(FIELDS):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('search_text')
