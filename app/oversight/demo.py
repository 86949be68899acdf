"""Demo oversight data: a year of briefings, submissions and a periodic report. Idempotent.

Called from ``app.demo.load`` after the checklists. Past events get realistic work: units
differ in how often they are late, most events have a press conference or release before
they start (the PPC holds one each quarter), each submission carries a lead time; the last
quarter's report has a narrative; two press agencies' questions (monitoring cases of origin
"press request") run their 30-day answer clocks, one close to its deadline.
"""
import random
from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.checklists.models import ChecklistItem, ChecklistSubmission, ItemStatus
from app.events.models import Event
from app.extensions import db
from app.monitoring import rules as monitoring_rules
from app.monitoring.models import (
    CaseStatus,
    CaseStep,
    Classification,
    MonitoringCase,
    Origin,
    StepAction,
)
from app.oversight import periods
from app.oversight.models import Report, ReportText
from app.oversight.services import HELD_STATUSES
from app.press.defaults import with_prefix
from app.press.models import Briefing, BriefingStatus
from app.timeutil import utcnow
from app.units.models import Unit

# How often each unit is late, by slug (others: 10%): the ranking has a top and a bottom.
LATE_SHARE = {"so-vhttdl": 0.05, "so-ngoai-vu": 0.08, "ubnd-tinh": 0.12, "huyen-uy-ngoc-hoi": 0.35,
              "bao-qng": 0.25}
BRIEFED_SHARE = 0.8


def load(users: dict[str, User]) -> dict[str, int]:
    rng = random.Random(57)
    now = utcnow()
    counts = {"submissions with lead times": _submissions(rng, now, users),
              "briefings held": _briefings(rng, now)}
    counts["periodic reports"] = _report(users, now)
    counts["press requests"] = _press_requests(users, now)
    db.session.flush()
    return counts


def _submissions(rng: random.Random, now, users: dict[str, User]) -> int:
    """Done items of past events that ask for a submission get one, late or on time by unit."""
    submitter = users.get("focal@demo.example")
    if submitter is None:
        return 0
    slugs = dict(db.session.execute(sa.select(Unit.id, Unit.slug)).all())
    items = db.session.scalars(
        sa.select(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
        .where(ChecklistItem.status == ItemStatus.DONE, ChecklistItem.unit_id.is_not(None),
               ChecklistItem.requires_submission.is_(True), Event.starts_at < now,
               ~ChecklistItem.submissions.any())
        .order_by(ChecklistItem.id)).all()
    added = 0
    for item in items:
        late = rng.random() < LATE_SHARE.get(slugs.get(item.unit_id or 0, ""), 0.10)
        item.completed_at = item.due_at + (timedelta(hours=rng.randint(6, 96)) if late
                                           else -timedelta(hours=rng.randint(2, 72)))
        db.session.add(ChecklistSubmission(
            item_id=item.id, submitted_by_id=submitter.id, text="Thông tin đã cung cấp.",
            submitted_at=item.completed_at - timedelta(hours=rng.randint(1, 12)),
            is_late=late, status=ItemStatus.DONE))
        added += 1
    db.session.flush()
    return added


def _briefings(rng: random.Random, now) -> int:
    """Past held events: most had a press conference five days before (decided per event)."""
    events = db.session.scalars(
        sa.select(Event).where(Event.status.in_(HELD_STATUSES), Event.starts_at < now,
                               ~sa.select(Briefing.id).where(Briefing.event_id == Event.id).exists())
        .order_by(Event.id)).all()
    held = 0
    for event in events:
        if random.Random(event.id).random() >= BRIEFED_SHARE:
            continue   # the same events stay unbriefed on every load
        starts = event.starts_at - timedelta(days=5)
        db.session.add(Briefing(event_id=event.id, title_vi=with_prefix("Họp báo: ", event.title_vi)[:300],
                                title_en=with_prefix("Press conference: ", event.title_en)[:300], starts_at=starts,
                                ends_at=starts + timedelta(hours=1), status=BriefingStatus.HELD,
                                release_vi="Thông cáo báo chí trước sự kiện."))
        held += 1
    ppc = db.session.scalar(sa.select(Unit).where(Unit.slug == "ubnd-tinh"))
    if ppc is not None:
        held += _ppc_quarterly(ppc, now)
    db.session.flush()
    return held


def _ppc_quarterly(ppc: Unit, now) -> int:
    """One periodic PPC press conference per past quarter of the last year, on its own event."""
    added = 0
    today = now.date()
    for back in range(1, 5):
        first = periods.month_start(periods.quarter_of(today), -3 * back)
        title = f"Họp báo định kỳ quý {(first.month - 1) // 3 + 1}/{first.year}"
        if db.session.scalar(sa.select(Briefing.id).where(Briefing.title_vi == title)) is not None:
            continue
        starts = now.replace(year=first.year, month=first.month, day=20, hour=2, minute=0, second=0,
                             microsecond=0) + timedelta(days=30)
        event = db.session.scalar(sa.select(Event).where(Event.lead_unit_id == ppc.id, Event.starts_at > starts)
                                  .order_by(Event.starts_at).limit(1))
        if event is None:
            continue
        db.session.add(Briefing(event_id=event.id, title_vi=title, title_en=f"Quarterly press conference {title[-6:]}",
                                starts_at=min(starts, event.starts_at), ends_at=min(starts, event.starts_at) + timedelta(hours=1),
                                status=BriefingStatus.HELD, release_vi="Thông cáo báo chí định kỳ của UBND tỉnh."))
        added += 1
    return added


def _report(users: dict[str, User], now) -> int:
    author = users.get("propaganda@demo.example")
    if author is None:
        return 0
    last = periods.month_start(periods.quarter_of(now.date()), -3)
    period = periods.named(periods.quarter_label(last))
    if db.session.scalar(sa.select(Report.id).where(Report.period_label == period.label)) is not None:
        return 0
    report = Report(period_label=period.label, period_start=period.start, period_end=period.end,
                    created_by_id=author.id)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportText(report_id=report.id, section="II.2", number=1, author_id=author.id,
                              text="Các cơ quan, đơn vị cơ bản chủ động cung cấp thông tin trước các sự kiện; "
                                   "một số đơn vị còn chậm, cần chấn chỉnh."))
    return 1


