"""The lifecycle board's lists and unit timelines on crafted report rows, per store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.kit.scope import Scope
from aftersales.returns_analytics import lifecycle as lifecycle_service
from aftersales.returns_analytics.lifecycle_calc import Stage
from aftersales.returns_analytics.lifecycle_schemas import LifecycleList
from tests.claims.builders import add_refund, add_reimbursement
from tests.orders.builders import Line, add_order
from tests.returns.builders import add_return
from tests.returns_lifecycle.builders import (
    add_removal,
    add_removal_shipment,
    add_snapshot,
)
from tests.web.conftest import Seller

PERIOD = lifecycle_service.period_of(
    date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), as_of=date(2026, 4, 10)
)


def _scope(seller: Seller) -> Scope:
    return Scope(store_ids=(seller.store.id,))


def test_unit_timeline_has_every_step_with_its_date(db: Session, seller_a: Seller) -> None:
    store = seller_a.store
    add_order(
        db, store, order_id="111-0000001-0000001", when="2026-01-20T08:00:00", lines=[Line("MUG")]
    )
    add_refund(
        db, store, on=date(2026, 2, 1), order_id="111-0000001-0000001", sku="MUG", principal="19.99"
    )
    add_return(
        db,
        store,
        when="2026-02-10T10:00:00",
        sku="MUG",
        order_id="111-0000001-0000001",
        disposition="CUSTOMER_DAMAGED",
        lpn="LPNMUG1",
    )
    removal = add_removal(
        db, store, when="2026-02-20T09:00:00", sku="MUG", shipped=1, status="Completed"
    )
    add_removal_shipment(db, removal, when="2026-02-25T09:00:00")
    unit = lifecycle_service.unit_timeline(
        db, scope=_scope(seller_a), amazon_order_id="111-0000001-0000001", sku="MUG"
    )
    assert unit.stage is Stage.REMOVED
    assert [(s.stage, s.at.date()) for s in unit.steps] == [
        (Stage.SHIPPED, date(2026, 1, 20)),
        (Stage.REFUNDED, date(2026, 2, 1)),
        (Stage.RECEIVED, date(2026, 2, 10)),
        (Stage.REMOVAL_ORDERED, date(2026, 2, 20)),
        (Stage.REMOVED, date(2026, 2, 25)),
    ]
    assert unit.refund_amount == Decimal("19.99")
    assert unit.license_plate_numbers == ["LPNMUG1"]
    assert unit.removal_order_id == removal.order_id


def test_reimbursed_and_restocked_units(db: Session, seller_a: Seller) -> None:
    store = seller_a.store
    add_refund(db, store, on=date(2026, 2, 1), order_id="111-0000002-0000001", sku="CUP")
    add_reimbursement(
        db, store, on=date(2026, 3, 15), order_id="111-0000002-0000001", sku="CUP", amount="18.00"
    )
    add_refund(db, store, on=date(2026, 2, 2), order_id="111-0000002-0000002", sku="CUP")
    add_return(
        db,
        store,
        when="2026-02-12T10:00:00",
        sku="CUP",
        order_id="111-0000002-0000002",
        disposition="SELLABLE",
    )
    board = lifecycle_service.board(db, scope=_scope(seller_a), period=PERIOD)
    counts = {count.stage: count.units for count in board.stages}
    assert counts[Stage.REIMBURSED] == 1
    assert counts[Stage.RESTOCKED] == 1
    reimbursed = lifecycle_service.unit_timeline(
        db, scope=_scope(seller_a), amazon_order_id="111-0000002-0000001", sku="CUP"
    )
    assert reimbursed.reimbursed_amount == Decimal("18.00")


def test_refunded_but_not_received_with_days_since_refund(db: Session, seller_a: Seller) -> None:
    store = seller_a.store
    add_refund(db, store, on=date(2026, 3, 1), order_id="111-0000003-0000001", sku="PAN")
    add_refund(db, store, on=date(2026, 3, 2), order_id="111-0000003-0000002", sku="PAN")
    add_return(db, store, when="2026-03-20T10:00:00", sku="PAN", order_id="111-0000003-0000002")
    # Seller-fulfilled refunds never reach an FC; refunds outside the period are not listed.
    add_refund(
        db,
        store,
        on=date(2026, 3, 3),
        order_id="111-0000003-0000003",
        sku="PAN",
        fulfillment_id="MFN",
    )
    add_refund(db, store, on=date(2025, 12, 1), order_id="111-0000003-0000004", sku="PAN")
    board = lifecycle_service.board(
        db, scope=_scope(seller_a), period=PERIOD, lists=[LifecycleList.REFUNDED_NOT_RECEIVED]
    )
    assert board.refunded_not_received is not None
    assert [(i.unit.amazon_order_id, i.days_since_refund) for i in board.refunded_not_received] == [
        ("111-0000003-0000001", 40)
    ]
    assert board.unsellable_in_stock is None
    assert board.totals[LifecycleList.REFUNDED_NOT_RECEIVED] == 1


def test_unsellable_in_stock_until_a_later_removal_covers_it(db: Session, seller_a: Seller) -> None:
    store = seller_a.store
    add_return(
        db,
        store,
        when="2026-02-01T10:00:00",
        sku="LAMP",
        disposition="DEFECTIVE",
        order_id="111-0000004-0000001",
    )
    add_return(
        db,
        store,
        when="2026-02-05T10:00:00",
        sku="LAMP",
        disposition="DEFECTIVE",
        order_id="111-0000004-0000002",
    )
    add_return(
        db,
        store,
        when="2026-02-06T10:00:00",
        sku="LAMP",
        disposition="SELLABLE",
        order_id="111-0000004-0000003",
    )
    # One removal of one unit after both: first in, first out takes the older one.
    add_removal(db, store, when="2026-02-10T10:00:00", sku="LAMP", requested=1)
    # A removal before the return cannot take it.
    add_return(
        db,
        store,
        when="2026-03-01T10:00:00",
        sku="DESK",
        disposition="CARRIER_DAMAGED",
        order_id="111-0000004-0000004",
    )
    add_removal(db, store, when="2026-02-15T10:00:00", sku="DESK", requested=5)
    add_snapshot(db, store, on=date(2026, 1, 1), sku="LAMP", unfulfillable=0)
    add_snapshot(db, store, on=date(2026, 4, 1), sku="LAMP", unfulfillable=2)
    add_snapshot(db, store, on=date(2026, 4, 1), sku="DESK", unfulfillable=1)
    # Stock says nothing unfulfillable any more: not listed.
    add_return(db, store, when="2026-03-02T10:00:00", sku="SOFA", disposition="DEFECTIVE")
    add_snapshot(db, store, on=date(2026, 4, 1), sku="SOFA", unfulfillable=0)
    items = lifecycle_service.unsellable_in_stock(db, scope=_scope(seller_a), period=PERIOD)
    assert [(i.amazon_order_id, i.unfulfillable_units) for i in items] == [
        ("111-0000004-0000002", 2),
        ("111-0000004-0000004", 1),
    ]
    assert items[0].days_since_received == 64


def test_removal_ordered_but_not_shipped(db: Session, seller_a: Seller) -> None:
    store = seller_a.store
    add_removal(
        db, store, when="2026-03-01T10:00:00", sku="A", requested=3, shipped=1, order_id="R-OPEN"
    )
    add_removal(
        db, store, when="2026-03-02T10:00:00", sku="B", requested=2, shipped=2, order_id="R-DONE"
    )
    add_removal(
        db,
        store,
        when="2026-03-03T10:00:00",
        sku="C",
        requested=2,
        cancelled=2,
        order_id="R-CANCELLED",
        status="Cancelled",
    )
    add_removal(
        db,
        store,
        when="2026-03-04T10:00:00",
        sku="D",
        requested=2,
        order_type="Disposal",
        order_id="R-DISPOSAL",
    )
    items = lifecycle_service.removal_not_shipped(db, scope=_scope(seller_a), period=PERIOD)
    assert [(i.removal_order_id, i.age_days) for i in items] == [("R-OPEN", 40)]


def test_another_stores_rows_never_appear(db: Session, seller_a: Seller, seller_b: Seller) -> None:
    for seller in (seller_a, seller_b):
        store = seller.store
        add_refund(db, store, on=date(2026, 3, 1), order_id=f"111-{store.id:07d}-0000001")
        add_return(
            db,
            store,
            when="2026-02-01T10:00:00",
            disposition="DEFECTIVE",
            order_id=f"111-{store.id:07d}-0000002",
        )
        add_snapshot(db, store, on=date(2026, 4, 1))
        add_removal(db, store, when="2026-03-01T10:00:00", order_id=f"R-{store.id}")
    board = lifecycle_service.board(db, scope=_scope(seller_a), period=PERIOD)
    assert board.totals == {
        LifecycleList.REFUNDED_NOT_RECEIVED: 1,
        LifecycleList.UNSELLABLE_IN_STOCK: 0,  # store A's removal took store A's unit
        LifecycleList.REMOVAL_NOT_SHIPPED: 1,
    }
    assert {i.unit.store_id for i in board.refunded_not_received or []} == {seller_a.store.id}
    assert {i.store_id for i in board.removal_not_shipped or []} == {seller_a.store.id}
    assert sum(count.units for count in board.stages) == 2
