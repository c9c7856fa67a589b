"""What the returns list takes and gives: filters, one row, a page, dropdown options."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, field_validator


class ReturnFilters(BaseModel):
    """Dates are calendar days in UTC, both ends included; ``q`` is a prefix of a SKU, ASIN,
    FNSKU, order id or licence plate number (case-insensitive for Amazon's identifiers)."""

    model_config = ConfigDict(frozen=True)

    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    reason: str | None = None
    disposition: str | None = None

    @field_validator("q", "reason", "disposition")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None


class ReturnRow(BaseModel):
    """One returned unit (usually one licence plate) as lists, exports and detail show it."""

    id: int
    return_date: datetime
    store_id: int
    store_name: str
    marketplace_id: str | None
    marketplace_code: str | None
    amazon_order_id: str
    sku: str
    asin: str | None
    fnsku: str | None
    product_name: str | None
    quantity: int
    fulfillment_center_id: str | None
    disposition: str | None
    # Labels are in the locale current when the row was built; unknown codes as themselves.
    disposition_label: str | None
    # None when the disposition is missing or not one we know.
    sellable: bool | None
    reason: str | None
    reason_label: str | None
    status: str | None
    license_plate_number: str | None
    customer_comments: str | None


class ReturnPage(BaseModel):
    items: list[ReturnRow]
    # Counting stops at a cap on very large results: then ``total`` is the cap and
    # ``total_exact`` is False (show "10,000+").
    total: int
    total_exact: bool
    page: int
    page_size: int


class FilterOption(BaseModel):
    value: str
    label: str


class ReturnFilterOptions(BaseModel):
    reasons: list[FilterOption]
    dispositions: list[FilterOption]
