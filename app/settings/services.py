"""Reading and changing domain settings.

``setting(key)`` is what features call. It reads every stored value with one query
the first time it is used in an application context (one request, one CLI command)
and keeps them on ``flask.g`` for the rest of it; nothing is kept across requests,
so every process sees an administrator's change on its next request.
"""
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload

from app.auth.permissions import require_admin
from app.errors import NotVisible, ValidationFailed
from app.extensions import db
from app.i18n import _
from app.settings import registry
from app.settings.models import DomainSetting, SettingChange
from app.settings.registry import Setting
from app.settings.types import InvalidValue
from app.timeutil import utcnow

_CACHE = "_domain_settings"   # attribute of flask.g: ({key: stored text}, {key: typed value})


def setting(key: str) -> Any:
    """The typed value of ``key``: its row if present and valid, else the declared default.

    Raises LookupError for a key no module declared (a programming error).
    """
    definition = registry.get(key)
    texts, typed = _cached()
    if key not in typed:
        typed[key] = _in_force(definition, texts.get(key))
    return typed[key]


def _in_force(definition: Setting, text: str | None) -> Any:
    if text is not None:
        try:
            return definition.parse(text)
        except InvalidValue:
            pass  # e.g. a release narrowed the type: the default holds, the admin page flags the row
    return definition.default


def _cached() -> tuple[dict[str, str], dict[str, Any]]:
    cached = g.get(_CACHE)
    if cached is None:
        texts = dict(db.session.execute(sa.select(DomainSetting.key, DomainSetting.value)).all())
        cached = (texts, {})
        setattr(g, _CACHE, cached)
    return cached


def _forget_values() -> None:
    g.pop(_CACHE, None)


# --- changing ---------------------------------------------------------------------------

def _default_row(definition: Setting) -> dict[str, Any]:
    return {"value": definition.format(definition.default), "legal_basis": definition.legal_basis,
            "verified": definition.verified, "note": ""}


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def change(key: str, *, value: str | None = None, legal_basis: str | None = None,
           verified: bool | None = None, note: str | None = None, by=None) -> DomainSetting:
    """Set the given fields of ``key`` (None: leave as is) and keep each change in the history.

    The value is checked with the setting's type and stored in its canonical text;
    a refused value raises ValidationFailed (field ``value``) and writes nothing.
    ``by`` is the user (None: the command line). No permission check: pages call
    ``update``. Flushes.
    """
    definition = _definition(key)
    wanted: dict[str, Any] = {}
    if value is not None:
        wanted["value"] = definition.format(_checked(definition, value))
    if legal_basis is not None:
        if len(legal_basis.strip()) > 300:
            raise ValidationFailed(_("The legal basis can be at most 300 characters."), "legal_basis")
        wanted["legal_basis"] = legal_basis.strip()
    if verified is not None:
        wanted["verified"] = verified
    if note is not None:
        wanted["note"] = note.strip()
    row = db.session.get(DomainSetting, key)
    if row is None:
        row = DomainSetting(key=key, **_default_row(definition))
        db.session.add(row)
        db.session.flush()
    now = utcnow()
    changed = False
    for field, new in wanted.items():
        old = getattr(row, field)
        if old == new:
            continue
        db.session.add(SettingChange(key=key, field=field, old=_as_text(old), new=_as_text(new),
                                     changed_at=now, changed_by=by))
        setattr(row, field, new)
        changed = True
    if changed:
        row.updated_at, row.updated_by = now, by
    db.session.flush()
    _forget_values()
    return row


def update(admin, key: str, *, value: str, legal_basis: str, verified: bool, note: str) -> DomainSetting:
    """An administrator's edit from the settings page (see ``change``)."""
    require_admin(admin)
    return change(key, value=value, legal_basis=legal_basis, verified=verified, note=note, by=admin)


def _definition(key: str) -> Setting:
    try:
        return registry.get(key)
    except LookupError:
        raise ValidationFailed(_("Unknown setting: %(key)s.", key=key)) from None


