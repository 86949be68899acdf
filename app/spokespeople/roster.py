"""The roster: designated spokespeople and written authorisations, and who is eligible.

Decree 09/2017 (DOMAIN.md rule 3): a unit speaks through its head, a designated
spokesperson, or a person the head authorises in writing, per case and for a
limited time, without sub-delegation.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import User
from app.auth.permissions import belongs_to, has_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.i18n import _
from app.spokespeople.models import Authorisation, SpokespersonDesignation
from app.timeutil import utcnow
from app.units.models import Unit

MANAGER_ROLES = (Role.ADMIN, Role.PROTOCOL)


def local_day(at: datetime) -> date:
    """The calendar day of ``at`` in APP_TIMEZONE: windows are written as dates there."""
    return at.astimezone(ZoneInfo(current_app.config["APP_TIMEZONE"])).date()


def today() -> date:
    return local_day(utcnow())


def keeps_every_roster(user) -> bool:
    return has_role(user, *MANAGER_ROLES)


def can_manage(user, unit_id: int) -> bool:
    """Protocol and admin keep the roster; a unit's head keeps their own unit's."""
    if keeps_every_roster(user):
        return True
    return belongs_to(user, unit_id) and user.is_unit_head


def keeps_a_roster(user) -> bool:
    """Whether the user keeps the roster of any unit (to offer the forms at all)."""
    return keeps_every_roster(user) or bool(getattr(user, "is_unit_head", False))


def require_manage(user, unit_id: int) -> None:
    if not can_manage(user, unit_id):
        raise PermissionDenied()


def _designations(user_id: int | None = None, unit_id: int | None = None):
    query = sa.select(SpokespersonDesignation)
    if user_id is not None:
        query = query.where(SpokespersonDesignation.user_id == user_id)
    if unit_id is not None:
        query = query.where(SpokespersonDesignation.unit_id == unit_id)
    return db.session.scalars(query).all()


def _authorisations(user_id: int | None = None, unit_id: int | None = None):
    query = sa.select(Authorisation)
    if user_id is not None:
        query = query.where(Authorisation.user_id == user_id)
    if unit_id is not None:
        query = query.where(Authorisation.unit_id == unit_id)
    return db.session.scalars(query).all()


def is_head_of(user: User, unit: Unit) -> bool:
    """The head of an active unit speaks for it without designation or authorisation (rule 3)."""
    return bool(user.active and user.is_unit_head and user.unit_id == unit.id and unit.active)


def is_eligible(user: User, unit: Unit, at: datetime) -> bool:
    """May ``user`` speak for ``unit`` at ``at``.

    The unit's head always may (Decree 09/2017, DOMAIN.md rule 3); others need a designation or
    a written authorisation covering that day (``covers``: in its window, not revoked, person
    and unit active).
    """
    if user is None or unit is None:
        return False
    if is_head_of(user, unit):
        return True
    day = local_day(at)
    return (any(d.covers(day) for d in _designations(user.id, unit.id))
            or any(a.covers(day) for a in _authorisations(user.id, unit.id)))


# Words too common to tell two topics apart (Vietnamese syllables and English words).
STOP_WORDS = frozenset({"của", "và", "các", "những", "năm", "tỉnh", "với", "cho", "về", "tại",
                        "trong", "phát", "ngôn", "họp", "báo", "the", "and", "for", "with",
                        "press", "conference", "province"})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", (text or "").lower()) if len(w) >= 3} - STOP_WORDS


def speaking_reasons(unit: Unit, at: datetime, users) -> dict[int, tuple[str, list[Authorisation]]]:
    """Why each of ``users`` may speak for ``unit`` on the day of ``at``, in two queries.

    User id -> ("head" | "designated" | "authorised" | "", the covering authorisations).
    """
    day = local_day(at)
    designated = set(db.session.scalars(sa.select(SpokespersonDesignation.user_id).where(
        SpokespersonDesignation.unit_id == unit.id, SpokespersonDesignation.covers_clause(day))))
    written: dict[int, list[Authorisation]] = {}
    for found in db.session.scalars(sa.select(Authorisation).where(
            Authorisation.unit_id == unit.id, Authorisation.covers_clause(day))
            .order_by(Authorisation.valid_from, Authorisation.id)):
        written.setdefault(found.user_id, []).append(found)
    reasons: dict[int, tuple[str, list[Authorisation]]] = {}
    for user in users:
        if is_head_of(user, unit):
            reasons[user.id] = ("head", [])
        elif user.id in designated:
            reasons[user.id] = ("designated", [])
        elif user.id in written:
            reasons[user.id] = ("authorised", written[user.id])
        else:
            reasons[user.id] = ("", [])
    return reasons


def speaks_as(user: User, unit: Unit, at: datetime) -> tuple[str, list[Authorisation]]:
    """Why ``user`` may speak: "head", "designated", "authorised" (with the authorisations) or ""."""
    return speaking_reasons(unit, at, [user])[user.id]


def matters_mismatch(matters: str, topic: str) -> bool:
    """An authorisation's matters share no telling word with the briefing's topic (a warning)."""
    return not (_words(matters) & _words(topic))


def eligible_clause(unit_id: int, at: datetime) -> sa.ColumnElement[bool]:
    """SQL condition on ``User``, twin of ``is_eligible`` for the unit ``unit_id``."""
    day = local_day(at)
    designated = sa.select(SpokespersonDesignation.user_id).where(
        SpokespersonDesignation.unit_id == unit_id, SpokespersonDesignation.covers_clause(day))
    authorised = sa.select(Authorisation.user_id).where(
        Authorisation.unit_id == unit_id, Authorisation.covers_clause(day))
    head = sa.select(User.id).join(Unit, Unit.id == User.unit_id).where(
        User.unit_id == unit_id, User.is_unit_head.is_(True), User.active.is_(True),
        Unit.active.is_(True))
    return User.id.in_(sa.union(designated, authorised, head))


def units_spoken_for(user, at: datetime) -> set[int]:
    """The ids of the units ``user`` may speak for on the day of ``at`` (``is_eligible`` for each)."""
    if user is None or getattr(user, "id", None) is None:
        return set()
    return set(db.session.scalars(spoken_for_statement(user.id, at)))


def spoken_for_statement(user_id: int, at: datetime) -> sa.CompoundSelect:
    """``units_spoken_for`` as a statement (unit ids), to use inside another query."""
    day = local_day(at)
    designated = sa.select(SpokespersonDesignation.unit_id).where(
        SpokespersonDesignation.user_id == user_id, SpokespersonDesignation.covers_clause(day))
    authorised = sa.select(Authorisation.unit_id).where(
        Authorisation.user_id == user_id, Authorisation.covers_clause(day))
    return sa.union(designated, authorised)


def eligible_users(unit: Unit, at: datetime) -> list[User]:
    """Everyone who may speak for ``unit`` on the day of ``at``, by name."""
    return list(db.session.scalars(sa.select(User).where(eligible_clause(unit.id, at))
                                   .options(selectinload(User.unit))
                                   .order_by(User.name, User.id)))


def eligibility_reason(user: User, unit: Unit, at: datetime) -> str:
    """Why ``user`` may not speak for ``unit`` then (for the refusal message)."""
    return _("%(name)s is neither the head nor a designated spokesperson of %(unit)s, nor authorised "
             "in writing for %(day)s.", name=user.name, unit=unit.name_vi, day=local_day(at).strftime("%d/%m/%Y"))


# --- designations ---------------------------------------------------------------------

@dataclass
class DesignationData:
    unit_id: int
    user_id: int
    title: str
    phone: str
    email: str
    since: date
    until: date | None = None


def designate(actor, data: DesignationData) -> SpokespersonDesignation:
    require_manage(actor, data.unit_id)
    unit = db.session.get(Unit, data.unit_id)
    user = db.session.get(User, data.user_id)
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), "unit_id")
    if user is None or not user.active:
        raise ValidationFailed(_("Unknown person."), "user_id")
    if data.until is not None and data.until < data.since:
        raise ValidationFailed(_("The end date is before the start date."), "until")
    designation = SpokespersonDesignation(
        unit=unit, user=user, title=data.title.strip(), phone=data.phone.strip(),
        email=data.email.strip(), since=data.since, until=data.until)
    db.session.add(designation)
    db.session.flush()
    _list_changed(actor, f"+ {user.name} ({unit.name_vi})")
    return designation


def end_designation(actor, designation: SpokespersonDesignation, last_day: date) -> None:
    require_manage(actor, designation.unit_id)
    if last_day < designation.since:
        raise ValidationFailed(_("The end date is before the start date."), "until")
    designation.until = last_day
    db.session.flush()
    _list_changed(actor, f"− {designation.user.name} ({designation.unit.name_vi})")


def _list_changed(actor, note: str) -> None:
    from app.spokespeople.list_notice import record_change  # it imports this module
    record_change(actor, note)


def current_designations() -> list[SpokespersonDesignation]:
    """Designations in force today, with their person and unit, for the public directory."""
    query = (sa.select(SpokespersonDesignation)
             .join(SpokespersonDesignation.unit).join(SpokespersonDesignation.user)
             .options(contains_eager(SpokespersonDesignation.unit),
                      contains_eager(SpokespersonDesignation.user))
             .where(SpokespersonDesignation.covers_clause(today()))
             .order_by(Unit.name_vi, SpokespersonDesignation.since, SpokespersonDesignation.id))
    return list(db.session.scalars(query))


def published_designation(designation_id: int) -> SpokespersonDesignation | None:
    """The designation if the public directory lists it (in force today), else None."""
    designation = db.session.get(SpokespersonDesignation, designation_id)
    return designation if designation is not None and designation.covers(today()) else None


# --- authorisations -------------------------------------------------------------------

@dataclass
class AuthorisationData:
    document_number: str
    document_date: date
    issued_by_id: int
    user_id: int
    unit_id: int
    valid_from: date
    valid_until: date
    matters: str


def authorise(actor, data: AuthorisationData) -> Authorisation:
    """Record a written authorisation. The issuer must be the unit's head (no sub-delegation)."""
    require_manage(actor, data.unit_id)
    unit = db.session.get(Unit, data.unit_id)
    issuer = db.session.get(User, data.issued_by_id)
    person = db.session.get(User, data.user_id)
    if unit is None:
        raise ValidationFailed(_("Unknown unit."), "unit_id")
    if person is None or not person.active:
        raise ValidationFailed(_("Unknown person."), "user_id")
    if issuer is None or not (issuer.is_unit_head and issuer.unit_id == unit.id):
        if issuer is not None and _authorisations(issuer.id, unit.id):
            raise ValidationFailed(_("An authorised person cannot pass the authorisation on: "
                                     "only the head of the unit may issue one."), "issued_by_id")
        raise ValidationFailed(_("Only the head of %(unit)s may issue its authorisations.",
                                 unit=unit.name_vi), "issued_by_id")
    if issuer.id == person.id:
        raise ValidationFailed(_("The head speaks for the unit without an authorisation."),
                               "user_id")
    if data.valid_until < data.valid_from:
        raise ValidationFailed(_("The authorisation ends before it starts."), "valid_until")
    if not data.matters.strip():
        raise ValidationFailed(_("Name the matters the authorisation covers."), "matters")
    authorisation = Authorisation(
        document_number=data.document_number.strip(), document_date=data.document_date,
        issued_by=issuer, user=person, unit=unit, valid_from=data.valid_from,
        valid_until=data.valid_until, matters=data.matters.strip(), recorded_by_id=actor.id)
    db.session.add(authorisation)
    db.session.flush()
    return authorisation


