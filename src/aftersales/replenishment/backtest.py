"""Replay a store's sales history under a rule set, to compare two rule sets before switching.

Pure and deterministic. For each SKU × marketplace and each day from ``start`` to ``end``
(end excluded), using only what was known that morning:

1. on a review day (every ``cycle_days`` days from ``start``; every day when the cycle is 0)
   the rule's velocity is computed from the history known so far (the real days before
   ``start``, then the simulated days: units sold and whether stock ran out), and an order
   is placed when the stock position (FBA on hand + orders on the way) is below
   ⌈ADS × (lead + cycle) + safety⌉, lead = stocking + QC + transit + receiving days; the
   order is rounded to case packs and the MOQ (as ``recommend`` does) and arrives at FBA
   ``lead`` days later (local warehouses are not modelled: what is bought goes to FBA);
2. the day's arrivals come in; the day's demand is the units really sold that day, or, on a
   day the real SKU was out of stock, the ADS as of the last review (its sales were lost);
3. sold = min(demand, stock); a day with unmet demand is a stock-out day, and the lost-sales
   estimate adds the ADS as of the last review for it (ADS × stock-out days);
4. the end-of-day stock adds to the average inventory and to the storage cost: units × unit
   volume (cubic feet) × the month's rate ÷ days in the month, rates from
   ``amazon/data/storage_fees.json``; when the unit volume or the marketplace's rate is
   unknown, the store's default storage cost per unit per month is used instead; with
   neither, the storage cost is unknown (None).

The stock on the first day is the SKU's real FBA stock when given, else the rule set's own
target (its need on the first day), so that each rule set starts from its steady state.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from aftersales.amazon import storage_fees
from aftersales.amazon.disposition_fees import SizeTier
from aftersales.kit.i18n import N_
from aftersales.replenishment.calc import (
    EPSILON,
    LAST_IN_STOCK_LOOKBACK_DAYS,
    SEASON_DAYS,
    Constraints,
    InvalidRule,
    LeadTime,
    SalesHistory,
    VelocityRule,
    round_up,
)
from aftersales.replenishment.recommend import demand_over, safety_units
from aftersales.replenishment.velocity import compute

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RuleSet:
    name: str
    rule: VelocityRule = field(default_factory=VelocityRule)
    lead: LeadTime = field(default_factory=LeadTime)
    constraints: Constraints = field(default_factory=Constraints)
    safety_days: int | None = None  # replaces every listing's safety days when set


@dataclass(frozen=True)
class SkuSeries:
    """One SKU × marketplace's real daily sales, oldest first, starting on ``first_day``."""

    sku: str
    marketplace: str  # code, e.g. "US"
    first_day: date
    units: tuple[float, ...]
    out_of_stock: tuple[bool, ...] = ()
    initial_stock: int | None = None  # real FBA stock on the first simulated day
    unit_volume: Decimal | None = None  # cubic feet per unit, as packed
    size_tier: SizeTier = SizeTier.STANDARD
    currency: str | None = None  # of the storage cost; the rate table's when None
    lead: LeadTime | None = None  # the listing's own lead time; the rule set's when None
    constraints: Constraints | None = None  # the listing's case pack, MOQ…; else the rule set's


@dataclass(frozen=True)
class StoragePricing:
    default_monthly_per_unit: Decimal | None = None  # the store's figure, its currency
    default_currency: str | None = None
    tables: tuple[storage_fees.StorageFeeTable, ...] | None = None  # None: the data file


@dataclass(frozen=True)
class SkuOutcome:
    sku: str
    marketplace: str
    days: int
    stockout_days: int
    lost_sales: float  # ADS × stock-out days
    unmet_units: float
    units_sold: float
    average_inventory: float
    storage_cost: Decimal | None
    currency: str | None
    orders: int
    units_ordered: int
    storage_estimated_days: int  # days costed at the per-unit default


@dataclass(frozen=True)
class Totals:
    skus: int
    stockout_days: int
    lost_sales: float
    unmet_units: float
    average_inventory: float
    storage_cost: dict[str, Decimal]  # per currency
    storage_unknown: int  # SKUs whose storage cost is unknown
    orders: int
    units_ordered: int


@dataclass(frozen=True)
class BacktestResult:
    rule_set: RuleSet
    start: date
    end: date
    outcomes: tuple[SkuOutcome, ...]
    totals: Totals


def backtest(
    series: Sequence[SkuSeries],
    rule_set: RuleSet,
    *,
    start: date,
    end: date,
    storage: StoragePricing | None = None,
) -> BacktestResult:
    if end <= start:
        raise InvalidRule("end", N_("the backtest needs end after start"))
    pricing = storage or StoragePricing()
    outcomes = tuple(_simulate(item, rule_set, start, end, pricing) for item in series)
    return BacktestResult(rule_set, start, end, outcomes, _totals(outcomes))


