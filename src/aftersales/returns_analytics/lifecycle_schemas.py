"""What the per-unit lifecycle gives: one unit's timeline, the board's stage counts and its
three work lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from aftersales.returns_analytics.lifecycle_calc import Stage


class LifecycleList(StrEnum):
    REFUNDED_NOT_RECEIVED = "refunded_not_received"
    UNSELLABLE_IN_STOCK = "unsellable_in_stock"
    REMOVAL_NOT_SHIPPED = "removal_not_shipped"


class LifecycleStep(BaseModel):
    stage: Stage
    label: str
    at: datetime


class UnitTimeline(BaseModel):
    """One (store, order, SKU) with a refund or a return, and the dates of its steps."""

    store_id: int
    marketplace_id: str | None
    amazon_order_id: str
    sku: str
    shipped_at: datetime | None
    refunded_at: datetime | None
    # Principal (item price) refunded to the buyer, positive.
    refund_amount: Decimal | None
    refund_currency: str | None
    received_at: datetime | None
    disposition: str | None
    disposition_label: str | None
    license_plate_numbers: list[str]
    reimbursed_at: datetime | None
    reimbursed_amount: Decimal | None
    reimbursed_currency: str | None
    removal_order_id: str | None
    removal_ordered_at: datetime | None
    removal_shipped_at: datetime | None
    disposed_at: datetime | None
    stage: Stage
    stage_label: str
    steps: list[LifecycleStep]


class RefundedNotReceived(BaseModel):
    unit: UnitTimeline
    days_since_refund: int


class UnsellableInStock(BaseModel):
    store_id: int
    marketplace_id: str | None
    amazon_order_id: str
    sku: str
    license_plate_number: str | None
    received_at: datetime
    disposition: str | None
    disposition_label: str | None
    days_since_received: int
    # The SKU's latest inventory snapshot: its day and unfulfillable units.
    snapshot_date: date
    unfulfillable_units: int


class RemovalNotShipped(BaseModel):
    store_id: int
    marketplace_id: str | None
    removal_order_id: str
    sku: str
    fnsku: str | None
    order_type: str | None
    order_status: str | None
    requested_at: datetime
    requested_quantity: int
    cancelled_quantity: int
    shipped_quantity: int
    age_days: int


class StageCount(BaseModel):
    stage: Stage
    label: str
    units: int


class LifecycleBoard(BaseModel):
    """Units with a refund or a return in [date_from, date_to] (UTC days), by stage; each
    list's total, and the items of the list asked for (None for the others)."""

    date_from: date
    date_to: date
    as_of: date
    stages: list[StageCount]
    totals: dict[LifecycleList, int]
    # Items shown at most (the totals count them all).
    limit: int
    refunded_not_received: list[RefundedNotReceived] | None = None
    unsellable_in_stock: list[UnsellableInStock] | None = None
    removal_not_shipped: list[RemovalNotShipped] | None = None
