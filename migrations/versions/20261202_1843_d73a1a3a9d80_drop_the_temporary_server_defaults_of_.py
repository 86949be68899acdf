"""Drop the temporary server defaults of columns added to existing tables.

f9f8fb67a777 added these NOT NULL columns with a server default so that existing rows
filled in; the models set their defaults in Python, so the database keeps none (an INSERT
that forgets one of them now fails instead of silently storing the default).

Revision ID: d73a1a3a9d80
Revises: 493e13ca6ba3
Create Date: 2026-12-02 18:43:44.856692

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd73a1a3a9d80'
down_revision = '493e13ca6ba3'
branch_labels = None
depends_on = None

# table -> (column, existing type, the default f9f8fb67a777 gave it)
DEFAULTS = {
    'briefings': [
        ('purpose', sa.Text(), ''),
        ('chair', sa.String(length=300), ''),
        ('release_vi', sa.Text(), ''),
        ('release_en', sa.Text(), ''),
    ],
    'checklist_items': [
        ('offset', sa.Integer(), '0'),
        ('offset_unit', sa.String(length=20), 'calendar_days'),
        ('anchor', sa.String(length=20), 'start'),
        ('legal_verified', sa.Boolean(), sa.false()),
    ],
}


def upgrade():
    _set_server_defaults(restore=False)


def downgrade():
    _set_server_defaults(restore=True)


def _set_server_defaults(restore: bool):
    for table, columns in DEFAULTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_, default in columns:
                batch_op.alter_column(name, existing_type=type_, existing_nullable=False,
                                      server_default=default if restore else None)
