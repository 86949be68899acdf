"""Who speaks at each press briefing."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.i18n import _l
from app.press.models import Briefing
from app.timeutil import UTCDateTime, utcnow
from app.units.models import Unit


def _enum(cls):
    return sa.Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class AssignmentRole(StrEnum):
    LEAD = "lead"
    DEPUTY = "deputy"


class AssignmentStatus(StrEnum):
    PROPOSED = "proposed"    # waiting for the person to accept
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # taken off by protocol


ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.PROPOSED: _l("Awaiting answer"),
    AssignmentStatus.ACCEPTED: _l("Accepted"),
    AssignmentStatus.DECLINED: _l("Declined"),
    AssignmentStatus.WITHDRAWN: _l("Withdrawn"),
}

ACTIVE_ASSIGNMENT_STATUSES = frozenset({AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED})


class SpokespersonAssignment(db.Model):
    __tablename__ = "spokesperson_assignments"
    __table_args__ = (sa.Index("ix_spokesperson_assignments_user_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(sa.ForeignKey("briefings.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))  # the unit spoken for
    role: Mapped[AssignmentRole] = mapped_column(_enum(AssignmentRole))
    status: Mapped[AssignmentStatus] = mapped_column(_enum(AssignmentStatus),
                                                     default=AssignmentStatus.PROPOSED)
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    briefing: Mapped[Briefing] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit] = relationship()
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
