"""Imports every model module so that SQLAlchemy and Alembic see the whole schema."""
from app.auth.models import LoginAttempt, User, UserRole  # noqa: F401
from app.events.models import (Delegation, DelegationMember, Event, EventChange,  # noqa: F401
                               ProgrammeItem, Venue)
from app.press.models import Briefing, PressOutlet  # noqa: F401
from app.units.models import Unit  # noqa: F401
from app.checklists.models import (ChecklistItem, ChecklistStep, ChecklistSubmission,  # noqa: F401
                                   ChecklistTemplate, SubmissionAttachment)
from app.spokespeople.models import SpokespersonAssignment  # noqa: F401
