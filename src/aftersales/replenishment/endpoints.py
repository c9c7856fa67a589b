"""JSON API of replenishment data: planning settings (store and per product), stock outside
FBA, purchase orders, their templates and file imports, and runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Path, Query, UploadFile
from fastapi.responses import Response

from aftersales.accounts.roles import Permission
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.models import PurchaseOrderStatus
from aftersales.replenishment import inbound_status, settings_service, stock_files, stock_service
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.schemas import (
    InboundLotOut,
    LocalStockCreate,
    LocalStockOut,
    LocalStockUpdate,
    PlanningSettings,
    PlanningSettingsValues,
    PurchaseOrderCreate,
    PurchaseOrderOut,
    PurchaseOrderUpdate,
    RunOut,
    SkuSettings,
    SkuSettingsValues,
    StockImportResult,
)
from aftersales.replenishment.stock_files import TemplateKind
from aftersales.web.deps import ApiAccess, DbSession, ObjectId, marketplace_ids
from aftersales.web.exports import XLSX_MEDIA_TYPE, ExportFormat

router = APIRouter(prefix="/replenishment", tags=["replenishment"])

StoreId = Annotated[int | None, Query(ge=1, description="Default: your only store.")]
PathStoreId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Sku = Annotated[str, Path(min_length=1, max_length=80)]
UPLOAD_LIMIT = 10 * 1024 * 1024


# Resolved before the body is read: another store's URL is a 404 whatever the body holds.
def _visible_store(access: ApiAccess, store_id: PathStoreId) -> int:
    access.role_in(store_id)
    return store_id


def _visible_stock(session: DbSession, access: ApiAccess, stock_id: ObjectId) -> int:
    stock_service.ensure_visible_stock(session, access=access, stock_id=stock_id)
    return stock_id


def _visible_order(session: DbSession, access: ApiAccess, purchase_order_id: ObjectId) -> int:
    stock_service.ensure_visible_order(session, access=access, order_id=purchase_order_id)
    return purchase_order_id


VisibleStore = Annotated[int, Depends(_visible_store)]
VisibleStock = Annotated[int, Depends(_visible_stock)]
VisibleOrder = Annotated[int, Depends(_visible_order)]


def _store(access: ApiAccess, store_id: int | None, permission: Permission) -> int:
    return settings_service.default_store(access, store_id, permission)


# --- settings ------------------------------------------------------------------------------------


@router.get("/settings", response_model=PlanningSettings)
def get_settings(
    session: DbSession, access: ApiAccess, store_id: StoreId = None
) -> PlanningSettings:
    chosen = _store(access, store_id, Permission.VIEW)
    return settings_service.get_settings(session, access=access, store_id=chosen)


@router.put("/settings", response_model=PlanningSettings)
def put_settings(
    session: DbSession,
    access: ApiAccess,
    values: Annotated[PlanningSettingsValues, Body()],
    store_id: StoreId = None,
) -> PlanningSettings:
    chosen = _store(access, store_id, Permission.PLAN)
    return settings_service.update_settings(session, access=access, store_id=chosen, values=values)


@router.get("/sku-settings", response_model=list[SkuSettings])
def list_sku_settings(
    session: DbSession, access: ApiAccess, store_id: StoreId = None
) -> list[SkuSettings]:
    chosen = _store(access, store_id, Permission.VIEW)
    return settings_service.list_sku_settings(session, access=access, store_id=chosen)


@router.get("/sku-settings/{store_id}/{sku:path}", response_model=SkuSettings)
def get_sku_settings(
    session: DbSession, access: ApiAccess, store_id: PathStoreId, sku: Sku
) -> SkuSettings:
    return settings_service.get_sku_settings(session, access=access, store_id=store_id, sku=sku)


@router.put("/sku-settings/{store_id}/{sku:path}", response_model=SkuSettings)
def put_sku_settings(
    session: DbSession,
    access: ApiAccess,
    store_id: VisibleStore,
    sku: Sku,
    values: Annotated[SkuSettingsValues, Body()],
) -> SkuSettings:
    return settings_service.update_sku_settings(
        session, access=access, store_id=store_id, sku=sku, values=values
    )


@router.delete("/sku-settings/{store_id}/{sku:path}", status_code=204)
def delete_sku_settings(
    session: DbSession, access: ApiAccess, store_id: PathStoreId, sku: Sku
) -> Response:
    settings_service.delete_sku_settings(session, access=access, store_id=store_id, sku=sku)
    return Response(status_code=204)


# --- local stock -----------------------------------------------------------------------------------


@router.get("/local-stock", response_model=list[LocalStockOut])
def list_local_stock(
    session: DbSession,
    access: ApiAccess,
    store_id: StoreId = None,
    sku: Annotated[str | None, Query(max_length=80)] = None,
) -> list[LocalStockOut]:
    scope = access.scope(store_ids=(store_id,) if store_id else ())
    return stock_service.list_local_stock(session, scope=scope, sku=sku)


@router.post("/local-stock", response_model=LocalStockOut, status_code=201)
def create_local_stock(
    session: DbSession,
    access: ApiAccess,
    values: Annotated[LocalStockCreate, Body()],
    store_id: StoreId = None,
) -> LocalStockOut:
    chosen = _store(access, store_id, Permission.PLAN)
    return stock_service.create_local_stock(session, access=access, store_id=chosen, values=values)


@router.patch("/local-stock/{stock_id}", response_model=LocalStockOut)
def update_local_stock(
    session: DbSession,
    access: ApiAccess,
    stock_id: VisibleStock,
    values: Annotated[LocalStockUpdate, Body()],
) -> LocalStockOut:
    return stock_service.update_local_stock(
        session, access=access, stock_id=stock_id, values=values
    )


@router.delete("/local-stock/{stock_id}", status_code=204)
def delete_local_stock(session: DbSession, access: ApiAccess, stock_id: ObjectId) -> Response:
    stock_service.delete_local_stock(session, access=access, stock_id=stock_id)
    return Response(status_code=204)


# --- purchase orders -------------------------------------------------------------------------------


@router.get("/purchase-orders", response_model=list[PurchaseOrderOut])
def list_purchase_orders(
    session: DbSession,
    access: ApiAccess,
    store_id: StoreId = None,
    status: PurchaseOrderStatus | None = None,
    sku: Annotated[str | None, Query(max_length=80)] = None,
) -> list[PurchaseOrderOut]:
    scope = access.scope(store_ids=(store_id,) if store_id else ())
    return stock_service.list_purchase_orders(
        session, scope=scope, status=status.value if status else None, sku=sku
    )


@router.post("/purchase-orders", response_model=PurchaseOrderOut, status_code=201)
def create_purchase_order(
    session: DbSession,
    access: ApiAccess,
    values: Annotated[PurchaseOrderCreate, Body()],
    store_id: StoreId = None,
) -> PurchaseOrderOut:
    chosen = _store(access, store_id, Permission.PLAN)
    return stock_service.create_purchase_order(
        session, access=access, store_id=chosen, values=values
    )


@router.patch("/purchase-orders/{purchase_order_id}", response_model=PurchaseOrderOut)
def update_purchase_order(
    session: DbSession,
    access: ApiAccess,
    purchase_order_id: VisibleOrder,
    values: Annotated[PurchaseOrderUpdate, Body()],
) -> PurchaseOrderOut:
    return stock_service.update_purchase_order(
        session, access=access, order_id=purchase_order_id, values=values
    )


@router.delete("/purchase-orders/{purchase_order_id}", status_code=204)
def delete_purchase_order(
    session: DbSession, access: ApiAccess, purchase_order_id: ObjectId
) -> Response:
    stock_service.delete_purchase_order(session, access=access, order_id=purchase_order_id)
    return Response(status_code=204)


# --- templates and file imports ------------------------------------------------------------------


def template_response(kind: TemplateKind, fmt: ExportFormat) -> Response:
    if fmt is ExportFormat.XLSX:
        content, media, extension = stock_files.template_xlsx(kind), XLSX_MEDIA_TYPE, "xlsx"
    else:
        content, media, extension = stock_files.template_csv(kind), "text/csv; charset=utf-8", "csv"
    return Response(
        content=content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{kind.value}-template.{extension}"'
        },
    )


@router.get(
    "/templates",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
def template(
    access: ApiAccess,
    kind: TemplateKind = TemplateKind.LOCAL_STOCK,
    fmt: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    store_id: StoreId = None,
) -> Response:
    """The CSV or Excel template to fill in and import."""
    access.scope(store_ids=(store_id,) if store_id else ())
    return template_response(kind, fmt)


def read_upload(upload: UploadFile) -> bytes:
    content = upload.file.read(UPLOAD_LIMIT + 1)
    if len(content) > UPLOAD_LIMIT:
        raise InvalidInput(N_("the file is larger than 10 MB"), field="file")
    return content


def _import(
    session: DbSession,
    access: ApiAccess,
    store_id: int | None,
    kind: TemplateKind,
    file: UploadFile,
) -> StockImportResult:
    chosen = _store(access, store_id, Permission.PLAN)
    return stock_service.import_file(
        session,
        access=access,
        store_id=chosen,
        kind=kind,
        file_name=file.filename or "upload.csv",
        content=read_upload(file),
    )


UploadedFile = Annotated[UploadFile, File(description="A filled-in template (CSV or .xlsx).")]


@router.post("/local-stock/import", response_model=StockImportResult)
def import_local_stock(
    session: DbSession, access: ApiAccess, file: UploadedFile, store_id: StoreId = None
) -> StockImportResult:
    """All or nothing: a wrong line rejects the file (422 listing every line and column)."""
    return _import(session, access, store_id, TemplateKind.LOCAL_STOCK, file)


@router.post("/purchase-orders/import", response_model=StockImportResult)
def import_purchase_orders(
    session: DbSession, access: ApiAccess, file: UploadedFile, store_id: StoreId = None
) -> StockImportResult:
    """All or nothing: a wrong line rejects the file (422 listing every line and column)."""
    return _import(session, access, store_id, TemplateKind.PURCHASE_ORDERS, file)


# --- runs ----------------------------------------------------------------------------------------


def _run_out(run: object) -> RunOut:
    return RunOut.model_validate(run, from_attributes=True)


@router.get("/runs/latest", response_model=RunOut | None)
def latest_run(session: DbSession, access: ApiAccess, store_id: StoreId = None) -> RunOut | None:
    """The store's last run (null before the first)."""
    chosen = _store(access, store_id, Permission.VIEW)
    found = replenishment_service.latest_run(session, store_id=chosen)
    return _run_out(found) if found is not None else None


