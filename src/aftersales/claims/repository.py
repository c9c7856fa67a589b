"""SQL of the claims domain: the facts detection reads (refunds, returns, reimbursements,
removal orders, inventory snapshots, sales), and claims within a scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from aftersales.claims.calc import (
    AMAZON_DAMAGED_DISPOSITIONS,
    AMAZON_DAMAGED_REASONS,
    FBA_ORDER_CHANNELS,
    SWITCHEROO_REASON,
    RefundLine,
    ReimbursementLine,
    ReturnLine,
)
from aftersales.claims.inbound_calc import Snapshot
from aftersales.claims.removal_calc import Parcel, RemovalLine
from aftersales.claims.reversal_calc import StoreReimbursement
from aftersales.kit.scope import Scope
from aftersales.models import (
    Claim,
    ClaimEvent,
    FbaReturn,
    InventorySnapshot,
    Order,
    OrderItem,
    Product,
    ProductPrice,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
    Store,
    User,
)

CHUNK = 500
T = TypeVar("T")
R = TypeVar("R", Refund, FbaReturn)
L = TypeVar("L")

OrderSku = tuple[str, str]


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _refund_line(row: Refund) -> RefundLine:
    return RefundLine(
        id=row.id,
        adjustment_id=row.adjustment_id,
        posted=row.posted_date,
        quantity=row.quantity,
        amount_type=row.amount_type,
        amount_description=row.amount_description,
        amount=row.amount,
        currency=row.currency,
        fulfillment_id=row.fulfillment_id,
    )


def _return_line(row: FbaReturn) -> ReturnLine:
    return ReturnLine(
        id=row.id,
        return_date=row.return_date,
        quantity=row.quantity,
        disposition=row.detailed_disposition,
        license_plate_number=row.license_plate_number,
        reason=row.reason,
    )


def _by_order_sku(
    rows: Iterable[R], line: Callable[[R], L]
) -> dict[OrderSku, tuple[str | None, list[L]]]:
    """Rows per (order, SKU), in their order, with the first marketplace any of them names."""
    grouped: dict[OrderSku, tuple[str | None, list[L]]] = {}
    for row in rows:
        key = (str(row.amazon_order_id), str(row.sku))
        marketplace, lines = grouped.setdefault(key, (row.marketplace_id, []))
        if marketplace is None and row.marketplace_id:
            grouped[key] = (row.marketplace_id, lines)
        lines.append(line(row))
    return grouped


def refunds_by_order_sku(
    session: Session, *, store_id: int
) -> dict[OrderSku, tuple[str | None, list[RefundLine]]]:
    """Refund lines per (order, SKU), with the marketplace of the first line."""
    rows = session.execute(
        select(Refund)
        .where(
            Refund.store_id == store_id,
            Refund.amazon_order_id.is_not(None),
            Refund.sku.is_not(None),
        )
        .order_by(Refund.id)
    ).scalars()
    return _by_order_sku(rows, _refund_line)


def order_channels(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for chunk in _chunks(sorted(set(order_ids))):
        for order_id, channel in session.execute(
            select(Order.amazon_order_id, Order.fulfillment_channel).where(
                Order.store_id == store_id, Order.amazon_order_id.in_(chunk)
            )
        ):
            found[order_id] = channel
    return found


def returns_by_order_sku(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[OrderSku, list[ReturnLine]]:
    found: dict[OrderSku, list[ReturnLine]] = defaultdict(list)
    for chunk in _chunks(sorted(set(order_ids))):
        for row in session.execute(
            select(FbaReturn).where(
                FbaReturn.store_id == store_id, FbaReturn.amazon_order_id.in_(chunk)
            )
        ).scalars():
            found[(row.amazon_order_id, row.sku)].append(_return_line(row))
    return found


def claimable_returns(
    session: Session, *, store_id: int
) -> dict[OrderSku, tuple[str | None, list[ReturnLine]]]:
    """Return rows that may make a damaged or switcheroo claim, per (order, SKU), with the
    marketplace of the first row. calc decides which rows really qualify."""
    rows = session.execute(
        select(FbaReturn)
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.amazon_order_id.is_not(None),
            FbaReturn.sku.is_not(None),
            or_(
                FbaReturn.detailed_disposition.in_(sorted(AMAZON_DAMAGED_DISPOSITIONS)),
                FbaReturn.reason.in_(sorted(AMAZON_DAMAGED_REASONS | {SWITCHEROO_REASON})),
            ),
        )
        .order_by(FbaReturn.return_date, FbaReturn.id)
    ).scalars()
    return _by_order_sku(rows, _return_line)


def reimbursements_by_order_sku(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[OrderSku, list[ReimbursementLine]]:
    found: dict[OrderSku, list[ReimbursementLine]] = defaultdict(list)
    for chunk in _chunks(sorted(set(order_ids))):
        for row in session.execute(
            select(Reimbursement).where(
                Reimbursement.store_id == store_id, Reimbursement.amazon_order_id.in_(chunk)
            )
        ).scalars():
            found[(str(row.amazon_order_id), str(row.sku or ""))].append(_reimbursement_line(row))
    return found


def claims_of_store(session: Session, *, store_id: int) -> list[Claim]:
    return list(
        session.execute(select(Claim).where(Claim.store_id == store_id).order_by(Claim.id))
        .scalars()
        .all()
    )


def in_scope(
    session: Session, *, scope: Scope, status: str | None, claim_type: str | None = None
) -> list[tuple[Claim, str]]:
    """Claims of the scope with their store's name."""
    query = (
        select(Claim, Store.name)
        .join(Store, Store.id == Claim.store_id)
        .where(Claim.store_id.in_(scope.store_ids))
    )
    if scope.marketplace_ids:
        query = query.where(Claim.marketplace_id.in_(scope.marketplace_ids))
    if status:
        query = query.where(Claim.status == status)
    if claim_type:
        query = query.where(Claim.claim_type == claim_type)
    return [(claim, name) for claim, name in session.execute(query.order_by(Claim.id))]


