"""SQL for inbound plans: plans and lines in the viewer's stores, products, saved ship-from
addresses, the stored replenishment recommendations, and the inbound stock in the snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from aftersales.inventory.repository import is_latest, latest_days
from aftersales.kit.scope import Scope
from aftersales.models import (
    InboundPlan,
    InboundPlanItem,
    InventorySnapshot,
    Product,
    ReplenishmentResult,
    ShipFromAddress,
    Store,
)

ResultRow: TypeAlias = Row[*tuple[Any, ...]]


def plan_in(session: Session, *, store_ids: Sequence[int], plan_id: int) -> InboundPlan | None:
    return session.scalars(
        select(InboundPlan).where(InboundPlan.id == plan_id, InboundPlan.store_id.in_(store_ids))
    ).one_or_none()


def plans(session: Session, *, scope: Scope, status: str | None) -> Sequence[ResultRow]:
    """Plans with their store name, SKU count and units, newest change first."""
    counts = (
        select(
            InboundPlanItem.plan_id,
            func.count().label("skus"),
            func.coalesce(func.sum(InboundPlanItem.quantity), 0).label("units"),
        )
        .group_by(InboundPlanItem.plan_id)
        .subquery()
    )
    statement = (
        select(
            InboundPlan,
            Store.name.label("store_name"),
            func.coalesce(counts.c.skus, 0).label("skus"),
            func.coalesce(counts.c.units, 0).label("units"),
        )
        .join(Store, Store.id == InboundPlan.store_id)
        .outerjoin(counts, counts.c.plan_id == InboundPlan.id)
        .where(InboundPlan.store_id.in_(scope.store_ids))
        .order_by(InboundPlan.updated_at.desc(), InboundPlan.id.desc())
    )
    if scope.marketplace_ids:
        statement = statement.where(InboundPlan.marketplace_id.in_(scope.marketplace_ids))
    if status:
        statement = statement.where(InboundPlan.status == status)
    return session.execute(statement).all()


def items(session: Session, *, plan_id: int) -> Sequence[InboundPlanItem]:
    return session.scalars(
        select(InboundPlanItem)
        .where(InboundPlanItem.plan_id == plan_id)
        .order_by(InboundPlanItem.sku, InboundPlanItem.id)
    ).all()


def item(session: Session, *, plan_id: int, item_id: int) -> InboundPlanItem | None:
    return session.scalars(
        select(InboundPlanItem).where(
            InboundPlanItem.id == item_id, InboundPlanItem.plan_id == plan_id
        )
    ).one_or_none()


def item_by_sku(session: Session, *, plan_id: int, sku: str) -> InboundPlanItem | None:
    return session.scalars(
        select(InboundPlanItem).where(
            InboundPlanItem.plan_id == plan_id, InboundPlanItem.sku == sku
        )
    ).one_or_none()


def products(session: Session, *, store_id: int, skus: Sequence[str]) -> dict[str, Product]:
    if not skus:
        return {}
    found = session.scalars(
        select(Product).where(Product.store_id == store_id, Product.sku.in_(set(skus)))
    ).all()
    return {product.sku: product for product in found}


def store_name(session: Session, *, store_id: int) -> str:
    return str(session.execute(select(Store.name).where(Store.id == store_id)).scalar_one())


def addresses(session: Session, *, store_ids: Sequence[int]) -> Sequence[ShipFromAddress]:
    return session.scalars(
        select(ShipFromAddress)
        .where(ShipFromAddress.store_id.in_(store_ids))
        .order_by(ShipFromAddress.store_id, ShipFromAddress.label)
    ).all()


def address_in(
    session: Session, *, store_ids: Sequence[int], address_id: int
) -> ShipFromAddress | None:
    return session.scalars(
        select(ShipFromAddress).where(
            ShipFromAddress.id == address_id, ShipFromAddress.store_id.in_(store_ids)
        )
    ).one_or_none()


def address_by_label(session: Session, *, store_id: int, label: str) -> ShipFromAddress | None:
    return session.scalars(
        select(ShipFromAddress).where(
            ShipFromAddress.store_id == store_id, ShipFromAddress.label == label
        )
    ).one_or_none()


def recommendations(
    session: Session, *, store_id: int, marketplace_id: str | None
) -> Sequence[ReplenishmentResult]:
    """The last run's results (in one marketplace, or in all), most urgent ship-by date first."""
    where = [ReplenishmentResult.store_id == store_id]
    if marketplace_id is not None:
        where.append(ReplenishmentResult.marketplace_id == marketplace_id)
    return session.scalars(
        select(ReplenishmentResult)
        .where(*where)
        .order_by(
            ReplenishmentResult.ship_by.is_(None),
            ReplenishmentResult.ship_by,
            ReplenishmentResult.sku,
        )
    ).all()


def inbound_snapshots(
    session: Session, *, store_id: int, marketplace_id: str, skus: Sequence[str]
) -> Sequence[ResultRow]:
    """The latest snapshot rows per source report of the SKUs (all sources: the caller picks
    the most complete report of the newest day)."""
    if not skus:
        return []
    latest = latest_days(
        InventorySnapshot.store_id == store_id,
        InventorySnapshot.marketplace_id == marketplace_id,
        InventorySnapshot.sku.in_(set(skus)),
    )
    statement = (
        select(
            InventorySnapshot.sku,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
            InventorySnapshot.inbound_working,
            InventorySnapshot.inbound_shipped,
            InventorySnapshot.inbound_receiving,
            InventorySnapshot.fulfillable,
        )
        .join(latest, is_latest(latest))
        .order_by(InventorySnapshot.sku, InventorySnapshot.id)
    )
    return session.execute(statement).all()
