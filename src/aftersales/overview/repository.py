"""SQL for the overview: counts and sums per store and marketplace."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    MarketplaceRow,
    OrderItem,
    Reimbursement,
    Store,
)


def per_marketplace(session: Session, store_ids: list[int] | None) -> list[dict[str, Any]]:
    """One row per store × marketplace with orders, units, returns, reimbursements, stock."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def bucket(store: str, market: str | None) -> dict[str, Any]:
        return rows.setdefault(
            (store, market or "?"), {"store": store, "marketplace": market or "?"}
        )

    def scoped(statement: Any, model: Any) -> Any:
        statement = statement.join(Store, Store.id == model.store_id).outerjoin(
            MarketplaceRow, MarketplaceRow.id == model.marketplace_id
        )
        if store_ids is not None:
            statement = statement.where(model.store_id.in_(store_ids))
        return statement.group_by(Store.name, MarketplaceRow.code)

    shipped = case((OrderItem.item_status == "Shipped", OrderItem.quantity), else_=0)
    for store, market, orders, units in session.execute(
        scoped(
            select(
                Store.name,
                MarketplaceRow.code,
                func.count(func.distinct(OrderItem.amazon_order_id)),
                func.sum(shipped),
            ),
            OrderItem,
        )
    ):
        bucket(store, market).update(orders=orders, units_shipped=int(units or 0))
    sellable = case((FbaReturn.detailed_disposition == "SELLABLE", 0), else_=FbaReturn.quantity)
    for store, market, returned, unsellable in session.execute(
        scoped(
            select(
                Store.name, MarketplaceRow.code, func.sum(FbaReturn.quantity), func.sum(sellable)
            ),
            FbaReturn,
        )
    ):
        bucket(store, market).update(
            units_returned=int(returned or 0), unsellable_returned=int(unsellable or 0)
        )
    for store, market, currency, amount in session.execute(
        scoped(
            select(
                Store.name,
                MarketplaceRow.code,
                Reimbursement.currency,
                func.sum(Reimbursement.amount_total),
            ),
            Reimbursement,
        ).group_by(Reimbursement.currency)
    ):
        item = bucket(store, market)
        item.setdefault("reimbursed", {})[currency or "?"] = amount
    latest = (
        select(InventorySnapshot.store_id, func.max(InventorySnapshot.snapshot_date).label("day"))
        .where(InventorySnapshot.source == "myi")
        .group_by(InventorySnapshot.store_id)
        .subquery()
    )
    statement = (
        select(Store.name, MarketplaceRow.code, func.sum(InventorySnapshot.fulfillable))
        .join(
            latest,
            (latest.c.store_id == InventorySnapshot.store_id)
            & (latest.c.day == InventorySnapshot.snapshot_date),
        )
        .where(InventorySnapshot.source == "myi")
    )
    for store, market, fulfillable in session.execute(scoped(statement, InventorySnapshot)):
        bucket(store, market).update(fba_fulfillable=int(fulfillable or 0))
    return [rows[k] for k in sorted(rows)]