def _totals(outcomes: tuple[SkuOutcome, ...]) -> Totals:
    costs: dict[str, Decimal] = {}
    unknown = 0
    for outcome in outcomes:
        if outcome.storage_cost is None or outcome.currency is None:
            unknown += 1
            continue
        costs[outcome.currency] = costs.get(outcome.currency, Decimal(0)) + outcome.storage_cost
    return Totals(
        skus=len(outcomes),
        stockout_days=sum(o.stockout_days for o in outcomes),
        lost_sales=sum(o.lost_sales for o in outcomes),
        unmet_units=sum(o.unmet_units for o in outcomes),
        average_inventory=sum(o.average_inventory for o in outcomes),
        storage_cost=costs,
        storage_unknown=unknown,
        orders=sum(o.orders for o in outcomes),
        units_ordered=sum(o.units_ordered for o in outcomes),
    )


def _simulate(
    item: SkuSeries, rule_set: RuleSet, start: date, end: date, pricing: StoragePricing
) -> SkuOutcome:
    rule = rule_set.rule
    lead = item.lead or rule_set.lead
    if rule_set.safety_days is not None:
        lead = replace(lead, safety_days=rule_set.safety_days)
    limits = item.constraints or rule_set.constraints
    lead_days = lead.stocking_days + lead.qc_days + lead.transit() + lead.receiving_days
    # The last-in-stock fallback looks up to a year back (``velocity``): keep that much.
    keep = max(rule.longest_window, LAST_IN_STOCK_LOOKBACK_DAYS) + (
        SEASON_DAYS + rule.seasonality_days if rule.seasonality else 0
    )
    before = max(0, (start - item.first_day).days)
    # What is known: the real days before the start, then the simulated ones.
    known_units = list(item.units[:before])
    known_out = [
        bool(item.out_of_stock[index]) if item.out_of_stock else False for index in range(before)
    ]

    def velocity(today: date) -> float:
        history = SalesHistory(
            as_of=today,
            units=tuple(known_units[-keep:]),
            out_of_stock=tuple(known_out[-keep:]),
        )
        return compute(history, rule).daily

    def need(today: date, ads: float) -> int:
        demand = demand_over(today, lead_days + lead.cycle_days, ads, rule.promotions)
        return round_up(demand + safety_units(lead_days, ads, lead, None), 1)

    ads = velocity(start)
    stock = float(item.initial_stock if item.initial_stock is not None else need(start, ads))
    pipeline: dict[date, int] = {}
    stockout_days = orders = units_ordered = estimated_days = 0
    lost = unmet = sold_total = inventory_sum = 0.0
    cost: Decimal | None = Decimal(0)
    currency = item.currency
    days = (end - start).days
    for offset in range(days):
        today = start + timedelta(days=offset)
        if offset % max(1, lead.cycle_days) == 0:
            ads = velocity(today)
            position = stock + sum(pipeline.values())
            raw = need(today, ads) - position
            if raw > EPSILON:
                quantity = round_up(
                    max(limits.moq, round_up(raw, limits.case_pack)), limits.case_pack
                )
                arrival = today + timedelta(days=lead_days)
                pipeline[arrival] = pipeline.get(arrival, 0) + quantity
                orders += 1
                units_ordered += quantity
        stock += pipeline.pop(today, 0)
        index = before + offset
        real_out = bool(item.out_of_stock[index]) if index < len(item.out_of_stock) else False
        real_units = float(item.units[index]) if index < len(item.units) else 0.0
        demand = ads if real_out else real_units
        sold = min(demand, stock)
        short = demand - sold
        if short > EPSILON:
            stockout_days += 1
            lost += ads
            unmet += short
        stock -= sold
        sold_total += sold
        inventory_sum += stock
        known_units.append(sold)
        known_out.append(short > EPSILON)
        day_cost, day_currency, estimated = _storage_day(item, today, stock, pricing)
        if day_cost is None or cost is None:
            cost = None
        else:
            cost += day_cost
            currency = currency or day_currency
            estimated_days += estimated
    return SkuOutcome(
        sku=item.sku,
        marketplace=item.marketplace,
        days=days,
        stockout_days=stockout_days,
        lost_sales=lost,
        unmet_units=unmet,
        units_sold=sold_total,
        average_inventory=inventory_sum / days,
        storage_cost=cost.quantize(CENT) if cost is not None else None,
        currency=currency if cost is not None else None,
        orders=orders,
        units_ordered=units_ordered,
        storage_estimated_days=estimated_days,
    )


def _storage_day(
    item: SkuSeries, day: date, stock: float, pricing: StoragePricing
) -> tuple[Decimal | None, str | None, int]:
    """The day's storage cost, its currency, and 1 when the per-unit default was used."""
    units = Decimal(f"{stock:.6f}")
    month_days = calendar.monthrange(day.year, day.month)[1]
    if item.unit_volume is not None:
        table = storage_fees.table_for(item.marketplace, on=day, tables=pricing.tables)
        rate = table.monthly_rate(item.size_tier, day.month) if table is not None else None
        if table is not None and rate is not None:
            return units * item.unit_volume * rate / month_days, table.currency, 0
    if pricing.default_monthly_per_unit is None:
        return None, None, 0
    return (
        units * pricing.default_monthly_per_unit / month_days,
        pricing.default_currency,
        1,
    )