def by_id(session: Session, *, scope: Scope, claim_id: int) -> tuple[Claim, str] | None:
    row = session.execute(
        select(Claim, Store.name)
        .join(Store, Store.id == Claim.store_id)
        .where(Claim.id == claim_id, Claim.store_id.in_(scope.store_ids))
    ).first()
    return (row[0], row[1]) if row else None


def events_of(session: Session, *, claim_id: int) -> list[ClaimEvent]:
    return list(
        session.execute(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id == claim_id)
            .order_by(ClaimEvent.at, ClaimEvent.id)
        )
        .scalars()
        .all()
    )


# --- reversals, removals, inbound ------------------------------------------------------------


def _reimbursement_line(row: Reimbursement) -> ReimbursementLine:
    quantity = row.quantity_reimbursed_total
    if quantity is None:
        quantity = (row.quantity_reimbursed_cash or 0) + (row.quantity_reimbursed_inventory or 0)
    return ReimbursementLine(
        id=row.id,
        reimbursement_id=row.reimbursement_id,
        approval_date=row.approval_date,
        reason=row.reason,
        original_type=row.original_reimbursement_type,
        quantity=quantity,
        amount=row.amount_total,
        currency=row.currency,
    )


def store_reimbursements(
    session: Session, *, store_id: int
) -> list[tuple[str | None, StoreReimbursement]]:
    """Every reimbursement row of the store with its marketplace, oldest first."""
    rows = session.execute(
        select(Reimbursement)
        .where(Reimbursement.store_id == store_id)
        .order_by(Reimbursement.approval_date, Reimbursement.id)
    ).scalars()
    return [
        (
            row.marketplace_id,
            StoreReimbursement(
                line=_reimbursement_line(row),
                order_id=row.amazon_order_id or "",
                sku=row.sku or "",
                original_id=row.original_reimbursement_id,
            ),
        )
        for row in rows
    ]


def returned_keys(session: Session, *, store_id: int, order_ids: Iterable[str]) -> set[OrderSku]:
    """(order, SKU) pairs with at least one row in the FBA customer returns report."""
    found: set[OrderSku] = set()
    for chunk in _chunks(sorted({order for order in order_ids if order})):
        for order_id, sku in session.execute(
            select(FbaReturn.amazon_order_id, FbaReturn.sku).where(
                FbaReturn.store_id == store_id, FbaReturn.amazon_order_id.in_(chunk)
            )
        ):
            found.add((str(order_id), str(sku)))
    return found


