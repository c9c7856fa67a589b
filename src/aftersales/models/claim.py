"""Reimbursement claims Amazon owes a store, and the append-only log of their status changes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import JSONType, Money, UTCDateTime
from aftersales.models._facts import BigId


class ClaimStatus(StrEnum):
    CANDIDATE = "candidate"  # detected, may be filed once opens_on has come
    FILED = "filed"  # a case was opened with Seller Support
    REIMBURSED = "reimbursed"  # a matching reimbursement is in the report
    REJECTED = "rejected"  # Amazon refused, or the user decided not to claim
    EXPIRED = "expired"  # the filing window closed before it was filed


class ClaimType(StrEnum):
    # Customer refunded, unit not back at a fulfilment centre after the waiting period.
    REFUND_NOT_RETURNED = "refund_not_returned"
    # A returned unit the warehouse or the carrier damaged, not reimbursed (one claim per
    # order and SKU; the return rows with their LPNs are in the evidence).
    RETURNED_DAMAGED_NOT_REIMBURSED = "returned_damaged_not_reimbursed"
    # A different item came back (return reason SWITCHEROO), not reimbursed.
    SWITCHEROO = "switcheroo"
    # A reimbursement Amazon later reversed without paying it again (one claim per reversal;
    # ``reference`` holds the original reimbursement id).
    REIMBURSEMENT_REVERSED = "reimbursement_reversed"
    # Removal order units shipped (or counted) but never delivered (order = removal order id).
    REMOVAL_LOST = "removal_lost"
    # Removal shipment received damaged or incomplete, as the seller recorded it.
    REMOVAL_DAMAGED = "removal_damaged"
    # Units that left the inbound pipeline without arriving in the FC stock (heuristic over
    # inventory snapshots; ``reference`` holds the day receiving closed).
    INBOUND_MISSING = "inbound_missing"


class Claim(Base):
    """One claim; natural key: store + claim type + order + SKU + reference (re-detection
    updates it). ``amazon_order_id`` is the customer order, or the removal order for removal
    claims, or empty when no order is concerned (inbound, warehouse reversals);
    ``reference`` tells apart several claims of one order and SKU (empty for most types).

    ``refunded_on`` is the day the claim's period counts from: the refund for
    "refund_not_returned" and "switcheroo" (the return when no refund is known), the return
    for "returned_damaged_not_reimbursed"."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("store_id", "claim_type", "amazon_order_id", "sku", "reference"),
        Index("ix_claims_store_status_closes", "store_id", "status", "closes_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    marketplace_id: Mapped[str | None] = mapped_column(ForeignKey("marketplaces.id"))
    claim_type: Mapped[str] = mapped_column(String(40))
    amazon_order_id: Mapped[str] = mapped_column(String(60))
    sku: Mapped[str] = mapped_column(String(80))
    reference: Mapped[str] = mapped_column(String(80), default="", server_default="")
    units: Mapped[int] = mapped_column(Integer)
    estimated_value: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str | None] = mapped_column(String(3))
    refunded_on: Mapped[date] = mapped_column(Date)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    # The facts the detection saw: refund lines, order, returns, reimbursements, dates.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType)
    rule_id: Mapped[str] = mapped_column(String(80))
    rule_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ClaimEvent(Base):
    """One status change of a claim; rows are only ever added."""

    __tablename__ = "claim_events"
    __table_args__ = (Index("ix_claim_events_claim_at", "claim_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(20))  # None: the claim was created
    to_status: Mapped[str] = mapped_column(String(20))
    # None: the change was made by detection or reconciliation, not by a person.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
