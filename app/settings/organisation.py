"""Settings that several features share: the province's own facts (DOMAIN.md 0).

Provinces merge and units are renamed, so these are data an administrator keeps.
"""
from app.i18n import _l
from app.settings.registry import define, group
from app.settings.types import TEXT, UNIT_SLUG

group("organisation", _l("Province and units"))

DOCUMENT_PLACE = define(
    "organisation.document_place", _l("Place name on documents"), TEXT, "Quảng Ngãi",
    legal_basis="Nghị quyết 202/2025/QH15 (tỉnh Quảng Ngãi sau sắp xếp)", verified=True,
    help=_l("Printed at the head of documents: “Quảng Ngãi, ngày … tháng … năm …”."))
PPC_UNIT = define(
    "organisation.ppc_unit", _l("Provincial People's Committee (unit)"), UNIT_SLUG, "ubnd-tinh",
    help=_l("Its press conferences count for the quarterly press conference alert."))
PROPAGANDA_UNIT = define(
    "organisation.propaganda_unit", _l("Party propaganda and mass-mobilisation commission (unit)"),
    UNIT_SLUG, "ban-tgdv", help=_l("It monitors implementation: its members see the checklist overview."))
