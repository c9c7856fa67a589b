"""SQL of the per-unit lifecycle: refunds, FBA returns, order lines, reimbursements,
removal orders and shipments, and the latest unfulfillable stock, within a scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from aftersales.kit.query import in_scope
from aftersales.kit.scope import Scope
from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    OrderItem,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
)

CHUNK = 500
MERCHANT_FULFILLED = "MFN"
T = TypeVar("T")


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    ordered = sorted(set(values))  # type: ignore[type-var]
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _fba_refund() -> Any:
    # A seller-fulfilled refund never reaches an Amazon FC: it has no lifecycle here.
    return or_(Refund.fulfillment_id.is_(None), Refund.fulfillment_id != MERCHANT_FULFILLED)


def refunds_posted(
    session: Session, *, scope: Scope, start: datetime, end: datetime
) -> Sequence[Refund]:
    """FBA refund lines posted in [start, end) that name an order and a SKU."""
    statement = select(Refund).where(
        in_scope(Refund, scope),
        Refund.amazon_order_id.is_not(None),
        Refund.sku.is_not(None),
        Refund.posted_date >= start,
        Refund.posted_date < end,
        _fba_refund(),
    )
    return session.execute(statement).scalars().all()


def refunds_of_orders(session: Session, *, scope: Scope, order_ids: Iterable[str]) -> list[Refund]:
    found: list[Refund] = []
    for chunk in _chunks(order_ids):
        found.extend(
            session.execute(
                select(Refund).where(
                    in_scope(Refund, scope),
                    Refund.amazon_order_id.in_(chunk),
                    Refund.sku.is_not(None),
                    _fba_refund(),
                )
            ).scalars()
        )
    return found


def returns_received(
    session: Session, *, scope: Scope, start: datetime, end: datetime
) -> Sequence[FbaReturn]:
    statement = select(FbaReturn).where(
        in_scope(FbaReturn, scope), FbaReturn.return_date >= start, FbaReturn.return_date < end
    )
    return session.execute(statement).scalars().all()


def returns_of_orders(
    session: Session, *, scope: Scope, order_ids: Iterable[str]
) -> list[FbaReturn]:
    found: list[FbaReturn] = []
    for chunk in _chunks(order_ids):
        found.extend(
            session.execute(
                select(FbaReturn).where(
                    in_scope(FbaReturn, scope), FbaReturn.amazon_order_id.in_(chunk)
                )
            ).scalars()
        )
    return found


def returns_of_skus(
    session: Session, *, store_ids: Sequence[int], skus: Iterable[str]
) -> list[FbaReturn]:
    """Every return of these SKUs in the stores, whatever the marketplace: removals are
    per store and SKU, so first in, first out has to see all of them."""
    found: list[FbaReturn] = []
    for chunk in _chunks(skus):
        found.extend(
            session.execute(
                select(FbaReturn).where(FbaReturn.store_id.in_(store_ids), FbaReturn.sku.in_(chunk))
            ).scalars()
        )
    return found


def shipped_lines(session: Session, *, scope: Scope, order_ids: Iterable[str]) -> list[OrderItem]:
    found: list[OrderItem] = []
    for chunk in _chunks(order_ids):
        found.extend(
            session.execute(
                select(OrderItem).where(
                    in_scope(OrderItem, scope), OrderItem.amazon_order_id.in_(chunk)
                )
            ).scalars()
        )
    return found


def reimbursements_of_orders(
    session: Session, *, scope: Scope, order_ids: Iterable[str]
) -> list[Reimbursement]:
    found: list[Reimbursement] = []
    for chunk in _chunks(order_ids):
        found.extend(
            session.execute(
                select(Reimbursement).where(
                    in_scope(Reimbursement, scope), Reimbursement.amazon_order_id.in_(chunk)
                )
            ).scalars()
        )
    return found


def removals_of_skus(
    session: Session, *, store_ids: Sequence[int], skus: Iterable[str]
) -> list[RemovalOrder]:
    found: list[RemovalOrder] = []
    for chunk in _chunks(skus):
        found.extend(
            session.execute(
                select(RemovalOrder).where(
                    RemovalOrder.store_id.in_(store_ids), RemovalOrder.sku.in_(chunk)
                )
            ).scalars()
        )
    return found


def first_shipments(
    session: Session, *, store_ids: Sequence[int], order_ids: Iterable[str]
) -> dict[tuple[int, str, str], datetime]:
    """The first shipment date per (store, removal order id, SKU)."""
    found: dict[tuple[int, str, str], datetime] = {}
    for chunk in _chunks(order_ids):
        statement = (
            select(
                RemovalShipment.store_id,
                RemovalShipment.order_id,
                RemovalShipment.sku,
                func.min(RemovalShipment.shipment_date),
            )
            .where(
                RemovalShipment.store_id.in_(store_ids),
                RemovalShipment.order_id.in_(chunk),
                RemovalShipment.shipment_date.is_not(None),
            )
            .group_by(RemovalShipment.store_id, RemovalShipment.order_id, RemovalShipment.sku)
        )
        for store_id, order_id, sku, shipped in session.execute(statement):
            if shipped is not None:
                found[(int(store_id), str(order_id), str(sku))] = shipped
    return found


def removals_requested(
    session: Session, *, scope: Scope, start: datetime, end: datetime
) -> Sequence[RemovalOrder]:
    statement = select(RemovalOrder).where(
        in_scope(RemovalOrder, scope),
        RemovalOrder.request_date >= start,
        RemovalOrder.request_date < end,
    )
    return session.execute(statement).scalars().all()


def latest_unfulfillable(
    session: Session, *, store_ids: Sequence[int], skus: Iterable[str]
) -> dict[tuple[int, str], tuple[date, int]]:
    """Per (store, SKU): the latest snapshot day and the most unfulfillable units any
    report gave for that day (reports and marketplaces repeat the same stock)."""
    found: dict[tuple[int, str], tuple[date, int]] = {}
    for chunk in _chunks(skus):
        latest = (
            select(
                InventorySnapshot.store_id,
                InventorySnapshot.sku,
                func.max(InventorySnapshot.snapshot_date).label("day"),
            )
            .where(InventorySnapshot.store_id.in_(store_ids), InventorySnapshot.sku.in_(chunk))
            .group_by(InventorySnapshot.store_id, InventorySnapshot.sku)
            .subquery()
        )
        statement = (
            select(
                InventorySnapshot.store_id,
                InventorySnapshot.sku,
                latest.c.day,
                func.max(func.coalesce(InventorySnapshot.unfulfillable, 0)),
            )
            .join(
                latest,
                (latest.c.store_id == InventorySnapshot.store_id)
                & (latest.c.sku == InventorySnapshot.sku)
                & (latest.c.day == InventorySnapshot.snapshot_date),
            )
            .group_by(InventorySnapshot.store_id, InventorySnapshot.sku, latest.c.day)
        )
        for store_id, sku, day, units in session.execute(statement):
            found[(int(store_id), str(sku))] = (
                day if isinstance(day, date) else date.fromisoformat(str(day)),
                int(units or 0),
            )
    return found
