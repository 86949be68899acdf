from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model, enum_type
from app.i18n import _l
from app.timeutil import UTCDateTime, utcnow


class UnitKind(StrEnum):
    PARTY = "party"            # Party committees and commissions
    STEERING = "steering"      # steering committees
    GOVERNMENT = "government"  # People's Committee and its office
    DEPARTMENT = "department"  # provincial departments (sở)
    MEDIA = "media"            # provincial newspaper, radio and television
    LOCAL = "local"            # district/commune-level committees
    OTHER = "other"


UNIT_KIND_LABELS = {
    UnitKind.PARTY: _l("Party body"),
    UnitKind.STEERING: _l("Steering committee"),
    UnitKind.GOVERNMENT: _l("People's Committee"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.MEDIA: _l("Press and media"),
    UnitKind.LOCAL: _l("Local committee"),
    UnitKind.OTHER: _l("Other"),
}


class Unit(Model):
    """An organisation that leads or coordinates events. Units are data, never code."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(
        enum_type(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Calendar feeds show this unit's deadlines counted in days as all-day entries.
    deadlines_all_day: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    def __repr__(self) -> str:
        return f"<Unit {self.slug}>"
