"""Demo events: venues, partner localities, and N events of every kind over two years.

Bulk inserts (dict rows, one INSERT per table and batch) so that 20,000 events
load in seconds; the ORM is used only for the handful of venues.
"""
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.events.models import (
    Delegation,
    DelegationDirection,
    DelegationMember,
    Event,
    EventChange,
    EventKind,
    EventStatus,
    ProgrammeItem,
    Venue,
    Visibility,
    event_coordinating_units,
    event_hosts,
    programme_item_hosts,
)
from app.extensions import db
from app.timeutil import utcnow

DEFAULT_EVENTS = 150
BATCH = 2_000

VENUES = [
    ("Hội trường UBND tỉnh", "52 Hùng Vương, Quảng Ngãi", 300),
    ("Phòng họp số 1, Trụ sở UBND tỉnh", "52 Hùng Vương, Quảng Ngãi", 40),
    ("Nhà khách Tỉnh ủy", "2 Lê Thánh Tôn, Quảng Ngãi", 120),
    ("Trung tâm Hội nghị tỉnh", "Đại lộ Hùng Vương, Quảng Ngãi", 800),
    ("Khu kinh tế cửa khẩu quốc tế Bờ Y", "Xã Pờ Y, huyện Ngọc Hồi", 60),
    ("Bảo tàng tỉnh", "99 Lê Hồng Phong, Quảng Ngãi", 150),
    ("Phòng họp Sở Ngoại vụ", "6 Phan Chu Trinh, Quảng Ngãi", 30),
    ("Trung tâm Văn hóa tỉnh", "Trần Hưng Đạo, Kon Tum", 500),
]

# Partner localities: country, locality, time zone, Vietnamese country name.
# The Japanese and Korean localities are examples: partnerships there are not confirmed.
PARTNERS = [
    ("LA", "Attapeu", "Asia/Vientiane", "Lào"),
    ("LA", "Salavan", "Asia/Vientiane", "Lào"),
    ("LA", "Champasak", "Asia/Vientiane", "Lào"),
    ("LA", "Sekong", "Asia/Vientiane", "Lào"),
    ("KH", "Ratanakiri", "Asia/Phnom_Penh", "Campuchia"),
    ("KH", "Stung Treng", "Asia/Phnom_Penh", "Campuchia"),
    ("JP", "Okayama", "Asia/Tokyo", "Nhật Bản"),
    ("KR", "Gyeongsangbuk-do", "Asia/Seoul", "Hàn Quốc"),
]

MEMBER_NAMES = {
    "LA": ["Leuth Xaiyaphone", "Bounthong Keomany", "Khamphanh Sengdala", "Somphone Phommachanh",
           "Vilaysack Inthavong", "Phetsamone Douangsy"],
    "KH": ["Nhem Sam Oeun", "Sok Sophal", "Chea Vuthy", "Heng Sokha", "Men Dara"],
    "JP": ["Tanaka Hiroshi", "Suzuki Yuko", "Sato Kenji", "Yamamoto Aiko"],
    "KR": ["Kim Min-jun", "Lee Seo-yeon", "Park Ji-hoon", "Choi Eun-ji"],
}
MEMBER_TITLES = ["Phó Tỉnh trưởng", "Chánh Văn phòng", "Giám đốc Sở Ngoại vụ", "Giám đốc Sở Công Thương",
                 "Phó Giám đốc Sở Kế hoạch và Đầu tư", "Chuyên viên", "Phiên dịch"]