PRESS_REQUESTS = [  # agency, subject, days since received, unit that answers, link
    ("Báo Quảng Ngãi", "Tiến độ dự án khu kinh tế cửa khẩu Bờ Y", 26, "ubnd-tinh",
     "https://baoquangngai.example/hoi-dap/khu-kinh-te-cua-khau"),
    ("Đài Phát thanh và Truyền hình Quảng Ngãi", "Phản ánh về lễ hội văn hóa", 10, "so-vhttdl",
     "https://ptqn.example/khieu-nai/le-hoi-van-hoa"),
]


def _press_requests(users: dict[str, User], now) -> int:
    """Rule 10: written questions of press agencies, recorded as monitoring cases. Idempotent by link."""
    recorder = users.get("propaganda@demo.example") or users.get("protocol@demo.example")
    units = dict(db.session.execute(sa.select(Unit.slug, Unit.id)).all())
    known = set(db.session.scalars(sa.select(MonitoringCase.url)))
    made = 0
    for agency, subject, days_ago, slug, url in PRESS_REQUESTS:
        if url in known or slug not in units or recorder is None:
            continue
        received = now - timedelta(days=days_ago)
        case = MonitoringCase(platform=agency, account="", url=url, published_at=received, headline=subject,
                              excerpt="Văn bản đề nghị trả lời của cơ quan báo chí.",
                              lead_unit_id=units[slug], classification=Classification.INCOMPLETE,
                              origin=Origin.PRESS_REQUEST, status=CaseStatus.VERIFYING,
                              created_by_id=recorder.id, created_at=received, updated_at=received,
                              verify_due_at=monitoring_rules.verify_due(received),
                              respond_due_at=monitoring_rules.respond_due(received, Origin.PRESS_REQUEST),
                              verified_at=received + timedelta(hours=4),
                              findings="Đã xác minh nội dung đề nghị; đang chuẩn bị trả lời.")
        db.session.add(case)
        db.session.flush()
        db.session.add_all([
            CaseStep(case_id=case.id, action=StepAction.RECORDED.value, actor_id=recorder.id, at=received,
                     to_status=CaseStatus.NEW.value),
            CaseStep(case_id=case.id, action=StepAction.VERIFIED.value, actor_id=recorder.id,
                     at=received + timedelta(hours=4), from_status=CaseStatus.NEW.value,
                     to_status=CaseStatus.VERIFYING.value, comment=case.findings)])
        made += 1
    return made
