"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""
from app.auth.models import LoginAttempt, User, UserRole  # noqa: F401
from app.units.models import Unit  # noqa: F401
