"""Stock outside FBA: the seller's own and third-party warehouse counts, and purchase order
lines; entered one by one or imported from the product's CSV / Excel templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.exceptions import Conflict, InvalidInput, NotFound
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import LocalStock, PurchaseOrderLine, PurchaseOrderStatus
from aftersales.replenishment import stock_files
from aftersales.replenishment import stock_repository as repository
from aftersales.replenishment.schemas import (
    LocalStockCreate,
    LocalStockOut,
    LocalStockUpdate,
    PurchaseOrderCreate,
    PurchaseOrderOut,
    PurchaseOrderUpdate,
    StockImportResult,
)
from aftersales.replenishment.stock_files import TemplateKind


class StockNotFound(NotFound):
    code = "local_stock_not_found"


class PurchaseOrderNotFound(NotFound):
    code = "purchase_order_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().date()


def _marketplace_id(code: str | None) -> str | None:
    if not code:
        return None
    found = marketplaces.resolve(code)
    if found is None:
        raise InvalidInput(N_("unknown marketplace %(code)s"), code=code, field="marketplace")
    return found.id


# --- local stock --------------------------------------------------------------------------------


def stock_out(row: LocalStock) -> LocalStockOut:
    return LocalStockOut.model_validate(row, from_attributes=True)


def list_local_stock(
    session: Session, *, scope: Scope, sku: str | None = None
) -> list[LocalStockOut]:
    return [stock_out(row) for row in repository.local_stock(session, scope=scope, sku=sku)]


def _stock(session: Session, access: Access, stock_id: int) -> LocalStock:
    row = repository.local_stock_by_id(
        session, scope=access.scope(permission=Permission.VIEW), stock_id=stock_id
    )
    if row is None:
        raise StockNotFound(N_("no such stock line"))
    access.require(row.store_id, Permission.PLAN)
    return row


def ensure_visible_stock(session: Session, *, access: Access, stock_id: int) -> None:
    """404 unless the line is in one of the user's stores."""
    scope = access.scope(permission=Permission.VIEW)
    if repository.local_stock_by_id(session, scope=scope, stock_id=stock_id) is None:
        raise StockNotFound(N_("no such stock line"))


def create_local_stock(
    session: Session, *, access: Access, store_id: int, values: LocalStockCreate
) -> LocalStockOut:
    access.require(store_id, Permission.PLAN)
    existing = repository.local_stock_of(session, store_id=store_id)
    key = (values.sku, values.warehouse_kind.value, values.warehouse_name.strip())
    if key in existing:
        raise Conflict(
            N_("%(sku)s already has a line for this warehouse; change that one"),
            sku=values.sku,
            field="sku",
        )
    row = LocalStock(
        store_id=store_id,
        sku=values.sku.strip(),
        warehouse_kind=values.warehouse_kind.value,
        warehouse_name=values.warehouse_name.strip(),
        quantity=values.quantity,
        as_of=values.as_of or _today(),
        updated_at=_now(),
    )
    session.add(row)
    session.flush()
    return stock_out(row)


def update_local_stock(
    session: Session, *, access: Access, stock_id: int, values: LocalStockUpdate
) -> LocalStockOut:
    row = _stock(session, access, stock_id)
    if values.quantity is not None:
        row.quantity = values.quantity
        row.as_of = values.as_of or _today()
    elif values.as_of is not None:
        row.as_of = values.as_of
    if values.warehouse_name is not None:
        row.warehouse_name = values.warehouse_name.strip()
    row.updated_at = _now()
    session.flush()
    return stock_out(row)


def delete_local_stock(session: Session, *, access: Access, stock_id: int) -> None:
    row = _stock(session, access, stock_id)
    session.delete(row)
    session.flush()


# --- purchase orders ----------------------------------------------------------------------------


def order_out(row: PurchaseOrderLine) -> PurchaseOrderOut:
    market = marketplaces.by_id(row.marketplace_id) if row.marketplace_id else None
    return PurchaseOrderOut(
        id=row.id,
        store_id=row.store_id,
        sku=row.sku,
        marketplace_id=row.marketplace_id,
        marketplace_code=market.code if market else None,
        quantity=row.quantity,
        expected_date=row.expected_date,
        status=PurchaseOrderStatus(row.status),
        reference=row.reference,
        updated_at=row.updated_at,
    )


def list_purchase_orders(
    session: Session, *, scope: Scope, status: str | None = None, sku: str | None = None
) -> list[PurchaseOrderOut]:
    return [
        order_out(row)
        for row in repository.purchase_orders(session, scope=scope, status=status, sku=sku)
    ]


def _order(session: Session, access: Access, order_id: int) -> PurchaseOrderLine:
    row = repository.purchase_order_by_id(
        session, scope=access.scope(permission=Permission.VIEW), order_id=order_id
    )
    if row is None:
        raise PurchaseOrderNotFound(N_("no such purchase order line"))
    access.require(row.store_id, Permission.PLAN)
    return row


def ensure_visible_order(session: Session, *, access: Access, order_id: int) -> None:
    """404 unless the line is in one of the user's stores."""
    scope = access.scope(permission=Permission.VIEW)
    if repository.purchase_order_by_id(session, scope=scope, order_id=order_id) is None:
        raise PurchaseOrderNotFound(N_("no such purchase order line"))