LOCAL_TITLES = {
    EventKind.POLITICAL: [("Hội nghị quán triệt Kết luận số 57-KL/TW của Bộ Chính trị",
                           "Conference on Politburo Conclusion 57-KL/TW"),
                          ("Hội nghị giao ban công tác thông tin đối ngoại",
                           "External information work review meeting"),
                          ("Họp báo định kỳ của UBND tỉnh", "Provincial periodic press conference")],
    EventKind.CULTURAL: [("Lễ hội văn hóa cồng chiêng các dân tộc", "Gong culture festival"),
                         ("Triển lãm ảnh \"Biên giới hòa bình, hữu nghị\"",
                          "Photo exhibition \"A border of peace and friendship\""),
                         ("Ngày hội văn hóa, thể thao các dân tộc thiểu số",
                          "Ethnic minorities' culture and sports day")],
    EventKind.DIPLOMATIC: [("Tiếp xã giao Đại sứ quán tại Việt Nam", "Courtesy call by an embassy"),
                           ("Tiếp Tổng Lãnh sự", "Receiving the Consul General")],
    EventKind.TRAINING: [("Lớp bồi dưỡng nghiệp vụ thông tin đối ngoại",
                          "External information training course"),
                         ("Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
                          "Spokesperson and press skills training")],
    EventKind.PROMOTION: [("Hội nghị xúc tiến đầu tư, thương mại và du lịch",
                           "Investment, trade and tourism promotion conference"),
                          ("Hội chợ thương mại biên giới Việt – Lào – Campuchia",
                           "Vietnam–Laos–Cambodia border trade fair")],
}

# How often each kind occurs (delegations and meetings dominate the protocol office's week).
KIND_WEIGHTS = {EventKind.POLITICAL: 20, EventKind.CULTURAL: 12, EventKind.DIPLOMATIC: 10,
                EventKind.DELEGATION_IN: 18, EventKind.DELEGATION_OUT: 10, EventKind.SIGNING: 8,
                EventKind.PROMOTION: 10, EventKind.TRAINING: 12}


def upsert_venues() -> list[Venue]:
    by_name = {v.name: v for v in db.session.scalars(sa.select(Venue))}
    for name, address, capacity in VENUES:
        if name not in by_name:
            by_name[name] = Venue(name=name, address=address, capacity=capacity)
            db.session.add(by_name[name])
    db.session.flush()
    return [by_name[name] for name, _a, _c in VENUES]


def _titles(kind: EventKind, partner, rng: random.Random) -> tuple[str, str]:
    _country, locality, _zone, country_vi = partner
    if kind is EventKind.DELEGATION_IN:
        return (f"Đón và làm việc với Đoàn đại biểu {locality} ({country_vi})",
                f"Receiving the delegation of {locality}")
    if kind is EventKind.DELEGATION_OUT:
        return (f"Đoàn công tác của tỉnh thăm và làm việc tại {locality} ({country_vi})",
                f"Provincial delegation visiting {locality}")
    if kind is EventKind.SIGNING:
        return (f"Lễ ký kết biên bản ghi nhớ hợp tác với {locality} ({country_vi})",
                f"Signing of a cooperation memorandum with {locality}")
    return rng.choice(LOCAL_TITLES[kind])


def _status(starts_at: datetime, now: datetime, rng: random.Random) -> EventStatus:
    roll = rng.random()
    if roll < 0.04:
        return EventStatus.CANCELLED
    if roll < 0.07:
        return EventStatus.POSTPONED
    if starts_at < now - timedelta(days=14):
        return EventStatus.REPORTED if rng.random() < 0.7 else EventStatus.HELD
    if starts_at < now:
        return EventStatus.HELD
    if starts_at < now + timedelta(days=30):
        return EventStatus.CONFIRMED if rng.random() < 0.7 else EventStatus.PLANNED
    return rng.choice([EventStatus.DRAFT, EventStatus.PLANNED, EventStatus.PLANNED])


def _insert(model_or_table, rows: list[dict], returning=None) -> list:
    """Insert rows in batches; with ``returning``, the ids in the order of ``rows``."""
    ids = []
    for i in range(0, len(rows), BATCH):
        chunk = rows[i:i + BATCH]
        if returning is not None:
            result = db.session.execute(sa.insert(model_or_table).returning(
                returning, sort_by_parameter_order=True), chunk)
            ids += list(result.scalars())
        elif chunk:
            db.session.execute(sa.insert(model_or_table), chunk)
    return ids


