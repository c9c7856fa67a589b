"""JSON API for inbound plans: CRUD of plans, lines and saved ship-from addresses, status
changes, and the three exports (upload workbook, packing list, createInboundPlan body)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from aftersales.inbound import addresses as address_service
from aftersales.inbound import exports as inbound_exports
from aftersales.inbound import formats
from aftersales.inbound import recommendations as recommendation_service
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import (
    FromRecommendations,
    InboundPlan,
    InboundPlanCreate,
    InboundPlanItemCreate,
    InboundPlanItemUpdate,
    InboundPlanSummary,
    InboundPlanUpdate,
    RecommendedLine,
    ShipFromAddress,
    ShipFromAddressCreate,
    StatusChange,
)
from aftersales.models import PlanStatus, ShippingMode
from aftersales.web.deps import ApiAccess, ApiScope, DbSession, ObjectId
from aftersales.web.exports import XLSX_MEDIA_TYPE, ExportFormat, export_response

router = APIRouter(prefix="/inbound-plans", tags=["inbound plans"])


def _today() -> date:
    return datetime.now(UTC).date()


def _visible_plan(session: DbSession, access: ApiAccess, plan_id: ObjectId) -> int:
    # Before the body is read: another store's plan is a 404 whatever the body holds.
    return inbound_service.visible_plan(session, access=access, plan_id=plan_id)


def _visible_item(
    session: DbSession, access: ApiAccess, plan_id: ObjectId, item_id: ObjectId
) -> int:
    return inbound_service.visible_item(session, access=access, plan_id=plan_id, item_id=item_id)


VisiblePlan = Annotated[int, Depends(_visible_plan)]
VisibleItem = Annotated[int, Depends(_visible_item)]
StoreId = Annotated[int | None, Query(ge=1, description="Default: the only store you plan for.")]


def attachment(content: bytes, *, name: str, media_type: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- static paths first: "/inbound-plans/ship-from-addresses" is not a plan id --------------


@router.get("", response_model=list[InboundPlanSummary])
def list_plans(
    session: DbSession, scope: ApiScope, status: PlanStatus | None = None
) -> list[InboundPlanSummary]:
    return inbound_service.list_plans(session, scope=scope, status=status)


@router.post("", response_model=InboundPlan, status_code=201)
def create_plan(session: DbSession, access: ApiAccess, body: InboundPlanCreate) -> InboundPlan:
    return inbound_service.create_plan(session, access=access, data=body, today=_today())


@router.get("/recommendations", response_model=list[RecommendedLine])
def recommendations(
    session: DbSession,
    access: ApiAccess,
    store_id: StoreId = None,
    marketplace: Annotated[
        str | None, Query(max_length=20, description="Default: every marketplace.")
    ] = None,
    shipping_mode: ShippingMode = ShippingMode.SEA,
) -> list[RecommendedLine]:
    """What the last replenishment run says FBA needs, per SKU, for the shipping mode: from
    local and 3PL stock when there is some, else the FBA need; rounded up to case packs."""
    chosen = inbound_service.default_store(access, store_id)
    return recommendation_service.recommended_lines(
        session,
        access=access,
        store_id=chosen,
        marketplace=marketplace,
        shipping_mode=shipping_mode,
    )


@router.post("/from-recommendations", response_model=InboundPlan, status_code=201)
def create_from_recommendations(
    session: DbSession, access: ApiAccess, body: FromRecommendations
) -> InboundPlan:
    return recommendation_service.create_from_recommendations(
        session, access=access, data=body, today=_today()
    )


@router.get("/ship-from-addresses", response_model=list[ShipFromAddress])
def list_addresses(session: DbSession, scope: ApiScope) -> list[ShipFromAddress]:
    return [
        ShipFromAddress(id=row.id, store_id=row.store_id, label=row.label, address=address)
        for row, address in address_service.list_addresses(session, scope=scope)
    ]


@router.post("/ship-from-addresses", response_model=ShipFromAddress, status_code=201)
def save_address(
    session: DbSession, access: ApiAccess, body: ShipFromAddressCreate
) -> ShipFromAddress:
    chosen = inbound_service.default_store(access, body.store_id)
    row = address_service.save_address(
        session, access=access, store_id=chosen, label=body.label, address=body.address
    )
    return ShipFromAddress(id=row.id, store_id=row.store_id, label=row.label, address=body.address)


@router.delete("/ship-from-addresses/{address_id}", status_code=204)
def delete_address(session: DbSession, access: ApiAccess, address_id: ObjectId) -> Response:
    address_service.delete_address(session, access=access, address_id=address_id)
    return Response(status_code=204)


# --- one plan --------------------------------------------------------------------------------


@router.get("/{plan_id}", response_model=InboundPlan)
def get_plan(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> InboundPlan:
    return inbound_service.get_plan(session, access=access, plan_id=plan_id, today=_today())


@router.patch("/{plan_id}", response_model=InboundPlan)
def update_plan(
    session: DbSession, access: ApiAccess, plan_id: VisiblePlan, body: InboundPlanUpdate
) -> InboundPlan:
    return inbound_service.update_plan(
        session, access=access, plan_id=plan_id, update=body, today=_today()
    )


@router.delete("/{plan_id}", status_code=204)
def delete_plan(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> Response:
    inbound_service.delete_plan(session, access=access, plan_id=plan_id)
    return Response(status_code=204)


@router.post("/{plan_id}/status", response_model=InboundPlan)
def change_status(
    session: DbSession, access: ApiAccess, plan_id: VisiblePlan, body: StatusChange
) -> InboundPlan:
    return inbound_service.change_status(
        session,
        access=access,
        plan_id=plan_id,
        status=body.status,
        today=_today(),
        shipped_on=body.shipped_on,
        shipment_id=body.shipment_id,
    )


@router.post("/{plan_id}/items", response_model=InboundPlan, status_code=201)
def add_item(
    session: DbSession, access: ApiAccess, plan_id: VisiblePlan, body: InboundPlanItemCreate
) -> InboundPlan:
    return inbound_service.add_item(
        session, access=access, plan_id=plan_id, data=body, today=_today()
    )


@router.patch("/{plan_id}/items/{item_id}", response_model=InboundPlan)
def update_item(
    session: DbSession,
    access: ApiAccess,
    plan_id: ObjectId,
    item_id: VisibleItem,
    body: InboundPlanItemUpdate,
) -> InboundPlan:
    return inbound_service.update_item(
        session, access=access, plan_id=plan_id, item_id=item_id, update=body, today=_today()
    )


@router.delete("/{plan_id}/items/{item_id}", response_model=InboundPlan)
def remove_item(
    session: DbSession, access: ApiAccess, plan_id: ObjectId, item_id: VisibleItem
) -> InboundPlan:
    return inbound_service.remove_item(
        session, access=access, plan_id=plan_id, item_id=item_id, today=_today()
    )


# --- exports ---------------------------------------------------------------------------------


@router.get("/{plan_id}/create-inbound-plan-request")
def create_inbound_plan_request(
    session: DbSession, access: ApiAccess, plan_id: VisiblePlan
) -> dict[str, Any]:
    """The SP-API createInboundPlan (v2024-03-20) request body, validated against the
    vendored schema. Sending it is the SP-API sync's job."""
    return inbound_exports.create_inbound_plan_request(
        session, access=access, plan_id=plan_id, today=_today()
    )


