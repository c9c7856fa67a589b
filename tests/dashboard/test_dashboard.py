"""Dashboard figures on a small known data set: windows, per-marketplace breakdown, trend,
most returned SKUs, inventory health, and scope isolation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from aftersales.dashboard import service as dashboard_service
from aftersales.dashboard.schemas import Dashboard
from aftersales.kit.scope import Scope
from aftersales.models import InventorySnapshot, Store
from aftersales.stores import service as store_service
from tests.orders.builders import CA, US, Line, add_order
from tests.returns.builders import add_return

AS_OF = date(2026, 5, 31)


def add_snapshot(
    session: Session,
    store: Store,
    *,
    source: str,
    day: str,
    sku: str,
    marketplace_id: str = US,
    condition: str = "New",
    **quantities: int,
) -> None:
    session.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=marketplace_id,
            natural_key=f"{source}|{marketplace_id}|{day}|{sku}|{condition}",
            source=source,
            snapshot_date=date.fromisoformat(day),
            sku=sku,
            condition=condition,
            **quantities,
        )
    )
    session.flush()


def build(session: Session, store: Store) -> None:
    def order(order_id: str, when: str, lines: list[Line], **options: str) -> None:
        add_order(session, store, order_id=order_id, when=when, lines=lines, **options)

    order("O1", "2026-05-31T10:00:00", [Line("SKU-A", 2), Line("SKU-B", 1)])
    order("O2", "2026-05-25T00:00:00", [Line("SKU-A", 1)])
    order("O3", "2026-05-24T23:59:59", [Line("SKU-A", 3, currency="CAD")], marketplace_id=CA)
    order("O4", "2026-05-01T12:00:00", [Line("SKU-B", 4)])
    order("O5", "2026-03-02T12:00:00", [Line("SKU-A", 10)])
    order(
        "O6",
        "2026-05-30T12:00:00",
        [Line("SKU-A", 0, item_status="Cancelled"), Line("SKU-B", 1, item_status="Unshipped")],
        status="Pending",
    )
    order("O7", "2026-06-01T00:00:00", [Line("SKU-A", 5)])
    order(
        "O8",
        "2026-05-28T08:00:00",
        [Line("SKU-C", 1), Line("SKU-D", 2, item_status="Unshipped")],
        status="Shipping",
    )

    def returned(
        when: str,
        sku: str,
        quantity: int,
        disposition: str | None,
        reason: str | None,
        market: str = US,
    ) -> None:
        add_return(
            session,
            store,
            when=when,
            sku=sku,
            quantity=quantity,
            disposition=disposition,
            reason=reason,
            marketplace_id=market,
        )

    returned("2026-05-30T09:00:00", "SKU-A", 1, "SELLABLE", "UNWANTED_ITEM")
    returned("2026-05-26T09:00:00", "SKU-A", 1, "DEFECTIVE", "DEFECTIVE")
    returned("2026-05-20T09:00:00", "SKU-A", 2, "CUSTOMER_DAMAGED", "DEFECTIVE", CA)
    returned("2026-05-10T09:00:00", "SKU-B", 1, "SELLABLE", "UNWANTED_ITEM")
    returned("2026-04-15T09:00:00", "SKU-B", 1, None, None)
    returned("2026-02-01T09:00:00", "SKU-A", 1, "SELLABLE", "UNWANTED_ITEM")
    returned("2026-05-29T09:00:00", "SKU-C", 1, "SELLABLE", "APPAREL_TOO_SMALL")
    returned("2026-05-05T09:00:00", "SKU-A", 1, "SELLABLE", "MISSING_PARTS")

    add_snapshot(
        session,
        store,
        source="myi",
        day="2026-05-30",
        sku="SKU-A",
        fulfillable=30,
        unfulfillable=2,
        reserved=1,
        inbound_working=5,
        inbound_shipped=0,
        inbound_receiving=0,
    )
    add_snapshot(session, store, source="myi", day="2026-05-20", sku="SKU-A", fulfillable=99)
    add_snapshot(
        session,
        store,
        source="afn",
        day="2026-05-30",
        sku="SKU-A",
        condition="SELLABLE",
        fulfillable=28,
    )
    add_snapshot(session, store, source="myi", day="2026-06-02", sku="SKU-A", fulfillable=500)
    add_snapshot(
        session,
        store,
        source="afn",
        day="2026-05-31",
        sku="SKU-B",
        condition="SELLABLE",
        fulfillable=3,
    )
    add_snapshot(
        session,
        store,
        source="afn",
        day="2026-05-31",
        sku="SKU-B",
        condition="UNSELLABLE",
        unfulfillable=1,
    )
    # SKU-C: a newer AFN report gives the available units, the MYI before it the reserved
    # and inbound ones (the AFN report has none).
    add_snapshot(
        session,
        store,
        source="myi",
        day="2026-05-29",
        sku="SKU-C",
        fulfillable=10,
        reserved=2,
        inbound_working=0,
        inbound_shipped=6,
        inbound_receiving=0,
    )
    add_snapshot(
        session, store, source="afn", day="2026-05-31", sku="SKU-C", condition="SELLABLE",
        fulfillable=4,
    )  # fmt: skip
    add_snapshot(
        session,
        store,
        source="myi",
        day="2026-05-30",
        sku="SKU-Z",
        marketplace_id=CA,
        fulfillable=7,
    )


@pytest.fixture
def dashboard(session: Session, store: Store) -> Dashboard:
    build(session, store)
    return dashboard_service.get_dashboard(session, scope=Scope((store.id,)), as_of=AS_OF)


def test_windows(dashboard: Dashboard) -> None:
    figures = [
        (w.days, w.start, w.end, w.orders, w.units_shipped, w.units_returned, w.unsellable_units)
        for w in dashboard.windows
    ]
    assert figures == [
        (7, date(2026, 5, 25), AS_OF, 3, 5, 3, 1),
        (30, date(2026, 5, 2), AS_OF, 4, 8, 7, 3),
        (90, date(2026, 3, 3), AS_OF, 5, 12, 8, 4),
    ]
    assert [w.return_rate for w in dashboard.windows] == pytest.approx([3 / 5, 7 / 8, 8 / 12])


def test_marketplace_breakdown(dashboard: Dashboard) -> None:
    by_code = {m.marketplace_code: m for m in dashboard.by_marketplace}
    assert list(by_code) == ["CA", "US"]
    canada = [
        (w.orders, w.units_shipped, w.units_returned, w.unsellable_units, w.return_rate)
        for w in by_code["CA"].windows
    ]
    assert canada == [
        (0, 0, 0, 0, None),
        (1, 3, 2, 2, pytest.approx(2 / 3)),
        (1, 3, 2, 2, pytest.approx(2 / 3)),
    ]
    us_30 = by_code["US"].windows[1]
    assert (us_30.orders, us_30.units_shipped, us_30.units_returned, us_30.unsellable_units) == (
        3,
        5,
        5,
        1,
    )


def test_trend(dashboard: Dashboard) -> None:
    assert len(dashboard.trend) == 90
    assert (dashboard.trend[0].day, dashboard.trend[-1].day) == (date(2026, 3, 3), AS_OF)
    by_day = {point.day: point for point in dashboard.trend}
    assert (
        by_day[AS_OF].units_shipped,
        by_day[AS_OF].units_returned,
        by_day[AS_OF].return_rate,
    ) == (3, 0, 0)
    assert (by_day[date(2026, 5, 24)].units_shipped, by_day[date(2026, 5, 25)].units_shipped) == (
        3,
        1,
    )
    assert (by_day[date(2026, 5, 30)].units_returned, by_day[date(2026, 5, 30)].return_rate) == (
        1,
        None,
    )
    assert sum(p.units_shipped for p in dashboard.trend) == 12
    assert sum(p.units_returned for p in dashboard.trend) == 8


def test_most_returned_skus(dashboard: Dashboard) -> None:
    assert dashboard.top_returned_skus_days == 30
    top = [(s.sku, s.units_returned, s.units_shipped) for s in dashboard.top_returned_skus]
    assert top == [("SKU-A", 5, 6), ("SKU-B", 1, 1), ("SKU-C", 1, 1)]
    first = dashboard.top_returned_skus[0]
    assert first.return_rate == pytest.approx(5 / 6)
    assert [(r.reason, r.label, r.units) for r in first.top_reasons] == [
        ("DEFECTIVE", "Defective or does not work", 3),
        ("MISSING_PARTS", "Missing parts or accessories", 1),
        ("UNWANTED_ITEM", "No longer wanted", 1),
    ]


def test_inventory_health(dashboard: Dashboard) -> None:
    rows = [
        (
            i.sku,
            i.marketplace_code,
            i.source,
            i.snapshot_date,
            i.fulfillable,
            i.unfulfillable,
            i.reserved,
            i.inbound,
            i.units_shipped_30_days,
        )
        for i in dashboard.inventory
    ]
    assert rows == [
        ("SKU-B", "US", "afn", AS_OF, 3, 1, None, None, 1),
        ("SKU-C", "US", "afn", AS_OF, 4, None, 2, 6, 1),  # reserved, inbound: the MYI's
        ("SKU-A", "US", "myi", date(2026, 5, 30), 30, 2, 1, 5, 3),
        ("SKU-Z", "CA", "myi", date(2026, 5, 30), 7, None, None, None, 0),
    ]
    assert [i.days_of_supply for i in dashboard.inventory] == [
        pytest.approx(90),
        pytest.approx(120),
        pytest.approx(300),
        None,
    ]
    assert dashboard.inventory_sku_count == 4


def test_other_stores_are_not_counted(session: Session, store: Store) -> None:
    build(session, store)
    rival = store_service.add_store(session, name="rival", region="NA")
    add_order(session, rival, order_id="R1", when="2026-05-31T09:00:00", lines=[Line("SKU-A", 7)])
    add_return(session, rival, when="2026-05-31T09:00:00", sku="SKU-A", quantity=4)
    add_snapshot(session, rival, source="myi", day="2026-05-31", sku="SKU-A", fulfillable=1)
    mine = dashboard_service.get_dashboard(session, scope=Scope((store.id,)), as_of=AS_OF)
    assert [(w.orders, w.units_shipped, w.units_returned) for w in mine.windows] == [
        (3, 5, 3),
        (4, 8, 7),
        (5, 12, 8),
    ]
    assert mine.top_returned_skus[0].units_returned == 5
    assert {i.store_name for i in mine.inventory} == {"acme-na"}
    both = dashboard_service.get_dashboard(session, scope=Scope((store.id, rival.id)), as_of=AS_OF)
    assert [(w.orders, w.units_shipped, w.units_returned) for w in both.windows] == [
        (4, 12, 7),
        (5, 15, 11),
        (6, 19, 12),
    ]
    assert both.inventory_sku_count == 5
    us_only = dashboard_service.get_dashboard(session, scope=Scope((store.id,), (US,)), as_of=AS_OF)
    assert [(w.units_shipped, w.units_returned) for w in us_only.windows] == [
        (5, 3),
        (5, 5),
        (9, 6),
    ]
    assert [m.marketplace_code for m in us_only.by_marketplace] == ["US"]


def test_empty_scope_has_no_rates(session: Session, store: Store) -> None:
    empty = dashboard_service.get_dashboard(session, scope=Scope((store.id,)), as_of=AS_OF)
    assert [(w.units_shipped, w.return_rate) for w in empty.windows] == [(0, None)] * 3
    assert (empty.top_returned_skus, empty.inventory, empty.by_marketplace) == ([], [], [])
    assert len(empty.trend) == 90
