"""An inbound plan's three exports: the Send to Amazon upload workbook (.xlsx / .tsv), the
packing list (CSV / Excel rows), and the SP-API createInboundPlan request body, validated
against the vendored schema. Every export refuses a plan with problems."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from sqlalchemy.orm import Session

from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.inbound import calc, formats
from aftersales.inbound import service as inbound_service
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.tabular import Column
from aftersales.models import InboundPlan


def _default_owner(owners: Sequence[str]) -> str:
    """The owner most lines have (the template's default row); SELLER for an empty plan."""
    if not owners:
        return "SELLER"
    return Counter(owners).most_common(1)[0][0]


def manifest_grid(session: Session, *, plan: InboundPlan) -> list[list[Any]]:
    lines = inbound_service.export_lines(session, plan=plan)
    return calc.manifest_grid(
        formats.manifest_layout(),
        lines=lines,
        length_unit=plan.length_unit,
        weight_unit=plan.weight_unit,
        default_prep_owner=_default_owner([line.prep_owner for line in lines]),
        default_label_owner=_default_owner([line.label_owner for line in lines]),
    )


def manifest(session: Session, *, access: Access, plan_id: int, today: date) -> tuple[str, Any]:
    """(file stem, grid) of a checked plan."""
    plan = inbound_service.plan_for_export(session, access=access, plan_id=plan_id, today=today)
    return f"send-to-amazon-{plan.id}", manifest_grid(session, plan=plan)


def grid_xlsx(grid: Sequence[Sequence[Any]], *, header_row: int) -> bytes:
    """The grid as the template's sheet: text as text, quantities and sizes as numbers."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(formats.manifest_layout().sheet_name)
    for row_index, row in enumerate(grid):
        for column_index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_string(row_index, column_index, str(value))
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row_index, column_index, float(value))
            else:
                style = bold if row_index == header_row - 1 else None
                sheet.write_string(row_index, column_index, str(value), style)
    workbook.close()
    return buffer.getvalue()


def grid_tsv(grid: Sequence[Sequence[Any]]) -> str:
    """The grid as the tab-delimited text Seller Central also accepts (UTF-8, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    for row in grid:
        writer.writerow(["" if value is None else _plain(value) for value in row])
    return buffer.getvalue()


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


# --- packing list ----------------------------------------------------------------------------

PACKING_COLUMNS = (
    Column("line", N_("Line")),
    Column("sku", N_("SKU")),
    Column("fnsku", N_("FNSKU")),
    Column("asin", N_("ASIN")),
    Column("title", N_("Title")),
    Column("units_per_box", N_("Units per box")),
    Column("boxes", N_("Boxes")),
    Column("quantity", N_("Units")),
    Column("box_length", N_("Box length")),
    Column("box_width", N_("Box width")),
    Column("box_height", N_("Box height")),
    Column("length_unit", N_("Length unit")),
    Column("box_weight", N_("Box weight")),
    Column("total_weight", N_("Total weight")),
    Column("weight_unit", N_("Weight unit")),
    Column("prep_owner", N_("Prep owner")),
    Column("label_owner", N_("Label owner")),
    Column("expiration", N_("Expiration date")),
)


def packing_rows(
    session: Session, *, access: Access, plan_id: int, today: date
) -> tuple[str, list[dict[str, Any]]]:
    """(file stem, rows): one row per SKU (its boxes and their sizes), then the totals."""
    plan = inbound_service.plan_for_export(session, access=access, plan_id=plan_id, today=today)
    out = inbound_service.get_plan(session, access=access, plan_id=plan.id, today=today)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(out.items, start=1):
        rows.append(
            {
                "line": number,
                "sku": item.sku,
                "fnsku": item.fnsku,
                "asin": item.asin,
                "title": item.title,
                "units_per_box": item.units_per_box,
                "boxes": item.boxes,
                "quantity": item.quantity,
                "box_length": item.box_length,
                "box_width": item.box_width,
                "box_height": item.box_height,
                "length_unit": out.length_unit,
                "box_weight": item.box_weight,
                "total_weight": item.total_weight,
                "weight_unit": out.weight_unit,
                "prep_owner": item.prep_owner,
                "label_owner": item.label_owner,
                "expiration": item.expiration,
            }
        )
    rows.append(
        {
            "sku": gettext("Total"),
            "boxes": out.totals.boxes,
            "quantity": out.totals.units,
            "total_weight": out.totals.weight,
            "weight_unit": out.weight_unit,
        }
    )
    return f"packing-list-{plan.id}", rows


# --- createInboundPlan -----------------------------------------------------------------------


def create_inbound_plan_request(
    session: Session, *, access: Access, plan_id: int, today: date
) -> dict[str, Any]:
    """The createInboundPlan request body, checked against Amazon's schema (a body the
    schema rejects is a 422 naming the field, never a file)."""
    plan = inbound_service.plan_for_export(session, access=access, plan_id=plan_id, today=today)
    market = marketplaces.by_id(plan.marketplace_id)
    assert market is not None
    body = calc.create_inbound_plan_body(
        name=plan.name,
        marketplace_id=market.id,
        address=inbound_service.export_address(plan),
        lines=inbound_service.export_lines(session, plan=plan),
    )
    formats.validate_create_inbound_plan(body)
    return body