@router.post("/runs", response_model=RunOut, status_code=201)
def create_run(
    session: DbSession,
    access: ApiAccess,
    store_id: StoreId = None,
    as_of: Annotated[date | None, Query(description="Default: today, UTC.")] = None,
) -> RunOut:
    """Recompute the store's recommendations now (with its current settings and stock)."""
    chosen = _store(access, store_id, Permission.PLAN)
    summary = replenishment_service.run(
        session, store_id=chosen, as_of=as_of or datetime.now(UTC).date()
    )
    found = replenishment_service.run_by_id(session, run_id=summary.run_id)
    return _run_out(found)


# --- inbound ---------------------------------------------------------------------------------------


@router.get("/inbound", response_model=list[InboundLotOut])
def list_inbound(
    session: DbSession,
    access: ApiAccess,
    store_id: StoreId = None,
    marketplace: Annotated[list[str] | None, Query(max_length=20)] = None,
    status: Annotated[list[str] | None, Query(max_length=20)] = None,
    sku: Annotated[str, Query(max_length=80, description="SKU prefix")] = "",
    as_of: Annotated[date | None, Query(description="Default: today, UTC.")] = None,
) -> list[InboundLotOut]:
    """Inbound units per listing by status and the day first seen in it, with the day they
    reach FBA and how that day was found, soonest first."""
    scope = access.scope(store_ids=(store_id,) if store_id else ())
    filters = inbound_status.InboundFilter(
        scope=scope,
        marketplace_ids=marketplace_ids(marketplace or []),
        statuses=inbound_status.parse_statuses(status or []),
        sku_prefix=sku.strip(),
    )
    lots = inbound_status.inbound_lots(
        session, filters=filters, store_names={}, as_of=as_of or datetime.now(UTC).date()
    )
    return [
        InboundLotOut(
            store_id=lot.store_id,
            marketplace_id=lot.marketplace_id,
            marketplace=lot.marketplace_code,
            sku=lot.sku,
            status=lot.status,
            quantity=lot.quantity,
            since=lot.since,
            arrives=lot.day,
            basis=lot.basis,
            shipment=lot.shipment,
            plan_id=lot.plan_id,
        )
        for lot in lots
    ]
