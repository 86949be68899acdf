"""Events from a spreadsheet (CSV or XLSX): template, preview with row errors, all-or-nothing import.

Each row is checked by the events' own rules (``events.services.check_event_data``: the same
checks a save makes, without saving) and created by ``events.services.create_event``. Every
row has a stable external key (the "Mã dòng" column, or a digest of the row's title, lead unit
and start), remembered in ``imported_events``: importing the same file again creates nothing.
Clashes do not stop an import (a file is a plan decided elsewhere); they are kept with the
reason "Imported from <file>", as a confirmed warning on a form is.
"""
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa

from app.errors import PermissionDenied, ValidationFailed
from app.events import services
from app.events.models import EVENT_KIND_LABELS, VISIBILITY_LABELS, EventKind, Venue, Visibility
from app.extensions import db
from app.i18n import _
from app.imports.models import ImportedEvent
from app.inputs import country_code, strip_controls
from app.units.models import Unit

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

# (column key, Vietnamese header in the template, required)
COLUMNS = [
    ("key", "Mã dòng", False),
    ("title_vi", "Tiêu đề (tiếng Việt)", True),
    ("title_en", "Tiêu đề (tiếng Anh)", False),
    ("kind", "Loại sự kiện", True),
    ("lead_unit", "Đơn vị chủ trì", True),
    ("start_date", "Ngày bắt đầu", True),
    ("start_time", "Giờ bắt đầu", False),
    ("end_date", "Ngày kết thúc", False),
    ("end_time", "Giờ kết thúc", False),
    ("venue", "Địa điểm", False),
    ("visibility", "Mức độ công khai", False),
    ("country", "Quốc gia đối tác", False),
    ("description_vi", "Mô tả", False),
]
HEADERS = {header.casefold(): key for key, header, _required in COLUMNS}
HEADERS.update({key: key for key, _h, _r in COLUMNS})  # English keys are accepted too


@dataclass
class Row:
    number: int  # the line in the file (the header is line 1)
    key: str
    values: dict
    data: services.EventData | None = None
    errors: list[str] = field(default_factory=list)
    existing_event_id: int | None = None  # imported before under the same key


@dataclass
class Preview:
    filename: str
    rows: list[Row]
    problem: str | None = None  # the whole file could not be read

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.errors and r.existing_event_id is None]

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.errors and bool(self.rows)


def template_xlsx() -> bytes:
    """The template: the Vietnamese headers and one example row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sự kiện"
    sheet.append([header for _key, header, _required in COLUMNS])
    sheet.append(["VD-001", "Tiếp đoàn tỉnh Attapeu (Lào)", "Receiving the Attapeu delegation",
                  "Đoàn vào", "so-ngoai-vu", date(2027, 1, 12), time(8, 0), date(2027, 1, 12),
                  time(11, 30), "Hội trường UBND tỉnh", "Nội bộ", "LA", ""])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells_from_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def _cells_from_csv(content: bytes) -> list[list]:
    text = content.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for _n, row in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text), dialect),
                                   strict=False)]


def read_cells(filename: str, content: bytes) -> list[list]:
    """The file's rows of cells; ValidationFailed when it is not a readable CSV or XLSX."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than %(n)d MB.", n=MAX_BYTES // 1024 // 1024))
    try:
        if content[:4] == b"PK\x03\x04":
            return _cells_from_xlsx(content)
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise ValueError("not a zip file")
        return _cells_from_csv(content)
    except UnicodeDecodeError:
        raise ValidationFailed(_("The CSV file is not in UTF-8: save it as \"CSV UTF-8\".")) \
            from None
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds on a damaged file)
        raise ValidationFailed(_("This file cannot be read as an Excel workbook (.xlsx) or a CSV "
                                 "file.")) from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_controls(str(value)).strip()


def _date(value, label: str, errors: list[str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(_("%(column)s: \"%(value)s\" is not a date (dd/mm/yyyy).", column=label,
                    value=text[:40]))
    return None


def _time(value, label: str, errors: list[str]) -> time | None:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:hH.](\d{2})(?::\d{2})?", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    errors.append(_("%(column)s: \"%(value)s\" is not a time (hh:mm).", column=label,
                    value=text[:40]))
    return None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


class Lookups:
    """Units, venues, kinds and visibilities by the names people write in a sheet."""

    def __init__(self):
        self.units: dict[str, int] = {}
        for unit in db.session.scalars(sa.select(Unit)):
            for name in (unit.slug, unit.name_vi, unit.name_en):
                if name:
                    self.units.setdefault(_fold(name), unit.id)
        self.venues = {_fold(v.name): v.id for v in db.session.scalars(sa.select(Venue))}
        self.kinds = self._labels(EventKind, EVENT_KIND_LABELS)
        self.visibilities = self._labels(Visibility, VISIBILITY_LABELS)

    @staticmethod
    def _labels(enum, labels) -> dict[str, str]:
        from flask_babel import force_locale

        found = {_fold(member.value): member.value for member in enum}
        for locale in ("vi", "en"):
            with force_locale(locale):
                found.update({_fold(str(label)): member.value for member, label in labels.items()})
        return found


