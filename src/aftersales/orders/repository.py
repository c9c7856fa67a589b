"""SQL for the orders list: scope and filters, sorting, capped counts, item totals, streaming."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Row, Select, and_, func, select, union
from sqlalchemy.orm import InstrumentedAttribute, Session

from aftersales.kit.pagination import SortRequest
from aftersales.kit.query import (
    ListQuery,
    day_start,
    in_scope,
    starts_with,
)
from aftersales.kit.scope import Scope
from aftersales.models import MarketplaceRow, Order, OrderItem, Store
from aftersales.orders.schemas import OrderFilters

# A result row of any shape (SQLAlchemy 2.1 types rows by their columns).
ResultRow: TypeAlias = Row[*tuple[Any, ...]]


SORT_COLUMNS: dict[str, InstrumentedAttribute[Any]] = {
    "purchase_date": Order.purchase_date,
    "order_id": Order.amazon_order_id,
    "order_status": Order.order_status,
    "fulfillment_channel": Order.fulfillment_channel,
}
_NULLABLE_SORTS = {"purchase_date", "order_status", "fulfillment_channel"}

ROW_COLUMNS = (
    Order.id,
    Order.amazon_order_id,
    Order.merchant_order_id,
    Order.purchase_date,
    Order.order_status,
    Order.fulfillment_channel,
    Order.sales_channel,
    Order.store_id,
    Store.name.label("store_name"),
    Order.marketplace_id,
    MarketplaceRow.code.label("marketplace_code"),
)
DETAIL_COLUMNS = (
    *ROW_COLUMNS,
    Order.last_updated_date,
    Order.ship_service_level,
    Order.ship_city,
    Order.ship_state,
    Order.ship_postal_code,
    Order.ship_country,
    Order.is_business_order,
)
ITEM_COLUMNS = (
    OrderItem.id,
    OrderItem.sku,
    OrderItem.asin,
    OrderItem.product_name,
    OrderItem.item_status,
    OrderItem.quantity,
    OrderItem.currency,
    OrderItem.item_price,
    OrderItem.item_tax,
    OrderItem.shipping_price,
    OrderItem.shipping_tax,
    OrderItem.gift_wrap_price,
    OrderItem.gift_wrap_tax,
    OrderItem.item_promotion_discount,
    OrderItem.ship_promotion_discount,
    OrderItem.promotion_ids,
)


def _search(scope: Scope, text: str, dialect: str) -> Any:
    """Ids of orders whose id, or the SKU or ASIN of one of whose items, starts with ``text``.

    A UNION of indexed prefix searches: an OR of them in one WHERE made SQLite walk every
    order of the store.
    """
    upper = text.upper()
    item_searches = [(OrderItem.sku, upper), (OrderItem.asin, upper)]
    if upper != text:
        # SKUs are the seller's own and may be lower case.
        item_searches.append((OrderItem.sku, text))
    by_items = (
        select(Order.id)
        .join(
            OrderItem,
            and_(
                OrderItem.store_id == Order.store_id,
                OrderItem.amazon_order_id == Order.amazon_order_id,
            ),
        )
        .where(
            in_scope(OrderItem, scope),
            in_scope(Order, scope),
            starts_with(column, value, dialect),
        )
        for column, value in item_searches
    )
    return union(
        select(Order.id).where(
            in_scope(Order, scope), starts_with(Order.amazon_order_id, upper, dialect)
        ),
        *by_items,
    )


def _conditions(scope: Scope, filters: OrderFilters, dialect: str) -> list[ColumnElement[bool]]:
    conditions = [in_scope(Order, scope)]
    if filters.date_from is not None:
        conditions.append(Order.purchase_date >= day_start(filters.date_from))
    if filters.date_to is not None:
        conditions.append(Order.purchase_date < day_start(filters.date_to + timedelta(days=1)))
    if filters.order_status is not None:
        conditions.append(Order.order_status == filters.order_status)
    if filters.fulfillment_channel is not None:
        conditions.append(Order.fulfillment_channel == filters.fulfillment_channel)
    return conditions


# The result column each sort key orders by (the row columns carry these names).
_SORT_RESULT_COLUMNS = {
    "purchase_date": "purchase_date",
    "order_id": "amazon_order_id",
    "order_status": "order_status",
    "fulfillment_channel": "fulfillment_channel",
}


def _rows() -> Select[*tuple[Any, ...]]:
    return (
        select(*ROW_COLUMNS)
        .join(Store, Store.id == Order.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == Order.marketplace_id)
    )


LIST = ListQuery(
    id_column=Order.id,
    rows=_rows,
    conditions=_conditions,
    search=_search,
    sort_columns=dict(SORT_COLUMNS),
    result_columns=_SORT_RESULT_COLUMNS,
    nullable_sorts=frozenset(_NULLABLE_SORTS),
)


def page_rows(
    session: Session,
    *,
    scope: Scope,
    filters: OrderFilters,
    sort: SortRequest,
    offset: int,
    limit: int,
) -> Sequence[ResultRow]:
    return LIST.page(session, scope=scope, filters=filters, sort=sort, offset=offset, limit=limit)


def count(session: Session, *, scope: Scope, filters: OrderFilters, cap: int) -> int:
    """Matching rows, but never more than ``cap`` + 1 are visited."""
    return LIST.count(session, scope=scope, filters=filters, cap=cap)


def stream_rows(
    session: Session,
    *,
    scope: Scope,
    filters: OrderFilters,
    sort: SortRequest,
    chunk_size: int,
) -> Iterator[Sequence[ResultRow]]:
    """The matching orders in chunks of ``chunk_size`` rows."""
    return LIST.chunks(session, scope=scope, filters=filters, sort=sort, chunk_size=chunk_size)


def item_totals(
    session: Session, *, orders: Sequence[tuple[int, str]]
) -> dict[tuple[int, str], ResultRow]:
    """Units, item total and currencies per (store_id, amazon_order_id) of the given orders."""
    if not orders:
        return {}
    statement = (
        select(
            OrderItem.store_id,
            OrderItem.amazon_order_id,
            func.coalesce(func.sum(OrderItem.quantity), 0).label("units"),
            func.sum(OrderItem.item_price).label("item_total"),
            func.min(OrderItem.currency).label("currency"),
            func.max(OrderItem.currency).label("other_currency"),
        )
        # Two plain IN lists, not a row-value IN, which SQLite answers by a full scan.
        .where(
            OrderItem.store_id.in_({store_id for store_id, _order in orders}),
            OrderItem.amazon_order_id.in_({order for _store_id, order in orders}),
        )
        .group_by(OrderItem.store_id, OrderItem.amazon_order_id)
    )
    wanted = set(orders)
    return {
        (row.store_id, row.amazon_order_id): row
        for row in session.execute(statement)
        if (row.store_id, row.amazon_order_id) in wanted
    }


def by_id(session: Session, *, scope: Scope, order_id: int) -> ResultRow | None:
    statement = (
        select(*DETAIL_COLUMNS)
        .join(Store, Store.id == Order.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == Order.marketplace_id)
        .where(Order.id == order_id, in_scope(Order, scope))
    )
    return session.execute(statement).first()


def items_of(session: Session, *, store_id: int, amazon_order_id: str) -> Sequence[ResultRow]:
    statement = (
        select(*ITEM_COLUMNS)
        .where(OrderItem.store_id == store_id, OrderItem.amazon_order_id == amazon_order_id)
        .order_by(OrderItem.id)
    )
    return session.execute(statement).all()


def distinct_values(
    session: Session, *, scope: Scope, column: InstrumentedAttribute[str | None]
) -> list[str]:
    """Distinct non-null values of an indexed (store_id, column, ...) column, one index seek
    per value and store instead of reading every order."""
    found: set[str] = set()
    for store_id in scope.store_ids:
        previous: str | None = None
        while True:
            conditions: list[ColumnElement[bool]] = [
                Order.store_id == store_id,
                column.is_not(None),
            ]
            if scope.marketplace_ids:
                conditions.append(Order.marketplace_id.in_(scope.marketplace_ids))
            if previous is not None:
                conditions.append(column > previous)
            value = session.execute(select(func.min(column)).where(*conditions)).scalar_one()
            if value is None:
                break
            found.add(value)
            previous = value
    return sorted(found)
