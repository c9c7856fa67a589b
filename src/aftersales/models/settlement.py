"""Money movements Amazon reports: FBA reimbursements and refund lines from settlements."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import Money, UTCDateTime
from aftersales.models._facts import ImportedFact


class Reimbursement(ImportedFact, Base):
    """One reimbursement line; natural key: reimbursement-id + sku + fnsku + amazon-order-id."""

    __tablename__ = "reimbursements"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_reimbursements_store_order", "store_id", "amazon_order_id"),
        Index("ix_reimbursements_store_date", "store_id", "approval_date"),
    )

    approval_date: Mapped[datetime] = mapped_column(UTCDateTime())
    reimbursement_id: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[str | None] = mapped_column(String(40))
    amazon_order_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(60))
    sku: Mapped[str | None] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    asin: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str | None] = mapped_column(String(500))
    condition: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_per_unit: Mapped[Decimal | None] = mapped_column(Money())
    amount_total: Mapped[Decimal | None] = mapped_column(Money())
    quantity_reimbursed_cash: Mapped[int | None] = mapped_column(Integer)
    quantity_reimbursed_inventory: Mapped[int | None] = mapped_column(Integer)
    quantity_reimbursed_total: Mapped[int | None] = mapped_column(Integer)
    original_reimbursement_id: Mapped[str | None] = mapped_column(String(40))
    original_reimbursement_type: Mapped[str | None] = mapped_column(String(60))


class Refund(ImportedFact, Base):
    """One amount of a refund in a settlement (principal, tax, commission back, ...).

    Natural key: settlement-id + adjustment-id + order item + sku + amount type + description.
    """

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_refunds_store_order", "store_id", "amazon_order_id"),
        Index("ix_refunds_store_posted", "store_id", "posted_date"),
    )

    settlement_id: Mapped[str] = mapped_column(String(40))
    amazon_order_id: Mapped[str | None] = mapped_column(String(40))
    merchant_order_id: Mapped[str | None] = mapped_column(String(80))
    adjustment_id: Mapped[str | None] = mapped_column(String(40))
    shipment_id: Mapped[str | None] = mapped_column(String(40))
    marketplace_name: Mapped[str | None] = mapped_column(String(40))
    fulfillment_id: Mapped[str | None] = mapped_column(String(10))
    posted_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_item_code: Mapped[str | None] = mapped_column(String(40))
    merchant_order_item_id: Mapped[str | None] = mapped_column(String(80))
    merchant_adjustment_item_id: Mapped[str | None] = mapped_column(String(80))
    sku: Mapped[str | None] = mapped_column(String(80))
    quantity: Mapped[int | None] = mapped_column(Integer)
    amount_type: Mapped[str | None] = mapped_column(String(60))
    amount_description: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str | None] = mapped_column(String(3))
    promotion_id: Mapped[str | None] = mapped_column(String(120))
