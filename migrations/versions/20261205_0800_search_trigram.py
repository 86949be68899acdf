"""Search: PostgreSQL trigram indexes on every search_text column.

``LIKE '%word%'`` on a folded ``search_text`` (``app.extensions.Searchable``) otherwise reads
every row; a GIN index with ``gin_trgm_ops`` answers it from the index. PostgreSQL only: on
SQLite nothing changes. ``pg_trgm`` is created if this database lets us (``CREATE EXTENSION``
needs the CREATE right on the database); if not, the indexes are skipped with a warning, inside
a SAVEPOINT so the rest of the upgrade goes on, and search works as before, by scanning. A DBA
can run ``CREATE EXTENSION pg_trgm`` and then downgrade and upgrade this revision.

The indexes are not declared on the models (``create_all`` would fail without the extension):
``app.extensions.include_in_autogenerate`` keeps autogenerate from dropping them.

Revision ID: 3d7a9c2e5f18
Revises: 8b2f4d6e1a37
Create Date: 2026-12-05 08:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3d7a9c2e5f18'
down_revision = '8b2f4d6e1a37'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

# Every table with a search_text column at this revision; the index names end with
# app.extensions.TRIGRAM_INDEX_SUFFIX.
TABLES = ('events', 'delegations', 'briefings', 'briefing_note_versions', 'press_outlets')


def _index(table):
    return f'ix_{table}_search_text_trgm'


def _trigram_available(connection) -> bool:
    """Create ``pg_trgm`` if missing; False (and a warning) when the database refuses."""
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning('pg_trgm is not available (%s): search_text gets no trigram index, '
                    'searches scan as before', str(exc.orig).strip().splitlines()[0])
        return False
    savepoint.commit()
    return True


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != 'postgresql' or not _trigram_available(connection):
        return
    for table in TABLES:
        op.execute(f'CREATE INDEX IF NOT EXISTS {_index(table)} ON {table} '
                   'USING gin (search_text gin_trgm_ops)')


def downgrade():
    # The extension stays: other objects may use it, and dropping it needs its owner.
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.execute(f'DROP INDEX IF EXISTS {_index(table)}')
