"""The dashboard's figures as the HTML page and the JSON endpoint both receive them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class WindowFigures(BaseModel):
    """Figures for the ``days`` calendar days (UTC) from ``start`` to ``end``, both included."""

    days: int
    start: date
    end: date
    # Orders purchased in the window with status Shipping or Shipped (All Orders report).
    orders: int
    units_shipped: int
    units_returned: int
    # Returned units / shipped units of the same window, a fraction (0.05 = 5 %); None when
    # nothing shipped. Returns lag sales, so short windows run high after a busy period.
    return_rate: float | None
    # Returned units whose detailed disposition is not SELLABLE (missing ones included).
    unsellable_units: int


class MarketplaceFigures(BaseModel):
    marketplace_id: str | None
    marketplace_code: str | None
    windows: list[WindowFigures]


class TrendPoint(BaseModel):
    day: date
    units_shipped: int
    units_returned: int
    return_rate: float | None


class ReasonCount(BaseModel):
    reason: str | None
    # In the locale current when the dashboard was built; unknown codes as themselves.
    label: str | None
    units: int


class ReturnedSku(BaseModel):
    sku: str
    product_name: str | None
    units_returned: int
    units_shipped: int
    return_rate: float | None
    # The three reasons with the most units, most first.
    top_reasons: list[ReasonCount]


class InventoryHealth(BaseModel):
    """The latest inventory snapshot of a SKU in a marketplace of a store."""

    store_id: int
    store_name: str
    marketplace_id: str | None
    marketplace_code: str | None
    sku: str
    fnsku: str | None
    asin: str | None
    # The report the figures come from (myi, planning, restock, afn) and its date.
    source: str
    snapshot_date: date
    fulfillable: int | None
    unfulfillable: int | None
    reserved: int | None
    # Working + shipped + receiving inbound units.
    inbound: int | None
    units_shipped_30_days: int
    average_daily_units: float
    # fulfillable / average daily units shipped over the last 30 days; None without sales.
    days_of_supply: float | None


class Dashboard(BaseModel):
    as_of: date
    windows: list[WindowFigures]
    by_marketplace: list[MarketplaceFigures]
    trend: list[TrendPoint]
    top_returned_skus_days: int
    top_returned_skus: list[ReturnedSku]
    # The SKUs running out first (least days of supply); ``inventory_sku_count`` is how
    # many SKU × marketplace × store rows there are in all.
    inventory: list[InventoryHealth]
    inventory_sku_count: int