def removal_lines(
    session: Session, *, store_id: int, order_id: str | None = None
) -> dict[OrderSku, tuple[str | None, str | None, RemovalLine]]:
    """Removal order detail per (removal order, SKU), summed over dispositions, with the
    marketplace and the fee currency."""
    query = select(RemovalOrder).where(RemovalOrder.store_id == store_id)
    if order_id is not None:
        query = query.where(RemovalOrder.order_id == order_id)
    grouped: dict[OrderSku, list[RemovalOrder]] = defaultdict(list)
    for row in session.execute(query.order_by(RemovalOrder.id)).scalars():
        grouped[(row.order_id, row.sku)].append(row)
    found: dict[OrderSku, tuple[str | None, str | None, RemovalLine]] = {}
    for (removal_id, sku), rows in grouped.items():
        updated = [row.last_updated_date for row in rows if row.last_updated_date is not None]
        found[(removal_id, sku)] = (
            next((row.marketplace_id for row in rows if row.marketplace_id), None),
            next((row.currency for row in rows if row.currency), None),
            RemovalLine(
                row_ids=tuple(row.id for row in rows),
                order_id=removal_id,
                sku=sku,
                order_type=rows[0].order_type,
                status=rows[-1].order_status,
                request_date=min(row.request_date for row in rows),
                last_updated=max(updated) if updated else None,
                requested=sum(row.requested_quantity or 0 for row in rows),
                cancelled=sum(row.cancelled_quantity or 0 for row in rows),
                disposed=sum(row.disposed_quantity or 0 for row in rows),
                shipped=sum(row.shipped_quantity or 0 for row in rows),
                in_process=sum(row.in_process_quantity or 0 for row in rows),
            ),
        )
    return found


def removal_parcels(
    session: Session, *, store_id: int, order_id: str | None = None
) -> dict[OrderSku, list[Parcel]]:
    query = select(RemovalShipment).where(RemovalShipment.store_id == store_id)
    if order_id is not None:
        query = query.where(RemovalShipment.order_id == order_id)
    found: dict[OrderSku, list[Parcel]] = defaultdict(list)
    for row in session.execute(query.order_by(RemovalShipment.id)).scalars():
        found[(row.order_id, row.sku)].append(
            Parcel(
                row_id=row.id,
                shipped_on=row.shipment_date,
                quantity=row.shipped_quantity,
                carrier=row.carrier,
                tracking_number=row.tracking_number,
            )
        )
    return found


def removal_store_names(session: Session, *, scope: Scope) -> dict[int, str]:
    """The stores of the scope that have removal orders, with their names."""
    query = (
        select(RemovalOrder.store_id, Store.name)
        .join(Store, Store.id == RemovalOrder.store_id)
        .where(RemovalOrder.store_id.in_(scope.store_ids))
        .distinct()
    )
    if scope.marketplace_ids:
        query = query.where(RemovalOrder.marketplace_id.in_(scope.marketplace_ids))
    return {store_id: name for store_id, name in session.execute(query)}


def unit_costs(session: Session, *, store_id: int) -> dict[str, tuple[Decimal, str | None]]:
    found: dict[str, tuple[Decimal, str | None]] = {}
    for sku, cost, currency in session.execute(
        select(Product.sku, Product.unit_cost, Product.cost_currency).where(
            Product.store_id == store_id, Product.unit_cost.is_not(None)
        )
    ):
        if cost is not None:
            found[sku] = (cost, currency)
    return found


def sale_prices(session: Session, *, store_id: int) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """(sku, marketplace id) → (catalog price, currency)."""
    return {
        (sku, marketplace_id): (price, currency)
        for sku, marketplace_id, price, currency in session.execute(
            select(
                Product.sku, ProductPrice.marketplace_id, ProductPrice.price, ProductPrice.currency
            )
            .join(ProductPrice, ProductPrice.product_id == Product.id)
            .where(Product.store_id == store_id)
        )
    }


