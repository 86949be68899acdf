"""What the periodic report says for a period: its sections, their figures and tables.

The sections follow the plan's tasks II.1–II.5 and III (seed/plan-57-KL-TW.vi.md). Every
figure comes from the dashboard's own functions (``services.table``, ``trend``…) for the
same period, so the report and the dashboard cannot disagree. The document is written in
Vietnamese whatever the interface language, as Party documents are.

Lists of events show only those the reader may see (``visible_clause``); the counts
include every event.
"""
import importlib.util
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel import Locale

from app.events.access import visible_clause
from app.events.models import Delegation, DelegationDirection, Event, EventKind
from app.extensions import db
from app.oversight import services
from app.oversight.services import Figures, Scope
from app.press.models import Briefing, BriefingStatus
from app.spokespeople.models import AssignmentStatus, SpokespersonAssignment

KIND_VI = {
    EventKind.POLITICAL: "Sự kiện chính trị",
    EventKind.CULTURAL: "Sự kiện văn hóa",
    EventKind.DIPLOMATIC: "Sự kiện ngoại giao",
    EventKind.DELEGATION_IN: "Đoàn vào",
    EventKind.DELEGATION_OUT: "Đoàn ra",
    EventKind.SIGNING: "Ký kết hợp tác",
    EventKind.PROMOTION: "Xúc tiến thương mại, du lịch",
    EventKind.TRAINING: "Lớp tập huấn, bồi dưỡng",
}
DIRECTION_VI = {DelegationDirection.INCOMING: "Đoàn vào", DelegationDirection.OUTGOING: "Đoàn ra"}
BORDER_GATE_WORDS = ("Bờ Y", "Bo Y", "Pờ Y")
NOT_RECORDED = "Chưa ghi nhận trên hệ thống (chức năng chưa được triển khai)."

SECTIONS = [
    ("II.1", "Tổ chức quán triệt, tuyên truyền nâng cao nhận thức về công tác thông tin đối ngoại"),
    ("II.2", "Tăng cường phối hợp; chủ động cung cấp thông tin, họp báo trước các sự kiện"),
    ("II.3", "Đổi mới nội dung, phương thức thông tin đối ngoại"),
    ("II.4", "Đấu tranh phản bác thông tin sai trái; công tác phát ngôn"),
    ("II.5", "Tăng cường nguồn lực cho công tác thông tin đối ngoại"),
    ("III", "Tổ chức thực hiện: theo dõi, đôn đốc"),
]
SECTION_CODES = [code for code, _title in SECTIONS]


@dataclass
class Column:
    title: str
    kind: str = "text"     # text, int, pct (a number of per cent), days, date


@dataclass
class ReportTable:
    key: str               # the spreadsheet's sheet name (at most 31 characters)
    title: str
    columns: list[Column]
    rows: list[list]


@dataclass
class SectionContent:
    code: str
    title: str
    facts: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)


@dataclass
class Content:
    scope: Scope
    sections: list[SectionContent]
    empty: bool

    def table(self, key: str) -> ReportTable:
        return next(t for s in self.sections for t in s.tables if t.key == key)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


FIGURE_COLUMNS = [Column("Sự kiện đã diễn ra", "int"), Column("Có thông tin trước", "int"),
                  Column("Tỷ lệ thông tin trước (%)", "pct"), Column("Đầu việc đến hạn", "int"),
                  Column("Đúng hạn (%)", "pct"), Column("Trễ hạn (%)", "pct"),
                  Column("Giao gấp", "int"), Column("Đang quá hạn", "int"), Column("Thời gian cung cấp trước, trung vị (ngày)", "days")]


def figure_cells(f: Figures) -> list:
    return [f.events_held, f.briefed_before, f.briefed_pct, f.items_due, f.on_time_pct, f.late_pct,
            f.short_notice, f.overdue_now, f.median_lead_days]


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