def manifest_response(
    session: DbSession, access: ApiAccess, plan_id: int, *, extension: str
) -> Response:
    stem, grid = inbound_exports.manifest(session, access=access, plan_id=plan_id, today=_today())
    if extension == "xlsx":
        content = inbound_exports.grid_xlsx(grid, header_row=formats.manifest_layout().header_row)
        return attachment(content, name=f"{stem}.xlsx", media_type=XLSX_MEDIA_TYPE)
    return attachment(
        inbound_exports.grid_tsv(grid).encode("utf-8"),
        name=f"{stem}.txt",
        media_type="text/tab-separated-values; charset=utf-8",
    )


@router.get(
    "/{plan_id}/manifest.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
)
def manifest_xlsx(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> Response:
    """The Send to Amazon upload workbook (sheet "Create workflow – template")."""
    return manifest_response(session, access, plan_id, extension="xlsx")


@router.get(
    "/{plan_id}/manifest.tsv",
    response_class=Response,
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
def manifest_tsv(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> Response:
    """The same sheet as tab-delimited text."""
    return manifest_response(session, access, plan_id, extension="tsv")


def packing_response(
    session: DbSession, access: ApiAccess, plan_id: int, fmt: ExportFormat
) -> Response:
    stem, rows = inbound_exports.packing_rows(
        session, access=access, plan_id=plan_id, today=_today()
    )
    return export_response(
        columns=inbound_exports.PACKING_COLUMNS, rows=lambda _session: rows, stem=stem, fmt=fmt
    )


@router.get("/{plan_id}/packing-list.csv", response_class=Response)
def packing_list_csv(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> Response:
    return packing_response(session, access, plan_id, ExportFormat.CSV)


@router.get("/{plan_id}/packing-list.xlsx", response_class=Response)
def packing_list_xlsx(session: DbSession, access: ApiAccess, plan_id: VisiblePlan) -> Response:
    return packing_response(session, access, plan_id, ExportFormat.XLSX)
