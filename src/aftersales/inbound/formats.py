"""Amazon's inbound file formats, read from the dated data files: the Send to Amazon upload
workbook's layout, the vendored createInboundPlan JSON schema, and the prep / label policy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs or py.typed
from babel import Locale

from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_

# Babel's territory list also holds groupings and private-use codes; none is a country.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_REQUIRED = re.compile(r"'(\w+)' is a required property")


def _data(name: str) -> dict[str, Any]:
    text = resources.files("aftersales.amazon").joinpath(f"data/{name}").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@dataclass(frozen=True, slots=True)
class ManifestColumn:
    key: str
    label: str  # may hold {length_unit} / {weight_unit}
    required: bool
    case_pack_only: bool
    date_format: str | None


@dataclass(frozen=True, slots=True)
class ManifestCell:
    row: int
    column: int
    text: str | None  # fixed text
    value: str | None  # or the name of a plan value (default_prep_owner, default_label_owner)


@dataclass(frozen=True, slots=True)
class ManifestLayout:
    sheet_name: str
    cells: tuple[ManifestCell, ...]
    header_row: int
    first_data_row: int
    columns: tuple[ManifestColumn, ...]
    owner_values: dict[str, str]
    units: dict[str, dict[str, str]]
    checked: str
    to_verify: tuple[str, ...]

    def units_for(self, marketplace_code: str) -> tuple[str, str]:
        """(length unit, weight unit) of the marketplace's template."""
        chosen = self.units.get(marketplace_code, self.units["default"])
        return chosen["length_unit"], chosen["weight_unit"]


@lru_cache(maxsize=1)
def manifest_layout() -> ManifestLayout:
    raw = _data("inbound_manifest.json")
    return ManifestLayout(
        sheet_name=raw["sheet_name"],
        cells=tuple(
            ManifestCell(
                row=cell["row"],
                column=cell["column"],
                text=cell.get("text"),
                value=cell.get("value"),
            )
            for cell in raw["cells"]
        ),
        header_row=raw["header_row"],
        first_data_row=raw["first_data_row"],
        columns=tuple(
            ManifestColumn(
                key=column["key"],
                label=column["label"],
                required=column["required"],
                case_pack_only=column.get("case_pack_only", False),
                date_format=column.get("date_format"),
            )
            for column in raw["columns"]
        ),
        owner_values=dict(raw["owner_values"]),
        units=raw["units"],
        checked=raw["checked"],
        to_verify=tuple(raw["to_verify"]),
    )


@lru_cache(maxsize=1)
def _prep_label_policy() -> dict[str, date]:
    raw = _data("inbound_manifest.json")["amazon_prep_and_label_services"]
    return {code: date.fromisoformat(day) for code, day in raw["unavailable_from"].items()}


def amazon_services_end(marketplace_code: str) -> date | None:
    """The day Amazon stopped prepping and labelling units in this marketplace, if it has."""
    return _prep_label_policy().get(marketplace_code)


# --- createInboundPlan -------------------------------------------------------------------

SCHEMA_FILE = "sp_api/fulfillmentInbound_2024-03-20.createInboundPlan.schema.json"


@lru_cache(maxsize=1)
def create_inbound_plan_schema() -> dict[str, Any]:
    return _data(SCHEMA_FILE)


def item_limits() -> tuple[int, int]:
    """(most units of one SKU, most SKUs) one createInboundPlan request accepts."""
    definitions = create_inbound_plan_schema()["definitions"]
    per_sku = int(definitions["ItemInput"]["properties"]["quantity"]["maximum"])
    skus = int(definitions["CreateInboundPlanRequest"]["properties"]["items"]["maxItems"])
    return per_sku, skus


def field_limit(definition: str, field: str) -> int:
    """A string field's maxLength in the schema (names, SKUs, address lines)."""
    properties = create_inbound_plan_schema()["definitions"][definition]["properties"]
    return int(properties[field]["maxLength"])


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = create_inbound_plan_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def schema_problems(body: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (field path, problem) the schema finds in a request body, in document order."""
    errors = sorted(_validator().iter_errors(body), key=lambda error: [str(p) for p in error.path])
    problems = []
    for error in errors:
        parts = list(error.absolute_path)
        if error.validator == "required":
            # Name the missing field itself, not the object that lacks it.
            missing = _REQUIRED.search(error.message)
            if missing:
                parts.append(missing.group(1))
        problems.append((_path(parts), error.message))
    return problems


def validate_create_inbound_plan(body: dict[str, Any]) -> None:
    """Raise a 422 naming the first field the createInboundPlan schema rejects."""
    problems = schema_problems(body)
    if problems:
        field, problem = problems[0]
        raise InvalidInput(
            N_("the createInboundPlan request is not valid: %(field)s: %(problem)s"),
            field=field,
            problem=problem,
            problems=[f"{name}: {text}" for name, text in problems],
        )


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(body)"


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from Babel's CLDR territories)."""
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(
        code for code in codes if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )
