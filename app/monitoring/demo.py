"""Demo monitoring cases, one or more in every state (one sensitive). Idempotent by link."""
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.monitoring import corrections, responses, services
from app.monitoring.models import CaseStatus, Classification, MonitoringCase, Origin, ResponseForm
from app.press.models import PressOutlet
from app.timeutil import utcnow

# headline, link, outlet name or (platform, account), lead unit slug, classification, origin,
# sensitive, hours since publication, the state to bring it to, excerpt
DEMO_CASES = [
    ("Tin đồn đoàn công tác Lào bị từ chối nhập cảnh tại cửa khẩu Bờ Y",
     "https://facebook.example/tin-bien-gioi/posts/1001", ("Facebook", "Tin Biên Giới 24h"),
     "so-ngoai-vu", Classification.UNTRUE, Origin.MONITORED, True, 5, CaseStatus.NEW,
     "Bài đăng cho rằng đoàn công tác tỉnh Attapeu bị từ chối nhập cảnh tại cửa khẩu quốc tế Bờ Y."),
    ("Lễ hội văn hóa cồng chiêng bị phản ánh thu phí trái phép",
     "https://baoquangngai.example/van-hoa/le-hoi-cong-chieng-thu-phi", "Báo Quảng Ngãi",
     "so-vhttdl", Classification.ONE_SIDED, Origin.MONITORED, False, 20, CaseStatus.VERIFYING,
     "Bài viết chỉ dẫn ý kiến một phía về việc thu phí gửi xe tại lễ hội."),
    ("Phóng viên đề nghị trả lời về tiến độ khu kinh tế cửa khẩu",
     "https://vna.example/hoi-dap/khu-kinh-te-bo-y", "Thông tấn xã Việt Nam",
     "so-cong-thuong", Classification.INCOMPLETE, Origin.PRESS_REQUEST, False, 72,
     CaseStatus.VERIFYING, "Văn bản đề nghị cung cấp thông tin về tiến độ đầu tư hạ tầng."),
    ("Video cắt ghép về buổi tiếp xã giao đoàn Campuchia",
     "https://tiktok.example/@tintuc-tay-nguyen/video/777", ("TikTok", "@tintuc-tay-nguyen"),
     "so-ngoai-vu", Classification.HOSTILE, Origin.MONITORED, False, 50, CaseStatus.NEW,
     "Đoạn video cắt ghép lời phát biểu tại buổi tiếp xã giao."),
    ("Bài viết phản ánh đúng về chợ biên giới tạm ngừng hoạt động",
     "https://ptqn.example/thoi-su/cho-bien-gioi", "Đài Phát thanh và Truyền hình Quảng Ngãi",
     "so-cong-thuong", Classification.ACCURATE, Origin.MONITORED, False, 100, CaseStatus.NO_ACTION,
     "Thông tin chính xác, trùng với thông báo của Sở Công Thương."),
    ("Bài viết chưa đầy đủ về lịch trình đoàn Champasak",
     "https://nhandan.example/doi-ngoai/doan-champasak", "Báo Nhân Dân", "so-ngoai-vu",
     Classification.INCOMPLETE, Origin.MONITORED, False, 8, CaseStatus.DRAFTED,
     "Bài viết bỏ sót phần ký kết biên bản ghi nhớ với tỉnh Champasak."),
    ("Trang cá nhân xuyên tạc kết quả hội đàm với tỉnh Salavan",
     "https://facebook.example/trang-ca-nhan/posts/2002", ("Facebook", "Góc nhìn biên cương"),
     "so-ngoai-vu", Classification.HOSTILE, Origin.MONITORED, False, 10, CaseStatus.APPROVED,
     "Bài đăng cho rằng hội đàm không đạt kết quả."),
    ("Khmer Times đưa tin phiến diện về hợp tác du lịch với Ratanakiri",
     "https://khmertimes.example/tourism/ratanakiri", "Khmer Times", "so-ngoai-vu",
     Classification.ONE_SIDED, Origin.MONITORED, False, 30, CaseStatus.RESPONDED,
     "Bài viết chỉ nêu khó khăn, không nêu kết quả hợp tác."),
    ("Tin sai về việc đóng cửa khẩu Bờ Y dịp Tết",
     "https://vientianetimes.example/news/bo-y-closed", "Vientiane Times", "so-ngoai-vu",
     Classification.UNTRUE, Origin.MONITORED, False, 40, CaseStatus.CORRECTION_REQUESTED,
     "Bài báo cho rằng cửa khẩu Bờ Y đóng cửa 10 ngày dịp Tết."),
    ("Báo phản ánh sai số liệu khách du lịch Lào",
     "https://baoquangngai.example/du-lich/so-lieu-khach-lao", "Báo Quảng Ngãi", "so-ngoai-vu",
     Classification.UNTRUE, Origin.MONITORED, False, 60, CaseStatus.CLOSED,
     "Số liệu khách du lịch Lào bị ghi nhầm gấp mười lần."),
]
# The spokesperson who speaks for each lead unit of the demo (see spokespeople/demo.py).
SPEAKERS = {"so-ngoai-vu": "head.ngoaivu@demo.example", "so-vhttdl": "head.vhttdl@demo.example",
            "so-cong-thuong": "spokesperson@demo.example"}


