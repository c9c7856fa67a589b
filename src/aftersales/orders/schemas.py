"""What the orders list takes and gives: filters, one row, an order with its items, a page."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_validator


class OrderFilters(BaseModel):
    """Dates are calendar days in UTC on the purchase date, both ends included; ``q`` is a
    prefix of the order id or of a SKU or ASIN of one of its items."""

    model_config = ConfigDict(frozen=True)

    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    order_status: str | None = None
    fulfillment_channel: str | None = None

    @field_validator("q", "order_status", "fulfillment_channel")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None


class OrderRow(BaseModel):
    id: int
    amazon_order_id: str
    merchant_order_id: str | None
    purchase_date: datetime | None
    order_status: str | None
    fulfillment_channel: str | None
    sales_channel: str | None
    store_id: int
    store_name: str
    marketplace_id: str | None
    marketplace_code: str | None
    # Sum over the order's item lines (cancelled lines count 0 in the report).
    units: int
    # Sum of the item prices (gross, tax excluded); None when no line has a price yet
    # (pending orders) or when the lines disagree on the currency.
    item_total: Decimal | None
    currency: str | None


class OrderItemRow(BaseModel):
    id: int
    sku: str
    asin: str | None
    product_name: str | None
    item_status: str | None
    quantity: int
    currency: str | None
    item_price: Decimal | None
    item_tax: Decimal | None
    shipping_price: Decimal | None
    shipping_tax: Decimal | None
    gift_wrap_price: Decimal | None
    gift_wrap_tax: Decimal | None
    item_promotion_discount: Decimal | None
    ship_promotion_discount: Decimal | None
    promotion_ids: str | None


class OrderDetail(OrderRow):
    last_updated_date: datetime | None
    ship_service_level: str | None
    ship_city: str | None
    ship_state: str | None
    ship_postal_code: str | None
    ship_country: str | None
    is_business_order: bool | None
    items: list[OrderItemRow]


class OrderPage(BaseModel):
    items: list[OrderRow]
    # Counting stops at a cap on very large results: then ``total`` is the cap and
    # ``total_exact`` is False (show "10,000+").
    total: int
    total_exact: bool
    page: int
    page_size: int


class FilterOption(BaseModel):
    value: str
    label: str


class OrderFilterOptions(BaseModel):
    order_statuses: list[FilterOption]
    fulfillment_channels: list[FilterOption]