def _row_key(values: dict, lead_unit_id, start: date | None) -> str:
    if values.get("key"):
        return "sheet:" + values["key"][:150]
    raw = "|".join([_fold(values.get("title_vi", "")), str(lead_unit_id), str(start),
                    values.get("start_time", "")])
    return "sheet#" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _event_data(values: dict, raw: dict, lookups: Lookups, zone: str, source: str,
                errors: list[str]) -> tuple[services.EventData | None, int | None, date | None]:
    labels = {key: header for key, header, _required in COLUMNS}
    for key, header, required in COLUMNS:
        if required and not values.get(key) and raw.get(key) in (None, ""):
            errors.append(_("%(column)s is required.", column=header))
    kind = lookups.kinds.get(_fold(values.get("kind", "")))
    if values.get("kind") and kind is None:
        errors.append(_("%(column)s: unknown kind \"%(value)s\".", column=labels["kind"],
                        value=values["kind"][:60]))
    unit_id = lookups.units.get(_fold(values.get("lead_unit", "")))
    if values.get("lead_unit") and unit_id is None:
        errors.append(_("%(column)s: no unit has the slug or name \"%(value)s\".",
                        column=labels["lead_unit"], value=values["lead_unit"][:80]))
    visibility = Visibility.INTERNAL.value
    if values.get("visibility"):
        visibility = lookups.visibilities.get(_fold(values["visibility"]), "")
        if not visibility:
            errors.append(_("%(column)s: unknown value \"%(value)s\".",
                            column=labels["visibility"], value=values["visibility"][:60]))
    start = _date(raw.get("start_date"), labels["start_date"], errors)
    end = _date(raw.get("end_date"), labels["end_date"], errors) or start
    start_time = _time(raw.get("start_time"), labels["start_time"], errors)
    end_time = _time(raw.get("end_time"), labels["end_time"], errors)
    all_day = start_time is None and end_time is None
    venue_id, location = None, values.get("venue", "")
    if location and _fold(location) in lookups.venues:
        venue_id, location = lookups.venues[_fold(location)], ""
    country = values.get("country", "")
    if len(country) != 2:
        country = country_code(country) or country
    if errors or start is None or unit_id is None or kind is None:
        return None, unit_id, start
    return services.EventData(
        title_vi=values.get("title_vi", ""), title_en=values.get("title_en", ""), kind=kind,
        start_date=start, end_date=end or start, start_time=start_time, end_time=end_time,
        all_day=all_day, lead_unit_id=unit_id, visibility=visibility, timezone=zone,
        venue_id=venue_id, location=location, country=country,
        description_vi=values.get("description_vi", ""),
        override_reason=_("Imported from %(file)s", file=source)), unit_id, start


def preview(actor, filename: str, content: bytes, zone: str) -> Preview:
    """Read and check every row; nothing is written."""
    result = Preview(filename=filename, rows=[])
    try:
        cells = read_cells(filename, content)
    except ValidationFailed as exc:
        result.problem = exc.message
        return result
    header_index = next((i for i, row in enumerate(cells[:10])
                         if any(_fold(_text(c)) in HEADERS for c in row)), None)
    if header_index is None:
        result.problem = _("No header row: download the template and keep its first row.")
        return result
    columns = [HEADERS.get(_fold(_text(c))) for c in cells[header_index]]
    missing = [header for key, header, required in COLUMNS if required and key not in columns]
    if missing:
        result.problem = _("Missing columns: %(names)s.", names=", ".join(missing))
        return result
    body = cells[header_index + 1:]
    if len(body) > MAX_ROWS:
        result.problem = _("At most %(n)d rows per file.", n=MAX_ROWS)
        return result
    lookups = Lookups()
    seen: dict[str, int] = {}
    for offset, cells_of_row in enumerate(body):
        raw = {key: value for key, value in zip(columns, cells_of_row, strict=False) if key}
        values = {key: _text(value) for key, value in raw.items()}
        if not any(values.values()):
            continue
        number = header_index + offset + 2
        errors: list[str] = []
        data, unit_id, start = _event_data(values, raw, lookups, zone, filename, errors)
        row = Row(number=number, key=_row_key(values, unit_id, start), values=values, data=data,
                  errors=errors)
        if row.key in seen:
            row.errors.append(_("Same row as line %(n)d.", n=seen[row.key]))
        seen.setdefault(row.key, number)
        if data is not None and not row.errors:
            try:
                services.check_event_data(actor, data)
            except ValidationFailed as exc:
                row.errors.append(exc.message)
            except PermissionDenied:
                row.errors.append(_("You may not create events for this unit."))
        result.rows.append(row)
    known = dict(db.session.execute(
        sa.select(ImportedEvent.external_key, ImportedEvent.event_id)
        .where(ImportedEvent.external_key.in_([r.key for r in result.rows]))).all()) \
        if result.rows else {}
    for row in result.rows:
        row.existing_event_id = known.get(row.key)
    if not result.rows:
        result.problem = _("The file has no rows under its header.")
    return result


def commit(actor, result: Preview) -> list[int]:
    """Create the events of a preview without errors, all or nothing; the ids created.

    Flushes; the caller commits, or rolls back on any exception.
    """
    if not result.ok:
        raise ValidationFailed(_("Correct the rows marked in the preview, then upload the file "
                                 "again."))
    created = []
    for row in result.new_rows:
        assert row.data is not None
        try:
            event = services.create_event(actor, row.data)
        except ValidationFailed as exc:
            raise ValidationFailed(_("Line %(n)d: %(message)s", n=row.number,
                                     message=exc.message)) from None
        db.session.add(ImportedEvent(external_key=row.key, event_id=event.id,
                                     imported_by_id=actor.id))
        created.append(event.id)
    db.session.flush()
    return created


def importer_for(email: str | None):
    """The command line's user: the one named, else the first active administrator."""
    from app.auth.models import User, UserRole
    from app.auth.roles import Role
    from app.auth.services import find_user_by_email

    if email:
        user = find_user_by_email(email)
    else:
        user = db.session.scalar(sa.select(User).join(UserRole).where(
            User.active.is_(True), UserRole.role == Role.ADMIN).order_by(User.id).limit(1))
    if user is None or not user.active:
        raise ValidationFailed(_("No active user to import as: name one with --as EMAIL."))
    return user
