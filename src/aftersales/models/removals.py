"""Removal orders (return / disposal / liquidation of FBA stock) and their shipments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import Money, UTCDateTime
from aftersales.models._facts import ImportedFact


class RemovalOrder(ImportedFact, Base):
    """A removal order line; natural key: order-id + sku + fnsku + disposition."""

    __tablename__ = "removal_orders"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_removal_orders_store_order", "store_id", "order_id"),
    )

    request_date: Mapped[datetime] = mapped_column(UTCDateTime())
    order_id: Mapped[str] = mapped_column(String(60))
    order_type: Mapped[str | None] = mapped_column(String(30))
    service_speed: Mapped[str | None] = mapped_column(String(30))
    order_status: Mapped[str | None] = mapped_column(String(30))
    last_updated_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sku: Mapped[str] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    disposition: Mapped[str | None] = mapped_column(String(30))
    requested_quantity: Mapped[int | None] = mapped_column(Integer)
    cancelled_quantity: Mapped[int | None] = mapped_column(Integer)
    disposed_quantity: Mapped[int | None] = mapped_column(Integer)
    shipped_quantity: Mapped[int | None] = mapped_column(Integer)
    in_process_quantity: Mapped[int | None] = mapped_column(Integer)
    removal_fee: Mapped[Decimal | None] = mapped_column(Money())
    currency: Mapped[str | None] = mapped_column(String(3))


class RemovalShipment(ImportedFact, Base):
    """A shipped package of a removal order.

    Natural key: order-id + sku + fnsku + disposition + carrier + tracking-number + shipment-date.
    """

    __tablename__ = "removal_shipments"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_removal_shipments_store_order", "store_id", "order_id"),
    )

    request_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_id: Mapped[str] = mapped_column(String(60))
    shipment_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sku: Mapped[str] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    disposition: Mapped[str | None] = mapped_column(String(30))
    shipped_quantity: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    removal_order_type: Mapped[str | None] = mapped_column(String(30))
