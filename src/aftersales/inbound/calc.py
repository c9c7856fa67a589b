"""Pure inbound-plan arithmetic and checks: case-pack rounding with its explanation, box
consistency, address completeness, and the plan as createInboundPlan body and manifest grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date
from decimal import Decimal
from typing import Any

from aftersales.inbound.formats import ManifestLayout, country_codes
from aftersales.kit.i18n import N_


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan: the field it is about and an untranslated message."""

    field: str
    message: str
    params: dict[str, Any] = default(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rounded:
    requested: int
    quantity: int
    case_pack: int | None

    @property
    def changed(self) -> bool:
        return self.quantity != self.requested

    @property
    def boxes(self) -> int | None:
        """Whole case packs in the quantity (None without a case pack)."""
        if not self.case_pack or self.case_pack <= 1:
            return None
        return self.quantity // self.case_pack


def round_to_case_pack(requested: int, case_pack: int | None) -> Rounded:
    """Up to the next whole case pack: 898 with a case pack of 50 is 900 (18 boxes)."""
    if not case_pack or case_pack <= 1 or requested <= 0:
        return Rounded(requested, requested, case_pack)
    packs = -(-requested // case_pack)
    return Rounded(requested, packs * case_pack, case_pack)


def rounding_note(requested: int, quantity: int, case_pack: int | None) -> Problem | None:
    """The rounding as a sentence ("898 → 900: case pack 50"); None when nothing moved."""
    if quantity == requested:
        return None
    if case_pack and case_pack > 1 and quantity % case_pack == 0:
        return Problem(
            "quantity",
            N_("%(requested)s → %(quantity)s: rounded up to whole case packs of %(case_pack)s"),
            {"requested": requested, "quantity": quantity, "case_pack": case_pack},
        )
    return Problem(
        "quantity",
        N_("%(requested)s → %(quantity)s: changed by hand"),
        {"requested": requested, "quantity": quantity},
    )


def box_problems(
    *, quantity: int, units_per_box: int | None, boxes: int | None, max_quantity: int
) -> list[Problem]:
    """Positive quantity within the API's limit; boxes and units per box given together, and
    their product equal to the quantity (a case-packed line is whole boxes)."""
    problems: list[Problem] = []
    if quantity < 1:
        problems.append(Problem("quantity", N_("the quantity must be at least 1")))
    elif quantity > max_quantity:
        problems.append(
            Problem(
                "quantity",
                N_("at most %(limit)s units of one SKU fit in one inbound plan"),
                {"limit": max_quantity},
            )
        )
    if units_per_box is None and boxes is None:
        return problems
    if units_per_box is None or units_per_box < 1:
        problems.append(Problem("units_per_box", N_("give the units per box (at least 1)")))
    if boxes is None or boxes < 1:
        problems.append(Problem("boxes", N_("give the number of boxes (at least 1)")))
    if problems or units_per_box is None or boxes is None:
        return problems
    if units_per_box * boxes != quantity:
        problems.append(
            Problem(
                "quantity",
                N_(
                    "%(quantity)s units are not %(boxes)s boxes of %(units_per_box)s "
                    "(%(total)s units): make the quantity a multiple of the units per box"
                ),
                {
                    "quantity": quantity,
                    "boxes": boxes,
                    "units_per_box": units_per_box,
                    "total": units_per_box * boxes,
                },
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class Address:
    name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country_code: str = ""
    phone: str = ""
    email: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__slots__)


# What createInboundPlan requires of sourceAddress (AddressInput), in form order.
REQUIRED_ADDRESS_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", N_("contact name")),
    ("line1", N_("address line 1")),
    ("city", N_("city")),
    ("postal_code", N_("postal code")),
    ("country_code", N_("country code")),
    ("phone", N_("phone")),
)


def address_problems(address: Address) -> list[Problem]:
    """Missing required fields and an unknown country code, each naming its field."""
    problems = [
        Problem(f"ship_from.{name}", N_("the ship-from %(label)s is missing"), {"label": label})
        for name, label in REQUIRED_ADDRESS_FIELDS
        if not getattr(address, name).strip()
    ]
    code = address.country_code.strip()
    if code and code not in country_codes():
        problems.append(
            Problem(
                "ship_from.country_code",
                N_("%(code)s is not an ISO 3166 two-letter country code (e.g. CN, US, DE)"),
                {"code": code},
            )
        )
    if address.email and ("@" not in address.email or " " in address.email.strip()):
        problems.append(Problem("ship_from.email", N_("the ship-from e-mail is not valid")))
    return problems


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    quantity: int
    label_owner: str
    prep_owner: str
    units_per_box: int | None = None
    boxes: int | None = None
    box_length: Decimal | None = None
    box_width: Decimal | None = None
    box_height: Decimal | None = None
    box_weight: Decimal | None = None
    expiration: date | None = None


def owner_problems(
    line: Line, *, marketplace_code: str, services_end: date | None, today: date
) -> list[Problem]:
    """Amazon prep / labelling chosen where Amazon no longer offers it."""
    if services_end is None or today < services_end:
        return []
    return [
        Problem(
            name,
            N_(
                "%(sku)s: Amazon no longer preps or labels units in %(marketplace)s "
                "since %(day)s; choose SELLER or NONE"
            ),
            {"sku": line.sku, "marketplace": marketplace_code, "day": services_end.isoformat()},
        )
        for name, owner in (("prep_owner", line.prep_owner), ("label_owner", line.label_owner))
        if owner == "AMAZON"
    ]


def create_inbound_plan_body(
    *, name: str, marketplace_id: str, address: Address, lines: Sequence[Line]
) -> dict[str, Any]:
    """The createInboundPlan (v2024-03-20) request body; empty optional fields are left out
    (the API rejects empty strings)."""
    source = {
        "name": address.name,
        "companyName": address.company,
        "addressLine1": address.line1,
        "addressLine2": address.line2,
        "city": address.city,
        "stateOrProvinceCode": address.state,
        "postalCode": address.postal_code,
        "countryCode": address.country_code,
        "phoneNumber": address.phone,
        "email": address.email,
    }
    items = []
    for line in lines:
        item: dict[str, Any] = {
            "msku": line.sku,
            "quantity": line.quantity,
            "labelOwner": line.label_owner,
            "prepOwner": line.prep_owner,
        }
        if line.expiration:
            item["expiration"] = line.expiration.isoformat()
        items.append(item)
    body: dict[str, Any] = {
        "destinationMarketplaces": [marketplace_id],
        "items": items,
        "sourceAddress": {key: value.strip() for key, value in source.items() if value.strip()},
    }
    if name.strip():
        body["name"] = name.strip()
    return body


def manifest_grid(
    layout: ManifestLayout,
    *,
    lines: Sequence[Line],
    length_unit: str,
    weight_unit: str,
    default_prep_owner: str,
    default_label_owner: str,
) -> list[list[Any]]:
    """The upload sheet as rows of cells (None = empty): the fixed cells, the header row, one
    row per SKU. Box columns are filled only for case-packed lines."""
    width = max(len(layout.columns), max((cell.column for cell in layout.cells), default=0))
    height = layout.first_data_row - 1 + len(lines)
    grid: list[list[Any]] = [[None] * width for _ in range(height)]
    values = {
        "default_prep_owner": layout.owner_values[default_prep_owner],
        "default_label_owner": layout.owner_values[default_label_owner],
    }
    for cell in layout.cells:
        grid[cell.row - 1][cell.column - 1] = (
            cell.text if cell.text is not None else values[cell.value or ""]
        )
    for index, column in enumerate(layout.columns):
        grid[layout.header_row - 1][index] = column.label.format(
            length_unit=length_unit, weight_unit=weight_unit
        )
    for offset, line in enumerate(lines):
        row = grid[layout.first_data_row - 1 + offset]
        case_packed = line.units_per_box is not None and line.boxes is not None
        cells: dict[str, Any] = {
            "msku": line.sku,
            "quantity": line.quantity,
            "prep_owner": layout.owner_values[line.prep_owner],
            "label_owner": layout.owner_values[line.label_owner],
            "expiration": line.expiration,
            "units_per_box": line.units_per_box,
            "boxes": line.boxes,
            "box_length": line.box_length,
            "box_width": line.box_width,
            "box_height": line.box_height,
            "box_weight": line.box_weight,
        }
        for index, column in enumerate(layout.columns):
            value = cells.get(column.key)
            if column.case_pack_only and not case_packed:
                value = None
            if isinstance(value, date) and column.date_format:
                value = value.strftime(column.date_format)
            row[index] = value
    return grid
