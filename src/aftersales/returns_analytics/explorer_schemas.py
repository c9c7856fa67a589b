"""What the returns explorer takes and gives: filters and grouping, grouped rows with their
return rates and the SKU's own history, totals, trend, and the reason mix against the
category's."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aftersales.amazon.return_reasons import Responsible
from aftersales.kit.i18n import N_

# The category filter's value for SKUs without a product group (Amazon's groups are words
# such as "Kitchen"; none is written in parentheses).
NO_CATEGORY = N_("(no category)")


class GroupBy(StrEnum):
    SKU = "sku"
    ASIN = "asin"
    FC = "fc"
    REASON = "reason"
    DISPOSITION = "disposition"
    RESPONSIBILITY = "responsibility"
    MARKETPLACE = "marketplace"
    CATEGORY = "category"
    WEEK = "week"
    MONTH = "month"


class Interval(StrEnum):
    WEEK = "week"
    MONTH = "month"


class ExplorerFilters(BaseModel):
    """Dates are UTC calendar days, both ends included (defaults: the 90 days up to today).
    ``q`` is a prefix of the SKU (case-sensitive) or of the ASIN. Filters on the fulfilment
    centre, reason, disposition and responsibility narrow the returned units only: a
    shipped unit has none of them."""

    model_config = ConfigDict(frozen=True)

    date_from: date | None = None
    date_to: date | None = None
    q: str | None = Field(default=None, max_length=80)
    fc: str | None = Field(default=None, max_length=10)
    reason: str | None = Field(default=None, max_length=60)
    disposition: str | None = Field(default=None, max_length=40)
    responsibility: Responsible | None = None
    # A product group, or NO_CATEGORY.
    category: str | None = Field(default=None, max_length=200)

    @field_validator("q", "fc", "reason", "disposition", "category", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value


class Period(BaseModel):
    date_from: date
    date_to: date
    days: int


class SkuHistory(BaseModel):
    """A SKU's return rate in the period against its own past."""

    previous_start: date
    previous_end: date
    previous_units_returned: int
    previous_units_shipped: int
    # The equal-length period just before.
    previous_return_rate: float | None
    return_rate_365_days: float | None
    # Which baselines the period's rate is materially above ("previous", "90_days",
    # "365_days"); see explorer_calc.higher_than.
    higher_than: list[Literal["previous", "90_days", "365_days"]]
    materially_higher: bool


class ExplorerRow(BaseModel):
    """One group. ``key`` is the raw value (SKU, ASIN, FC id, reason or disposition code,
    responsibility, marketplace id, category, first day of the week or month); None when
    the reports left it empty."""

    key: str | None
    label: str
    units_returned: int
    # None where a shipped unit has no such attribute (FC, reason, disposition,
    # responsibility): the rate is then the group's returned units over every shipped unit
    # of the filter, so the groups' rates add up to the total rate.
    units_shipped: int | None
    return_rate: float | None
    units_returned_30_days: int | None
    return_rate_30_days: float | None
    units_returned_90_days: int | None
    return_rate_90_days: float | None
    # SKU rows of the page (every SKU row in exports); not in ``breakdown``.
    history: SkuHistory | None = None


class ExplorerWindow(BaseModel):
    days: int
    start: date
    end: date
    units_returned: int
    units_shipped: int
    return_rate: float | None


class ExplorerBucket(BaseModel):
    """A week (Monday to Sunday) or calendar month, cut to the period."""

    start: date
    end: date
    units_returned: int
    units_shipped: int
    return_rate: float | None


class ExplorerTotals(BaseModel):
    units_returned: int
    units_shipped: int
    return_rate: float | None
    # The 30 and 90 days up to the period's last day.
    windows: list[ExplorerWindow]


class ExplorerPage(BaseModel):
    period: Period
    group_by: GroupBy
    interval: Interval
    # True when the rows' shipped units are their own (SKU, ASIN, marketplace, category,
    # week, month); False when every row is divided by all shipped units.
    shipped_by_group: bool
    totals: ExplorerTotals
    trend: list[ExplorerBucket]
    # The groups with the most returned units (in time order for week and month), for a chart.
    breakdown: list[ExplorerRow]
    items: list[ExplorerRow]
    total: int
    page: int
    page_size: int
    sort: str


class MixReason(BaseModel):
    reason: str | None
    label: str
    units: int
    share: float
    category_units: int
    category_share: float
    # Materially more of the subject's units than of the category's (explorer_calc.over_represented).
    over_represented: bool


class CategoryMix(BaseModel):
    """The reason mix of a SKU (or of the filtered returns) next to its category's: every
    return, in the same stores, marketplaces and period, of the SKUs of that category."""

    period: Period
    sku: str | None
    # The subject's categories (NO_CATEGORY for SKUs without a product group).
    categories: list[str]
    units: int
    category_units: int
    reasons: list[MixReason]
