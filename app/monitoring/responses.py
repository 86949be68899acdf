"""The response to a case: its text in versions, the approval chain, and the response given.

Why not a briefing note (``spokespeople.notes``): a note belongs to a press conference of an
event, holds the structured sections of a briefing (key messages, Q&A, red lines) and is read
by the event's circle. A response mostly has no event and no press conference (a portal
statement, a letter), and its readers are the case's circle, sensitive cases included. So
the text is versioned here in the notes' way (every save a new version, diff, submit →
approve / return), with the notes' approval rule: steering only for a sensitive case.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.auth.permissions import belongs_to, has_role
from app.auth.roles import Role
from app.errors import PermissionDenied, ValidationFailed
from app.events.models import Visibility
from app.extensions import db
from app.i18n import _
from app.monitoring import access
from app.monitoring.models import (
    CaseStatus,
    MonitoringCase,
    ResponseForm,
    ResponseVersion,
    StepAction,
    VersionStatus,
)
from app.monitoring.services import _flush_versioned, _step, case_params, case_url, check_version
from app.notifications.models import Kind
from app.notifications.services import notify
from app.press.models import Briefing, BriefingStatus
from app.settings import setting
from app.spokespeople import roster
from app.timeutil import utcnow

DRAFTABLE = (CaseStatus.VERIFYING, CaseStatus.DRAFTED, CaseStatus.APPROVED)


def can_draft(user, case: MonitoringCase) -> bool:
    """Those who move the case on, and whoever may speak for its lead unit today."""
    return access.can_view(user, case) and (
        access.can_work(user, case) or case.lead_unit_id in roster.units_spoken_for(user, utcnow()))


def can_approve(user, case: MonitoringCase) -> bool:
    """Sensitive cases: steering only. Others: steering or the lead unit's head."""
    if not access.can_view(user, case):
        return False
    if has_role(user, Role.STEERING):
        return True
    return not case.is_sensitive and belongs_to(user, case.lead_unit_id) and bool(user.is_unit_head)


def approvers(case: MonitoringCase) -> list[User]:
    steering = sa.select(User).where(User.active.is_(True), User.role_rows.any(role=Role.STEERING))
    users = list(db.session.scalars(steering.order_by(User.id)))
    if not case.is_sensitive:
        users += db.session.scalars(sa.select(User).where(
            User.active.is_(True), User.unit_id == case.lead_unit_id, User.is_unit_head.is_(True))
            .order_by(User.id))
    return users


def _require(allowed: bool, user, case: MonitoringCase) -> None:
    access.require_view(user, case)
    if not allowed:
        raise PermissionDenied()


def _latest(case: MonitoringCase, number) -> ResponseVersion:
    latest = case.latest
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = -1
    if latest is None or wanted != latest.number:
        raise ValidationFailed(_("Version %(number)s is no longer the newest response text: open "
                                 "the newest and act on it.", number=number))
    return latest


def save_text(user, case: MonitoringCase, expected_version, form: str, text: str) -> ResponseVersion:
    """Save the response text as a new draft version; the case is then "response drafted"."""
    _require(can_draft(user, case), user, case)
    expected = check_version(case, expected_version)
    if case.status not in DRAFTABLE:
        raise ValidationFailed(_("Record the verification before drafting the response."))
    if form not in ResponseForm._value2member_map_:
        raise ValidationFailed(_("Choose the form of the response."), "response_form")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write the response."), "text")
    old = case.status
    version = ResponseVersion(case=case, number=case.latest_version + 1, form=ResponseForm(form),
                              text=text, status=VersionStatus.DRAFT, author_id=user.id,
                              created_at=utcnow())
    db.session.add(version)
    case.latest_version = version.number
    case.response_form = ResponseForm(form)
    case.status = CaseStatus.DRAFTED
    case.updated_at = utcnow()
    _flush_versioned(case, expected)
    _step(case, StepAction.DRAFTED, user, _("version %(n)d", n=version.number), old)
    db.session.flush()
    return version


def submit(user, case: MonitoringCase, expected_version, number) -> ResponseVersion:
    """Ask for approval; the approvers hear of it."""
    _require(can_draft(user, case), user, case)
    expected = check_version(case, expected_version)
    version = _latest(case, number)
    if version.status is not VersionStatus.DRAFT:
        raise ValidationFailed(_("Only a draft can be submitted."))
    version.status = VersionStatus.SUBMITTED
    case.updated_at = utcnow()
    _flush_versioned(case, expected)
    _step(case, StepAction.SUBMITTED, user, _("version %(n)d", n=version.number), case.status)
    db.session.flush()
    notify(approvers(case), Kind.CASE_TO_APPROVE, case, event=None,
           step=f"to_approve:v{version.number}", params=case_params(case), url=case_url(case),
           urgent=case.is_sensitive)
    return version


