"""Orders for lists, exports and detail pages, always limited to the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.orm import Session

from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.pagination import PageRequest, SortRequest
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.models import Order
from aftersales.orders import repository as order_repository
from aftersales.orders.repository import ResultRow
from aftersales.orders.schemas import (
    FilterOption,
    OrderDetail,
    OrderFilterOptions,
    OrderFilters,
    OrderItemRow,
    OrderPage,
    OrderRow,
)

SORT_KEYS: tuple[str, ...] = tuple(order_repository.SORT_COLUMNS)
DEFAULT_SORT = "-purchase_date"
# Beyond this many matches the list says "10,000+" instead of counting every row.
COUNT_CAP = 10_000
EXPORT_CHUNK_SIZE = 1_000

# The report's fulfillment-channel values.
FULFILLMENT_CHANNEL_LABELS = {
    "Amazon": N_("Fulfilled by Amazon (FBA)"),
    "Merchant": N_("Fulfilled by the seller (FBM)"),
}

EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("amazon_order_id", N_("Order ID")),
    Column("purchase_date", N_("Purchase date")),
    Column("order_status", N_("Order status")),
    Column("fulfillment_channel", N_("Fulfilment channel")),
    Column("sales_channel", N_("Sales channel")),
    Column("store_name", N_("Store")),
    Column("marketplace_code", N_("Marketplace")),
    Column("units", N_("Units")),
    Column("item_total", N_("Item total")),
    Column("currency", N_("Currency")),
    Column("merchant_order_id", N_("Merchant order ID")),
)


class OrderNotFound(NotFound):
    code = "order_not_found"


def parse_sort(raw: str | None) -> SortRequest:
    """The sort a list request asked for (``-key`` for descending); 422 when not allowed."""
    return SortRequest.parse(raw, allowed=SORT_KEYS, default=DEFAULT_SORT)


def _check(filters: OrderFilters, sort: SortRequest) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(N_("the start date is after the end date"), field="date_from")
    if sort.key not in SORT_KEYS:
        raise InvalidInput(N_("cannot sort orders by %(key)s"), key=sort.key, field="sort")


def _totals(totals: ResultRow | None) -> dict[str, Any]:
    if totals is None:
        return {"units": 0, "item_total": None, "currency": None}
    mixed = totals.currency != totals.other_currency
    return {
        "units": int(totals.units),
        # Never add up amounts in different currencies.
        "item_total": None if mixed else totals.item_total,
        "currency": None if mixed else totals.currency,
    }


def _with_totals(session: Session, rows: Sequence[ResultRow]) -> list[OrderRow]:
    totals = order_repository.item_totals(
        session, orders=[(row.store_id, row.amazon_order_id) for row in rows]
    )
    return [
        OrderRow(**row._mapping, **_totals(totals.get((row.store_id, row.amazon_order_id))))
        for row in rows
    ]


def list_orders(
    session: Session,
    *,
    scope: Scope,
    filters: OrderFilters,
    sort: SortRequest,
    page: PageRequest,
) -> OrderPage:
    _check(filters, sort)
    rows = order_repository.page_rows(
        session,
        scope=scope,
        filters=filters,
        sort=sort,
        offset=page.offset,
        limit=page.page_size,
    )
    if len(rows) < page.page_size and (rows or page.page == 1):
        # This is the last page: the total is known without counting.
        total = page.offset + len(rows)
    else:
        total = order_repository.count(session, scope=scope, filters=filters, cap=COUNT_CAP)
    return OrderPage(
        items=_with_totals(session, rows),
        total=min(total, COUNT_CAP),
        total_exact=total <= COUNT_CAP,
        page=page.page,
        page_size=page.page_size,
    )


def iter_orders(
    session: Session, *, scope: Scope, filters: OrderFilters, sort: SortRequest
) -> Iterator[OrderRow]:
    """Every matching order with its totals, fetched in chunks: for exports, consumed while
    the session lives."""
    _check(filters, sort)
    for chunk in order_repository.stream_rows(
        session, scope=scope, filters=filters, sort=sort, chunk_size=EXPORT_CHUNK_SIZE
    ):
        yield from _with_totals(session, chunk)


def get_order(session: Session, *, scope: Scope, order_id: int) -> OrderDetail:
    row = order_repository.by_id(session, scope=scope, order_id=order_id)
    if row is None:
        # Same answer for "does not exist" and "belongs to another store": no probing.
        raise OrderNotFound(N_("no order with id %(id)s"), id=order_id)
    items = order_repository.items_of(
        session, store_id=row.store_id, amazon_order_id=row.amazon_order_id
    )
    totals = order_repository.item_totals(session, orders=[(row.store_id, row.amazon_order_id)])
    return OrderDetail(
        **row._mapping,
        **_totals(totals.get((row.store_id, row.amazon_order_id))),
        items=[OrderItemRow(**item._mapping) for item in items],
    )


def fulfillment_channel_label(channel: str) -> str:
    known = FULFILLMENT_CHANNEL_LABELS.get(channel)
    return gettext(known) if known else channel


def filter_options(session: Session, *, scope: Scope) -> OrderFilterOptions:
    """Order statuses and fulfilment channels present in the scope, for the list's dropdowns."""
    statuses = order_repository.distinct_values(session, scope=scope, column=Order.order_status)
    channels = order_repository.distinct_values(
        session, scope=scope, column=Order.fulfillment_channel
    )
    return OrderFilterOptions(
        # Amazon's status words are shown as they are; a catalogue may still translate them.
        order_statuses=[FilterOption(value=status, label=gettext(status)) for status in statuses],
        fulfillment_channels=[
            FilterOption(value=channel, label=fulfillment_channel_label(channel))
            for channel in channels
        ],
    )
