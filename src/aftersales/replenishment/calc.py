"""Replenishment arithmetic for one SKU in one marketplace: velocity, quantities, dates, band.

Pure and deterministic: the service loads sales, stock and settings and passes them in as
frozen dataclasses; nothing here reads a clock, a file or a database. Every result carries
its explanation as steps (a catalog template plus named numbers) so a page can show the
formula with the numbers filled in, in the reader's language.

Conventions, so that the scalar path here and the vectorised path in ``frame.py`` agree:

* ``SalesHistory.units[-1]`` is the day before ``as_of``; the forecast starts on ``as_of``.
* A window of N days is the last N days of the history, shorter when the history is
  (a young listing); days the SKU was out of stock (and past promotion days) are left out
  of both the units and the day count, so 30 units sold in 30 days of which only 10 were in
  stock is 3 a day, not 1. When no weighted window has a counted day at all, the velocity is
  the average over the last counted days before (as many as the longest weighted window,
  looking back at most ``LAST_IN_STOCK_LOOKBACK_DAYS``); with none, it is 0.
* Demand needed over a cover is rounded up to whole units; quantities are then rounded up to
  case packs (and the purchase up to the MOQ); the restock limit caps what goes into FBA.
* The FBA projection starts from fulfillable + reserved units; inbound shipments arrive on
  their dated arrival, undated inbound units and expected sellable returns after the FBA
  receiving days. Purchase orders arrive at the local warehouse, not at FBA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from aftersales.kit.i18n import (
    N_,
    Message,
    format_date,
    format_decimal,
    format_number,
    localize,
)

if TYPE_CHECKING:
    import polars as pl

WINDOWS: tuple[int, ...] = (3, 7, 14, 30, 60, 90)
DEFAULT_WEIGHTS: tuple[tuple[int, float], ...] = ((7, 0.5), (14, 0.3), (30, 0.2))
PROJECTION_DAYS = 180
# Float sums of fractional daily sales drift by far less than this; it keeps "exactly
# covered" from being read as "short" and makes the scalar and vectorised paths agree.
EPSILON = 1e-9
SEASON_DAYS = 365
# How far back the last-in-stock fallback looks for counted days (see ``velocity``).
LAST_IN_STOCK_LOOKBACK_DAYS = 365


class ShippingMode(StrEnum):
    SEA = "sea"
    AIR = "air"
    EXPRESS = "express"


MODE_LABELS: dict[ShippingMode, str] = {
    ShippingMode.SEA: N_("sea"),
    ShippingMode.AIR: N_("air"),
    ShippingMode.EXPRESS: N_("express"),
}


class SpikeMode(StrEnum):
    NONE = "none"
    CAP = "cap"  # no day counts more than a fixed number of units
    PERCENT = "percent"  # no day counts more than the median plus a percentage


class VelocitySource(StrEnum):
    WEIGHTED = "weighted"
    SEASONAL = "seasonal"
    PROMOTION = "promotion"
    LAST_IN_STOCK = "last_in_stock"  # no counted day in the windows: the last ones before
    NO_HISTORY = "no_history"


VELOCITY_SOURCE_LABELS: dict[VelocitySource, str] = {
    VelocitySource.WEIGHTED: N_("weighted windows"),
    VelocitySource.SEASONAL: N_("weighted windows × last year's season"),
    VelocitySource.PROMOTION: N_("fixed promotion figure"),
    VelocitySource.LAST_IN_STOCK: N_("the last in-stock days before the stock-out"),
    VelocitySource.NO_HISTORY: N_("no in-stock sales history"),
}


class Band(StrEnum):
    """Status bands, in the order a planner should act on them."""

    OUT_OF_STOCK = "out_of_stock"
    ORDER_NOW = "order_now"
    ORDER_SOON = "order_soon"
    HEALTHY = "healthy"
    OVERSTOCKED = "overstocked"


BAND_ORDER: tuple[Band, ...] = tuple(Band)
BAND_LABELS: dict[Band, str] = {
    Band.OUT_OF_STOCK: N_("Out of stock"),
    Band.ORDER_NOW: N_("Order now"),
    Band.ORDER_SOON: N_("Order soon"),
    Band.HEALTHY: N_("Healthy"),
    Band.OVERSTOCKED: N_("Overstocked"),
}


class InvalidRule(ValueError):
    """A rule or setting that cannot be computed with; the message names the field and is
    a catalog template (``message.localized()`` shows it in the reader's language)."""

    def __init__(self, field_name: str, template: str, **params: object) -> None:
        self.field_name = field_name
        self.message = Message(template, **params)
        super().__init__(f"{field_name}: {self.message}")


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Promotion:
    """A fixed daily figure for a date range (both ends included): the forecast uses it on
    those days, and past promotion days are left out of the window averages."""

    start: date
    end: date
    daily_units: float

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class VelocityRule:
    name: str = "default"
    weights: tuple[tuple[int, float], ...] = DEFAULT_WEIGHTS  # (window days, weight)
    exclude_out_of_stock: bool = True
    spike_mode: SpikeMode = SpikeMode.NONE
    spike_cap: float | None = None  # units per day, for SpikeMode.CAP
    spike_percent: float | None = None  # 100 → at most twice the median, for PERCENT
    promotions: tuple[Promotion, ...] = ()
    seasonality: bool = False
    seasonality_days: int = 30  # N: last year's next N days against its same window
    returns_sellable_share: float = 0.0  # share of returned units expected back sellable

    def __post_init__(self) -> None:
        if not self.weights:
            raise InvalidRule("weights", N_("at least one window is needed"))
        for days, weight in self.weights:
            if days not in WINDOWS:
                raise InvalidRule(
                    "weights", N_("window %(days)s is not one of 3, 7, 14, 30, 60, 90"), days=days
                )
            if weight < 0:
                raise InvalidRule(
                    "weights", N_("the weight of window %(days)s is negative"), days=days
                )
        if sum(weight for _, weight in self.weights) <= 0:
            raise InvalidRule("weights", N_("the weights add up to zero"))
        if len({days for days, _ in self.weights}) != len(self.weights):
            raise InvalidRule("weights", N_("a window is listed twice"))
        if self.spike_mode is SpikeMode.CAP and (self.spike_cap is None or self.spike_cap < 0):
            raise InvalidRule("spike_cap", N_("a fixed cap needs a number of units ≥ 0"))
        if self.spike_mode is SpikeMode.PERCENT and (
            self.spike_percent is None or self.spike_percent < 0
        ):
            raise InvalidRule("spike_percent", N_("a percentage cap needs a percentage ≥ 0"))
        if not 0 <= self.returns_sellable_share <= 1:
            raise InvalidRule("returns_sellable_share", N_("must be between 0 and 1"))
        if self.seasonality_days < 1 or self.seasonality_days > SEASON_DAYS:
            raise InvalidRule("seasonality_days", N_("must be between 1 and 365"))
        for promotion in self.promotions:
            if promotion.end < promotion.start or promotion.daily_units < 0:
                raise InvalidRule("promotions", N_("a promotion needs start ≤ end and units ≥ 0"))

    @property
    def longest_window(self) -> int:
        return max(days for days, _ in self.weights)

    def promotion_on(self, day: date) -> Promotion | None:
        for promotion in self.promotions:
            if promotion.covers(day):
                return promotion
        return None


@dataclass(frozen=True)
class SalesHistory:
    """Daily units sold, oldest first, ending the day before ``as_of``."""

    as_of: date
    units: tuple[float, ...]
    out_of_stock: tuple[bool, ...] = ()  # same length as units, or empty (always in stock)
    returns: tuple[float, ...] = ()  # units returned per day, same length, or empty

    def __post_init__(self) -> None:
        if self.out_of_stock and len(self.out_of_stock) != len(self.units):
            raise InvalidRule("out_of_stock", N_("needs one flag per day of units"))
        if self.returns and len(self.returns) != len(self.units):
            raise InvalidRule("returns", N_("needs one figure per day of units"))

    @property
    def first_day(self) -> date:
        return self.as_of - timedelta(days=len(self.units))

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)


