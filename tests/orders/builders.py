"""Builders for orders and their item lines with only the fields a test cares about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.models import Order, OrderItem, Store

US = "ATVPDKIKX0DER"
CA = "A2EUQ1WTGCTBG2"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int = 1
    price: str | None = "10.00"
    currency: str | None = "USD"
    item_status: str | None = "Shipped"
    asin: str | None = None


def add_order(
    session: Session,
    store: Store,
    *,
    order_id: str,
    when: datetime | str,
    lines: list[Line],
    status: str = "Shipped",
    channel: str = "Amazon",
    marketplace_id: str | None = US,
) -> Order:
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC) if isinstance(when, str) else when
    order = Order(
        store_id=store.id,
        marketplace_id=marketplace_id,
        natural_key=order_id,
        amazon_order_id=order_id,
        purchase_date=moment,
        order_status=status,
        fulfillment_channel=channel,
        sales_channel="Amazon.com",
    )
    session.add(order)
    for line in lines:
        session.add(
            OrderItem(
                store_id=store.id,
                marketplace_id=marketplace_id,
                natural_key=f"{order_id}|{line.sku}",
                amazon_order_id=order_id,
                sku=line.sku,
                asin=line.asin,
                product_name=f"Product {line.sku}",
                purchase_date=moment,
                order_status=status,
                fulfillment_channel=channel,
                item_status=line.item_status,
                quantity=line.quantity,
                currency=line.currency,
                item_price=Decimal(line.price) if line.price is not None else None,
            )
        )
    session.flush()
    return order
