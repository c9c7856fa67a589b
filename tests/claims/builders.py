"""Builders for settlement refund lines, reimbursement rows and returned units with only what
a test needs."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    OrderItem,
    Product,
    ProductPrice,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
    Store,
)
from tests.returns.builders import add_return

US = "ATVPDKIKX0DER"
_sequence = itertools.count(1)


def add_refund(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    principal: str = "25.00",
    commission: str = "3.75",
    quantity: int = 1,
    fulfillment_id: str = "AFN",
) -> None:
    number = next(_sequence)
    posted = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    for amount_type, description, amount in (
        ("ItemPrice", "Principal", -Decimal(principal)),
        ("ItemFees", "Commission", Decimal(commission)),
    ):
        session.add(
            Refund(
                store_id=store.id,
                marketplace_id=US,
                natural_key=f"S{number}|ADJ{number}|{order_id}|{sku}|{description}",
                settlement_id=f"S{number}",
                amazon_order_id=order_id,
                adjustment_id=f"ADJ{number}",
                fulfillment_id=fulfillment_id,
                posted_date=posted,
                sku=sku,
                quantity=quantity,
                amount_type=amount_type,
                amount_description=description,
                amount=amount,
                currency="USD",
            )
        )
    session.flush()


def add_reimbursement(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    reason: str = "CustomerReturn",
    quantity: int = 1,
    amount: str = "21.25",
    original_type: str | None = None,
    original_id: str | None = None,
) -> str:
    number = next(_sequence)
    session.add(
        Reimbursement(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"R{number}|{sku}|{order_id}",
            approval_date=datetime(on.year, on.month, on.day, 9, tzinfo=UTC),
            reimbursement_id=f"R{number:010d}",
            amazon_order_id=order_id,
            reason=reason,
            sku=sku,
            currency="USD",
            amount_total=Decimal(amount),
            quantity_reimbursed_cash=quantity,
            quantity_reimbursed_inventory=0,
            quantity_reimbursed_total=quantity,
            original_reimbursement_type=original_type,
            original_reimbursement_id=original_id,
        )
    )
    session.flush()
    return f"R{number:010d}"


def add_returned_unit(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    disposition: str | None = "DAMAGED",
    reason: str | None = "DAMAGED_BY_FC",
    lpn: str | None = None,
) -> FbaReturn:
    """One returned unit as the FBA customer returns report shows it."""
    return add_return(
        session,
        store,
        when=datetime(on.year, on.month, on.day, 15, tzinfo=UTC),
        order_id=order_id,
        sku=sku,
        disposition=disposition,
        reason=reason,
        lpn=lpn,
    )


def add_removal(
    session: Session,
    store: Store,
    *,
    order_id: str,
    sku: str = "SKU-1",
    requested: int,
    shipped: int = 0,
    cancelled: int = 0,
    disposed: int = 0,
    in_process: int = 0,
    status: str = "Completed",
    order_type: str = "Return",
    requested_on: date,
    updated_on: date | None = None,
) -> RemovalOrder:
    """One removal order detail row."""
    updated = updated_on or requested_on
    row = RemovalOrder(
        store_id=store.id,
        marketplace_id=US,
        natural_key=f"{order_id}|{sku}|Unsellable",
        request_date=datetime(requested_on.year, requested_on.month, requested_on.day, tzinfo=UTC),
        order_id=order_id,
        order_type=order_type,
        order_status=status,
        last_updated_date=datetime(updated.year, updated.month, updated.day, tzinfo=UTC),
        sku=sku,
        disposition="Unsellable",
        requested_quantity=requested,
        cancelled_quantity=cancelled,
        disposed_quantity=disposed,
        shipped_quantity=shipped,
        in_process_quantity=in_process,
        currency="USD",
    )
    session.add(row)
    session.flush()
    return row


def add_parcel(
    session: Session,
    store: Store,
    *,
    order_id: str,
    sku: str = "SKU-1",
    quantity: int,
    on: date,
    tracking: str = "1Z0000000000000001",
) -> None:
    session.add(
        RemovalShipment(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"{order_id}|{sku}|{tracking}|{on.isoformat()}",
            order_id=order_id,
            shipment_date=datetime(on.year, on.month, on.day, tzinfo=UTC),
            sku=sku,
            disposition="Unsellable",
            shipped_quantity=quantity,
            carrier="UPS",
            tracking_number=tracking,
            removal_order_type="Return",
        )
    )
    session.flush()


def add_cost(session: Session, store: Store, *, sku: str = "SKU-1", cost: str, price: str) -> None:
    product = Product(store_id=store.id, sku=sku, unit_cost=Decimal(cost), cost_currency="USD")
    session.add(product)
    session.flush()
    session.add(
        ProductPrice(product_id=product.id, marketplace_id=US, price=Decimal(price), currency="USD")
    )
    session.flush()


def add_snapshot(
    session: Session,
    store: Store,
    *,
    on: date,
    sku: str = "SKU-1",
    fulfillable: int | None,
    shipped: int | None = 0,
    receiving: int | None = 0,
    source: str = "myi",
) -> None:
    session.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"{source}|{US}|{on.isoformat()}|{sku}",
            source=source,
            snapshot_date=on,
            sku=sku,
            fulfillable=fulfillable,
            unfulfillable=0,
            reserved=0,
            inbound_working=0,
            inbound_shipped=shipped,
            inbound_receiving=receiving,
        )
    )
    session.flush()


def add_sale(
    session: Session, store: Store, *, on: date, sku: str = "SKU-1", quantity: int = 1
) -> None:
    number = next(_sequence)
    order_id = f"111-{number:07d}-0000000"
    session.add(
        OrderItem(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"{order_id}|{sku}",
            amazon_order_id=order_id,
            sku=sku,
            purchase_date=datetime(on.year, on.month, on.day, 10, tzinfo=UTC),
            order_status="Shipped",
            fulfillment_channel="Amazon",
            quantity=quantity,
        )
    )
    session.flush()
