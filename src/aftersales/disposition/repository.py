"""SQL for disposition: the latest unfulfillable units per listing, catalog facts, settings,
recorded decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from aftersales.inventory.repository import is_latest, latest_days
from aftersales.kit.scope import Scope
from aftersales.models import (
    DispositionDecision,
    DispositionSettings,
    InventorySnapshot,
    MarketplaceRow,
    Product,
    ProductPrice,
    Store,
    User,
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


def add_decision(session: Session, decision: DispositionDecision) -> DispositionDecision:
    session.add(decision)
    session.flush()
    return decision


def decisions(
    session: Session, *, scope: Scope, latest_only: bool = False
) -> list[tuple[DispositionDecision, str, str, str | None]]:
    """Decisions of the scope, newest first, with the store name, the marketplace code and
    the deciding user's e-mail; ``latest_only``: the one in force per lot."""
    statement = (
        select(DispositionDecision, Store.name, MarketplaceRow.code, User.email)
        .join(Store, Store.id == DispositionDecision.store_id)
        .join(MarketplaceRow, MarketplaceRow.id == DispositionDecision.marketplace_id)
        .outerjoin(User, User.id == DispositionDecision.decided_by_id)
        .where(DispositionDecision.store_id.in_(scope.store_ids))
        .order_by(DispositionDecision.decided_at.desc(), DispositionDecision.id.desc())
    )
    if scope.marketplace_ids:
        statement = statement.where(DispositionDecision.marketplace_id.in_(scope.marketplace_ids))
    rows: list[tuple[DispositionDecision, str, str, str | None]] = [
        (row[0], row[1], row[2], row[3]) for row in session.execute(statement)
    ]
    if not latest_only:
        return rows
    seen: set[tuple[int, str, str]] = set()
    latest: list[tuple[DispositionDecision, str, str, str | None]] = []
    for row in rows:
        key = (row[0].store_id, row[0].marketplace_id, row[0].sku)
        if key not in seen:
            seen.add(key)
            latest.append(row)
    return latest
