"""SQL of stock outside FBA: local / 3PL warehouse counts and purchase order lines."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.kit.scope import Scope
from aftersales.models import LocalStock, PurchaseOrderLine


def local_stock(session: Session, *, scope: Scope, sku: str | None = None) -> Sequence[LocalStock]:
    statement = select(LocalStock).where(LocalStock.store_id.in_(scope.store_ids))
    if sku:
        statement = statement.where(LocalStock.sku == sku)
    return session.scalars(
        statement.order_by(LocalStock.store_id, LocalStock.sku, LocalStock.warehouse_kind)
    ).all()


def local_stock_by_id(session: Session, *, scope: Scope, stock_id: int) -> LocalStock | None:
    return session.scalars(
        select(LocalStock).where(
            LocalStock.id == stock_id, LocalStock.store_id.in_(scope.store_ids)
        )
    ).one_or_none()


def local_stock_of(session: Session, *, store_id: int) -> dict[tuple[str, str, str], LocalStock]:
    """The store's rows by (sku, warehouse kind, warehouse name): what an import updates."""
    rows = session.scalars(select(LocalStock).where(LocalStock.store_id == store_id)).all()
    return {(row.sku, row.warehouse_kind, row.warehouse_name): row for row in rows}


def purchase_orders(
    session: Session, *, scope: Scope, status: str | None = None, sku: str | None = None
) -> Sequence[PurchaseOrderLine]:
    statement = select(PurchaseOrderLine).where(PurchaseOrderLine.store_id.in_(scope.store_ids))
    if status:
        statement = statement.where(PurchaseOrderLine.status == status)
    if sku:
        statement = statement.where(PurchaseOrderLine.sku == sku)
    return session.scalars(
        statement.order_by(PurchaseOrderLine.expected_date, PurchaseOrderLine.id)
    ).all()


def purchase_order_by_id(
    session: Session, *, scope: Scope, order_id: int
) -> PurchaseOrderLine | None:
    return session.scalars(
        select(PurchaseOrderLine).where(
            PurchaseOrderLine.id == order_id, PurchaseOrderLine.store_id.in_(scope.store_ids)
        )
    ).one_or_none()


def purchase_orders_by_reference(
    session: Session, *, store_id: int
) -> dict[tuple[str, str, str], PurchaseOrderLine]:
    """The store's lines that have a reference, by (reference, sku, marketplace id or "")."""
    rows = session.scalars(
        select(PurchaseOrderLine).where(
            PurchaseOrderLine.store_id == store_id, PurchaseOrderLine.reference.is_not(None)
        )
    ).all()
    return {(row.reference or "", row.sku, row.marketplace_id or ""): row for row in rows}
