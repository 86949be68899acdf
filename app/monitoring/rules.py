"""The monitoring clocks as data (settings with legal basis and verified flag) and their arithmetic."""
from datetime import datetime, timedelta

from app.i18n import _l
from app.monitoring.models import Origin
from app.settings import define, group, setting, types

group("monitoring", _l("Press monitoring and responses"))
define("monitoring.verify_hours", _l("Verify a report within"), types.HOURS, 24,
       legal_basis="Chỉ thị của UBND tỉnh Kon Tum (chủ động theo dõi, xác minh, làm rõ thông tin)",
       verified=False, minimum=1,
       help=_l("Counted from the moment the case is recorded. The directive sets the duty, not the number."))
define("monitoring.statement_days", _l("Ad-hoc statement on a report within"), types.DAYS, 1,
       legal_basis="Nghị định 09/2017/NĐ-CP, Điều 6 (thời hạn chưa được xác minh; QĐ 25/2013 cũ: 1 ngày)",
       verified=False, minimum=1,
       help=_l("Rule 5: the duty is verified, the deadline is not (the superseded decision set 1 day)."))
define("monitoring.press_answer_days",
       _l("Answer a press agency's written question or forwarded complaint within"), types.DAYS, 30,
       legal_basis="Luật Báo chí 2016, Điều 39", verified=True, minimum=1)
define("monitoring.correction_follow_up_days",
       _l("Follow up a correction request after"), types.DAYS, 2,
       legal_basis="Luật Báo chí 2016, Điều 42 (cải chính trên số tiếp theo; báo điện tử gỡ bỏ ngay)",
       verified=False, minimum=1,
       help=_l("Policy reading of rule 11: the outlet is reminded if its correction is not recorded by then."))
define("monitoring.due_soon_hours", _l("Remind those responsible before a monitoring deadline"),
       types.HOURS, 6, minimum=1, help=_l("Policy: one reminder this long before each deadline."))
define("monitoring.escalate_after_hours",
       _l("Escalate an overdue monitoring case to the steering committee after"), types.HOURS, 12,
       minimum=1, help=_l("Policy: the unit's head hears at once, steering after this long."))


def verify_due(recorded_at: datetime) -> datetime:
    return recorded_at + timedelta(hours=setting("monitoring.verify_hours"))


def respond_due(recorded_at: datetime, origin: Origin) -> datetime:
    """Rule 10 (30 days) for a press agency's question or complaint, else rule 5 (ad-hoc)."""
    if Origin(origin) is Origin.PRESS_REQUEST:
        return recorded_at + timedelta(days=setting("monitoring.press_answer_days"))
    return recorded_at + timedelta(days=setting("monitoring.statement_days"))


def correction_follow_up(requested_at: datetime) -> datetime:
    return requested_at + timedelta(days=setting("monitoring.correction_follow_up_days"))