def load(units: dict, users: dict) -> int:
    """Add the demo cases that are missing; returns how many were added."""
    known = set(db.session.scalars(sa.select(MonitoringCase.url)))
    outlets = {o.name: o for o in db.session.scalars(sa.select(PressOutlet))}
    reporter = users["liaison@demo.example"]
    steering = users["steering@demo.example"]
    now = utcnow()
    added = 0
    for (headline, url, source, unit_slug, classification, origin, sensitive, hours, state,
         excerpt) in DEMO_CASES:
        if url in known:
            continue
        outlet = outlets.get(source) if isinstance(source, str) else None
        platform, account = source if isinstance(source, tuple) else ("", "")
        case = services.create_case(reporter, services.CaseData(
            headline=headline, url=url, published_at=now - timedelta(hours=hours + 1),
            classification=classification, lead_unit_id=units[unit_slug].id,
            outlet_id=outlet.id if outlet else None, platform=platform, account=account,
            excerpt=excerpt, topic="Thông tin đối ngoại", area="Ngọc Hồi" if "Bờ Y" in headline else "",
            unit_ids=[units["bdbp-tinh"].id] if "Bờ Y" in headline else [], origin=origin,
            reach=1000 * (hours + 3), is_sensitive=sensitive))
        _backdate(case, hours)
        _bring_to(case, state, steering, users.get(SPEAKERS.get(unit_slug, "")), hours)
        added += 1
    db.session.flush()
    return added


def _backdate(case: MonitoringCase, hours: int) -> None:
    """As if recorded ``hours`` ago: some clocks have run out (the overdue filter shows them)."""
    shift = timedelta(hours=hours)
    case.created_at -= shift
    case.verify_due_at -= shift
    case.respond_due_at -= shift
    for step in case.steps:
        step.at -= shift
    db.session.flush()


def _bring_to(case: MonitoringCase, state: CaseStatus, actor, speaker, hours: int) -> None:
    """Move the case on as the steering committee would, step by step, up to ``state``."""
    order = [CaseStatus.NEW, CaseStatus.VERIFYING, CaseStatus.DRAFTED, CaseStatus.APPROVED,
             CaseStatus.RESPONDED, CaseStatus.CORRECTION_REQUESTED, CaseStatus.CLOSED]
    if state is CaseStatus.NEW:
        return
    services.start_verification(actor, case, case.version, "Giao đơn vị chủ trì xác minh")
    if state is CaseStatus.VERIFYING:
        return
    services.record_verification(actor, case, case.version, "Đã đối chiếu với thông báo chính thức.",
                                 case.classification.value)
    if state is CaseStatus.NO_ACTION:
        services.no_action(actor, case, case.version, "Thông tin chính xác, không cần phản hồi.")
        return
    reached = order.index(state)
    responses.save_text(actor, case, case.version, ResponseForm.PORTAL_STATEMENT.value,
                        "Thông tin nêu trong bài viết không chính xác. Đề nghị cơ quan báo chí "
                        "đăng tải thông tin chính thức của tỉnh.")
    if reached < order.index(CaseStatus.APPROVED):
        return
    responses.submit(actor, case, case.version, case.latest_version)
    responses.review(actor, case, case.version, case.latest_version, True, "Đồng ý")
    if reached < order.index(CaseStatus.RESPONDED) or speaker is None:
        return
    given = case.created_at + timedelta(hours=max(1, min(hours - 1, 12)))
    responses.record_response(actor, case, case.version, speaker.id, given,
                              "https://ngoaivu.quangngai.example/thong-cao")
    if reached < order.index(CaseStatus.CORRECTION_REQUESTED):
        return
    corrections.request_correction(actor, case, case.version, case.excerpt, case.findings,
                                   f"{speaker.name}, {speaker.title}")
    if state is CaseStatus.CLOSED:
        corrections.record_correction(actor, case, case.version, utcnow() - timedelta(hours=1),
                                      case.url + "/cai-chinh", False)
        services.close(actor, case, case.version, "Cơ quan báo chí đã cải chính.")
