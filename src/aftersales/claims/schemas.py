"""Claims as the API and pages show them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from aftersales.models import ClaimStatus


class ClaimEventOut(BaseModel):
    from_status: str | None
    to_status: str
    user_id: int | None
    user_email: str | None = None  # who made the change (None: detection or reconciliation)
    at: datetime
    note: str | None


class Claim(BaseModel):
    id: int
    store_id: int
    store_name: str
    marketplace_id: str | None
    claim_type: str
    type_label: str  # English; the pages translate it
    date_label: str  # what refunded_on means for this type (English)
    amazon_order_id: str  # customer order, removal order (removal claims) or empty
    sku: str
    reference: str  # original reimbursement id, inbound check day, or empty
    units: int
    estimated_value: Decimal
    currency: str | None
    refunded_on: date  # the day the claim's period counts from (see date_label)
    opens_on: date
    closes_on: date
    days_left: int
    status: ClaimStatus
    rule_id: str
    rule_version: str
    created_at: datetime
    updated_at: datetime


class ClaimDetail(Claim):
    evidence: dict[str, Any]
    events: list[ClaimEventOut]
    allowed: list[str]  # target statuses the claim may move to
    case_text: str


class MoneyTotal(BaseModel):
    currency: str | None
    amount: Decimal


class ClaimTotals(BaseModel):
    recoverable: list[MoneyTotal]  # candidate and filed claims
    expiring_7_days: list[MoneyTotal]  # candidates whose window closes within 7 days


class ClaimList(BaseModel):
    items: list[Claim]
    totals: ClaimTotals


class ClaimStatusUpdate(BaseModel):
    status: ClaimStatus
    note: str | None = Field(default=None, max_length=2000)


class DetectResult(BaseModel):
    created: int = 0
    updated: int = 0
    expired: int = 0
    reimbursed: int = 0
    reopened: int = 0
