"""What returns analytics gives: a SKU's return profile, and each store's reason map."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from aftersales.amazon.return_reasons import ReasonAction, Responsible


class SkuWindow(BaseModel):
    """Units of one SKU in a period of UTC days, both ends included."""

    days: int
    start: date
    end: date
    units_returned: int
    units_shipped: int
    # Returned units ÷ units shipped (by purchase date) in the same days; None without sales.
    return_rate: float | None


class SkuReason(BaseModel):
    # None: the report left the reason empty.
    reason: str | None
    label: str
    units: int
    # Of the units returned in the reasons' period.
    share: float
    responsible: Responsible
    responsible_label: str
    action: ReasonAction
    action_label: str
    # False for a code our reason table does not list yet.
    known: bool


class SkuDisposition(BaseModel):
    disposition: str | None
    label: str
    units: int
    share: float
    sellable: bool | None


class BuyerComment(BaseModel):
    return_date: datetime
    store_name: str
    marketplace_code: str | None
    reason: str | None
    reason_label: str | None
    license_plate_number: str | None
    comment: str


class SkuWeek(BaseModel):
    """Seven UTC days ending on ``end``."""

    start: date
    end: date
    units_shipped: int
    units_returned: int
    return_rate: float | None


class SkuProfile(BaseModel):
    sku: str
    product_name: str | None
    as_of: date
    windows: list[SkuWindow]
    # The 90 days before the last 90: the SKU's own history to compare with.
    previous: SkuWindow
    # Reasons and dispositions cover the last ``breakdown_days`` days.
    breakdown_days: int
    reasons: list[SkuReason]
    dispositions: list[SkuDisposition]
    comments: list[BuyerComment]
    trend: list[SkuWeek]


class ReasonMapEntry(BaseModel):
    code: str
    label: str
    responsible: Responsible
    responsible_label: str
    action: ReasonAction
    action_label: str
    # "default": from the dated reason table; "override": set by the store.
    source: Literal["default", "override"]
    known: bool
    updated_at: datetime | None = None


class ReasonMap(BaseModel):
    store_id: int
    store_name: str
    # The default table's date and source.
    effective: date
    source: str
    entries: list[ReasonMapEntry]


class ReasonOverrideUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    responsible: Responsible
    action: ReasonAction
