"""The orders list and detail: totals from the item lines, filters, sorting, pagination,
scope isolation and export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.pagination import PageRequest
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import iter_csv, write_xlsx
from aftersales.models import Store
from aftersales.orders import service as order_service
from aftersales.orders.schemas import OrderFilters
from aftersales.stores import service as store_service
from tests.conftest import run_import
from tests.orders.builders import CA, US, Line, add_order
from tests.returns.xlsx_reading import read_cells

NEWEST_FIRST = order_service.parse_sort(None)


@pytest.fixture
def other_store(session: Session) -> Store:
    return store_service.add_store(session, name="rival-eu", region="EU")


@pytest.fixture
def orders(session: Session, store: Store) -> dict[str, int]:
    made = {
        "two_lines": add_order(
            session,
            store,
            order_id="114-0000001-0000001",
            when="2026-05-01T10:00:00",
            lines=[
                Line("LM-KT-0042", quantity=2, price="51.98", asin="B00TZ73MUY"),
                Line("lm-mug-01", quantity=1, price="8.50"),
            ],
        ),
        "pending_fbm": add_order(
            session,
            store,
            order_id="114-0000002-0000002",
            when="2026-05-02T23:00:00",
            lines=[Line("LM-AP-0001", price=None, currency=None, item_status="Unshipped")],
            status="Pending",
            channel="Merchant",
        ),
        "canada": add_order(
            session,
            store,
            order_id="702-0000003-0000003",
            when="2026-05-03T01:00:00",
            lines=[Line("LM-KT-0043", quantity=1, price="39.99", currency="CAD")],
            marketplace_id=CA,
        ),
        "cancelled": add_order(
            session,
            store,
            order_id="114-0000004-0000004",
            when="2026-05-03T01:00:00",
            lines=[Line("LM-KT-0043", quantity=0, price=None, item_status="Cancelled")],
            status="Cancelled",
        ),
    }
    return {name: order.id for name, order in made.items()}


def listed(
    session: Session, scope: Scope, filters: OrderFilters, sort: str | None = None
) -> list[int]:
    page = order_service.list_orders(
        session,
        scope=scope,
        filters=filters,
        sort=order_service.parse_sort(sort),
        page=PageRequest(),
    )
    return [row.id for row in page.items]


def test_rows_carry_totals_store_and_marketplace(
    session: Session, store: Store, orders: dict[str, int]
) -> None:
    page = order_service.list_orders(
        session,
        scope=Scope((store.id,)),
        filters=OrderFilters(),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    )
    assert [row.id for row in page.items] == [
        orders["cancelled"],
        orders["canada"],
        orders["pending_fbm"],
        orders["two_lines"],
    ]
    by_id = {row.id: row for row in page.items}
    two = by_id[orders["two_lines"]]
    assert (two.units, two.item_total, two.currency) == (3, Decimal("60.48"), "USD")
    assert (two.store_name, two.marketplace_code) == ("acme-na", "US")
    canada = by_id[orders["canada"]]
    assert (canada.item_total, canada.currency, canada.marketplace_code) == (
        Decimal("39.99"),
        "CAD",
        "CA",
    )
    pending = by_id[orders["pending_fbm"]]
    assert (pending.units, pending.item_total, pending.currency) == (1, None, None)
    assert (by_id[orders["cancelled"]].units, page.total, page.total_exact) == (0, 4, True)


def test_mixed_currencies_are_not_added(session: Session, store: Store) -> None:
    add_order(
        session,
        store,
        order_id="114-0000009-0000009",
        when="2026-05-05T10:00:00",
        lines=[Line("A", price="1.00", currency="USD"), Line("B", price="2.00", currency="CAD")],
    )
    row = order_service.list_orders(
        session,
        scope=Scope((store.id,)),
        filters=OrderFilters(),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    ).items[0]
    assert (row.units, row.item_total, row.currency) == (2, None, None)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (OrderFilters(date_from="2026-05-02", date_to="2026-05-02"), ["pending_fbm"]),
        (OrderFilters(date_from="2026-05-03"), ["cancelled", "canada"]),
        (OrderFilters(q="114-0000001"), ["two_lines"]),
        (OrderFilters(q="702"), ["canada"]),
        (OrderFilters(q="lm-kt-0043"), ["cancelled", "canada"]),
        (OrderFilters(q="LM-MUG"), []),
        (OrderFilters(q="lm-mug"), ["two_lines"]),
        (OrderFilters(q="b00tz73muy"), ["two_lines"]),
        (OrderFilters(order_status="Pending"), ["pending_fbm"]),
        (
            OrderFilters(fulfillment_channel="Amazon", order_status="Shipped"),
            ["canada", "two_lines"],
        ),
        (OrderFilters(q="LM-KT", date_to="2026-05-02"), ["two_lines"]),
    ],
)
def test_filters(
    session: Session,
    store: Store,
    orders: dict[str, int],
    filters: OrderFilters,
    expected: list[str],
) -> None:
    assert listed(session, Scope((store.id,)), filters) == [orders[name] for name in expected]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("purchase_date", ["two_lines", "pending_fbm", "canada", "cancelled"]),
        ("-order_id", ["canada", "cancelled", "pending_fbm", "two_lines"]),
        ("order_status", ["cancelled", "pending_fbm", "two_lines", "canada"]),
        ("-fulfillment_channel", ["pending_fbm", "cancelled", "canada", "two_lines"]),
    ],
)
def test_sorting(
    session: Session, store: Store, orders: dict[str, int], sort: str, expected: list[str]
) -> None:
    assert listed(session, Scope((store.id,)), OrderFilters(), sort) == [
        orders[name] for name in expected
    ]


def test_bad_requests_are_rejected(session: Session, store: Store) -> None:
    with pytest.raises(InvalidInput):
        order_service.parse_sort("units")
    with pytest.raises(InvalidInput):
        listed(
            session, Scope((store.id,)), OrderFilters(date_from="2026-05-02", date_to="2026-05-01")
        )


def test_pagination(session: Session, store: Store, orders: dict[str, int]) -> None:
    second = order_service.list_orders(
        session,
        scope=Scope((store.id,)),
        filters=OrderFilters(),
        sort=order_service.parse_sort("purchase_date"),
        page=PageRequest(page=2, page_size=3),
    )
    assert [row.id for row in second.items] == [orders["cancelled"]]
    assert (second.total, second.page, second.page_size) == (4, 2, 3)


def test_get_order_with_items(session: Session, store: Store, orders: dict[str, int]) -> None:
    detail = order_service.get_order(
        session, scope=Scope((store.id,)), order_id=orders["two_lines"]
    )
    assert detail.amazon_order_id == "114-0000001-0000001"
    assert [(item.sku, item.quantity, item.item_price) for item in detail.items] == [
        ("LM-KT-0042", 2, Decimal("51.98")),
        ("lm-mug-01", 1, Decimal("8.50")),
    ]
    assert (detail.units, detail.item_total) == (3, Decimal("60.48"))


def test_scope_isolation(
    session: Session, store: Store, other_store: Store, orders: dict[str, int]
) -> None:
    theirs = add_order(
        session,
        other_store,
        order_id="114-0000001-0000009",
        when="2026-05-01T10:00:00",
        lines=[Line("LM-KT-0042")],
    )
    mine = Scope((store.id,))
    assert theirs.id not in listed(session, mine, OrderFilters(q="114-0000001"))
    assert theirs.id not in listed(session, mine, OrderFilters(q="LM-KT-0042"))
    exported = order_service.iter_orders(
        session, scope=mine, filters=OrderFilters(), sort=NEWEST_FIRST
    )
    assert theirs.id not in [row.id for row in exported]
    with pytest.raises(NotFound):
        order_service.get_order(session, scope=mine, order_id=theirs.id)
    assert listed(session, Scope((other_store.id,)), OrderFilters()) == [theirs.id]
    with pytest.raises(NotFound):
        order_service.get_order(session, scope=Scope((store.id,), (US,)), order_id=orders["canada"])
    assert listed(session, Scope((store.id,), (CA,)), OrderFilters()) == [orders["canada"]]


def test_filter_options(
    session: Session, store: Store, other_store: Store, orders: dict[str, int]
) -> None:
    add_order(
        session,
        other_store,
        order_id="114-0000001-0000009",
        when="2026-05-01T10:00:00",
        lines=[Line("X")],
        status="Shipping",
    )
    options = order_service.filter_options(session, scope=Scope((store.id,)))
    assert [o.value for o in options.order_statuses] == ["Cancelled", "Pending", "Shipped"]
    assert [(o.value, o.label) for o in options.fulfillment_channels] == [
        ("Amazon", "Fulfilled by Amazon (FBA)"),
        ("Merchant", "Fulfilled by the seller (FBM)"),
    ]


def test_exports(session: Session, store: Store, orders: dict[str, int]) -> None:
    scope = Scope((store.id,))
    rows = list(
        order_service.iter_orders(session, scope=scope, filters=OrderFilters(), sort=NEWEST_FIRST)
    )
    assert [row.id for row in rows] == listed(session, scope, OrderFilters())
    text = b"".join(iter_csv(order_service.EXPORT_COLUMNS, rows)).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    two = next(record for record in table if record["Order ID"] == "114-0000001-0000001")
    assert (two["Units"], two["Item total"], two["Currency"], two["Marketplace"]) == (
        "3",
        "60.4800",
        "USD",
        "US",
    )
    target = io.BytesIO()
    write_xlsx(order_service.EXPORT_COLUMNS, rows, target)
    cells = read_cells(target.getvalue())
    header = [text for _kind, _style, text in cells[0]]
    last = dict(zip(header, cells[-1], strict=False))
    assert last["Order ID"][2] == "114-0000001-0000001"
    assert last["Item total"] == ("", None, "60.48")
    assert last["Purchase date"][0] == ""


def test_imported_report_is_listed(session: Session, store: Store) -> None:
    run_import(session, "all_orders_us_ca.txt", store="acme-na")
    page = order_service.list_orders(
        session,
        scope=Scope((store.id,)),
        filters=OrderFilters(q="114-1111111"),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    )
    (row,) = page.items
    assert (row.units, row.item_total, row.currency, row.marketplace_code) == (
        3,
        Decimal("85.97"),
        "USD",
        "US",
    )