def create_purchase_order(
    session: Session, *, access: Access, store_id: int, values: PurchaseOrderCreate
) -> PurchaseOrderOut:
    access.require(store_id, Permission.PLAN)
    now = _now()
    row = PurchaseOrderLine(
        store_id=store_id,
        sku=values.sku.strip(),
        marketplace_id=_marketplace_id(values.marketplace),
        quantity=values.quantity,
        expected_date=values.expected_date,
        status=values.status.value,
        reference=(values.reference or "").strip() or None,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return order_out(row)


def update_purchase_order(
    session: Session, *, access: Access, order_id: int, values: PurchaseOrderUpdate
) -> PurchaseOrderOut:
    row = _order(session, access, order_id)
    if values.quantity is not None:
        row.quantity = values.quantity
    if values.expected_date is not None:
        row.expected_date = values.expected_date
    if values.status is not None:
        row.status = values.status.value
    if values.reference is not None:
        row.reference = values.reference.strip() or None
    row.updated_at = _now()
    session.flush()
    return order_out(row)


def delete_purchase_order(session: Session, *, access: Access, order_id: int) -> None:
    row = _order(session, access, order_id)
    session.delete(row)
    session.flush()


# --- file import ---------------------------------------------------------------------------------


def import_file(
    session: Session,
    *,
    access: Access,
    store_id: int,
    kind: TemplateKind,
    file_name: str,
    content: bytes,
) -> StockImportResult:
    """Import a filled-in template, all or nothing: a bad line rejects the whole file
    (StockFileRejected, listing every line and column at fault). Local stock lines replace
    the count of their SKU and warehouse; purchase order lines with a reference replace the
    line of the same reference, SKU and marketplace, the others are added."""
    access.require(store_id, Permission.PLAN)
    return import_store_file(
        session, store_id=store_id, kind=kind, file_name=file_name, content=content
    )


def import_store_file(
    session: Session, *, store_id: int, kind: TemplateKind, file_name: str, content: bytes
) -> StockImportResult:
    """``import_file`` for a caller that already checked the store (the command line)."""
    lines = stock_files.parse(kind, file_name, content)
    if kind is TemplateKind.LOCAL_STOCK:
        return _import_stock(session, store_id, lines)
    return _import_orders(session, store_id, lines)


def _duplicate(line: int, first: int) -> stock_files.StockFileRejected:
    return stock_files.StockFileRejected(
        N_("line %(line)s repeats line %(first)s (same SKU and warehouse or reference)"),
        line=line,
        first=first,
    )


def _import_stock(
    session: Session, store_id: int, lines: list[dict[str, object]]
) -> StockImportResult:
    existing = repository.local_stock_of(session, store_id=store_id)
    seen: dict[tuple[str, str, str], int] = {}
    now, inserted, updated = _now(), 0, 0
    for values in lines:
        kind = values["warehouse_kind"]
        key = (
            str(values["sku"]),
            str(getattr(kind, "value", kind)),
            str(values["warehouse_name"] or ""),
        )
        line = int(str(values["line"]))
        if key in seen:
            raise _duplicate(line, seen[key])
        seen[key] = line
        as_of = values["as_of"] if isinstance(values["as_of"], date) else now.date()
        quantity = int(str(values["quantity"]))
        row = existing.get(key)
        if row is None:
            session.add(
                LocalStock(
                    store_id=store_id,
                    sku=key[0],
                    warehouse_kind=key[1],
                    warehouse_name=key[2],
                    quantity=quantity,
                    as_of=as_of,
                    updated_at=now,
                )
            )
            inserted += 1
        else:
            row.quantity, row.as_of, row.updated_at = quantity, as_of, now
            updated += 1
    session.flush()
    return StockImportResult(rows=len(lines), inserted=inserted, updated=updated)


def _import_orders(
    session: Session, store_id: int, lines: list[dict[str, object]]
) -> StockImportResult:
    existing = repository.purchase_orders_by_reference(session, store_id=store_id)
    seen: dict[tuple[str, str, str], int] = {}
    now, inserted, updated = _now(), 0, 0
    for values in lines:
        reference = str(values["reference"] or "") or None
        marketplace_id = values["marketplace"] if isinstance(values["marketplace"], str) else None
        status = values["status"] or PurchaseOrderStatus.OPEN
        line = int(str(values["line"]))
        key = (reference or "", str(values["sku"]), marketplace_id or "")
        if reference:
            if key in seen:
                raise _duplicate(line, seen[key])
            seen[key] = line
        row = existing.get(key) if reference else None
        quantity = int(str(values["quantity"]))
        expected = values["expected_date"]
        assert isinstance(expected, date)
        if row is None:
            session.add(
                PurchaseOrderLine(
                    store_id=store_id,
                    sku=key[1],
                    marketplace_id=marketplace_id,
                    quantity=quantity,
                    expected_date=expected,
                    status=str(getattr(status, "value", status)),
                    reference=reference,
                    created_at=now,
                    updated_at=now,
                )
            )
            inserted += 1
        else:
            row.quantity, row.expected_date = quantity, expected
            row.status, row.updated_at = str(getattr(status, "value", status)), now
            updated += 1
    session.flush()
    return StockImportResult(rows=len(lines), inserted=inserted, updated=updated)
