"""SQL of the daily-sales table: rebuild a store's days from the order lines, in the database.

Which lines count: the All Orders report's lines (``order_items``), every channel, minus
cancelled lines (the report gives quantity 0 on most of them, and a cancelled order's lines
may still carry the ordered quantity). The Amazon Fulfilled Shipments report is not read:
each unit it lists is an All Orders line too, so counting both would count a sale twice,
and All Orders also has the orders not shipped yet (demand, which is what velocity
measures). Lines without a marketplace (e.g. "Non-Amazon" multi-channel orders) are left
out: their demand belongs to no marketplace's plan. Days are UTC days of the purchase date.

Each listing's first day of sales (``first_sales``) is kept with it: a run needs it for every
listing, and seeking each one's oldest day is what it used to cost.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Integer, and_, case, cast, delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from aftersales.models import DailySales, FirstSale, OrderItem

CANCELLED = "Cancelled"


def day_of(column: Any, dialect: str) -> ColumnElement[Any]:
    """The UTC calendar day of a UTC timestamp column, as a DATE on both databases."""
    if dialect == "sqlite":
        # Stored as "YYYY-MM-DD HH:MM:SS.ffffff" in UTC (db.types.UTCDateTime).
        return func.substr(column, 1, 10)
    return cast(func.timezone("UTC", column), Date)


def _not_cancelled() -> ColumnElement[bool]:
    return and_(
        func.coalesce(OrderItem.item_status, "") != CANCELLED,
        func.coalesce(OrderItem.order_status, "") != CANCELLED,
    )


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(), tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)


def batch_purchase_days(session: Session, *, batch_id: int) -> tuple[date, date] | None:
    """The first and last purchase day of the order lines an import batch wrote or changed."""
    dialect = session.get_bind().dialect.name
    day = day_of(OrderItem.purchase_date, dialect)
    first, last = session.execute(
        select(func.min(day), func.max(day)).where(OrderItem.import_batch_id == batch_id)
    ).one()
    if first is None or last is None:
        return None
    return _as_date(first), _as_date(last)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def rebuild(session: Session, *, store_id: int, first: date | None, last: date | None) -> int:
    """Recompute the store's daily sales for the days from ``first`` to ``last`` (None: every
    day) with one DELETE and one INSERT … SELECT; returns the rows written."""
    dialect = session.get_bind().dialect.name
    removed = delete(DailySales).where(DailySales.store_id == store_id)
    where: list[ColumnElement[bool]] = [
        OrderItem.store_id == store_id,
        OrderItem.marketplace_id.is_not(None),
        OrderItem.purchase_date.is_not(None),
        _not_cancelled(),
    ]
    if first is not None and last is not None:
        removed = removed.where(DailySales.day >= first, DailySales.day <= last)
        start, end = _bounds(first, last)
        where += [OrderItem.purchase_date >= start, OrderItem.purchase_date < end]
    session.execute(removed)
    day = day_of(OrderItem.purchase_date, dialect).label("day")
    shipped = case((OrderItem.item_status == "Shipped", OrderItem.quantity), else_=0)
    aggregate = (
        select(
            OrderItem.store_id,
            OrderItem.marketplace_id,
            OrderItem.sku,
            day,
            cast(func.sum(OrderItem.quantity), Integer),
            cast(func.sum(shipped), Integer),
            cast(func.count(func.distinct(OrderItem.amazon_order_id)), Integer),
        )
        .where(*where)
        .group_by(OrderItem.store_id, OrderItem.marketplace_id, OrderItem.sku, day)
    )
    statement = insert(DailySales).from_select(
        ["store_id", "marketplace_id", "sku", "day", "units", "units_shipped", "orders"],
        aggregate,
    )
    session.execute(statement)
    refresh_first_days(session, store_id=store_id, first=first)
    # Counted, not the driver's rowcount: psycopg reports -1 for INSERT … SELECT here.
    counted = select(func.count()).select_from(DailySales).where(DailySales.store_id == store_id)
    if first is not None and last is not None:
        counted = counted.where(DailySales.day >= first, DailySales.day <= last)
    return int(session.execute(counted).scalar_one())


def refresh_first_days(session: Session, *, store_id: int, first: date | None) -> None:
    """Bring ``first_sales`` in line with the store's daily sales after the days from
    ``first`` on changed (None: every day). A listing whose first day is before ``first``
    keeps it (its older days did not change); the others are recomputed from those days, so
    a first sale cancelled since moves to the next one, and a listing with no sale left
    loses its row."""
    removed = delete(FirstSale).where(FirstSale.store_id == store_id)
    where: list[ColumnElement[bool]] = [DailySales.store_id == store_id]
    if first is not None:
        removed = removed.where(FirstSale.first_day >= first)
        kept = (
            select(FirstSale.sku)
            .where(
                FirstSale.store_id == store_id,
                FirstSale.marketplace_id == DailySales.marketplace_id,
                FirstSale.sku == DailySales.sku,
            )
            .exists()
        )
        where += [DailySales.day >= first, ~kept]
    session.execute(removed)
    earliest = (
        select(
            DailySales.store_id, DailySales.marketplace_id, DailySales.sku, func.min(DailySales.day)
        )
        .where(*where)
        .group_by(DailySales.store_id, DailySales.marketplace_id, DailySales.sku)
    )
    session.execute(
        insert(FirstSale).from_select(["store_id", "marketplace_id", "sku", "first_day"], earliest)
    )
