"""Orders, order items (All Orders report) and FBA shipment items (Amazon Fulfilled Shipments)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import Money, UTCDateTime
from aftersales.models._facts import ImportedFact


class Order(ImportedFact, Base):
    """One Amazon order; natural key: amazon-order-id."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_orders_store_purchase", "store_id", "purchase_date"),
        # Orders list: search by order id, filters in date order (migration 0002).
        Index("ix_orders_store_order", "store_id", "amazon_order_id"),
        Index("ix_orders_store_status_purchase", "store_id", "order_status", "purchase_date"),
        Index(
            "ix_orders_store_channel_purchase", "store_id", "fulfillment_channel", "purchase_date"
        ),
        # Dashboard, covering: shipped orders per marketplace and day.
        Index(
            "ix_orders_store_market_purchase",
            "store_id",
            "marketplace_id",
            "purchase_date",
            "order_status",
        ),
    )

    amazon_order_id: Mapped[str] = mapped_column(String(40))
    merchant_order_id: Mapped[str | None] = mapped_column(String(80))
    purchase_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_updated_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_status: Mapped[str | None] = mapped_column(String(40))
    fulfillment_channel: Mapped[str | None] = mapped_column(String(20))
    sales_channel: Mapped[str | None] = mapped_column(String(40))
    order_channel: Mapped[str | None] = mapped_column(String(40))
    ship_service_level: Mapped[str | None] = mapped_column(String(40))
    ship_city: Mapped[str | None] = mapped_column(String(120))
    ship_state: Mapped[str | None] = mapped_column(String(120))
    ship_postal_code: Mapped[str | None] = mapped_column(String(40))
    ship_country: Mapped[str | None] = mapped_column(String(2))
    is_business_order: Mapped[bool | None] = mapped_column(Boolean)
    purchase_order_number: Mapped[str | None] = mapped_column(String(80))


class OrderItem(ImportedFact, Base):
    """One SKU line of an order; natural key: amazon-order-id + sku."""

    __tablename__ = "order_items"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_order_items_store_order", "store_id", "amazon_order_id"),
        Index("ix_order_items_store_sku_date", "store_id", "sku", "purchase_date"),
        # Orders list: search by ASIN (migration 0002).
        Index("ix_order_items_store_asin", "store_id", "asin"),
        # Dashboard, covering: shipped units per marketplace and day, and per listing.
        Index(
            "ix_order_items_store_status_market_date",
            "store_id",
            "item_status",
            "marketplace_id",
            "purchase_date",
            "quantity",
        ),
        Index(
            "ix_order_items_store_status_market_sku",
            "store_id",
            "item_status",
            "marketplace_id",
            "sku",
            "purchase_date",
            "quantity",
        ),
    )

    amazon_order_id: Mapped[str] = mapped_column(String(40))
    sku: Mapped[str] = mapped_column(String(80))
    asin: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str | None] = mapped_column(String(500))
    purchase_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_status: Mapped[str | None] = mapped_column(String(40))
    fulfillment_channel: Mapped[str | None] = mapped_column(String(20))
    item_status: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    item_price: Mapped[Decimal | None] = mapped_column(Money())
    item_tax: Mapped[Decimal | None] = mapped_column(Money())
    shipping_price: Mapped[Decimal | None] = mapped_column(Money())
    shipping_tax: Mapped[Decimal | None] = mapped_column(Money())
    gift_wrap_price: Mapped[Decimal | None] = mapped_column(Money())
    gift_wrap_tax: Mapped[Decimal | None] = mapped_column(Money())
    item_promotion_discount: Mapped[Decimal | None] = mapped_column(Money())
    ship_promotion_discount: Mapped[Decimal | None] = mapped_column(Money())
    promotion_ids: Mapped[str | None] = mapped_column(String(1000))


class ShipmentItem(ImportedFact, Base):
    """One shipped item of an FBA order; natural key: shipment-id + shipment-item-id.

    Buyer PII columns of the report (names, street addresses, phones, e-mails) are not
    stored here; the privacy module will keep them encrypted when it exists.
    """

    __tablename__ = "shipment_items"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_shipment_items_store_order", "store_id", "amazon_order_id"),
    )

    amazon_order_id: Mapped[str] = mapped_column(String(40))
    merchant_order_id: Mapped[str | None] = mapped_column(String(80))
    shipment_id: Mapped[str] = mapped_column(String(40))
    shipment_item_id: Mapped[str] = mapped_column(String(40))
    amazon_order_item_id: Mapped[str | None] = mapped_column(String(40))
    merchant_order_item_id: Mapped[str | None] = mapped_column(String(80))
    purchase_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payments_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipment_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reporting_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sku: Mapped[str] = mapped_column(String(80))
    product_name: Mapped[str | None] = mapped_column(String(500))
    quantity_shipped: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    item_price: Mapped[Decimal | None] = mapped_column(Money())
    item_tax: Mapped[Decimal | None] = mapped_column(Money())
    shipping_price: Mapped[Decimal | None] = mapped_column(Money())
    shipping_tax: Mapped[Decimal | None] = mapped_column(Money())
    gift_wrap_price: Mapped[Decimal | None] = mapped_column(Money())
    gift_wrap_tax: Mapped[Decimal | None] = mapped_column(Money())
    item_promotion_discount: Mapped[Decimal | None] = mapped_column(Money())
    ship_promotion_discount: Mapped[Decimal | None] = mapped_column(Money())
    ship_service_level: Mapped[str | None] = mapped_column(String(40))
    ship_city: Mapped[str | None] = mapped_column(String(120))
    ship_state: Mapped[str | None] = mapped_column(String(120))
    ship_postal_code: Mapped[str | None] = mapped_column(String(40))
    ship_country: Mapped[str | None] = mapped_column(String(2))
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    estimated_arrival_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fulfillment_center_id: Mapped[str | None] = mapped_column(String(10))
    fulfillment_channel: Mapped[str | None] = mapped_column(String(20))
    sales_channel: Mapped[str | None] = mapped_column(String(40))
