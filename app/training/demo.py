"""Demo training courses: two past courses with attendance and evaluations, one open for nominations.

Idempotent: courses are matched by their Vietnamese title; nothing is added twice.
"""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.events.models import Event, EventKind, EventStatus, ProgrammeItem, Visibility
from app.extensions import db
from app.timeutil import utcnow
from app.training.models import (
    AttendanceStatus,
    NominationStatus,
    TrainingAttendance,
    TrainingCourse,
    TrainingEvaluation,
    TrainingNomination,
    TrainingQuota,
    TrainingTopic,
)
from app.training.topics import seed_topics

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED

# title, English title, days from today, topic codes, quotas {unit: seats},
# nominations {e-mail: (status, attendance per session)}, outside trainers
COURSES: list[tuple[str, str, int, list[str], dict[str, int], dict[str, tuple[str, list]], str]] = [
    ("Lớp bồi dưỡng nghiệp vụ thông tin đối ngoại năm 2026",
     "External-information refresher course 2026", -300, ["kl57", "nd72-2015", "nd09-2017"],
     {"so-vhttdl": 3, "ubnd-tinh": 1, "huyen-uy-ngoc-hoi": 2},
     {"focal@demo.example": ("accepted", [P, P]), "liaison@demo.example": ("accepted", [P, A]),
      "spokesperson@demo.example": ("accepted", [P, P]),
      "focal.ngochoi@demo.example": ("accepted", [E, P])},
     "PGS.TS. Nguyễn Thị Trường Giang, Học viện Báo chí và Tuyên truyền"),
    ("Tập huấn phát ngôn và cung cấp thông tin cho báo chí",
     "Spokespeople and informing the press", -90, ["nd09-2017", "luat-bao-chi-2016", "thong-tin-sai"],
     {"so-vhttdl": 1, "so-ngoai-vu": 2},
     {"head.vhttdl@demo.example": ("accepted", [P, P]), "head.ngoaivu@demo.example": ("accepted", [P, P])},
     "Đại diện Cục Báo chí, Bộ Văn hóa, Thể thao và Du lịch"),
    ("Bồi dưỡng kỹ năng đấu tranh với thông tin sai sự thật năm 2027",
     "Countering false information course 2027", 30, ["thong-tin-sai", "le-tan", "kl57"],
     {"so-vhttdl": 2, "ubnd-tinh": 1, "huyen-uy-ngoc-hoi": 2, "so-ngoai-vu": 1},
     {"liaison@demo.example": ("nominated", [])},
     "ThS. Trần Văn Minh, Trung tâm Báo chí TP. Hồ Chí Minh"),
]

RATINGS = [(5, 4, 4, 5, "Nội dung thiết thực, cần thêm tình huống thực tế."),
           (4, 5, 3, 4, "Nên kéo dài thời lượng thảo luận nhóm."),
           (5, 5, 4, 5, "")]


def load(units: dict, users: dict) -> int:
    """Add the demo courses that are missing; returns how many were added. Flushes."""
    seed_topics()
    topics = {t.code: t for t in db.session.scalars(sa.select(TrainingTopic))}
    known = set(db.session.scalars(sa.select(Event.title_vi).where(Event.kind == EventKind.TRAINING)))
    organiser = users.get("protocol@demo.example")
    trainer = users.get("head.ngoaivu@demo.example")
    today = utcnow().astimezone(ZONE).date()
    added = 0
    for title_vi, title_en, offset, codes, quotas, nominations, outside in COURSES:
        if title_vi in known or "so-ngoai-vu" not in units:
            continue
        first = today + timedelta(days=offset)
        starts_at = datetime.combine(first, time(0), ZONE).astimezone(UTC)
        past = offset < 0
        event = Event(title_vi=title_vi, title_en=title_en, kind=EventKind.TRAINING,
                      status=EventStatus.HELD if past else EventStatus.PLANNED,
                      visibility=Visibility.INTERNAL, starts_at=starts_at,
                      ends_at=starts_at + timedelta(days=2), all_day=True, timezone="Asia/Ho_Chi_Minh",
                      location="Hội trường Sở Ngoại vụ", lead_unit=units["so-ngoai-vu"],
                      organiser=organiser,
                      description_vi="Lớp bồi dưỡng theo nhiệm vụ II.5 của kế hoạch thực hiện Kết luận 57-KL/TW.")
        for day in (0, 1):
            begin = datetime.combine(first + timedelta(days=day), time(8, 0), ZONE).astimezone(UTC)
            event.programme.append(ProgrammeItem(
                starts_at=begin, ends_at=begin + timedelta(hours=3, minutes=30), place="Phòng họp số 2",
                activity_vi=f"Buổi {day + 1}: {topics[codes[day]].title_vi}",
                activity_en=f"Session {day + 1}: {topics[codes[day]].title_en}"))
        course = TrainingCourse(event=event, capacity=30, target_roles=["focal", "spokesperson", "liaison"],
                                nomination_deadline=starts_at - timedelta(days=7, hours=7),
                                topics=[topics[c] for c in codes], outside_trainers=outside,
                                trainers=[trainer] if trainer else [])
        db.session.add_all([event, course])
        for slug, seats in quotas.items():
            if slug in units:
                course.quotas.append(TrainingQuota(unit=units[slug], seats=seats))
        db.session.flush()
        for n, (email, (status, marks)) in enumerate(nominations.items()):
            person = users.get(email)
            if person is None or person.unit_id is None:
                continue
            nomination = TrainingNomination(
                course=course, user=person, unit_id=person.unit_id, nominated_by=organiser,
                nominated_at=starts_at - timedelta(days=20), status=NominationStatus(status),
                responded_at=starts_at - timedelta(days=18) if status != "nominated" else None)
            db.session.add(nomination)
            for session, mark in zip(event.programme, marks, strict=False):
                db.session.add(TrainingAttendance(nomination=nomination, session=session, status=mark,
                                                  recorded_by=organiser, recorded_at=session.ends_at))
            if past and marks:
                content, trainers, organisation, usefulness, comments = RATINGS[n % len(RATINGS)]
                db.session.add(TrainingEvaluation(
                    course=course, nomination=nomination, content=content, trainers=trainers,
                    organisation=organisation, usefulness=usefulness, comments=comments,
                    submitted_at=event.ends_at + timedelta(days=1)))
        added += 1
    db.session.flush()
    return added
