"""SQL for the FBA returns list: scope and filters, sorting, capped counts, streaming."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    exists,
    func,
    select,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from aftersales.kit.pagination import SortRequest
from aftersales.kit.query import (
    ListQuery,
    day_start,
    in_scope,
    starts_with,
)
from aftersales.kit.scope import Scope
from aftersales.models import FbaReturn, MarketplaceRow, Store
from aftersales.returns.schemas import ReturnFilters

# A result row of any shape (SQLAlchemy 2.1 types rows by their columns).
ResultRow: TypeAlias = Row[*tuple[Any, ...]]


SORT_COLUMNS: dict[str, InstrumentedAttribute[Any]] = {
    "return_date": FbaReturn.return_date,
    "sku": FbaReturn.sku,
    "order_id": FbaReturn.amazon_order_id,
    "quantity": FbaReturn.quantity,
    "reason": FbaReturn.reason,
    "disposition": FbaReturn.detailed_disposition,
}
_NULLABLE_SORTS = {"reason", "disposition"}

ROW_COLUMNS = (
    FbaReturn.id,
    FbaReturn.return_date,
    FbaReturn.store_id,
    Store.name.label("store_name"),
    FbaReturn.marketplace_id,
    MarketplaceRow.code.label("marketplace_code"),
    FbaReturn.amazon_order_id,
    FbaReturn.sku,
    FbaReturn.asin,
    FbaReturn.fnsku,
    FbaReturn.product_name,
    FbaReturn.quantity,
    FbaReturn.fulfillment_center_id,
    FbaReturn.detailed_disposition.label("disposition"),
    FbaReturn.reason,
    FbaReturn.status,
    FbaReturn.license_plate_number,
    FbaReturn.customer_comments,
)


def _conditions(scope: Scope, filters: ReturnFilters, dialect: str) -> list[ColumnElement[bool]]:
    conditions = [in_scope(FbaReturn, scope)]
    if filters.date_from is not None:
        conditions.append(FbaReturn.return_date >= day_start(filters.date_from))
    if filters.date_to is not None:
        conditions.append(FbaReturn.return_date < day_start(filters.date_to + timedelta(days=1)))
    if filters.reason is not None:
        conditions.append(FbaReturn.reason == filters.reason)
    if filters.disposition is not None:
        conditions.append(FbaReturn.detailed_disposition == filters.disposition)
    return conditions


def _search(scope: Scope, text: str, dialect: str) -> Any:
    """Ids of returns whose SKU, ASIN, FNSKU, order id or LPN starts with ``text``.

    A UNION of one indexed prefix search per column: an OR of the five in one WHERE made
    SQLite walk the date index through every row of the store instead.
    """
    upper = text.upper()
    searches = [
        (column, upper)
        for column in (
            FbaReturn.sku,
            FbaReturn.asin,
            FbaReturn.fnsku,
            FbaReturn.amazon_order_id,
            FbaReturn.license_plate_number,
        )
    ]
    if upper != text:
        # SKUs are the seller's own and may be lower case.
        searches.append((FbaReturn.sku, text))
    return union(
        *(
            select(FbaReturn.id).where(
                in_scope(FbaReturn, scope), starts_with(column, value, dialect)
            )
            for column, value in searches
        )
    )


# The result column each sort key orders by (the row columns carry these names).
_SORT_RESULT_COLUMNS = {
    "return_date": "return_date",
    "sku": "sku",
    "order_id": "amazon_order_id",
    "quantity": "quantity",
    "reason": "reason",
    "disposition": "disposition",
}


def _rows() -> Select[*tuple[Any, ...]]:
    return (
        select(*ROW_COLUMNS)
        .join(Store, Store.id == FbaReturn.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == FbaReturn.marketplace_id)
    )


LIST = ListQuery(
    id_column=FbaReturn.id,
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
    filters: ReturnFilters,
    sort: SortRequest,
    offset: int,
    limit: int,
) -> Sequence[ResultRow]:
    return LIST.page(session, scope=scope, filters=filters, sort=sort, offset=offset, limit=limit)


def count(session: Session, *, scope: Scope, filters: ReturnFilters, cap: int) -> int:
    """Matching rows, but never more than ``cap`` + 1 are visited."""
    return LIST.count(session, scope=scope, filters=filters, cap=cap)


def stream_rows(
    session: Session,
    *,
    scope: Scope,
    filters: ReturnFilters,
    sort: SortRequest,
    chunk_size: int,
) -> Iterator[ResultRow]:
    for chunk in LIST.chunks(
        session, scope=scope, filters=filters, sort=sort, chunk_size=chunk_size
    ):
        yield from chunk


def by_id(session: Session, *, scope: Scope, return_id: int) -> ResultRow | None:
    statement = (
        select(*ROW_COLUMNS)
        .join(Store, Store.id == FbaReturn.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == FbaReturn.marketplace_id)
        .where(FbaReturn.id == return_id, in_scope(FbaReturn, scope))
    )
    return session.execute(statement).first()


def distinct_values(
    session: Session, *, scope: Scope, column: InstrumentedAttribute[str | None]
) -> list[str]:
    """Distinct non-null values of an indexed (store_id, column, marketplace_id, ...) column.

    One index seek per value and store ("loose index scan", one recursive query per store)
    instead of reading every row: reasons and dispositions are a few dozen values over up
    to millions of rows. With a marketplace filter, a value is kept when one more seek finds
    it in those marketplaces (testing the marketplace while scanning would read every row
    of a store that has none there).
    """
    found: set[str] = set()
    for store_id in scope.store_ids:
        loose = (
            select(func.min(column).label("value"))
            .where(FbaReturn.store_id == store_id, column.is_not(None))
            .cte("loose", recursive=True)
        )
        following = (
            select(func.min(column))
            .where(FbaReturn.store_id == store_id, column > loose.c.value)
            .scalar_subquery()
        )
        loose = loose.union_all(select(following).where(loose.c.value.is_not(None)))
        statement = select(loose.c.value).where(loose.c.value.is_not(None))
        if scope.marketplace_ids:
            statement = statement.where(
                exists().where(
                    FbaReturn.store_id == store_id,
                    column == loose.c.value,
                    FbaReturn.marketplace_id.in_(scope.marketplace_ids),
                )
            )
        found.update(session.execute(statement).scalars())
    return sorted(found)