def load_events(units: dict, users: dict, n_events: int | None) -> dict[str, int]:
    """Venues always; events only when asked for N, or when none exist (default set)."""
    venues = upsert_venues()
    counts = {"venues": len(venues)}
    if n_events is None:
        if db.session.scalar(sa.select(sa.func.count()).select_from(Event)):
            return counts  # the default set is there already: loading twice changes nothing
        n_events = DEFAULT_EVENTS
    if n_events <= 0:
        return counts
    rng = random.Random(57 + n_events)
    now = utcnow()
    organiser = users.get("protocol@demo.example")
    hosts = [u for e, u in users.items() if e.startswith(("head.", "spokesperson"))]
    unit_list = list(units.values())
    lead_units = [units[s] for s in ("so-ngoai-vu", "so-vhttdl", "ubnd-tinh", "so-cong-thuong",
                                     "tinh-uy", "bdbp-tinh") if s in units] or unit_list
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=False)
    home = "Asia/Ho_Chi_Minh"

    events, plans = [], []
    for _n in range(n_events):
        kind = rng.choices(kinds, weights)[0]
        partner = rng.choice(PARTNERS)
        abroad = kind is EventKind.DELEGATION_OUT or (kind is EventKind.PROMOTION and rng.random() < 0.3)
        zone = partner[2] if abroad else home
        day = (now + timedelta(days=rng.randint(-365, 365))).astimezone(ZoneInfo(zone)).date()
        all_day = kind in (EventKind.CULTURAL, EventKind.TRAINING) and rng.random() < 0.3
        if kind in (EventKind.DELEGATION_IN, EventKind.DELEGATION_OUT, EventKind.TRAINING):
            days = rng.choice([1, 2, 3])
        else:
            days = 1
        if all_day:
            starts_at = datetime.combine(day, time(0), ZoneInfo(zone))
            ends_at = datetime.combine(day + timedelta(days=days), time(0), ZoneInfo(zone))
        else:
            start = time(rng.choice([7, 8, 9, 10, 13, 14, 15]), rng.choice([0, 30]))
            starts_at = datetime.combine(day, start, ZoneInfo(zone))
            ends_at = (datetime.combine(day + timedelta(days=days - 1), start, ZoneInfo(zone))
                       + timedelta(hours=rng.choice([1, 2, 2, 3, 4])))
        starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
        title_vi, title_en = _titles(kind, partner, rng)
        visibility = rng.choices([Visibility.PUBLIC, Visibility.INTERNAL, Visibility.CONFIDENTIAL],
                                 [45, 45, 10])[0]
        status = _status(starts_at, now, rng)
        venue = None if abroad or rng.random() < 0.15 else rng.choice(venues)
        events.append({
            "title_vi": title_vi, "title_en": title_en,
            "description_vi": f"{title_vi}. Thực hiện Kế hoạch thông tin đối ngoại của tỉnh.",
            "description_en": f"{title_en}. Under the province's external information plan.",
            "internal_notes": "", "kind": kind, "status": status,
            "status_reason": ("Đối tác đề nghị điều chỉnh lịch" if status in
                              (EventStatus.POSTPONED, EventStatus.CANCELLED) else ""),
            "status_changed_at": None, "visibility": visibility,
            "is_sensitive": rng.random() < 0.08, "released_at": None, "released_by_id": None,
            "embargo_until": None, "starts_at": starts_at, "ends_at": ends_at, "timezone": zone,
            "all_day": all_day, "venue_id": venue.id if venue else None,
            "location": f"{partner[1]}" if abroad else ("" if venue else "Huyện Ngọc Hồi"),
            "lead_unit_id": rng.choice(lead_units).id,
            "organiser_id": organiser.id if organiser else None,
            "version": 1, "sequence": 0, "created_at": now, "updated_at": now,
        })
        plans.append((kind, partner, starts_at, ends_at, zone, abroad))

    for row in events:  # Core inserts skip the models' hooks: the search column by hand
        row["search_text"] = Event.search_value(row)
    event_ids = _insert(Event, events, returning=Event.id)
    coordinating, event_host_rows, changes = [], [], []
    delegations, delegation_plans = [], []
    for event_id, row, (kind, partner, starts_at, ends_at, zone, _abroad) in zip(
            event_ids, events, plans, strict=False):
        for unit in rng.sample(unit_list, k=min(len(unit_list), rng.choice([0, 1, 1, 2]))):
            if unit.id != row["lead_unit_id"]:
                coordinating.append({"event_id": event_id, "unit_id": unit.id})
        for user in rng.sample(hosts, k=min(len(hosts), rng.choice([0, 1, 1, 2]))):
            event_host_rows.append({"event_id": event_id, "user_id": user.id})
        changes.append({"event_id": event_id, "user_id": row["organiser_id"], "changed_at": now,
                        "changes": {"title_vi": ["", row["title_vi"]]}, "note": "demo",
                        "version": 1})
        if kind in (EventKind.DELEGATION_IN, EventKind.DELEGATION_OUT, EventKind.SIGNING):
            country, locality = partner[0], partner[1]
            incoming = kind is not EventKind.DELEGATION_OUT
            delegations.append({
                "event_id": event_id,
                "direction": DelegationDirection.INCOMING if incoming else DelegationDirection.OUTGOING,
                "country": country, "locality": locality,
                "arrival_at": starts_at - timedelta(hours=2), "departure_at": ends_at + timedelta(hours=2),
                "border_gate": "Bờ Y" if incoming and country == "LA" else "",
                "languages": {"LA": "Lào, Việt", "KH": "Khmer, Việt", "JP": "Nhật, Việt",
                              "KR": "Hàn, Việt"}[country],
                "interpreters": "Phiên dịch của Sở Ngoại vụ",
                "logistics": "Xe đón tại cửa khẩu; bố trí Nhà khách Tỉnh ủy." if incoming else "",
            })
            delegation_plans.append((event_id, country, starts_at, ends_at, zone))
    _insert(event_coordinating_units, coordinating)
    _insert(event_hosts, event_host_rows)
    _insert(EventChange, changes)
    for row in delegations:
        row["search_text"] = Delegation.search_value(row)
    delegation_ids = _insert(Delegation, delegations, returning=Delegation.id)

    members, items, item_plans = [], [], []
    activities = [("Hội đàm giữa hai tỉnh", "Talks between the two provinces"),
                  ("Thăm Khu kinh tế cửa khẩu Bờ Y", "Visit to the Bờ Y border-gate economic zone"),
                  ("Chiêu đãi", "Reception dinner"), ("Thăm cơ sở sản xuất", "Visit to a factory"),
                  ("Họp báo chung", "Joint press conference")]
    for delegation_id, (event_id, country, starts_at, ends_at, _zone) in zip(delegation_ids,
                                                                         delegation_plans, strict=False):
        names = rng.sample(MEMBER_NAMES[country], k=rng.randint(2, min(5, len(MEMBER_NAMES[country]))))
        for position, name in enumerate(names):
            members.append({"delegation_id": delegation_id, "name": name,
                            "title": "Tỉnh trưởng" if position == 0 else rng.choice(MEMBER_TITLES),
                            "is_head": position == 0, "position": position})
        moment = starts_at
        for activity_vi, activity_en in rng.sample(activities, k=rng.randint(2, 4)):
            if moment + timedelta(hours=1) > ends_at:
                break
            items.append({"event_id": event_id, "starts_at": moment,
                          "ends_at": moment + timedelta(hours=1), "place": "", "venue_id": None,
                          "activity_vi": activity_vi, "activity_en": activity_en,
                          "hosts_text": "", "sequence": 0, "updated_at": now})
            moment += timedelta(hours=1)
            item_plans.append(event_id)
    _insert(DelegationMember, members)
    item_ids = _insert(ProgrammeItem, items, returning=ProgrammeItem.id)
    _insert(programme_item_hosts, [{"item_id": i, "user_id": rng.choice(hosts).id}
                                   for i in item_ids if hosts and rng.random() < 0.5])
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        # Fresh statistics, so the planner picks the range indexes at once after a bulk load.
        for table in ("events", "event_coordinating_units", "event_hosts", "delegations",
                      "delegation_members", "programme_items", "programme_item_hosts"):
            db.session.execute(sa.text(f"ANALYZE {table}"))
    counts.update({"events": n_events, "delegations": len(delegations),
                   "programme items": len(items)})
    return counts