def inbound_series(
    session: Session, *, store_id: int, scope_marketplaces: tuple[str, ...] = ()
) -> dict[tuple[str, str, str], list[Snapshot]]:
    """Snapshots per (marketplace, SKU, source report) of the reports with inbound buckets."""
    query = select(InventorySnapshot).where(
        InventorySnapshot.store_id == store_id,
        InventorySnapshot.marketplace_id.is_not(None),
        or_(
            InventorySnapshot.inbound_shipped.is_not(None),
            InventorySnapshot.inbound_receiving.is_not(None),
        ),
    )
    if scope_marketplaces:
        query = query.where(InventorySnapshot.marketplace_id.in_(scope_marketplaces))
    found: dict[tuple[str, str, str], list[Snapshot]] = defaultdict(list)
    for row in session.execute(query.order_by(InventorySnapshot.snapshot_date)).scalars():
        found[(str(row.marketplace_id), row.sku, row.source)].append(
            Snapshot(
                row_id=row.id,
                day=row.snapshot_date,
                inbound_shipped=row.inbound_shipped,
                inbound_receiving=row.inbound_receiving,
                fulfillable=row.fulfillable,
                unfulfillable=row.unfulfillable,
                reserved=row.reserved,
                researching=row.researching,
            )
        )
    return found


def fba_sales(
    session: Session, *, store_id: int, skus: Iterable[str], since: date, until: date
) -> dict[tuple[str, str], list[tuple[date, int]]]:
    """FBA units ordered per (marketplace, SKU) from ``since`` to ``until`` (whole days):
    (purchase day, quantity), cancellations out."""
    start = datetime.combine(since, time.min, tzinfo=UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    found: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(skus))):
        for marketplace_id, sku, purchased, quantity in session.execute(
            select(
                OrderItem.marketplace_id,
                OrderItem.sku,
                OrderItem.purchase_date,
                OrderItem.quantity,
            ).where(
                OrderItem.store_id == store_id,
                OrderItem.sku.in_(chunk),
                OrderItem.fulfillment_channel.in_(sorted(FBA_ORDER_CHANNELS)),
                OrderItem.purchase_date >= start,
                OrderItem.purchase_date < end,
                or_(OrderItem.order_status.is_(None), OrderItem.order_status != "Cancelled"),
            )
        ):
            if purchased is not None:
                found[(str(marketplace_id), sku)].append((purchased.date(), quantity))
    return found


def orders_until(session: Session, *, store_id: int) -> dict[str, date]:
    """The last purchase day of the imported orders per marketplace."""
    return {
        str(marketplace_id): last.date()
        for marketplace_id, last in session.execute(
            select(OrderItem.marketplace_id, func.max(OrderItem.purchase_date))
            .where(OrderItem.store_id == store_id, OrderItem.marketplace_id.is_not(None))
            .group_by(OrderItem.marketplace_id)
        )
        if last is not None
    }


def removed_units(
    session: Session, *, store_id: int
) -> dict[tuple[str, str], list[tuple[date, int]]]:
    """Units that left FBA stock by removal (shipped or disposed) per (marketplace, SKU), on
    the removal order's last update."""
    found: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    for row in session.execute(
        select(RemovalOrder).where(
            RemovalOrder.store_id == store_id, RemovalOrder.marketplace_id.is_not(None)
        )
    ).scalars():
        units = (row.shipped_quantity or 0) + (row.disposed_quantity or 0)
        moment = row.last_updated_date or row.request_date
        if units:
            found[(str(row.marketplace_id), row.sku)].append((moment.date(), units))
    return found


def reimbursements_of_skus(
    session: Session, *, store_id: int, reasons: Iterable[str]
) -> dict[str, list[ReimbursementLine]]:
    """Reimbursements of the given reasons (and their reversals) per SKU."""
    wanted = sorted(set(reasons))
    found: dict[str, list[ReimbursementLine]] = defaultdict(list)
    for row in session.execute(
        select(Reimbursement).where(
            Reimbursement.store_id == store_id,
            or_(
                Reimbursement.reason.in_(wanted),
                Reimbursement.original_reimbursement_type.in_(wanted),
            ),
        )
    ).scalars():
        found[row.sku or ""].append(_reimbursement_line(row))
    return found


def user_emails(session: Session, *, user_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {user_id: email for user_id, email in rows}
