"""Customer returns: FBA returned units (one row per licence plate) and seller-fulfilled returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import Money, UTCDateTime
from aftersales.models._facts import ImportedFact


class FbaReturn(ImportedFact, Base):
    """A unit returned to an Amazon fulfilment centre.

    Natural key: license-plate-number + order-id + sku (return-date replaces the licence
    plate when the report leaves it empty).
    """

    __tablename__ = "fba_returns"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_fba_returns_store_sku", "store_id", "sku"),
        Index("ix_fba_returns_store_order", "store_id", "amazon_order_id"),
        # The returns list filtered by reason / disposition (and marketplace, dates), and
        # the distinct reasons / dispositions of its dropdowns (index seeks, see
        # returns/repository.py distinct_values).
        Index(
            "ix_fba_returns_store_reason",
            "store_id",
            "reason",
            "marketplace_id",
            "return_date",
        ),
        Index(
            "ix_fba_returns_store_disposition",
            "store_id",
            "detailed_disposition",
            "marketplace_id",
            "return_date",
        ),
        # The returns list's search on the other identifiers (migration 0002).
        Index("ix_fba_returns_store_asin", "store_id", "asin"),
        Index("ix_fba_returns_store_fnsku", "store_id", "fnsku"),
        Index("ix_fba_returns_store_lpn", "store_id", "license_plate_number"),
        # Dashboard, covering: daily units per marketplace; most returned SKUs of a month.
        Index(
            "ix_fba_returns_store_market_date",
            "store_id",
            "marketplace_id",
            "return_date",
            "quantity",
            "detailed_disposition",
        ),
        # Also serves every (store, date range) scan: a plain (store_id, return_date) index
        # would only repeat its prefix (dropped in migration 0015).
        Index(
            "ix_fba_returns_store_date_sku",
            "store_id",
            "return_date",
            "sku",
            "quantity",
            "reason",
        ),
    )

    return_date: Mapped[datetime] = mapped_column(UTCDateTime())
    amazon_order_id: Mapped[str] = mapped_column(String(40))
    sku: Mapped[str] = mapped_column(String(80))
    asin: Mapped[str | None] = mapped_column(String(20))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str | None] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    fulfillment_center_id: Mapped[str | None] = mapped_column(String(10))
    detailed_disposition: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str | None] = mapped_column(String(80))
    license_plate_number: Mapped[str | None] = mapped_column(String(40))
    customer_comments: Mapped[str | None] = mapped_column(Text)


class SellerReturn(ImportedFact, Base):
    """A seller-fulfilled (FBM) return request; natural key: order + Amazon RMA id + SKU."""

    __tablename__ = "seller_returns"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_seller_returns_store_order", "store_id", "amazon_order_id"),
    )

    amazon_order_id: Mapped[str] = mapped_column(String(40))
    order_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_request_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_request_status: Mapped[str | None] = mapped_column(String(40))
    amazon_rma_id: Mapped[str | None] = mapped_column(String(40))
    merchant_rma_id: Mapped[str | None] = mapped_column(String(40))
    label_type: Mapped[str | None] = mapped_column(String(60))
    label_cost: Mapped[Decimal | None] = mapped_column(Money())
    currency: Mapped[str | None] = mapped_column(String(3))
    return_carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_id: Mapped[str | None] = mapped_column(String(80))
    label_to_be_paid_by: Mapped[str | None] = mapped_column(String(40))
    a_to_z_claim: Mapped[bool | None] = mapped_column(Boolean)
    is_prime: Mapped[bool | None] = mapped_column(Boolean)
    asin: Mapped[str | None] = mapped_column(String(20))
    sku: Mapped[str] = mapped_column(String(80))
    item_name: Mapped[str | None] = mapped_column(String(500))
    return_quantity: Mapped[int] = mapped_column(Integer)
    return_reason: Mapped[str | None] = mapped_column(String(80))
    in_policy: Mapped[bool | None] = mapped_column(Boolean)
    return_type: Mapped[str | None] = mapped_column(String(40))
    resolution: Mapped[str | None] = mapped_column(String(60))
    invoice_number: Mapped[str | None] = mapped_column(String(60))
    return_delivery_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_amount: Mapped[Decimal | None] = mapped_column(Money())
    order_quantity: Mapped[int | None] = mapped_column(Integer)
    safet_action_reason: Mapped[str | None] = mapped_column(String(120))
    safet_claim_id: Mapped[str | None] = mapped_column(String(40))
    safet_claim_state: Mapped[str | None] = mapped_column(String(40))
    safet_claim_creation_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    safet_claim_reimbursement_amount: Mapped[Decimal | None] = mapped_column(Money())
    refunded_amount: Mapped[Decimal | None] = mapped_column(Money())
