"""The curriculum: topics kept as data, seeded from the plan's list (task II.5, DOMAIN.md (b))."""
import sqlalchemy as sa

from app.extensions import db
from app.training.models import TrainingTopic

# code, Vietnamese title, English title, legal basis
TOPICS = [
    ("kl57", "Kết luận 57-KL/TW về công tác thông tin đối ngoại",
     "Conclusion 57-KL/TW on external information", "Kết luận 57-KL/TW ngày 15/6/2023"),
    ("nd72-2015", "Nghị định 72/2015/NĐ-CP về quản lý hoạt động thông tin đối ngoại",
     "Decree 72/2015 on managing external-information activities", "Nghị định 72/2015/NĐ-CP"),
    ("nd09-2017", "Nghị định 09/2017/NĐ-CP về phát ngôn và cung cấp thông tin cho báo chí",
     "Decree 09/2017 on spokespeople and informing the press", "Nghị định 09/2017/NĐ-CP"),
    ("luat-bao-chi-2016", "Luật Báo chí 2016", "The Press Law 2016", "Luật Báo chí số 103/2016/QH13"),
    ("thong-tin-sai", "Đấu tranh, phản bác thông tin sai sự thật",
     "Countering false information", "Luật Báo chí 2016, Điều 42"),
    ("le-tan", "Lễ tân đối ngoại", "Protocol", ""),
]


def seed_topics() -> int:
    """Add the default topics that are missing (matched by code, never overwritten). Flushes."""
    known = set(db.session.scalars(sa.select(TrainingTopic.code)))
    added = 0
    for position, (code, title_vi, title_en, basis) in enumerate(TOPICS):
        if code not in known:
            db.session.add(TrainingTopic(code=code, title_vi=title_vi, title_en=title_en,
                                         legal_basis=basis, position=position, active=True))
            added += 1
    db.session.flush()
    return added


def active_topics() -> list[TrainingTopic]:
    return list(db.session.scalars(sa.select(TrainingTopic).where(TrainingTopic.active.is_(True))
                                   .order_by(TrainingTopic.position, TrainingTopic.id)))
