"""Units: the organisations of the province. Admins manage them."""
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale

from app import web
from app.auth.permissions import require_admin
from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _
from app.units.models import Unit, UnitKind


@dataclass
class UnitData:
    slug: str
    name_vi: str
    name_en: str
    kind: UnitKind
    parent_id: int | None = None
    deadlines_all_day: bool = False


def list_units(active_only: bool = False) -> Sequence[Unit]:
    query = sa.select(Unit).order_by(Unit.name_vi)
    if active_only:
        query = query.where(Unit.active.is_(True))
    return db.session.scalars(query).all()


def unit_choices(include_none: bool = False) -> list:
    """(id, name in the current language) of active units, for select fields."""
    locale = str(get_locale() or "vi")
    choices = [(u.id, u.name(locale)) for u in list_units(active_only=True)]
    choices.sort(key=lambda c: c[1])
    return web.choices(([(0, "—")] if include_none else []) + choices)


def get_by_slug(slug: str) -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(Unit.slug == slug))


def name_by_slug(slug: str) -> str:
    """The unit of short name ``slug`` by its name in the user's language.

    "" for "", the short name itself when no unit has it (history and the audit log keep
    short names).
    """
    unit = get_by_slug(slug) if slug else None
    return unit.name(str(get_locale() or "vi")) if unit else slug


def _apply(unit: Unit, data: UnitData) -> None:
    slug = data.slug.strip().lower()
    clash = get_by_slug(slug)
    if clash is not None and clash is not unit:
        raise ValidationFailed(_("Another unit already uses this short name."), "slug")
    if data.parent_id is not None:
        parent = db.session.get(Unit, data.parent_id)
        if parent is None:
            raise ValidationFailed(_("Unknown unit."), "parent_id")
        ancestor: Unit | None = parent
        while ancestor is not None:  # a unit cannot sit under itself
            if unit.id is not None and ancestor.id == unit.id:
                raise ValidationFailed(_("A unit cannot be placed under itself."), "parent_id")
            ancestor = ancestor.parent
    unit.slug = slug
    unit.name_vi = data.name_vi.strip()
    unit.name_en = data.name_en.strip()
    unit.kind = UnitKind(data.kind)
    unit.parent_id = data.parent_id
    unit.deadlines_all_day = bool(data.deadlines_all_day)


def create_unit(actor, data: UnitData) -> Unit:
    require_admin(actor)
    unit = Unit()
    _apply(unit, data)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(actor, unit: Unit, data: UnitData) -> Unit:
    require_admin(actor)
    _apply(unit, data)
    db.session.flush()
    return unit


def set_unit_active(actor, unit: Unit, active: bool) -> None:
    """Deactivated units keep their history but are no longer offered in forms."""
    require_admin(actor)
    unit.active = active
    db.session.flush()
