"""Order pages over several stores are merged from each store's sorted rows, in exact order."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aftersales.kit.pagination import PageRequest
from aftersales.kit.scope import Scope
from aftersales.models import Store
from aftersales.orders import service as orders_service
from aftersales.orders.schemas import OrderFilters
from aftersales.stores import service as store_service
from tests.orders.builders import Line, add_order


@pytest.mark.parametrize(
    "sort", ["-purchase_date", "purchase_date", "order_id", "-order_status", "fulfillment_channel"]
)
def test_every_page_matches_one_sort_of_all_orders(
    session: Session, store: Store, sort: str
) -> None:
    other = store_service.add_store(session, name="second-eu", region="EU")
    statuses = ["Shipped", "Pending", "Canceled"]
    for number in range(19):
        add_order(
            session,
            store if number % 3 else other,
            order_id=f"114-{(number * 5) % 19:07d}-{number:07d}",
            when=f"2026-05-{1 + number % 13:02d}T{number % 24:02d}:00:00",
            lines=[Line(sku=f"SKU-{number % 4}")],
            status=statuses[number % 3],
            channel="Amazon" if number % 2 else "Merchant",
        )
    session.flush()
    scope = Scope(store_ids=(store.id, other.id))
    sort_request = orders_service.parse_sort(sort)
    expected = [
        row.id
        for row in orders_service.iter_orders(
            session, scope=scope, filters=OrderFilters(), sort=sort_request
        )
    ]
    assert len(expected) == 19
    pages: list[int] = []
    for number in range(1, 5):
        page = orders_service.list_orders(
            session,
            scope=scope,
            filters=OrderFilters(),
            sort=sort_request,
            page=PageRequest(page=number, page_size=5),
        )
        pages.extend(row.id for row in page.items)
    assert pages == expected
