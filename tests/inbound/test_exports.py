"""The three exports of a plan: the upload workbook read back cell by cell (xlsx and tsv),
the packing list with totals, and the createInboundPlan body checked by Amazon's schema."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from aftersales.accounts.service import Access
from aftersales.exceptions import InvalidInput
from aftersales.inbound import exports as inbound_exports
from aftersales.inbound import formats
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import InboundPlanCreate, InboundPlanItemCreate
from aftersales.models import Store
from tests.inbound.builders import SHENZHEN, TODAY, US, add_product


def _plan(session: Session, store: Store, access: Access, **extra: object) -> int:
    add_product(session, store, "MUG-RED", case_pack=50, title="Red mug")
    add_product(session, store, "LOOSE-1")
    data = {
        "store_id": store.id,
        "marketplace": "US",
        "name": "Dec sea",
        "ship_from": SHENZHEN,
        "items": [
            InboundPlanItemCreate(
                sku="MUG-RED",
                quantity=898,
                box_length=Decimal("24"),
                box_width=Decimal("16"),
                box_height=Decimal("14"),
                box_weight=Decimal("30.5"),
            ),
            InboundPlanItemCreate(sku="LOOSE-1", quantity=7, label_owner="NONE"),
        ],
    }
    data.update(extra)
    plan = inbound_service.create_plan(
        session, access=access, data=InboundPlanCreate.model_validate(data), today=TODAY
    )
    return plan.id


def test_upload_workbook_reads_back_as_the_template(
    session: Session, store: Store, access: Access
) -> None:
    plan_id = _plan(session, store, access)
    stem, grid = inbound_exports.manifest(session, access=access, plan_id=plan_id, today=TODAY)
    assert stem == f"send-to-amazon-{plan_id}"
    content = inbound_exports.grid_xlsx(grid, header_row=formats.manifest_layout().header_row)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Create workflow – template"]
    sheet = workbook["Create workflow – template"]
    assert sheet["A1"].value == "Please review the Example tab before you complete this sheet"
    assert (sheet["A3"].value, sheet["B3"].value) == ("Default prep owner", "Seller")
    assert (sheet["A4"].value, sheet["B4"].value) == ("Default labeling owner", "Seller")
    assert sheet["C7"].value == "Optional"
    assert [cell.value for cell in sheet[8]] == [
        "Merchant SKU",
        "Quantity",
        "Prep owner",
        "Labeling owner",
        "Expiration date (MM/DD/YYYY)",
        "Units per box",
        "Number of boxes",
        "Box length (in)",
        "Box width (in)",
        "Box height (in)",
        "Box weight (lb)",
    ]
    assert sheet["A8"].font.bold
    # Lines in SKU order; the case-packed one with its 18 boxes of 50.
    assert [cell.value for cell in sheet[9]] == [
        "LOOSE-1",
        7,
        "Seller",
        "Seller",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert [cell.value for cell in sheet[10]] == [
        "MUG-RED",
        900,
        "Seller",
        "Seller",
        None,
        50,
        18,
        24,
        16,
        14,
        30.5,
    ]
    assert sheet.max_row == 10
    text = inbound_exports.grid_tsv(grid)
    rows = text.split("\r\n")
    assert rows[0].startswith("Please review the Example tab")
    assert rows[2].split("\t")[:2] == ["Default prep owner", "Seller"]
    assert rows[7].split("\t")[0] == "Merchant SKU"
    assert rows[9].split("\t") == [
        "MUG-RED",
        "900",
        "Seller",
        "Seller",
        "",
        "50",
        "18",
        "24",
        "16",
        "14",
        "30.5",
    ]


def test_packing_list_has_a_line_per_sku_and_totals(
    session: Session, store: Store, access: Access
) -> None:
    plan_id = _plan(session, store, access)
    stem, rows = inbound_exports.packing_rows(session, access=access, plan_id=plan_id, today=TODAY)
    assert stem == f"packing-list-{plan_id}"
    loose, mug, total = rows
    assert (loose["sku"], loose["quantity"], loose["boxes"]) == ("LOOSE-1", 7, None)
    assert loose["label_owner"] == "NONE"
    assert (mug["sku"], mug["title"], mug["units_per_box"], mug["boxes"], mug["quantity"]) == (
        "MUG-RED",
        "Red mug",
        50,
        18,
        900,
    )
    # 18 boxes × 30.5 lb.
    assert mug["total_weight"] == Decimal("549.0")
    assert (mug["length_unit"], mug["weight_unit"]) == ("in", "lb")
    assert total == {
        "sku": "Total",
        "boxes": 18,
        "quantity": 907,
        "total_weight": Decimal("549.0"),
        "weight_unit": "lb",
    }


def test_create_inbound_plan_request_is_valid_for_amazon(
    session: Session, store: Store, access: Access
) -> None:
    plan_id = _plan(session, store, access)
    body = inbound_exports.create_inbound_plan_request(
        session, access=access, plan_id=plan_id, today=TODAY
    )
    assert body["destinationMarketplaces"] == [US]
    assert body["name"] == "Dec sea"
    assert body["sourceAddress"]["phoneNumber"] == "+86 755 1234 5678"
    assert body["sourceAddress"]["countryCode"] == "CN"
    assert body["items"] == [
        {"msku": "LOOSE-1", "quantity": 7, "labelOwner": "NONE", "prepOwner": "SELLER"},
        {"msku": "MUG-RED", "quantity": 900, "labelOwner": "SELLER", "prepOwner": "SELLER"},
    ]
    assert formats.schema_problems(body) == []


def test_every_export_refuses_a_plan_with_problems(
    session: Session, store: Store, access: Access
) -> None:
    plan_id = _plan(session, store, access, ship_from=None)
    for export in (
        inbound_exports.manifest,
        inbound_exports.packing_rows,
        inbound_exports.create_inbound_plan_request,
    ):
        with pytest.raises(InvalidInput) as raised:
            export(session, access=access, plan_id=plan_id, today=TODAY)  # type: ignore[operator]
        assert raised.value.details["field"] == "ship_from.name"


def test_a_sku_amazon_cannot_take_is_refused_by_the_schema_check(
    session: Session, store: Store, access: Access
) -> None:
    long_sku = "S" * 41
    add_product(session, store, long_sku)
    plan = inbound_service.create_plan
    with pytest.raises(InvalidInput) as raised:
        plan(
            session,
            access=access,
            data=InboundPlanCreate(
                store_id=store.id,
                marketplace="US",
                ship_from=SHENZHEN,
                items=[InboundPlanItemCreate(sku=long_sku, quantity=1)],
            ),
            today=TODAY,
        )
    assert raised.value.details["field"] == "sku"
