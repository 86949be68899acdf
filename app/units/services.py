"""Units: the organisations of the province. Admins manage them."""
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context, request
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


_NAMES = "briefdesk.unit_names"  # kept in the request's WSGI environ: one read a request


def _all_names() -> Sequence[sa.Row]:
    """Every unit's id, short name and names, read once per request (units are few)."""
    kept: dict = request.environ if has_request_context() else {}
    rows = kept.get(_NAMES)
    if rows is None:
        rows = kept[_NAMES] = db.session.execute(
            sa.select(Unit.id, Unit.slug, Unit.name_vi, Unit.name_en)).all()
    return rows


def _reader_name(row: sa.Row) -> str:
    """``Unit.name`` for the user's language, from a row of ``_all_names``."""
    english = str(get_locale() or "vi") == "en"
    return row.name_en if english and row.name_en else row.name_vi


def names_by_id() -> dict[int, str]:
    """{unit id: its name in the user's language}, for pages that name many units."""
    return {row.id: _reader_name(row) for row in _all_names()}


def name_by_slug(slug: str) -> str:
    """The unit of short name ``slug`` by its name in the user's language.

    "" for "", the short name itself when no unit has it (history and the audit log keep
    short names).
    """
    row = next((r for r in _all_names() if r.slug == slug), None) if slug else None
    return _reader_name(row) if row else slug


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