def revoke(actor, authorisation: Authorisation) -> None:
    require_manage(actor, authorisation.unit_id)
    if authorisation.revoked_at is None:
        authorisation.revoked_at = utcnow()
    db.session.flush()


@dataclass
class RosterUnit:
    unit: Unit
    designations: list[SpokespersonDesignation]
    authorisations: list[Authorisation]
    manage: bool  # the viewer keeps this unit's roster


def roster(viewer, unit_id: int | None = None) -> list[RosterUnit]:
    """Every active unit (or only ``unit_id``) with its designations and authorisations, newest first.

    With whether ``viewer`` keeps its roster. A fixed number of queries.
    """
    units = db.session.scalars(sa.select(Unit).where(Unit.active.is_(True),
                                                     Unit.id == unit_id if unit_id else sa.true())
                               .order_by(Unit.name_vi)).all()
    designations: dict[int, list[SpokespersonDesignation]] = {}
    authorisations: dict[int, list[Authorisation]] = {}
    for d in db.session.scalars(sa.select(SpokespersonDesignation)
                                .where(SpokespersonDesignation.unit_id == unit_id if unit_id
                                       else sa.true())
                                .options(selectinload(SpokespersonDesignation.user),
                                         selectinload(SpokespersonDesignation.unit))
                                .order_by(SpokespersonDesignation.since.desc())):
        designations.setdefault(d.unit_id, []).append(d)
    for a in db.session.scalars(sa.select(Authorisation)
                                .where(Authorisation.unit_id == unit_id if unit_id else sa.true())
                                .options(selectinload(Authorisation.user),
                                         selectinload(Authorisation.issued_by),
                                         selectinload(Authorisation.unit))
                                .order_by(Authorisation.valid_from.desc())):
        authorisations.setdefault(a.unit_id, []).append(a)
    return [RosterUnit(u, designations.get(u.id, []), authorisations.get(u.id, []),
                       can_manage(viewer, u.id)) for u in units]