REPORT_LIST_LIMIT = 100   # a report lists the first ones; the dashboard's lists have them all


@dataclass
class EventRows:
    rows: list[list]
    total: int      # every matching event, seen or not
    hidden: int     # those the reader may not see (counted, not listed)

    @property
    def notes(self) -> list[str]:
        notes = _hidden_note(self.hidden)
        more = self.total - self.hidden - len(self.rows)
        if more > 0:
            notes.append(f"Danh sách ghi {len(self.rows)} sự kiện đầu tiên; còn {more} sự kiện khác "
                         "(xem danh sách đầy đủ trên trang theo dõi).")
        return notes


def _event_rows(reader, scope: Scope, *conditions, total: int | None = None) -> EventRows:
    """Visible held events matching ``conditions`` (date, title, lead unit), the first ones.

    ``total``: how many match, when the figures already say it.
    """
    where = [*services._event_conditions(scope), *conditions]
    count = sa.select(sa.func.count()).select_from(Event).where(*where)
    if total is None:
        total = db.session.scalar(count) or 0
    clause = visible_clause(reader)
    visible = total if services.sees_everything(clause) else (db.session.scalar(count.where(clause)) or 0)
    events = db.session.scalars(sa.select(Event).where(*where, clause)
                                .order_by(Event.starts_at, Event.id).limit(REPORT_LIST_LIMIT)).all()
    rows = [[_local_day(e.starts_at, scope.zone), e.title_vi, e.lead_unit.name_vi, KIND_VI[e.kind]]
            for e in events]
    return EventRows(rows, total, total - visible)


EVENT_COLUMNS = [Column("Ngày", "date"), Column("Sự kiện"), Column("Cơ quan chủ trì"), Column("Loại")]


def _hidden_note(hidden: int) -> list[str]:
    return [f"Ngoài ra có {hidden} sự kiện không thuộc phạm vi được xem của người lập báo cáo "
            "(đã tính trong số liệu, không liệt kê)."] if hidden else []


def _delegations(scope: Scope) -> list[list]:
    """Held delegation events per direction, partner country and locality. One GROUP BY."""
    query = (sa.select(Delegation.direction, Delegation.country, Delegation.locality, sa.func.count())
             .join(Event, Event.id == Delegation.event_id).where(*services._event_conditions(scope))
             .group_by(Delegation.direction, Delegation.country, Delegation.locality)
             .order_by(Delegation.direction, Delegation.country, Delegation.locality))
    names = Locale("vi").territories
    return [[DIRECTION_VI[DelegationDirection(direction)], names.get(country, country), locality or "—", int(n)]
            for direction, country, locality, n in db.session.execute(query)]


def _border_gate_clause():
    return (sa.select(Delegation.id)
            .where(Delegation.event_id == Event.id,
                   sa.or_(*(Delegation.border_gate.ilike(f"%{word}%") for word in BORDER_GATE_WORDS)))
            .exists())


def _press_counts(scope: Scope) -> tuple[int, int]:
    """Press conferences held and press releases issued in the period (every unit). One query."""
    start, end = scope.start_at, scope.end_at
    query = (sa.select(services._count(Briefing.status == BriefingStatus.HELD),
                       services._count(sa.and_(Briefing.release_vi != "",
                                               Briefing.status != BriefingStatus.CANCELLED)))
             .where(Briefing.starts_at >= start, Briefing.starts_at < end))
    held, releases = db.session.execute(query).one()
    return int(held), int(releases)


def _spokesperson_activity(scope: Scope) -> tuple[int, int]:
    """Accepted spokesperson assignments on briefings held in the period, and distinct people."""
    query = (sa.select(sa.func.count(), sa.func.count(sa.distinct(SpokespersonAssignment.user_id)))
             .join(Briefing, Briefing.id == SpokespersonAssignment.briefing_id)
             .where(SpokespersonAssignment.status == AssignmentStatus.ACCEPTED,
                    Briefing.status == BriefingStatus.HELD,
                    Briefing.starts_at >= scope.start_at, Briefing.starts_at < scope.end_at))
    assignments, people = db.session.execute(query).one()
    return int(assignments), int(people)


