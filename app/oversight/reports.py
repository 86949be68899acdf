"""The periodic report's workflow: draft → submitted → approved (or returned), narrative versions.

Who: everyone who may open the dashboard reads reports; members of the propaganda
commission (``organisation.propaganda_unit``) and admins create them, write their
narrative and submit them; only the commission's head approves or returns them.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.auth.permissions import has_role, is_active_user
from app.auth.roles import Role
from app.errors import NotVisible, PermissionDenied, ValidationFailed
from app.extensions import db
from app.i18n import _
from app.oversight.content import SECTION_CODES
from app.oversight.models import Report, ReportStatus, ReportText
from app.oversight.periods import Period
from app.oversight.services import can_see_dashboard, require_dashboard
from app.settings import setting
from app.timeutil import utcnow

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_TEXT = 20_000


def _in_propaganda_unit(user) -> bool:
    return (is_active_user(user) and user.unit is not None
            and user.unit.slug == setting("organisation.propaganda_unit"))


def can_write_reports(user) -> bool:
    """Members of the propaganda commission and admins draft reports."""
    return _in_propaganda_unit(user) or has_role(user, Role.ADMIN)


def can_edit(user, report: Report) -> bool:
    return can_write_reports(user) and report.status in EDITABLE


def can_approve(user, report: Report) -> bool:
    """The head of the propaganda commission, once the report is submitted."""
    return (_in_propaganda_unit(user) and bool(user.is_unit_head)
            and report.status is ReportStatus.SUBMITTED)


def get_report(user, report_id: int) -> Report:
    require_dashboard(user)
    report = db.session.get(Report, report_id)
    if report is None:
        raise NotVisible()
    return report


def reports(user) -> list[Report]:
    require_dashboard(user)
    return list(db.session.scalars(sa.select(Report).order_by(Report.period_start.desc(), Report.id)))


def for_period(period: Period) -> Report | None:
    return db.session.scalar(sa.select(Report).where(Report.period_label == period.label))


def create(user, period: Period) -> Report:
    """The period's report, created as a draft if there is none yet. Flushes."""
    if not can_write_reports(user):
        raise PermissionDenied()
    existing = for_period(period)
    if existing is not None:
        return existing
    report = Report(period_label=period.label, period_start=period.start, period_end=period.end,
                    created_by_id=user.id)
    db.session.add(report)
    db.session.flush()
    return report


def _check_version(report: Report, version: int | None) -> None:
    if version != report.lock_version:
        raise ValidationFailed(_("Someone else changed this report after you opened it. "
                                 "Check it as it is now, then try again."))


@dataclass
class SectionText:
    latest: ReportText | None
    versions: list[ReportText]


def section_texts(report: Report) -> dict[str, SectionText]:
    """Each section's versions, newest last, and its current text."""
    found: dict[str, list[ReportText]] = {code: [] for code in SECTION_CODES}
    for text in report.texts:
        found.setdefault(text.section, []).append(text)
    return {code: SectionText(versions[-1] if versions else None, versions)
            for code, versions in found.items()}


def save_section(user, report: Report, section: str, text: str, base_number: int | None) -> ReportText | None:
    """A new version of the section's narrative; None when the text did not change.

    ``base_number`` is the version the writer started from: a save over someone else's
    newer version is refused (their text is kept, the writer's input is shown again).
    """
    if section not in SECTION_CODES:
        raise NotVisible()
    if not can_edit(user, report):
        raise PermissionDenied()
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("A section's text is at most %(n)d characters.", n=MAX_TEXT), "text")
    current = section_texts(report)[section].latest
    current_number = current.number if current else 0
    if (base_number or 0) != current_number:
        raise ValidationFailed(_("Someone else saved this section after you opened it (version "
                                 "%(n)d). Your text is kept below: compare, then save again.",
                                 n=current_number), "text")
    if current is not None and current.text == text:
        return None
    version = ReportText(report_id=report.id, section=section, number=current_number + 1, text=text,
                         author_id=user.id, created_at=utcnow())
    db.session.add(version)
    report.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(report)
    return version


def submit(user, report: Report, version: int | None) -> Report:
    if not can_edit(user, report):
        raise PermissionDenied()
    _check_version(report, version)
    report.status, report.submitted_at = ReportStatus.SUBMITTED, utcnow()
    db.session.flush()
    return report


def approve(user, report: Report, version: int | None, number: str = "") -> Report:
    if not can_approve(user, report):
        raise PermissionDenied()
    _check_version(report, version)
    report.status, report.approved_at, report.approved_by_id = ReportStatus.APPROVED, utcnow(), user.id
    report.review_comment = ""
    if number.strip():
        report.number = number.strip()[:60]
    db.session.flush()
    return report


def return_report(user, report: Report, version: int | None, comment: str) -> Report:
    if not can_approve(user, report):
        raise PermissionDenied()
    _check_version(report, version)
    if not (comment or "").strip():
        raise ValidationFailed(_("Say what should change."), "comment")
    report.status, report.review_comment = ReportStatus.RETURNED, comment.strip()
    db.session.flush()
    return report


def can_see_reports(user) -> bool:
    return can_see_dashboard(user)
