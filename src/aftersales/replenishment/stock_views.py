"""Pages for stock outside FBA and purchase orders: lists, a line at a time, file imports
from the product's templates, and the template downloads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aftersales.accounts.roles import Permission
from aftersales.kit.i18n import gettext as _
from aftersales.models import PurchaseOrderStatus, WarehouseKind
from aftersales.replenishment import endpoints, settings_service, stock_service
from aftersales.replenishment.schemas import (
    LocalStockCreate,
    LocalStockUpdate,
    PurchaseOrderCreate,
    PurchaseOrderUpdate,
)
from aftersales.replenishment.stock_files import TemplateKind
from aftersales.web.deps import DbSession, ObjectId, PageContext, flash, validated
from aftersales.web.exports import ExportFormat
from aftersales.web.templating import render

router = APIRouter()


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]
StoreQuery = Annotated[int | None, Query(ge=1)]


def _values(form: FormData, *names: str) -> dict[str, Any]:
    found = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            found[name] = value.strip()
    return found


def _planning_store(page: PageContext, store_id: int | None) -> int:
    wanted = store_id or page.selection.store_id
    if wanted is None:
        allowed = [
            s.store_id
            for s in page.selection.stores
            if page.access.can(s.store_id, Permission.PLAN)
        ]
        wanted = allowed[0] if allowed else None
    return settings_service.default_store(page.access, wanted, Permission.PLAN)


def _planning_stores(page: PageContext) -> list[Any]:
    return [s for s in page.selection.stores if page.access.can(s.store_id, Permission.PLAN)]


@router.get("/replenishment/templates", name="replenishment_template")
def template(
    page: PageContext,
    kind: TemplateKind = TemplateKind.LOCAL_STOCK,
    fmt: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
) -> Response:
    return endpoints.template_response(kind, fmt)


# --- local stock -----------------------------------------------------------------------------------


@router.get("/replenishment/stock", name="replenishment_stock")
def stock_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    sku: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    rows = stock_service.list_local_stock(session, scope=page.selection.scope, sku=sku or None)
    return render(
        request,
        "replenishment/stock.html",
        {
            "active": "replenishment",
            "rows": rows,
            "sku": sku or "",
            "kinds": [kind.value for kind in WarehouseKind],
            "stores": _planning_stores(page),
            "store_names": {s.store_id: s.name for s in page.selection.stores},
        },
    )


@router.post("/replenishment/stock", name="replenishment_stock_add")
def add_stock(
    request: Request, session: DbSession, page: PageContext, form: Form, store_id: StoreQuery = None
) -> Response:
    chosen = _planning_store(page, _store_field(form) or store_id)
    values = validated(
        LocalStockCreate,
        _values(form, "sku", "warehouse_kind", "warehouse_name", "quantity", "as_of"),
    )
    stock_service.create_local_stock(session, access=page.access, store_id=chosen, values=values)
    flash(request, _("Stock line added."), "success")
    return RedirectResponse("/replenishment/stock", status_code=303)


def _store_field(form: FormData) -> int | None:
    value = form.get("store_id")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _import_template(
    request: Request,
    session: DbSession,
    page: PageContext,
    file: UploadFile,
    store_id: int | None,
    kind: TemplateKind,
) -> Response:
    """Import a filled-in template (all or nothing) and go back to its page."""
    chosen = _planning_store(page, store_id)
    result = stock_service.import_file(
        session,
        access=page.access,
        store_id=chosen,
        kind=kind,
        file_name=file.filename or "upload.csv",
        content=endpoints.read_upload(file),
    )
    flash(
        request,
        _("%(rows)s lines imported: %(inserted)s new, %(updated)s updated.", **result.model_dump()),
        "success",
    )
    back = (
        "/replenishment/stock"
        if kind is TemplateKind.LOCAL_STOCK
        else "/replenishment/purchase-orders"
    )
    return RedirectResponse(back, status_code=303)


@router.post("/replenishment/stock/import", name="replenishment_stock_import")
def import_stock(
    request: Request,
    session: DbSession,
    page: PageContext,
    file: Annotated[UploadFile, File()],
    store_id: StoreQuery = None,
) -> Response:
    return _import_template(request, session, page, file, store_id, TemplateKind.LOCAL_STOCK)


@router.post("/replenishment/stock/{stock_id}", name="replenishment_stock_update")
def update_stock(
    request: Request, session: DbSession, page: PageContext, form: Form, stock_id: ObjectId
) -> Response:
    values = validated(LocalStockUpdate, _values(form, "quantity", "warehouse_name", "as_of"))
    stock_service.update_local_stock(session, access=page.access, stock_id=stock_id, values=values)
    flash(request, _("Stock line saved."), "success")
    return RedirectResponse("/replenishment/stock", status_code=303)


@router.post("/replenishment/stock/{stock_id}/delete", name="replenishment_stock_delete")
def delete_stock(
    request: Request, session: DbSession, page: PageContext, stock_id: ObjectId
) -> Response:
    stock_service.delete_local_stock(session, access=page.access, stock_id=stock_id)
    flash(request, _("Stock line removed."), "success")
    return RedirectResponse("/replenishment/stock", status_code=303)


# --- purchase orders -------------------------------------------------------------------------------


@router.get("/replenishment/purchase-orders", name="replenishment_purchase_orders")
def purchase_orders_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    status: PurchaseOrderStatus | None = PurchaseOrderStatus.OPEN,
    sku: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    rows = stock_service.list_purchase_orders(
        session, scope=page.selection.scope, status=status.value if status else None, sku=sku
    )
    return render(
        request,
        "replenishment/purchase_orders.html",
        {
            "active": "replenishment",
            "rows": rows,
            "status": status.value if status else "",
            "sku": sku or "",
            "statuses": [s.value for s in PurchaseOrderStatus],
            "stores": _planning_stores(page),
            "store_names": {s.store_id: s.name for s in page.selection.stores},
        },
    )


@router.post("/replenishment/purchase-orders", name="replenishment_purchase_order_add")
def add_purchase_order(
    request: Request, session: DbSession, page: PageContext, form: Form, store_id: StoreQuery = None
) -> Response:
    chosen = _planning_store(page, _store_field(form) or store_id)
    values = validated(
        PurchaseOrderCreate,
        _values(form, "sku", "marketplace", "quantity", "expected_date", "status", "reference"),
    )
    stock_service.create_purchase_order(session, access=page.access, store_id=chosen, values=values)
    flash(request, _("Purchase order line added."), "success")
    return RedirectResponse("/replenishment/purchase-orders", status_code=303)


@router.post("/replenishment/purchase-orders/import", name="replenishment_purchase_orders_import")
def import_purchase_orders(
    request: Request,
    session: DbSession,
    page: PageContext,
    file: Annotated[UploadFile, File()],
    store_id: StoreQuery = None,
) -> Response:
    return _import_template(request, session, page, file, store_id, TemplateKind.PURCHASE_ORDERS)


@router.post(
    "/replenishment/purchase-orders/{purchase_order_id}",
    name="replenishment_purchase_order_update",
)
def update_purchase_order(
    request: Request, session: DbSession, page: PageContext, form: Form, purchase_order_id: ObjectId
) -> Response:
    values = validated(
        PurchaseOrderUpdate, _values(form, "quantity", "expected_date", "status", "reference")
    )
    stock_service.update_purchase_order(
        session, access=page.access, order_id=purchase_order_id, values=values
    )
    flash(request, _("Purchase order line saved."), "success")
    return RedirectResponse("/replenishment/purchase-orders", status_code=303)


@router.post(
    "/replenishment/purchase-orders/{purchase_order_id}/delete",
    name="replenishment_purchase_order_delete",
)
def delete_purchase_order(
    request: Request, session: DbSession, page: PageContext, purchase_order_id: ObjectId
) -> Response:
    stock_service.delete_purchase_order(session, access=page.access, order_id=purchase_order_id)
    flash(request, _("Purchase order line removed."), "success")
    return RedirectResponse("/replenishment/purchase-orders", status_code=303)