def _checked(definition: Setting, text: str) -> Any:
    try:
        value = definition.parse(text)
    except InvalidValue as exc:
        raise ValidationFailed(exc.message, "value") from None
    if definition.type.needs_check == "unit":
        from app.units.models import Unit

        if db.session.scalar(sa.select(Unit.id).where(Unit.slug == value)) is None:
            raise ValidationFailed(_("No unit has the short name %(code)s.", code=value), "value")
    return value


def seed() -> int:
    """Write a row with the declared default for every setting that has none; returns how many.

    Never touches an existing row, so an administrator's edit survives. Flushes.
    """
    stored = set(db.session.scalars(sa.select(DomainSetting.key)))
    missing = [d for d in registry.SETTINGS.values() if d.key not in stored]
    db.session.add_all(DomainSetting(key=d.key, **_default_row(d)) for d in missing)
    db.session.flush()
    _forget_values()
    return len(missing)


def change_words(change: SettingChange) -> tuple[str, str]:
    """A history row's (old, new) as words: the flag as yes or no, a unit by its name."""
    if change.field == "verified":
        return str(_("yes") if change.old == "true" else _("no")), \
            str(_("yes") if change.new == "true" else _("no"))
    definition = registry.SETTINGS.get(change.key)
    if change.field == "value" and definition is not None and definition.type.needs_check == "unit":
        from app.units.services import name_by_slug

        return name_by_slug(change.old), name_by_slug(change.new)
    return change.old, change.new


# --- reading for the admin page and the command line ----------------------------------

@dataclass
class Entry:
    """A declared setting as the page and the command line show it."""

    definition: Setting
    row: DomainSetting | None     # None: never stored, the default applies
    value: Any                    # the typed value in force
    row_is_invalid: bool          # the row does not parse: the default applies

    @classmethod
    def of(cls, definition: Setting, row: DomainSetting | None) -> "Entry":
        if row is None:
            return cls(definition, None, definition.default, False)
        try:
            return cls(definition, row, definition.parse(row.value), False)
        except InvalidValue:
            return cls(definition, row, definition.default, True)

    @property
    def shown(self) -> str:
        return self.definition.format(self.value)

    @property
    def legal_basis(self) -> str:
        return self.row.legal_basis if self.row else self.definition.legal_basis

    @property
    def verified(self) -> bool:
        return self.row.verified if self.row else self.definition.verified


def all_entries() -> list[tuple[str, Any, list[Entry]]]:
    """Every declared setting with its row, by group: (group key, label, entries).

    No permission check: for the command line, which only the server's operators reach.
    """
    rows = {r.key: r for r in db.session.scalars(
        sa.select(DomainSetting).options(joinedload(DomainSetting.updated_by)))}
    return [(key, label, [Entry.of(d, rows.get(d.key)) for d in definitions])
            for key, label, definitions in registry.by_group()]


def entries(admin) -> list[tuple[str, Any, list[Entry]]]:
    """``all_entries`` for the admin page: administrators only."""
    require_admin(admin)
    return all_entries()


def entry(admin, key: str) -> Entry:
    """One setting for its edit page: administrators only (an unknown key is not found)."""
    require_admin(admin)
    if key not in registry.SETTINGS:
        raise NotVisible()
    return entry_of(key)


def entry_of(key: str) -> Entry:
    """One setting with its row (ValidationFailed for an unknown key). No permission check."""
    definition = _definition(key)
    return Entry.of(definition, db.session.get(DomainSetting, key))


def history(admin, key: str | None = None, limit: int = 50) -> list[SettingChange]:
    """The latest changes, newest first (of one setting if ``key`` is given)."""
    require_admin(admin)
    query = (sa.select(SettingChange).options(joinedload(SettingChange.changed_by))
             .order_by(SettingChange.id.desc()).limit(limit))
    if key is not None:
        query = query.where(SettingChange.key == key)
    return list(db.session.scalars(query))
