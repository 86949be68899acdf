"""Default checklist templates from DOMAIN.md section (b).

Policy defaults, not law, except where a rule is cited; admins correct them in the app.

``seed_templates()`` is idempotent: rows are matched by ``code`` and never overwritten,
so an admin's edits survive a second `flask checklists seed` or `flask demo load`.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from app.checklists.models import ChecklistTemplate, Condition, ResponsibleRole, TemplatePhase
from app.checklists.schedule import Anchor, OffsetUnit
from app.events.models import EventKind
from app.extensions import db

R = ResponsibleRole
K = EventKind
D, WD = OffsetUnit.CALENDAR_DAYS, OffsetUnit.WORKING_DAYS
BEFORE, DURING, AFTER = TemplatePhase.BEFORE, TemplatePhase.DURING, TemplatePhase.AFTER


@dataclass(frozen=True)
class Seed:
    code: str
    kind: EventKind | None
    offset: int
    unit: OffsetUnit
    role: ResponsibleRole
    title_vi: str
    title_en: str
    phase: TemplatePhase = BEFORE
    submission: bool = False
    condition: Condition = Condition.ALWAYS
    legal_basis: str = ""
    verified: bool = False
    briefing: bool = False


SEEDS = [
    # --- core: every event ---
    Seed("core-plan", None, -30, D, R.LEAD_UNIT,
         "Đưa sự kiện vào kế hoạch (loại, đối tác, mức độ nhạy cảm)",
         "Enter the event in the plan (kind, partners, sensitivity)", submission=True),
    Seed("core-messages", None, -14, D, R.PRESS_LIAISON,
         "Thông điệp chính, hỏi – đáp, danh sách khách mời",
         "Key messages, Q&A, invitee list", submission=True),
    Seed("core-guidance", None, -10, D, R.LEAD_UNIT,
         "Xin ý kiến chỉ đạo của Ban Chỉ đạo (vấn đề nhạy cảm hoặc có yếu tố nước ngoài)",
         "Get the steering committee's guidance (sensitive or foreign-related)",
         condition=Condition.SENSITIVE_OR_FOREIGN),
    Seed("core-guidance-sc", None, -10, D, R.STEERING,
         "Ban Chỉ đạo cho ý kiến định hướng thông tin",
         "Steering committee gives its guidance",
         condition=Condition.SENSITIVE_OR_FOREIGN),
    Seed("core-provide-info", None, -7, WD, R.COORDINATING_UNIT,
         "Cung cấp thông tin cho cơ quan chủ trì",
         "Provide information to the lead unit", submission=True,
         legal_basis="Kết luận 57-KL/TW; kế hoạch của tỉnh", verified=True),
    Seed("core-pre-release", None, -5, D, R.SPOKESPERSON,
         "Họp báo hoặc thông cáo báo chí trước sự kiện",
         "Pre-event press conference or press release", submission=True),
    Seed("core-notice", None, -2, D, R.PRESS_LIAISON,
         "Thông báo cho cơ quan quản lý nhà nước về báo chí (tối thiểu 24 giờ trước họp báo)",
         "Notice to the press authority (at least 24 h before a press conference)",
         legal_basis="Luật Báo chí 2016, Điều 41 khoản 3", verified=True),
    Seed("core-press-desk", None, 0, D, R.PRESS_LIAISON,
         "Bàn báo chí, cấp thẻ tác nghiệp; chỉ người được ủy quyền phát ngôn",
         "Press desk and accreditation; only authorised speakers", phase=DURING,
         legal_basis="Nghị định 09/2017/NĐ-CP", verified=True),
    Seed("core-results-release", None, 1, D, R.PRESS_LIAISON,
         "Thông cáo kết quả; đăng trên Cổng thông tin điện tử",
         "Results press release; post on the portal", phase=AFTER, submission=True),
    Seed("core-monitor", None, 7, D, R.PRESS_LIAISON,
         "Theo dõi báo chí, mạng xã hội; xác minh, đề nghị cải chính",
         "Monitor media; verify; request corrections", phase=AFTER,
         legal_basis="Nghị định 09/2017/NĐ-CP Điều 4; Luật Báo chí Điều 42", verified=True),
    Seed("core-report", None, 7, D, R.LEAD_UNIT,
         "Báo cáo kết quả (phục vụ báo cáo định kỳ)",
         "Close-out report (feeds the periodic report)", phase=AFTER, submission=True),
    # --- political ---
    Seed("pol-comms-plan", K.POLITICAL, -21, D, R.STEERING,
         "Phê duyệt kế hoạch truyền thông", "Communication plan approved"),
    Seed("pol-press-conf", K.POLITICAL, -7, D, R.SPOKESPERSON,
         "Họp báo trước sự kiện", "Pre-event press conference", briefing=True),
    # --- cultural ---
    Seed("cul-promotion", K.CULTURAL, -30, D, R.LEAD_UNIT,
         "Kế hoạch quảng bá; tài liệu song ngữ", "Promotion plan; bilingual materials",
         submission=True),
    Seed("cul-press-conf", K.CULTURAL, -10, D, R.SPOKESPERSON,
         "Họp báo giới thiệu sự kiện", "Press conference", briefing=True),
    # --- incoming delegation ---
    Seed("din-programme", K.DELEGATION_IN, -20, D, R.PROTOCOL,
         "Thống nhất chương trình; trình duyệt qua Sở Ngoại vụ",
         "Programme agreed; approval via the Dept. of Foreign Affairs", submission=True),
    Seed("din-reception", K.DELEGATION_IN, -5, WD, R.PROTOCOL,
         "Đề nghị lãnh đạo tỉnh tiếp khách", "Request for a leader reception",
         legal_basis="Quy trình tỉnh Bắc Giang (tham khảo)", verified=False),
    Seed("din-reporters", K.DELEGATION_IN, -5, D, R.PROTOCOL,
         "Kiểm tra phóng viên nước ngoài đi cùng", "Check accompanying foreign reporters",
         legal_basis="Luật Báo chí Điều 56; Nghị định 88/2012/NĐ-CP", verified=True),
    Seed("din-release", K.DELEGATION_IN, -2, D, R.PRESS_LIAISON,
         "Thống nhất nội dung thông cáo song ngữ với đối tác",
         "Bilingual release wording agreed with the partner", submission=True),
    # --- outgoing delegation ---
    Seed("dout-dossier", K.DELEGATION_OUT, -30, D, R.LEAD_UNIT,
         "Hồ sơ đoàn ra", "Outgoing delegation dossier", submission=True,
         legal_basis="Thời hạn tối thiểu chưa xác minh", verified=False),
    Seed("dout-release", K.DELEGATION_OUT, -3, D, R.PRESS_LIAISON,
         "Thông cáo trước khi đoàn đi", "Pre-departure release"),
    Seed("dout-results", K.DELEGATION_OUT, 3, D, R.SPOKESPERSON,
         "Thông cáo kết quả chuyến công tác", "Results release", phase=AFTER),
    Seed("dout-report", K.DELEGATION_OUT, 15, D, R.LEAD_UNIT,
         "Báo cáo kết quả chuyến công tác", "Trip report", phase=AFTER, submission=True,
         legal_basis="Thông tư 03/2023/TT-BNV Điều 12 (tương tự)", verified=True),
    # --- cooperation signing ---
    Seed("sig-mou", K.SIGNING, -30, D, R.LEAD_UNIT,
         "Lấy ý kiến dự thảo biên bản ghi nhớ", "Draft MoU consulted", submission=True,
         legal_basis="Luật 70/2020/QH14; Nghị định 64/2021/NĐ-CP Điều 5", verified=True),
    Seed("sig-release", K.SIGNING, -1, D, R.PRESS_LIAISON,
         "Thống nhất thông cáo chung song ngữ", "Joint bilingual release agreed"),
    Seed("sig-press", K.SIGNING, 0, D, R.SPOKESPERSON,
         "Lễ ký kết và gặp gỡ báo chí", "Signing and joint press availability", phase=DURING),
    # --- trade and tourism promotion ---
    Seed("pro-permission", K.PROMOTION, -40, D, R.LEAD_UNIT,
         "Hồ sơ xin phép tổ chức hội nghị, hội thảo quốc tế (nếu có)",
         "Permission dossier if the event is an international conference", submission=True,
         legal_basis="Quyết định 06/2020/QĐ-TTg Điều 4–5", verified=True),
    Seed("pro-press-conf", K.PROMOTION, -10, D, R.SPOKESPERSON,
         "Họp báo; bộ tài liệu báo chí tiếng Việt, tiếng Anh và tiếng đối tác",
         "Press conference; press kit in Vietnamese, English and the partner's language",
         briefing=True),
    # --- training course ---
    Seed("tra-curriculum", K.TRAINING, -21, D, R.LEAD_UNIT,
         "Chương trình tập huấn (KL 57, NĐ 72/2015, NĐ 09/2017, Luật Báo chí)",
         "Curriculum (KL 57, Decrees 72/2015 and 09/2017, Press Law)", submission=True),
    Seed("tra-evaluation", K.TRAINING, 7, D, R.LEAD_UNIT,
         "Đánh giá và báo cáo lớp tập huấn", "Evaluation and report", phase=AFTER,
         submission=True),
    # Rule 18: an outgoing training delegation (a training course held abroad); its trainees
    # report within 15 days of their return.
    Seed("tra-abroad-report", K.TRAINING, 15, D, R.LEAD_UNIT,
         "Học viên báo cáo kết quả đào tạo, bồi dưỡng ở nước ngoài (trong 15 ngày sau khi về nước)",
         "Trainees' report on the training abroad (within 15 days of return)", phase=AFTER,
         submission=True, condition=Condition.ABROAD,
         legal_basis="Thông tư 03/2023/TT-BNV, Điều 12", verified=True),
]


def seed_templates() -> int:
    """Add the default templates that are missing; returns how many were added. Flushes."""
    known = set(db.session.scalars(sa.select(ChecklistTemplate.code)))
    added = 0
    for seed in SEEDS:
        if seed.code in known:
            continue
        db.session.add(ChecklistTemplate(
            code=seed.code, kind=seed.kind, title_vi=seed.title_vi, title_en=seed.title_en,
            phase=seed.phase, offset=seed.offset, offset_unit=seed.unit,
            anchor=Anchor.END if seed.phase is AFTER else Anchor.START, role=seed.role,
            requires_submission=seed.submission, condition=seed.condition,
            legal_basis=seed.legal_basis, legal_verified=seed.verified,
            creates_briefing=seed.briefing))
        added += 1
    db.session.flush()
    return added