def package_exists(name: str) -> bool:
    """Whether a feature package (monitoring, training) is installed in this version of the app."""
    return importlib.util.find_spec(f"app.{name}") is not None


def build(reader, scope: Scope) -> Content:
    """The report's sections for ``scope`` as ``reader`` may see them."""
    data = services.dashboard_figures(scope)
    table, total = data.table, data.table.total
    sections = {code: SectionContent(code, title) for code, title in SECTIONS}

    s = sections["II.1"]
    s.facts.append(f"Trong kỳ có {total.events_held} sự kiện đối ngoại đã diễn ra.")
    s.tables.append(ReportTable("Theo loại sự kiện", "Sự kiện theo loại", [Column("Loại sự kiện"), *FIGURE_COLUMNS],
                                [[KIND_VI[kind], *figure_cells(f)] for kind, f in table.by_kind()]))
    delegations = _delegations(scope)
    s.facts.append(f"Đoàn ra, đoàn vào: {sum(row[3] for row in delegations)} đoàn.")
    s.tables.append(ReportTable("Đoàn ra đoàn vào", "Đoàn ra, đoàn vào theo đối tác",
                                [Column("Hướng"), Column("Quốc gia"), Column("Địa phương"),
                                 Column("Số đoàn", "int")], delegations))
    gate = _event_rows(reader, scope, _border_gate_clause())
    s.facts.append(f"Hoạt động qua cửa khẩu quốc tế Bờ Y: {gate.total}.")
    s.facts += gate.notes
    s.tables.append(ReportTable("Cửa khẩu Bờ Y", "Hoạt động qua cửa khẩu quốc tế Bờ Y", EVENT_COLUMNS, gate.rows))

    s = sections["II.2"]
    s.facts.append(f"{total.briefed_before}/{total.events_held} sự kiện ({_pct(total.briefed_pct)}) có họp báo "
                   "hoặc thông cáo báo chí trước khi diễn ra.")
    s.facts.append(f"Đầu việc đến hạn: {total.items_due}; đúng hạn {_pct(total.on_time_pct)}, "
                   f"trễ hạn {_pct(total.late_pct)}; đang quá hạn {total.overdue_now}.")
    if total.short_notice:
        s.facts.append(f"Đầu việc giao gấp (sự kiện lên kế hoạch muộn, thời hạn đã qua khi giao việc): "
                       f"{total.short_notice}; tính riêng, không tính vào tỷ lệ đúng hạn, trễ hạn.")
    s.tables.append(ReportTable("Theo đơn vị", "Kết quả theo đơn vị", [Column("Đơn vị"), *FIGURE_COLUMNS],
                                [[unit.name_vi, *figure_cells(f)] for unit, f in table.by_unit()]
                                + [["Tổng cộng", *figure_cells(total)]]))
    not_briefed = _event_rows(reader, scope, ~services.briefed_before_clause(),
                              total=total.not_briefed)
    s.facts += not_briefed.notes
    s.tables.append(ReportTable("Chưa thông tin trước", "Sự kiện chưa có họp báo, thông cáo báo chí trước",
                                EVENT_COLUMNS, not_briefed.rows))

    s = sections["II.3"]
    held, releases = _press_counts(scope)
    s.facts.append(f"Đã tổ chức {held} cuộc họp báo; phát hành {releases} thông cáo báo chí.")
    s.tables.append(ReportTable("Họp báo UBND theo quý", "Họp báo của UBND tỉnh theo quý (Nghị định 09/2017, Điều 5)",
                                [Column("Quý"), Column("Số cuộc họp báo", "int")],
                                [[b.label, b.count] for b in data.ppc_quarters]))
    s.tables.append(ReportTable("Thông tin hằng tháng", "UBND tỉnh cung cấp thông tin cho báo chí theo tháng",
                                [Column("Tháng"), Column("Họp báo và thông cáo", "int")],
                                [[b.label, b.count] for b in data.ppc_months]))

    s = sections["II.4"]
    assignments, people = _spokesperson_activity(scope)
    s.facts.append(f"Người phát ngôn đã nhận {assignments} lượt phát ngôn tại các cuộc họp báo ({people} người).")
    watched = services.monitoring(reader, scope)
    cases, press = watched.cases_total, watched.press_total
    s.facts.append(f"Theo dõi, phản bác thông tin sai trái: ghi nhận {cases['cases']} tin, bài; đã xác minh "
                   f"{cases['verified']}, đã phản hồi {cases['responded']}; bảo đảm thời hạn "
                   f"{_pct(cases['within_deadline_pct'])}.")
    s.facts.append(f"Trả lời câu hỏi bằng văn bản, khiếu nại do cơ quan báo chí chuyển đến (Luật Báo chí, Điều 39): "
                   f"{press['cases']} văn bản; đã trả lời {press['responded']}; đúng hạn {_pct(press['within_deadline_pct'])}.")
    s.tables.append(ReportTable("Phản bác thông tin sai trái", "Theo dõi báo chí và phản hồi theo đơn vị chủ trì",
                                [Column("Đơn vị"), Column("Tin, bài ghi nhận", "int"), Column("Đã xác minh", "int"),
                                 Column("Đã phản hồi", "int"), Column("Thời gian phản hồi, trung vị (giờ)", "days"),
                                 Column("Đúng hạn (%)", "pct")],
                                [[f.unit.name_vi, f.cases, f.verified, f.responded, f.median_respond_hours,
                                  f.within_deadline_pct] for f in watched.units]
                                + [["Cộng", cases["cases"], cases["verified"], cases["responded"], None,
                                    cases["within_deadline_pct"]]]))

    s = sections["II.5"]
    training = _event_rows(reader, scope, Event.kind == EventKind.TRAINING,
                           total=table.kinds[EventKind.TRAINING].events_held
                           if EventKind.TRAINING in table.kinds else 0)
    s.facts.append(f"Lớp tập huấn, bồi dưỡng đã tổ chức: {training.total}.")
    s.facts += training.notes
    s.facts.append("Số người được tập huấn: " + (
        "xem phân hệ tập huấn." if package_exists("training") else NOT_RECORDED))
    s.tables.append(ReportTable("Lớp tập huấn", "Lớp tập huấn, bồi dưỡng", EVENT_COLUMNS, training.rows))

    s = sections["III"]
    s.facts.append(f"Đầu việc đang quá hạn: {total.overdue_now}.")
    s.tables.append(ReportTable("Xếp hạng đơn vị", "Xếp hạng đơn vị theo tỷ lệ đúng hạn",
                                [Column("Hạng", "int"), Column("Đơn vị"), Column("Đúng hạn (%)", "pct"),
                                 Column("Trễ hạn (%)", "pct"), Column("Đang quá hạn", "int")],
                                [[n, unit.name_vi, f.on_time_pct, f.late_pct, f.overdue_now]
                                 for n, (unit, f) in enumerate(table.ranking(), 1)]))
    s.tables.append(ReportTable("Xu hướng 12 tháng", "Tỷ lệ đúng hạn 12 tháng",
                                [Column("Tháng"), Column("Đúng hạn", "int"), Column("Trễ hạn", "int"),
                                 Column("Tỷ lệ đúng hạn (%)", "pct")],
                                [[p.label, p.on_time, p.late, p.on_time_pct] for p in data.trend]))
    empty = total.events_held == 0 and total.items_due == 0
    return Content(scope, [sections[code] for code in SECTION_CODES], empty)
