"""Demo press directory. Called from ``app.demo.load``; idempotent."""
import sqlalchemy as sa

from app.extensions import db
from app.press.models import OutletScope, PressOutlet

DEMO_OUTLETS = [
    ("Báo Quảng Ngãi", OutletScope.DOMESTIC, "toasoan@baoquangngai.example", "vi"),
    ("Đài Phát thanh và Truyền hình Quảng Ngãi", OutletScope.DOMESTIC, "thoisu@ptqn.example", "vi"),
    ("Thông tấn xã Việt Nam", OutletScope.DOMESTIC, "vna@vna.example", "vi, en"),
    ("Báo Nhân Dân", OutletScope.DOMESTIC, "bandoc@nhandan.example", "vi, en"),
    ("Vientiane Times", OutletScope.FOREIGN, "news@vientianetimes.example", "lo, en"),
    ("Khmer Times", OutletScope.FOREIGN, "editor@khmertimes.example", "km, en"),
]


def seed_outlets() -> int:
    """Demo press directory; idempotent by name."""
    known = set(db.session.scalars(sa.select(PressOutlet.name)))
    added = 0
    for name, scope, contact, languages in DEMO_OUTLETS:
        if name not in known:
            db.session.add(PressOutlet(name=name, scope=scope, contact=contact, languages=languages))
            added += 1
    db.session.flush()
    return added
