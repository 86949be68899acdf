"""The one place that reads the clock, plus UTC helpers.

Tests move time with ``freeze(dt)``; nothing else calls ``datetime.now``.
"""
from datetime import UTC, datetime

import sqlalchemy as sa

_frozen: datetime | None = None


def utcnow() -> datetime:
    """Current time as an aware UTC datetime."""
    return _frozen or datetime.now(UTC)


def freeze(moment: datetime | None) -> None:
    """Pin ``utcnow`` to ``moment`` (aware); ``None`` releases it. For tests and benchmarks."""
    global _frozen
    _frozen = moment.astimezone(UTC) if moment else None


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on SQLite and PostgreSQL alike.

    Stored naive in UTC (SQLite has no time zones); handed back aware, so
    comparisons never mix naive and aware values.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def render_migration_type(type_, obj, autogen_context):
    """Alembic hook: write UTCDateTime as a plain DateTime so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
