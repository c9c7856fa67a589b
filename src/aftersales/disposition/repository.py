"""SQL for disposition: the latest unfulfillable units per listing, catalog facts, settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from aftersales.inventory.repository import is_latest, latest_days
from aftersales.kit.scope import Scope
from aftersales.models import (
    DispositionSettings,
    InventorySnapshot,
    MarketplaceRow,
    Product,
    ProductPrice,
    Store,
)

ResultRow: TypeAlias = Row[*tuple[Any, ...]]


def latest_snapshots(session: Session, *, scope: Scope, as_of: date) -> Sequence[ResultRow]:
    """Rows of the latest snapshot on or before ``as_of`` per store, marketplace, SKU and
    source report (rows without a marketplace are left out: no fee applies to them)."""
    where = [
        InventorySnapshot.store_id.in_(scope.store_ids),
        InventorySnapshot.marketplace_id.is_not(None),
        InventorySnapshot.snapshot_date <= as_of,
    ]
    if scope.marketplace_ids:
        where.append(InventorySnapshot.marketplace_id.in_(scope.marketplace_ids))
    latest = latest_days(*where)
    statement = (
        select(
            InventorySnapshot.store_id,
            Store.name.label("store_name"),
            InventorySnapshot.marketplace_id,
            MarketplaceRow.code.label("marketplace_code"),
            InventorySnapshot.sku,
            InventorySnapshot.fnsku,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
            InventorySnapshot.unfulfillable,
        )
        .join(latest, is_latest(latest))
        .join(Store, Store.id == InventorySnapshot.store_id)
        .join(MarketplaceRow, MarketplaceRow.id == InventorySnapshot.marketplace_id)
        .order_by(InventorySnapshot.id)
    )
    return session.execute(statement).all()


def products(session: Session, *, store_ids: Sequence[int]) -> Sequence[Product]:
    return session.scalars(select(Product).where(Product.store_id.in_(store_ids))).all()


def prices(session: Session, *, store_ids: Sequence[int]) -> Sequence[ResultRow]:
    """(store_id, sku, marketplace_id, price, currency) of the stores' products."""
    statement = select(
        Product.store_id,
        Product.sku,
        ProductPrice.marketplace_id,
        ProductPrice.price,
        ProductPrice.currency,
    ).join(ProductPrice, ProductPrice.product_id == Product.id)
    return session.execute(statement.where(Product.store_id.in_(store_ids))).all()


def settings_of(session: Session, *, store_ids: Sequence[int]) -> Sequence[DispositionSettings]:
    return session.scalars(
        select(DispositionSettings).where(DispositionSettings.store_id.in_(store_ids))
    ).all()


def settings_for(session: Session, *, store_id: int) -> DispositionSettings | None:
    return session.scalars(
        select(DispositionSettings).where(DispositionSettings.store_id == store_id)
    ).one_or_none()
