"""Correction requests (Press Law 2016 Art. 42, DOMAIN.md rule 11) and the outlet's correction.

The lead unit asks the outlet in writing (the letter: ``documents.correction_letter``) to
publish "Thông tin cải chính, xin lỗi" — the item's title and date, the false and the
corrected content — or, online, to remove the item. The case then waits for the outlet's
correction: ``monitoring.correction_follow_up_days`` later the lead unit is reminded
(``clocks``). Recording the correction (date and link, or removed) stops that clock.
"""
from datetime import datetime, timedelta

from app.errors import ValidationFailed
from app.extensions import db
from app.i18n import _
from app.monitoring import rules
from app.monitoring.models import CaseStatus, MonitoringCase, StepAction
from app.monitoring.responses import can_draft
from app.monitoring.services import (
    _flush_versioned,
    _require_draft,
    _step,
    check_version,
    is_web_link,
)
from app.timeutil import utcnow


def request_correction(user, case: MonitoringCase, expected_version, false_content: str,
                       corrected_content: str, signatory: str) -> MonitoringCase:
    """After the response: ask the outlet to correct; the follow-up clock starts."""
    _require_draft(user, case, can_draft)
    expected = check_version(case, expected_version)
    if case.status not in (CaseStatus.RESPONDED, CaseStatus.CORRECTION_REQUESTED):
        raise ValidationFailed(_("A correction is requested after the response was given."))
    false_content, corrected_content = (false_content or "").strip(), (corrected_content or "").strip()
    signatory = (signatory or "").strip()
    if not false_content:
        raise ValidationFailed(_("Quote the false content."), "false_content")
    if not corrected_content:
        raise ValidationFailed(_("Give the corrected content."), "corrected_content")
    if not signatory:
        raise ValidationFailed(_("Name the signatory."), "signatory")
    now = utcnow()
    old = case.status
    case.false_content, case.corrected_content, case.signatory = false_content, corrected_content, signatory
    case.correction_requested_at = now
    case.correction_follow_up_at = rules.correction_follow_up(now)
    case.correction_published_at, case.correction_link, case.correction_removed = None, "", False
    case.status = CaseStatus.CORRECTION_REQUESTED
    case.updated_at = now
    _flush_versioned(case, expected)
    _step(case, StepAction.CORRECTION_REQUESTED, user, signatory, old)
    db.session.flush()
    return case


def record_correction(user, case: MonitoringCase, expected_version, published_at: datetime | None,
                      link: str, removed: bool) -> MonitoringCase:
    """The outlet published its correction (date and link) or removed the item."""
    _require_draft(user, case, can_draft)
    expected = check_version(case, expected_version)
    if case.status is not CaseStatus.CORRECTION_REQUESTED or case.correction_requested_at is None:
        raise ValidationFailed(_("No correction was requested."))
    link = (link or "").strip()
    now = utcnow()
    if not removed:
        if published_at is None:
            raise ValidationFailed(_("Give the date of the correction, or tick that the item was "
                                     "removed."), "published_at")
        if not is_web_link(link):
            raise ValidationFailed(_("The link must be a web address starting with http:// or "
                                     "https://."), "link")
    if published_at is not None and (published_at < case.published_at
                                     or published_at > now + timedelta(minutes=5)):
        raise ValidationFailed(_("The correction's date must lie between the publication and now."),
                               "published_at")
    old = case.status
    case.correction_published_at = published_at or now
    case.correction_link, case.correction_removed = link, bool(removed)
    case.updated_at = now
    _flush_versioned(case, expected)
    _step(case, StepAction.CORRECTION_RECORDED, user,
          _("item removed") if removed else link, old)
    db.session.flush()
    return case