def review(user, case: MonitoringCase, expected_version, number, approved: bool,
           comment: str = "") -> ResponseVersion:
    """Approve (the case is then "response approved") or return with comments."""
    _require(can_approve(user, case), user, case)
    expected = check_version(case, expected_version)
    version = _latest(case, number)
    if version.status is not VersionStatus.SUBMITTED:
        raise ValidationFailed(_("This response text does not wait for approval."))
    comment = (comment or "").strip()
    if not approved and not comment:
        raise ValidationFailed(_("Say what to change."), "comment")
    version.status = VersionStatus.APPROVED if approved else VersionStatus.RETURNED
    version.reviewer_id, version.reviewed_at, version.review_comment = user.id, utcnow(), comment
    old = case.status
    case.status = CaseStatus.APPROVED if approved else CaseStatus.DRAFTED
    case.updated_at = utcnow()
    _flush_versioned(case, expected)
    _step(case, StepAction.APPROVED if approved else StepAction.RETURNED, user,
          comment or _("version %(n)d", n=version.number), old)
    db.session.flush()
    return version


def speakers(case: MonitoringCase, at: datetime) -> list[User]:
    """Who may speak for the lead unit on the day of ``at`` (``roster.eligible_users``)."""
    return roster.eligible_users(case.lead_unit, at)


def record_response(user, case: MonitoringCase, expected_version, speaker_id: int | None,
                    given_at: datetime | None, link: str = "") -> MonitoringCase:
    """The approved response was given, in its form, by an eligible speaker, on ``given_at``.

    A press conference creates its briefing (held) for the case's related event.
    """
    _require(can_draft(user, case), user, case)
    expected = check_version(case, expected_version)
    if case.status is not CaseStatus.APPROVED or case.latest is None \
            or case.latest.status is not VersionStatus.APPROVED:
        raise ValidationFailed(_("The response text must be approved first."))
    if given_at is None:
        raise ValidationFailed(_("Give the date and time of the response."), "given_at")
    if given_at < case.published_at:
        raise ValidationFailed(_("The response cannot come before the publication (%(at)s).",
                                 at=case.published_at.strftime("%d/%m/%Y %H:%M UTC")), "given_at")
    if given_at > utcnow() + timedelta(minutes=5):
        raise ValidationFailed(_("Record a response once it was given: the time is in the future."),
                               "given_at")
    speaker = db.session.get(User, speaker_id) if speaker_id else None
    if speaker is None:
        raise ValidationFailed(_("Choose who spoke."), "speaker_id")
    if not roster.is_eligible(speaker, case.lead_unit, given_at):
        raise ValidationFailed(roster.eligibility_reason(speaker, case.lead_unit, given_at),
                               "speaker_id")
    link = (link or "").strip()
    if link:
        from app.monitoring.services import is_web_link
        if not is_web_link(link):
            raise ValidationFailed(_("The link must be a web address starting with http:// or "
                                     "https://."), "link")
    if case.response_form is ResponseForm.PRESS_CONFERENCE:
        case.briefing_id = _press_conference(case, given_at).id
    old = case.status
    case.speaker_id, case.responded_at, case.response_link = speaker.id, given_at, link
    case.status = CaseStatus.RESPONDED
    case.updated_at = utcnow()
    _flush_versioned(case, expected)
    _step(case, StepAction.RESPONDED, user, speaker.name, old)
    db.session.flush()
    return case


def _press_conference(case: MonitoringCase, starts_at: datetime) -> Briefing:
    """The briefing of a response given at a press conference, held, on the related event.

    Made the way the checklist proposes briefings (length from ``press.proposed_length_minutes``)
    so that it appears on the event, in feeds and on /briefings/.
    """
    if case.event is None:
        raise ValidationFailed(_("A press conference is held about an event: link the case to its "
                                 "event, or choose another form."), "speaker_id")
    briefing = Briefing(event=case.event, title_vi=f"Họp báo thông tin về: {case.headline}"[:300],
                        title_en=f"Press conference on: {case.headline}"[:300],
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=setting("press.proposed_length_minutes")),
                        timezone=case.event.timezone, status=BriefingStatus.HELD,
                        visibility=Visibility.INTERNAL if case.is_sensitive else case.event.visibility,
                        purpose=case.headline[:2000])
    db.session.add(briefing)
    db.session.flush()
    return briefing
