"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""
from app.auth.models import LoginAttempt, User, UserRole  # noqa: F401
from app.checklists.models import ChecklistItem  # noqa: F401
from app.events.models import Delegation, DelegationMember, Event, EventChange, ProgrammeItem, Venue  # noqa: F401
from app.press.models import Briefing  # noqa: F401
from app.spokespeople.models import SpokespersonAssignment  # noqa: F401
from app.units.models import Unit  # noqa: F401