@dataclass(frozen=True)
class LeadTime:
    stocking_days: int = 0  # production / 备货
    qc_days: int = 0
    transit_days: tuple[tuple[ShippingMode, int], ...] = (
        (ShippingMode.SEA, 35),
        (ShippingMode.AIR, 10),
        (ShippingMode.EXPRESS, 5),
    )
    mode: ShippingMode = ShippingMode.SEA  # the mode the purchase and ship-by assume
    receiving_days: int = 0  # FBA receiving and put-away / 上架
    safety_days: int = 0
    cycle_days: int = 0  # how often the seller ships
    transfer_days: int = 0  # overseas 3PL → FBA
    service_level_z: float | None = None  # statistical safety stock instead of safety days
    demand_deviation: float | None = None  # units/day; None: from the sales history
    lead_time_deviation: float = 0.0  # days

    def __post_init__(self) -> None:
        for name in (
            "stocking_days",
            "qc_days",
            "receiving_days",
            "safety_days",
            "cycle_days",
            "transfer_days",
        ):
            if getattr(self, name) < 0:
                raise InvalidRule(name, N_("must be 0 or more days"))
        for mode, days in self.transit_days:
            if days < 0:
                raise InvalidRule(f"transit_days.{mode.value}", N_("must be 0 or more days"))
        if self.mode not in dict(self.transit_days):
            raise InvalidRule("mode", N_("no transit days for %(mode)s"), mode=self.mode.value)

    def transit(self, mode: ShippingMode | None = None) -> int:
        return dict(self.transit_days)[mode or self.mode]

    @property
    def modes(self) -> tuple[ShippingMode, ...]:
        return tuple(mode for mode, _ in self.transit_days)


