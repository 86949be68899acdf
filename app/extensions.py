"""Unbound extensions; ``create_app`` binds them."""
from typing import TYPE_CHECKING, ClassVar

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

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
migrate = Migrate(compare_type=True, compare_server_default=True, render_as_batch=True,
                  render_item=render_migration_type)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def enum_type(cls, length: int = 20) -> sa.Enum:
    """A StrEnum stored as its values in a VARCHAR.

    The same on SQLite and PostgreSQL, and new members need no ALTER TYPE.
    """
    return sa.Enum(cls, native_enum=False, length=length,
                   values_callable=lambda members: [m.value for m in members])
