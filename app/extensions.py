"""Unbound extensions; ``create_app`` binds them."""
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.inputs import fold
from app.timeutil import render_migration_type

# Stable constraint names, so Alembic can alter them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        __table__: ClassVar[sa.Table]  # every model maps one Table (for .insert(), .update())


db = SQLAlchemy(model_class=Base)

# The base class of every model: Flask-SQLAlchemy's ``db.Model``, a subclass of ``Base``. Type
# checkers cannot see through the attribute ``db.Model``, so they are shown ``Base`` (typed, with
# ``Mapped`` columns); models subclass ``Model``, never ``db.Model``.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
# PostgreSQL's trigram indexes on ``search_text`` (``Searchable``): made by the migration
# 20261205_0800 when ``pg_trgm`` can be installed, so not declared on the models (``create_all``
# on a database without the extension would fail). Autogenerate leaves them alone.
TRIGRAM_INDEX_SUFFIX = "_search_text_trgm"


def include_in_autogenerate(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: everything but the trigram indexes the models do not declare."""
    return not (type_ == "index" and reflected and compare_to is None
                and (name or "").endswith(TRIGRAM_INDEX_SUFFIX))


migrate = Migrate(compare_type=True, compare_server_default=True, render_as_batch=True,
                  render_item=render_migration_type, include_object=include_in_autogenerate)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def enum_type(cls, length: int = 20) -> sa.Enum:
    """A StrEnum stored as its values in a VARCHAR.

    The same on SQLite and PostgreSQL, and new members need no ALTER TYPE.
    """
    return sa.Enum(cls, native_enum=False, length=length,
                   values_callable=lambda members: [m.value for m in members])


def insert_ignoring_conflicts(table: sa.Table):
    """An INSERT that takes ``.on_conflict_do_nothing()``, in the session's dialect.

    SQLite and PostgreSQL: claiming a unique key atomically, however many hosts race for it.
    """
    dialect = db.session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


class Searchable:
    """A model with ``search_text``: its ``SEARCH_FIELDS`` folded (``app.inputs.fold``).

    Kept by the model layer itself, before every insert and update, so no service can forget
    it; searches compare folded words with ``LIKE '%word%'`` on the column itself, on both
    databases (no Python filtering), which PostgreSQL answers from the column's trigram index
    (``TRIGRAM_INDEX_SUFFIX``) where the migration could make one. Bulk inserts that bypass the
    ORM call ``search_value`` on their row dictionaries.
    """

    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    @classmethod
    def extra_search_terms(cls, values: Mapping[str, Any]) -> list[str]:
        """More words for a row (e.g. a country's names); none by default."""
        return []

    @classmethod
    def search_value(cls, values: Mapping[str, Any]) -> str:
        parts = [str(values.get(name) or "") for name in cls.SEARCH_FIELDS]
        return fold(" ".join(parts + cls.extra_search_terms(values)))

    @staticmethod
    def like_word(column, word: str) -> sa.ColumnElement[bool]:
        """SQL: the folded ``word`` (from ``search_words``: letters and digits only) is in ``column``."""
        return column.like(f"%{word}%")

    @classmethod
    def like_all(cls, column, words: list[str]) -> sa.ColumnElement[bool]:
        """SQL: every folded word occurs in ``column`` (the words come from ``search_words``)."""
        return sa.and_(sa.true(), *(cls.like_word(column, word) for word in words))


def _refresh_search_text(_mapper, _connection, target) -> None:
    target.search_text = type(target).search_value(
        {name: getattr(target, name) for name in target.SEARCH_FIELDS})


sa.event.listen(Searchable, "before_insert", _refresh_search_text, propagate=True)
sa.event.listen(Searchable, "before_update", _refresh_search_text, propagate=True)