@dataclass(frozen=True)
class Arrival:
    day: date
    quantity: int
    source: str  # "inbound", "purchase_order", "transfer", "returns", "send", "buy"
    # Inbound units: their status in the reports and the day first seen in it (inbound_eta);
    # units of a shipped inbound plan: its shipment (ID or plan name), the day it left
    # (``since``) and its shipping mode.
    status: str | None = None
    since: date | None = None
    shipment: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class StockPosition:
    fba_fulfillable: int = 0
    fba_reserved: int = 0  # FC transfers and processing (not customer orders)
    inbound_working: int = 0
    inbound_shipped: int = 0
    inbound_receiving: int = 0
    local: int = 0
    overseas: int = 0  # third-party overseas warehouse, valid stock
    expected_returns: int = 0  # units expected back sellable at FBA
    inbound_arrivals: tuple[Arrival, ...] = ()  # dated inbound shipments into FBA
    purchase_orders: tuple[Arrival, ...] = ()  # open orders arriving at the local warehouse

    @property
    def fba_on_hand(self) -> int:
        return self.fba_fulfillable + self.fba_reserved

    @property
    def inbound(self) -> int:
        return self.inbound_working + self.inbound_shipped + self.inbound_receiving

    @property
    def on_order(self) -> int:
        return sum(arrival.quantity for arrival in self.purchase_orders)

    @property
    def fba_position(self) -> int:
        return self.fba_on_hand + self.inbound + self.expected_returns

    @property
    def all_stock(self) -> int:
        return self.fba_position + self.local + self.overseas + self.on_order


@dataclass(frozen=True)
class Constraints:
    case_pack: int = 1
    moq: int = 0
    restock_limit: int | None = None  # units FBA still accepts now (capacity left)
    overstock_days: int = 120  # more days of supply than this is overstocked
    soon_days: int = 14  # an action due within this many days is "order soon"

    def __post_init__(self) -> None:
        if self.case_pack < 1:
            raise InvalidRule("case_pack", N_("must be 1 or more"))
        if self.moq < 0:
            raise InvalidRule("moq", N_("must be 0 or more"))
        if self.restock_limit is not None and self.restock_limit < 0:
            raise InvalidRule("restock_limit", N_("must be 0 or more"))
        if self.overstock_days < 1 or self.soon_days < 0:
            raise InvalidRule("overstock_days", N_("must be 1 or more days"))


# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Step:
    """One line of the explanation: a catalog template and the numbers it names."""

    key: str
    template: str
    values: dict[str, object] = field(default_factory=dict)

    def message(self) -> Message:
        return Message(self.template, **self.values)

    def text(self) -> str:
        """The step in the current language, numbers and dates formatted for it."""
        return localize(self.template, {key: _shown(value) for key, value in self.values.items()})


def _shown(value: object) -> object:
    if isinstance(value, Message):
        return value.localized()
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return format_number(int(value))  # whole units read as such: "2 units", "10/day"
        return format_decimal(value, 2 if abs(value) < 10 else 1)
    if isinstance(value, date):
        return format_date(value)
    return value


@dataclass(frozen=True)
class WindowAverage:
    days: int
    weight: float
    span_days: int  # days of history in the window (shorter for a young listing)
    in_stock_days: int  # days counted
    units: float  # units on the counted days, after spike caps and net of returns
    average: float | None  # None: no day counted


@dataclass(frozen=True)
class LastInStockAverage:
    """The fallback when no weighted window has a counted day (out of stock all along): the
    average over the most recent counted days before, at most ``window`` of them, found within
    ``LAST_IN_STOCK_LOOKBACK_DAYS``."""

    window: int  # the rule's longest weighted window, which has no counted day
    days: int  # counted days found (``window``, fewer when the history has no more)
    units: float  # units on them, after spike caps and net of returns
    average: float
    since: date  # the day after the last counted day


