"""Realistic demo data: the plan's units and one user per role. Idempotent.

The province and its people are data: after the 2025 merger the units below
belong to Quảng Ngãi province (Res. 202/2025/QH15); edit them in the admin pages.
"""
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from app.api.demo import ensure_demo_tokens
from app.auth.models import User
from app.auth.roles import Role
from app.events.demo import load_events
from app.extensions import db
from app.feeds.demo import ensure_demo_feeds
from app.imports import demo as imports_demo
from app.monitoring import demo as monitoring_demo
from app.notifications import demo as notifications_demo
from app.oversight import demo as oversight_demo
from app.settings.services import seed as seed_settings
from app.spokespeople import demo as spokespeople_demo
from app.timeutil import utcnow
from app.training import demo as training_demo
from app.units.models import Unit, UnitKind

# slug, Vietnamese name, English name, kind, parent slug
UNITS = [
    ("tinh-uy", "Tỉnh ủy Quảng Ngãi", "Quảng Ngãi Provincial Party Committee", UnitKind.PARTY, None),
    ("ban-tgdv", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
     "Provincial Party Commission for Propaganda and Mass Mobilisation", UnitKind.PARTY, "tinh-uy"),
    ("bcd-ttdn", "Ban Chỉ đạo công tác thông tin đối ngoại tỉnh",
     "Provincial External Information Steering Committee", UnitKind.STEERING, "tinh-uy"),
    ("ubnd-tinh", "Ủy ban nhân dân tỉnh", "Provincial People's Committee", UnitKind.GOVERNMENT, None),
    ("so-ngoai-vu", "Sở Ngoại vụ", "Department of Foreign Affairs", UnitKind.DEPARTMENT, "ubnd-tinh"),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism",
     UnitKind.DEPARTMENT, "ubnd-tinh"),
    ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade", UnitKind.DEPARTMENT,
     "ubnd-tinh"),
    ("bdbp-tinh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Provincial Border Guard Command",
     UnitKind.OTHER, None),
    ("bao-qng", "Báo Quảng Ngãi", "Quảng Ngãi Newspaper", UnitKind.MEDIA, "tinh-uy"),
    ("dai-qng", "Đài Phát thanh và Truyền hình Quảng Ngãi", "Quảng Ngãi Radio and Television",
     UnitKind.MEDIA, "ubnd-tinh"),
    ("huyen-uy-ngoc-hoi", "Huyện ủy Ngọc Hồi", "Ngọc Hồi District Party Committee", UnitKind.LOCAL,
     "tinh-uy"),
    ("huyen-uy-sa-thay", "Huyện ủy Sa Thầy", "Sa Thầy District Party Committee", UnitKind.LOCAL,
     "tinh-uy"),
    ("thanh-uy-kon-tum", "Thành ủy Kon Tum", "Kon Tum City Party Committee", UnitKind.LOCAL, "tinh-uy"),
]

# e-mail, name, title, unit slug, roles, is unit head
USERS = [
    ("admin@demo.example", "Trần Quốc Bảo", "Quản trị hệ thống", "so-vhttdl", {Role.ADMIN}, False),
    ("protocol@demo.example", "Nguyễn Thị Lan", "Chuyên viên lễ tân", "so-ngoai-vu",
     {Role.PROTOCOL}, False),
    ("focal@demo.example", "Lê Văn Hùng", "Chuyên viên đầu mối TTĐN", "so-vhttdl", {Role.FOCAL}, False),
    ("spokesperson@demo.example", "Phạm Minh Tuấn", "Chánh Văn phòng UBND tỉnh", "ubnd-tinh",
     {Role.SPOKESPERSON}, False),
    ("liaison@demo.example", "Võ Thị Hạnh", "Chuyên viên liên lạc báo chí", "so-vhttdl",
     {Role.LIAISON}, False),
    ("steering@demo.example", "Đặng Văn Sơn", "Phó Trưởng ban Chỉ đạo", "bcd-ttdn",
     {Role.STEERING}, False),
    ("viewer@demo.example", "Hoàng Thị Mai", "Phóng viên", "bao-qng", {Role.VIEWER}, False),
    ("head.ngoaivu@demo.example", "Bùi Đức Thắng", "Giám đốc Sở Ngoại vụ", "so-ngoai-vu",
     {Role.PROTOCOL, Role.SPOKESPERSON}, True),
    ("head.vhttdl@demo.example", "Ngô Thị Thu", "Giám đốc Sở VHTTDL", "so-vhttdl",
     {Role.FOCAL, Role.SPOKESPERSON}, True),
    ("focal.ngochoi@demo.example", "A Tuấn", "Chuyên viên Ban Tuyên giáo Huyện ủy", "huyen-uy-ngoc-hoi",
     {Role.FOCAL}, False),
    ("propaganda@demo.example", "Lý Thị Kim", "Chuyên viên Ban Tuyên giáo và Dân vận", "ban-tgdv",
     {Role.STEERING, Role.VIEWER}, False),
    ("head.tgdv@demo.example", "Trịnh Văn Minh", "Trưởng Ban Tuyên giáo và Dân vận", "ban-tgdv",
     {Role.VIEWER}, True),
]

ROLE_LOGINS = [f"{r.value}@demo.example" for r in Role]


@dataclass
class Summary:
    password: str
    counts: dict[str, int] = field(default_factory=dict)
    api_token: str | None = None  # a new demo API token, printed once

    def describe(self) -> str:
        lines = ["Demo data loaded: " + ", ".join(f"{n} {what}" for what, n in self.counts.items())]
        lines.append(f"Log in as any of these with the password '{self.password}':")
        lines += [f"  {email}" for email in ROLE_LOGINS]
        if self.api_token:
            lines.append(f"API token of protocol@demo.example (read, shown once): {self.api_token}")
        return "\n".join(lines)


