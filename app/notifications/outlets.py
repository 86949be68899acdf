"""E-mails to the press outlets invited to a briefing, exactly once each (``reminders send``).

For every (briefing, invited outlet with an e-mail address):

- ``invite@<sequence>`` once the briefing is scheduled and still ahead: time, venue,
  accreditation instructions (settings ``press.accreditation_vi`` / ``_en``) and the
  briefing's ``.ics`` (``app.feeds.ical.briefing_ics``), in the outlet's language;
- ``update@<sequence>`` when the briefing moved (its SEQUENCE rose) after the outlet heard of
  it: one e-mail per outlet however many times it moved between two runs;
- ``cancel`` once when a briefing the outlet heard of is cancelled;
- ``release`` once the press release is written and its embargo (if any) has passed.

Rows are claimed in ``outlet_mailings`` under a unique key before sending, as ``Delivery``
rows are, so two runs on two hosts send nothing twice; refusals are retried with the
reminders' back-off.
"""
import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.extensions import db, insert_ignoring_conflicts
from app.feeds.ical import briefing_ics
from app.i18n import _, _l
from app.inputs import single_line
from app.notifications.mail import MESSAGE_POLICY, MailSettings, mailer_for
from app.notifications.models import SENDABLE, DeliveryStatus, OutletMailing
from app.notifications.texts import when
from app.press.models import Briefing, BriefingStatus, PressOutlet, briefing_outlets
from app.settings import define, setting, types
from app.timeutil import utcnow

log = logging.getLogger("briefdesk.reminders")

define("press.accreditation_vi", _l("Accreditation instructions for the press (Vietnamese)"),
       types.TEXT, "Phóng viên mang thẻ nhà báo hoặc giấy giới thiệu của cơ quan báo chí, có mặt "
       "trước giờ họp báo 30 phút để làm thủ tục tại bàn báo chí.",
       help=_l("Written into every invitation e-mailed to an outlet in Vietnamese."))
define("press.accreditation_en", _l("Accreditation instructions for the press (English)"),
       types.TEXT, "Please bring your press card or a letter from your news organisation and "
       "arrive 30 minutes early to register at the press desk. Foreign correspondents: "
       "accreditation as required by Decree 88/2012/ND-CP.",
       help=_l("Written into every invitation e-mailed to an outlet in English."))

# Briefings whose outlets may still get something: ended at most this long ago (the release).
LOOKBACK = timedelta(days=30)


STEP_LABELS = {"invite": _l("Invitation"), "update": _l("Changed invitation"),
               "cancel": _l("Cancellation"), "release": _l("Press release")}


def step_label(step: str) -> str:
    """A mailing's step in words: "invite@3" is an invitation (the briefing's 3rd version)."""
    label = STEP_LABELS.get(step.split("@", 1)[0])
    return str(label) if label is not None else step


def _steps_taken(briefing_ids: list[int]) -> dict[tuple[int, int], set[str]]:
    taken: dict[tuple[int, int], set[str]] = {}
    for start in range(0, len(briefing_ids), 500):
        for b_id, o_id, step in db.session.execute(
                sa.select(OutletMailing.briefing_id, OutletMailing.outlet_id, OutletMailing.step)
                .where(OutletMailing.briefing_id.in_(briefing_ids[start:start + 500]))):
            taken.setdefault((b_id, o_id), set()).add(step)
    return taken


def _last_sequence(steps: set[str]) -> int | None:
    """The newest SEQUENCE the outlet was told about (invite or update), or None."""
    told = [int(s.split("@", 1)[1]) for s in steps if s.startswith(("invite@", "update@"))]
    return max(told) if told else None


def wanted_step(briefing: Briefing, steps: set[str], now: datetime) -> list[str]:
    """The steps an outlet with ``steps`` already claimed should get now."""
    told = _last_sequence(steps)
    out = []
    if briefing.status is BriefingStatus.CANCELLED:
        if told is not None and "cancel" not in steps:
            out.append("cancel")
        return out
    if briefing.status is BriefingStatus.SCHEDULED and briefing.starts_at > now:
        if told is None:
            out.append(f"invite@{briefing.sequence}")
        elif briefing.sequence > told:
            out.append(f"update@{briefing.sequence}")
    released = briefing.release_embargo_until is None or briefing.release_embargo_until <= now
    if ((briefing.release_vi or briefing.release_en) and released and "release" not in steps
            and (told is not None or out)):
        out.append("release")
    return out


def claim(now: datetime) -> int:
    """Claim the e-mails due to invited outlets; returns how many rows were claimed."""
    rows = db.session.execute(
        sa.select(Briefing, PressOutlet)
        .join(briefing_outlets, briefing_outlets.c.briefing_id == Briefing.id)
        .join(PressOutlet, PressOutlet.id == briefing_outlets.c.outlet_id)
        .where(Briefing.ends_at >= now - LOOKBACK, PressOutlet.active.is_(True),
               Briefing.status != BriefingStatus.PROPOSED)
        .order_by(Briefing.id, PressOutlet.id)).all()
    if not rows:
        return 0
    taken = _steps_taken(sorted({b.id for b, _o in rows}))
    values = []
    for briefing, outlet in rows:
        if not outlet.email:
            continue
        for step in wanted_step(briefing, taken.get((briefing.id, outlet.id), set()), now):
            values.append({"briefing_id": briefing.id, "outlet_id": outlet.id, "step": step,
                           "address": outlet.email, "status": DeliveryStatus.PENDING.value,
                           "attempts": 0, "next_attempt_at": now, "last_error": "",
                           "created_at": now})
    if not values:
        return 0
    table = OutletMailing.__table__
    result = db.session.execute(insert_ignoring_conflicts(table).on_conflict_do_nothing()
                                .returning(table.c.id), values)
    claimed = len(result.all())
    db.session.commit()
    return claimed