@dataclass(frozen=True)
class ExcludedDay:
    day: date
    reason: str  # "out_of_stock" or "promotion"


@dataclass(frozen=True)
class SpikeAdjustment:
    day: date
    units: float
    counted: float


@dataclass(frozen=True)
class VelocityResult:
    daily: float
    source: VelocitySource
    rule_name: str
    windows: tuple[WindowAverage, ...]
    weighted: float  # before seasonality or promotion
    excluded: tuple[ExcludedDay, ...]
    spikes: tuple[SpikeAdjustment, ...]
    spike_threshold: float | None
    seasonality_factor: float | None
    promotion: Promotion | None
    deviation: float | None  # sample standard deviation of counted days, longest window
    last_in_stock: LastInStockAverage | None = None  # the fallback, when it was used


@dataclass(frozen=True)
class Cap:
    limit: int
    before: int
    after: int


@dataclass(frozen=True)
class ProjectionDay:
    day: date
    start: float
    demand: float
    arrivals: int
    end: float
    short: float


@dataclass(frozen=True)
class Recommendation:
    as_of: date
    velocity: VelocityResult
    days_of_supply_fba: float | None  # None: no sales, so no end
    days_of_supply_fba_inbound: float | None
    days_of_supply_all: float | None
    stockout_date: date | None  # FBA with scheduled arrivals; None: not within the horizon
    runout_date_all: date | None  # when every unit owned would be sold
    ship_by: dict[ShippingMode, date | None]
    purchase_by: date | None
    send_need: dict[ShippingMode, int]  # rounded, before the local-stock and restock caps
    send: dict[ShippingMode, int]
    transfer: int
    buy: int
    cap: Cap | None
    band: Band
    arrivals: tuple[Arrival, ...]  # scheduled arrivals into FBA used by the projection
    explanation: tuple[Step, ...]
    lead: LeadTime = field(default_factory=LeadTime)  # the inputs, to redraw the projection
    stock: StockPosition = field(default_factory=StockPosition)
    constraints: Constraints = field(default_factory=Constraints)
    promotions: tuple[Promotion, ...] = ()

    @property
    def send_default(self) -> int:
        return self.send[self.mode]

    @property
    def mode(self) -> ShippingMode:
        return next(iter(self.ship_by))


def round_up(quantity: float, pack: int) -> int:
    """Whole units rounded up to a multiple of ``pack`` (tolerating float noise)."""
    units = max(0, math.ceil(quantity - EPSILON))
    return -(-units // pack) * pack


def round_down(quantity: float, pack: int) -> int:
    units = max(0, math.floor(quantity + EPSILON))
    return units // pack * pack


def velocity_frame(daily: pl.DataFrame, rule: VelocityRule, **options: object) -> pl.DataFrame:
    """The vectorised velocity over many SKUs at once; see ``replenishment.frame``."""
    from aftersales.replenishment import frame

    return frame.velocity_frame(daily, rule, **options)  # type: ignore[arg-type]


def recommend_frame(positions: pl.DataFrame, **options: object) -> pl.DataFrame:
    """The vectorised recommendation over many SKUs at once; see ``replenishment.frame``."""
    from aftersales.replenishment import frame

    return frame.recommend_frame(positions, **options)  # type: ignore[arg-type]


def velocity(history: SalesHistory, rule: VelocityRule) -> VelocityResult:
    """Average daily sales by ``rule``; see ``replenishment.velocity``."""
    from aftersales.replenishment.velocity import compute

    return compute(history, rule)


def recommend(
    *,
    history: SalesHistory,
    rule: VelocityRule,
    lead: LeadTime,
    stock: StockPosition,
    constraints: Constraints,
    velocity: VelocityResult | None = None,
) -> Recommendation:
    """Quantities, dates, band and explanation; see ``replenishment.recommend``."""
    from aftersales.replenishment import recommend as module

    return module.recommend(
        history=history,
        rule=rule,
        lead=lead,
        stock=stock,
        constraints=constraints,
        velocity=velocity,
    )


def project(
    *,
    as_of: date,
    start: float,
    daily: float,
    arrivals: tuple[Arrival, ...] = (),
    promotions: tuple[Promotion, ...] = (),
    days: int = PROJECTION_DAYS,
) -> list[ProjectionDay]:
    """FBA stock day by day with the arrivals; see ``replenishment.recommend.project``."""
    from aftersales.replenishment import recommend as module

    return module.project(
        as_of=as_of, start=start, daily=daily, arrivals=arrivals, promotions=promotions, days=days
    )
