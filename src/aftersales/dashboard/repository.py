"""SQL for the dashboard: daily shipped and returned units, SKU rankings, latest inventory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from aftersales.db.types import UTCDateTime
from aftersales.inventory.repository import is_latest, latest_days
from aftersales.kit.scope import Scope
from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    MarketplaceRow,
    Order,
    OrderItem,
    Store,
)

# A result row of any shape (SQLAlchemy 2.1 types rows by their columns).
ResultRow: TypeAlias = Row[*tuple[Any, ...]]

SHIPPED = "Shipped"
SELLABLE = "SELLABLE"


def _in_scope(model: Any, scope: Scope) -> ColumnElement[bool]:
    condition = model.store_id.in_(scope.store_ids)
    if scope.marketplace_ids:
        condition = and_(condition, model.marketplace_id.in_(scope.marketplace_ids))
    return condition  # type: ignore[no-any-return]


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, as ``date`` or ISO text (SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS...": the day is the prefix.
        return func.substr(column, 1, 10)
    return cast(func.timezone("UTC", column), Date)


def _shipped_order() -> ColumnElement[bool]:
    # All Orders statuses: Pending, Shipping (partly shipped), Shipped (and variants such
    # as "Shipped - Delivered to Buyer"), Cancelled.
    return or_(Order.order_status == "Shipping", Order.order_status.startswith(SHIPPED))


def daily_by_marketplace(
    session: Session, *, scope: Scope, days: Sequence[date]
) -> Sequence[ResultRow]:
    """(day_start, marketplace_id, orders, units_shipped, units_returned, unsellable) per
    day and known marketplace.

    One small correlated sum per day and marketplace, each answered from a covering index
    range, instead of a GROUP BY over the day of every row: on SQLite that sort was ten
    times slower on 90 days of a 5-million-line store. Rows without a marketplace are
    counted by ``daily_without_marketplace``.
    """
    # A UNION of one-row SELECTs: SQLite's VALUES cannot name its columns.
    day_table = union_all(
        *(
            select(
                literal(_start(day), UTCDateTime()).label("day_start"),
                literal(_start(day + timedelta(days=1)), UTCDateTime()).label("day_end"),
            )
            for day in days
        )
    ).subquery("days")
    market = MarketplaceRow.id
    stores = scope.store_ids

    def between(stamp: Any) -> ColumnElement[bool]:
        return and_(stamp >= day_table.c.day_start, stamp < day_table.c.day_end)

    units_shipped = (
        select(func.sum(OrderItem.quantity))
        .where(
            OrderItem.store_id.in_(stores),
            OrderItem.item_status == SHIPPED,
            OrderItem.marketplace_id == market,
            between(OrderItem.purchase_date),
        )
        .scalar_subquery()
    )
    orders = (
        select(func.count())
        .select_from(Order)
        .where(
            Order.store_id.in_(stores),
            Order.marketplace_id == market,
            between(Order.purchase_date),
            _shipped_order(),
        )
        .scalar_subquery()
    )
    unsellable_units = case(
        (FbaReturn.detailed_disposition == SELLABLE, 0), else_=FbaReturn.quantity
    )
    returned = (
        select(func.sum(FbaReturn.quantity))
        .where(
            FbaReturn.store_id.in_(stores),
            FbaReturn.marketplace_id == market,
            between(FbaReturn.return_date),
        )
        .scalar_subquery()
    )
    unsellable = (
        select(func.sum(unsellable_units))
        .where(
            FbaReturn.store_id.in_(stores),
            FbaReturn.marketplace_id == market,
            between(FbaReturn.return_date),
        )
        .scalar_subquery()
    )
    statement = (
        select(
            day_table.c.day_start,
            market.label("marketplace_id"),
            orders.label("orders"),
            units_shipped.label("units_shipped"),
            returned.label("units_returned"),
            unsellable.label("unsellable"),
        )
        .select_from(day_table)
        .join(MarketplaceRow, true())
    )
    if scope.marketplace_ids:
        statement = statement.where(market.in_(scope.marketplace_ids))
    return session.execute(statement).all()


def daily_without_marketplace(
    session: Session, *, scope: Scope, start: datetime, end: datetime
) -> list[tuple[Any, int, int, int, int]]:
    """(day, orders, units shipped, units returned, unsellable) of rows with no marketplace
    (a report the importer could not place); none when the scope names marketplaces."""
    if scope.marketplace_ids:
        return []
    stores = scope.store_ids
    figures: dict[Any, list[int]] = {}
    order_day = _utc_day(session, Order.purchase_date).label("day")
    for day, orders in session.execute(
        select(order_day, func.count())
        .where(
            Order.store_id.in_(stores),
            Order.marketplace_id.is_(None),
            Order.purchase_date >= start,
            Order.purchase_date < end,
            _shipped_order(),
        )
        .group_by(order_day)
    ):
        figures.setdefault(day, [0, 0, 0, 0])[0] = int(orders)
    item_day = _utc_day(session, OrderItem.purchase_date).label("day")
    for day, units in session.execute(
        select(item_day, func.sum(OrderItem.quantity))
        .where(
            OrderItem.store_id.in_(stores),
            OrderItem.item_status == SHIPPED,
            OrderItem.marketplace_id.is_(None),
            OrderItem.purchase_date >= start,
            OrderItem.purchase_date < end,
        )
        .group_by(item_day)
    ):
        figures.setdefault(day, [0, 0, 0, 0])[1] = int(units or 0)
    return_day = _utc_day(session, FbaReturn.return_date).label("day")
    unsellable = case((FbaReturn.detailed_disposition == SELLABLE, 0), else_=FbaReturn.quantity)
    for day, units, unsellable_units in session.execute(
        select(return_day, func.sum(FbaReturn.quantity), func.sum(unsellable))
        .where(
            FbaReturn.store_id.in_(stores),
            FbaReturn.marketplace_id.is_(None),
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(return_day)
    ):
        bucket = figures.setdefault(day, [0, 0, 0, 0])
        bucket[2], bucket[3] = int(units or 0), int(unsellable_units or 0)
    return [(day, *bucket) for day, bucket in figures.items()]


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def marketplace_codes(session: Session, *, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    statement = select(MarketplaceRow.id, MarketplaceRow.code).where(MarketplaceRow.id.in_(ids))
    return {row.id: row.code for row in session.execute(statement)}


def most_returned_skus(
    session: Session, *, scope: Scope, start: datetime, end: datetime, limit: int
) -> Sequence[ResultRow]:
    """(sku, units) with the most returned units in [start, end)."""
    units = func.sum(FbaReturn.quantity).label("units")
    statement = (
        select(FbaReturn.sku, units)
        .where(
            _in_scope(FbaReturn, scope),
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.sku)
        .order_by(units.desc(), FbaReturn.sku)
        .limit(limit)
    )
    return session.execute(statement).all()


def product_names(session: Session, *, scope: Scope, skus: Sequence[str]) -> dict[str, str | None]:
    """A product name per SKU, from any of its returns (one index seek per SKU)."""
    names: dict[str, str | None] = {}
    for sku in skus:
        names[sku] = session.execute(
            select(FbaReturn.product_name)
            .where(
                _in_scope(FbaReturn, scope),
                FbaReturn.sku == sku,
                FbaReturn.product_name.is_not(None),
            )
            .limit(1)
        ).scalar()
    return names


def reasons_of_skus(
    session: Session, *, scope: Scope, start: datetime, end: datetime, skus: Sequence[str]
) -> Sequence[ResultRow]:
    """(sku, reason, units) of returns of the given SKUs in [start, end)."""
    if not skus:
        return []
    statement = (
        select(FbaReturn.sku, FbaReturn.reason, func.sum(FbaReturn.quantity).label("units"))
        .where(
            _in_scope(FbaReturn, scope),
            FbaReturn.sku.in_(skus),
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.sku, FbaReturn.reason)
    )
    return session.execute(statement).all()


def shipped_units_of_skus(
    session: Session, *, scope: Scope, start: datetime, end: datetime, skus: Sequence[str]
) -> dict[str, int]:
    """Shipped units per SKU purchased in [start, end), for the given SKUs."""
    if not skus:
        return {}
    # One correlated sum per SKU and marketplace: with every column of the (store, status,
    # marketplace, sku, date) index constrained by "=", SQLite picks that covering index;
    # with IN lists it read the SKUs' lines through the table instead (25 times slower).
    sku_table = union_all(*(select(literal(sku).label("sku")) for sku in skus)).subquery("skus")
    units = (
        select(func.sum(OrderItem.quantity))
        .where(
            OrderItem.store_id.in_(scope.store_ids),
            OrderItem.item_status == SHIPPED,
            OrderItem.marketplace_id == MarketplaceRow.id,
            OrderItem.sku == sku_table.c.sku,
            OrderItem.purchase_date >= start,
            OrderItem.purchase_date < end,
        )
        .scalar_subquery()
    )
    statement = select(sku_table.c.sku, units.label("units")).join(MarketplaceRow, true())
    if scope.marketplace_ids:
        statement = statement.where(MarketplaceRow.id.in_(scope.marketplace_ids))
    totals: dict[str, int] = {}
    for row in session.execute(statement):
        totals[row.sku] = totals.get(row.sku, 0) + int(row.units or 0)
    if not scope.marketplace_ids:
        unplaced = (
            select(OrderItem.sku, func.sum(OrderItem.quantity).label("units"))
            .where(
                OrderItem.store_id.in_(scope.store_ids),
                OrderItem.item_status == SHIPPED,
                OrderItem.marketplace_id.is_(None),
                OrderItem.sku.in_(skus),
                OrderItem.purchase_date >= start,
                OrderItem.purchase_date < end,
            )
            .group_by(OrderItem.sku)
        )
        for row in session.execute(unplaced):
            totals[row.sku] = totals.get(row.sku, 0) + int(row.units or 0)
    return totals


def latest_inventory(
    session: Session, *, scope: Scope, as_of: date, sales_start: datetime, sales_end: datetime
) -> Sequence[ResultRow]:
    """Rows of the latest snapshot (on or before ``as_of``) per store, marketplace, SKU and
    source report (a report may give several rows per SKU, one per condition), each with
    the SKU's units shipped in that store and marketplace in [sales_start, sales_end)."""
    # Correlated per listing: a few index seeks each, where a GROUP BY SKU would sort a
    # month of order lines.
    units_shipped = (
        select(func.coalesce(func.sum(OrderItem.quantity), 0))
        .where(
            OrderItem.store_id == InventorySnapshot.store_id,
            OrderItem.item_status == SHIPPED,
            OrderItem.marketplace_id == InventorySnapshot.marketplace_id,
            OrderItem.sku == InventorySnapshot.sku,
            OrderItem.purchase_date >= sales_start,
            OrderItem.purchase_date < sales_end,
        )
        .scalar_subquery()
    )
    latest = latest_days(
        _in_scope(InventorySnapshot, scope), InventorySnapshot.snapshot_date <= as_of
    )
    statement = (
        select(
            InventorySnapshot.store_id,
            Store.name.label("store_name"),
            InventorySnapshot.marketplace_id,
            MarketplaceRow.code.label("marketplace_code"),
            InventorySnapshot.sku,
            InventorySnapshot.fnsku,
            InventorySnapshot.asin,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
            InventorySnapshot.fulfillable,
            InventorySnapshot.unfulfillable,
            InventorySnapshot.reserved,
            InventorySnapshot.inbound_working,
            InventorySnapshot.inbound_shipped,
            InventorySnapshot.inbound_receiving,
            units_shipped.label("units_shipped"),
        )
        .join(latest, is_latest(latest))
        .join(Store, Store.id == InventorySnapshot.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == InventorySnapshot.marketplace_id)
        .order_by(InventorySnapshot.id)
    )
    return session.execute(statement).all()
