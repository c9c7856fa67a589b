"""Backtest replays computed by hand: 2 units a day, 2 days of transit, 4 days replayed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from aftersales.amazon.disposition_fees import SizeTier
from aftersales.replenishment import backtest as bt
from aftersales.replenishment import calc
from aftersales.replenishment.calc import ShippingMode

START = date(2026, 11, 8)  # November: 30 days, peak storage rate 2.40 per cubic foot
LEAD = calc.LeadTime(transit_days=((ShippingMode.SEA, 2),), mode=ShippingMode.SEA)
RULE = calc.VelocityRule(name="7 days", weights=((7, 1.0),))
LEAN = bt.RuleSet("lean", RULE, LEAD)
SAFE = bt.RuleSet("safe", RULE, replace(LEAD, safety_days=1))


def series(**extra: object) -> bt.SkuSeries:
    values: dict[str, object] = {
        "sku": "MUG",
        "marketplace": "US",
        "first_day": START - timedelta(days=7),
        "units": tuple([2.0] * 11),
        "initial_stock": 4,
        "unit_volume": Decimal("0.5"),
    }
    values.update(extra)
    return bt.SkuSeries(**values)  # type: ignore[arg-type]


def run(rule_set: bt.RuleSet, item: bt.SkuSeries, **pricing: object) -> bt.SkuOutcome:
    result = bt.backtest(
        [item],
        rule_set,
        start=START,
        end=START + timedelta(days=4),
        storage=bt.StoragePricing(**pricing),  # type: ignore[arg-type]
    )
    assert result.totals.skus == 1
    return result.outcomes[0]


def test_without_safety_stock_the_sku_runs_out_once() -> None:
    # need = 2/day × 2 days = 4. Day 0: 4 on hand, no order, 4 → 2. Day 1: order 2 (day 3),
    # 2 → 0. Day 2: order 2 (day 4), demand 2 unmet: stock-out. Day 3: 0 + 2 on the way + 2 =
    # 4, no order; 2 arrive and sell.
    outcome = run(LEAN, series())
    assert outcome.stockout_days == 1
    assert outcome.lost_sales == 2.0
    assert outcome.unmet_units == 2.0
    assert outcome.units_sold == 6.0
    assert outcome.average_inventory == 0.5  # (2 + 0 + 0 + 0) / 4
    assert (outcome.orders, outcome.units_ordered) == (2, 4)
    # 2 units × 0.5 cu ft × 2.40 / 30 days on day 0 only
    assert outcome.storage_cost == Decimal("0.08")
    assert outcome.currency == "USD"


def test_a_safety_day_avoids_the_stock_out_at_the_cost_of_more_orders() -> None:
    # need = 2 × 2 + 2 × 1 = 6: an order of 2 every day, each arriving two days later.
    outcome = run(SAFE, series())
    assert outcome.stockout_days == 0
    assert outcome.lost_sales == 0
    assert (outcome.orders, outcome.units_ordered) == (4, 8)
    assert outcome.average_inventory == 0.5


def test_without_a_starting_stock_each_rule_set_starts_at_its_own_need() -> None:
    assert run(LEAN, series(initial_stock=None)).stockout_days == 1  # starts with 4
    # starts with 6: day 0 6 → 4, no order; day 1 order 2 (day 3), 4 → 2; day 2 order 2
    # (day 4), 2 → 0; day 3 order 2, 2 arrive and sell, 0 left
    outcome = run(SAFE, series(initial_stock=None))
    assert outcome.stockout_days == 0
    assert outcome.average_inventory == (4 + 2 + 0 + 0) / 4
    assert (outcome.orders, outcome.units_ordered) == (3, 6)


def test_a_day_the_real_sku_was_out_of_stock_counts_the_ads_as_demand() -> None:
    flags = tuple([False] * 8 + [True] + [False] * 2)
    units = tuple([2.0] * 8 + [0.0] + [2.0] * 2)
    outcome = run(LEAN, series(units=units, out_of_stock=flags))
    assert outcome.units_sold == 6.0  # day 1 still sells the ADS of 2
    assert outcome.stockout_days == 1


def test_storage_cost_uses_the_per_unit_default_when_volume_or_rate_is_unknown() -> None:
    outcome = run(
        LEAN,
        series(marketplace="JP", unit_volume=None),
        default_monthly_per_unit=Decimal("0.30"),
        default_currency="JPY",
    )
    assert outcome.storage_cost == Decimal("0.02")  # 2 units × 0.30 / 30
    assert outcome.currency == "JPY"
    assert outcome.storage_estimated_days == 4
    unknown = run(LEAN, series(marketplace="JP"))
    assert unknown.storage_cost is None


def test_totals_add_up_per_currency() -> None:
    result = bt.backtest(
        [series(), series(sku="CUP", size_tier=SizeTier.OVERSIZE)],
        LEAN,
        start=START,
        end=START + timedelta(days=4),
    )
    # oversize November rate 1.40: 2 × 0.5 × 1.40 / 30 = 0.0467 → 0.05
    assert [o.storage_cost for o in result.outcomes] == [Decimal("0.08"), Decimal("0.05")]
    assert result.totals.storage_cost == {"USD": Decimal("0.13")}
    assert result.totals.stockout_days == 2
    assert result.totals.lost_sales == 4.0


def test_case_pack_and_moq_apply_to_simulated_orders() -> None:
    rule_set = replace(LEAN, constraints=calc.Constraints(case_pack=5, moq=10))
    outcome = run(rule_set, series())
    # day 1: short by 2 → MOQ 10, arriving day 3; no other order is needed
    assert (outcome.orders, outcome.units_ordered) == (1, 10)
    assert outcome.stockout_days == 1  # day 2, before the 10 arrive


def test_end_must_follow_start() -> None:
    with pytest.raises(calc.InvalidRule):
        bt.backtest([series()], LEAN, start=START, end=START)


def test_a_listing_keeps_its_own_lead_time_and_a_rule_set_can_replace_safety_days() -> None:
    safe = run(SAFE, series())
    assert run(LEAN, series(lead=SAFE.lead)) == safe
    assert run(replace(LEAN, safety_days=1), series()) == safe
    assert run(replace(SAFE, safety_days=0), series()) == run(LEAN, series())