def message_for(mailing: OutletMailing, briefing: Briefing, outlet: PressOutlet,
                sender: str) -> EmailMessage:
    """The e-mail of one ledger row, in the outlet's language."""
    locale = outlet.mail_locale
    base = current_app.config["BASE_URL"]
    kind = mailing.step.split("@", 1)[0]
    with force_locale(locale):
        title = briefing.title(locale)
        start = when(briefing.starts_at.isoformat(), briefing.timezone, locale)
        venue = briefing.venue.name if briefing.venue else (briefing.location or "—")
        facts = [_("Time: %(time)s", time=start), _("Venue: %(venue)s", venue=venue)]
        if kind == "invite":
            subject = _("Invitation to a press conference: %(title)s", title=title)
            lines = [_("%(outlet)s is invited to the press conference “%(title)s”.",
                       outlet=outlet.name, title=title), *facts,
                     _("Accreditation: %(text)s", text=setting(
                         "press.accreditation_en" if locale == "en" else "press.accreditation_vi")),
                     _("The calendar file attached adds it to your calendar.")]
        elif kind == "update":
            subject = _("Changed: %(title)s", title=title)
            lines = [_("The press conference “%(title)s” has changed. It now takes place:",
                       title=title), *facts,
                     _("The calendar file attached updates the entry in your calendar.")]
        elif kind == "cancel":
            subject = _("Cancelled: %(title)s", title=title)
            lines = [_("The press conference “%(title)s” is cancelled.", title=title)]
        else:
            subject = _("Press release: %(title)s", title=title)
            text = (briefing.release_en or briefing.release_vi) if locale == "en" else (
                briefing.release_vi or briefing.release_en)
            lines = [_("Press release of “%(title)s”:", title=title), "", text]
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["Subject"] = single_line(subject)
    message["From"] = sender
    message["To"] = formataddr((single_line(outlet.name), mailing.address))
    message["Date"] = formatdate(utcnow().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or "localhost")
    message.set_content("\n".join(lines) + "\n")
    if kind != "release":
        message.add_attachment(briefing_ics(briefing, locale=locale).decode("utf-8"),
                               subtype="calendar", charset="utf-8",
                               filename=f"briefing-{briefing.id}.ics",
                               params={"method": "PUBLISH"})
    message["Content-Language"] = locale
    return message


def send(now: datetime, max_attempts: int, backoff) -> tuple[int, int]:
    """Send the claimed rows that are due; returns (sent or logged, failed)."""
    ids = db.session.scalars(
        sa.update(OutletMailing)
        .where(OutletMailing.status.in_(SENDABLE), OutletMailing.next_attempt_at <= now)
        .values(status=DeliveryStatus.SENDING).returning(OutletMailing.id)).all()
    db.session.commit()
    if not ids:
        return 0, 0
    settings = MailSettings.from_app()
    mailer = mailer_for(settings)
    done = failed = 0
    try:
        for mailing in db.session.scalars(sa.select(OutletMailing).where(
                OutletMailing.id.in_(ids)).order_by(OutletMailing.id)):
            briefing = db.session.scalar(sa.select(Briefing).where(
                Briefing.id == mailing.briefing_id).options(selectinload(Briefing.venue)))
            outlet = db.session.get(PressOutlet, mailing.outlet_id)
            try:
                if briefing is None or outlet is None:
                    mailing.status = DeliveryStatus.WITHDRAWN
                    continue
                mailer.send(message_for(mailing, briefing, outlet, settings.sender))
                mailing.status = DeliveryStatus.SENT if settings.configured else DeliveryStatus.LOGGED
                mailing.sent_at, mailing.last_error = now, ""
                done += 1
            except SQLAlchemyError:
                raise
            except Exception as exc:  # noqa: BLE001  (one refusal never blocks the others)
                mailing.attempts += 1
                mailing.status = (DeliveryStatus.GAVE_UP if mailing.attempts >= max_attempts
                                  else DeliveryStatus.FAILED)
                mailing.next_attempt_at = now + backoff(mailing.attempts)
                mailing.last_error = f"{type(exc).__name__}: {exc}"[:500]
                failed += 1
                log.warning("outlet mailing %s failed (attempt %s): %s", mailing.id,
                            mailing.attempts, mailing.last_error)
            db.session.commit()
    finally:
        mailer.close()
    return done, failed


def mailings_of(briefing_id: int) -> list[OutletMailing]:
    """What each outlet was sent for a briefing (the briefing page's panel)."""
    return list(db.session.scalars(sa.select(OutletMailing).where(
        OutletMailing.briefing_id == briefing_id).order_by(OutletMailing.id)))