def _upsert_units() -> dict[str, Unit]:
    by_slug = {u.slug: u for u in db.session.scalars(sa.select(Unit))}
    for slug, name_vi, name_en, kind, parent in UNITS:
        unit = by_slug.get(slug)
        if unit is None:
            unit = by_slug[slug] = Unit(slug=slug, name_vi=name_vi, name_en=name_en, kind=kind)
            db.session.add(unit)
        unit.parent = by_slug[parent] if parent else None
    db.session.flush()
    return by_slug


def _upsert_users(units: dict[str, Unit], password: str) -> dict[str, User]:
    by_email = {u.email: u for u in db.session.scalars(sa.select(User))}
    for email, name, title, unit_slug, roles, is_head in USERS:
        user = by_email.get(email)
        if user is None:
            user = by_email[email] = User(email=email, name=name, title=title, role_rows=[],
                                          unit=units[unit_slug], is_unit_head=is_head,
                                          phone="0260 3 86" + str(len(by_email)).zfill(4))
            user.roles = roles
            db.session.add(user)
        user.set_password(password)  # demo accounts always answer to the announced password
    db.session.flush()
    return by_email


def load(password: str = "demo", n_events: int | None = None) -> Summary:
    """Create or refresh the demo data. Flushes; the caller commits."""
    summary = Summary(password=password)
    summary.counts["settings added"] = seed_settings()
    units = _upsert_units()
    users = _upsert_users(units, password)
    summary.counts["units"] = len(units)
    summary.counts["users"] = len(users)
    summary.counts.update(load_events(units, users, n_events))
    summary.counts["training courses"] = training_demo.load(units, users)
    _load_checklists(summary)  # generates the events' checklists and proposed briefings
    from app.press.demo import load_briefings
    summary.counts.update(load_briefings(units, users))
    summary.counts["stored files"] = _load_attachment(users["focal@demo.example"])
    # After the events: spokespeople only invents a briefing when none exists.
    summary.counts.update(spokespeople_demo.load(units, users))
    summary.counts["monitoring cases"] = monitoring_demo.load(units, users)
    summary.counts["notifications"] = notifications_demo.load(users)
    summary.counts["calendar feeds"] = ensure_demo_feeds(users)
    summary.api_token = ensure_demo_tokens(users)
    summary.counts["programme items imported from a partner's calendar"] = imports_demo.load(users)
    summary.counts.update(oversight_demo.load(users))
    return summary


def _load_checklists(summary: Summary) -> None:
    """Checklist templates, the press directory, and the checklists of the events present."""
    from app.checklists.seed import seed_templates
    from app.checklists.services import load_events_for_sync, sync_checklists
    from app.events.models import Event
    from app.press.defaults import seed_defaults
    from app.press.demo import seed_outlets

    seed_templates()
    seed_defaults()
    seed_outlets()
    started = utcnow()
    result = sync_checklists(load_events_for_sync(sa.select(Event).order_by(Event.id)))
    summary.counts["checklist items"] = result.created
    _complete_past_work(since=started)


def _complete_past_work(since) -> None:
    """Items just generated for events already held are done (one in ten late).

    So the demo shows a working office: only upcoming events have open and overdue items.
    """
    from app.checklists.models import ChecklistItem, ItemStatus
    from app.events.models import Event

    now = utcnow()
    past = db.session.scalars(
        sa.select(ChecklistItem).join(Event, Event.id == ChecklistItem.event_id)
        .where(ChecklistItem.created_at >= since, ChecklistItem.due_at < now,
               Event.starts_at < now, ChecklistItem.status == ItemStatus.OPEN))
    for n, item in enumerate(past):
        item.status = ItemStatus.DONE
        item.completed_at = item.due_at + (timedelta(days=1) if n % 10 == 0 else -timedelta(hours=3))
    db.session.flush()


DEMO_REPORT = ("Báo cáo tóm tắt: đoàn đã làm việc với Sở Ngoại vụ; thông cáo báo chí đã gửi "
               "các cơ quan báo chí trên địa bàn tỉnh.\n").encode()


def _load_attachment(submitter: User) -> int:
    """A past item provided with a file, kept in app.storage (``STORAGE_BACKEND``). Once."""
    import io

    from app.checklists import storage as attachments
    from app.checklists.models import (
        ChecklistItem,
        ChecklistSubmission,
        ItemStatus,
        SubmissionAttachment,
    )

    if db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionAttachment)):
        return 0
    item = db.session.scalar(
        sa.select(ChecklistItem).where(ChecklistItem.status == ItemStatus.DONE,
                                       ChecklistItem.requires_submission.is_(True))
        .order_by(ChecklistItem.due_at.desc(), ChecklistItem.id).limit(1))
    if item is None:
        return 0
    submission = ChecklistSubmission(item=item, text="Đã gửi báo cáo tóm tắt.", submitted_by=submitter,
                                     submitted_at=item.due_at - timedelta(hours=3),
                                     status=ItemStatus.DONE)
    db.session.add(submission)  # before storing: the db backend writes through the session
    checked = attachments.CheckedFile("bao-cao-tom-tat.txt", "text/plain", io.BytesIO(DEMO_REPORT),
                                      len(DEMO_REPORT))
    db.session.add(SubmissionAttachment(submission=submission, original_name=checked.original_name,
                                        stored_name=attachments.store(checked),
                                        content_type=checked.content_type, size=checked.size))
    db.session.flush()
    return 1
