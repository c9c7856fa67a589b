"""Quantities, rounding, caps, bands, dates and the projection, computed by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import pytest

from aftersales.kit.i18n import use_locale
from aftersales.replenishment import calc
from aftersales.replenishment.calc import Band, ShippingMode

AS_OF = date(2026, 11, 26)
RULE = calc.VelocityRule()


def steady(daily: float, days: int = 30) -> calc.SalesHistory:
    return calc.SalesHistory(as_of=AS_OF, units=tuple([daily] * days))


def day(offset: int) -> date:
    return AS_OF + timedelta(days=offset)


def run(
    daily: float,
    stock: calc.StockPosition,
    lead: calc.LeadTime | None = None,
    constraints: calc.Constraints | None = None,
) -> calc.Recommendation:
    return calc.recommend(
        history=steady(daily),
        rule=RULE,
        lead=lead or calc.LeadTime(),
        stock=stock,
        constraints=constraints or calc.Constraints(),
    )


ISSUE_LEAD = calc.LeadTime(stocking_days=30, receiving_days=10, safety_days=14)
ISSUE_STOCK = calc.StockPosition(fba_fulfillable=1920, inbound_shipped=600)


def test_the_issue_example_buys_900_and_shows_its_arithmetic() -> None:
    result = run(38.4, ISSUE_STOCK, ISSUE_LEAD, calc.Constraints(case_pack=50))
    assert result.buy == 900
    with use_locale("en"):
        lines = [step.text() for step in result.explanation]
    assert (
        "38.4/day × (30 stocking + 0 QC + 35 sea + 10 receiving + 0 cycle + 14 safety) = 3,418"
        in lines
    )
    assert any(
        line.startswith("3,418 − 1,920 on hand − 600 inbound") and line.endswith("= 898")
        for line in lines
    )
    assert "Buy 898 → 900 (case pack 50, MOQ 0)" in lines


def test_minimum_order_quantity_then_case_pack() -> None:
    assert run(38.4, ISSUE_STOCK, ISSUE_LEAD, calc.Constraints(case_pack=50, moq=1000)).buy == 1000
    assert run(38.4, ISSUE_STOCK, ISSUE_LEAD, calc.Constraints(case_pack=50, moq=1010)).buy == 1050


def test_nothing_to_buy_when_stock_covers_the_lead_time() -> None:
    stock = replace(ISSUE_STOCK, local=898)
    assert run(38.4, stock, ISSUE_LEAD, calc.Constraints(case_pack=50, moq=500)).buy == 0


SEND_LEAD = calc.LeadTime(receiving_days=10, safety_days=14, transfer_days=7)


def test_send_by_mode_is_rounded_to_case_packs_and_limited_by_local_stock() -> None:
    stock = calc.StockPosition(fba_fulfillable=100, local=2000)
    result = run(10, stock, SEND_LEAD, calc.Constraints(case_pack=20))
    # sea: 10 × (35 + 10 + 14) = 590 − 100 = 490 → 500; air: 10 × 34 − 100 = 240;
    # express: 10 × 29 − 100 = 190 → 200
    assert result.send_need == {
        ShippingMode.SEA: 500,
        ShippingMode.AIR: 240,
        ShippingMode.EXPRESS: 200,
    }
    assert result.send == result.send_need
    short_of_local = run(10, replace(stock, local=230), SEND_LEAD, calc.Constraints(case_pack=20))
    assert short_of_local.send[ShippingMode.SEA] == 220  # whole packs of the 230 on hand


def test_restock_limit_caps_what_goes_into_fba_and_says_so() -> None:
    stock = calc.StockPosition(fba_fulfillable=100, local=2000)
    result = run(10, stock, SEND_LEAD, calc.Constraints(case_pack=20, restock_limit=330))
    assert result.send[ShippingMode.SEA] == 320
    assert result.send[ShippingMode.AIR] == 240
    assert result.cap == calc.Cap(limit=330, before=500, after=320)
    assert any(step.key == "restock_cap" for step in result.explanation)
    assert run(10, stock, SEND_LEAD, calc.Constraints(case_pack=20)).cap is None


def test_transfer_from_the_overseas_warehouse_comes_before_sending() -> None:
    stock = calc.StockPosition(fba_fulfillable=100, local=2000, overseas=300)
    result = run(10, stock, SEND_LEAD, calc.Constraints(case_pack=20))
    # 10 × (7 + 10 + 14) = 310 − 100 = 210 → 220 (3PL holds 300)
    assert result.transfer == 220
    # 590 − 100 − 220 = 270 → 280
    assert result.send[ShippingMode.SEA] == 280
    little = run(10, replace(stock, overseas=50), SEND_LEAD, calc.Constraints(case_pack=20))
    assert little.transfer == 50


def test_statistical_safety_stock_replaces_safety_days() -> None:
    lead = calc.LeadTime(
        receiving_days=10, safety_days=14, service_level_z=1.65, demand_deviation=4
    )
    result = run(10, calc.StockPosition(fba_fulfillable=1), lead)
    # 10 × (35 + 10) + 1.65 × √(45 × 4²) = 450 + 44.27 → 495 − 1
    assert result.buy == math.ceil(450 + 1.65 * math.sqrt(45 * 16)) - 1 == 494


def test_bands() -> None:
    lead = calc.LeadTime(receiving_days=10, safety_days=14)
    assert run(10, calc.StockPosition(), lead).band is Band.OUT_OF_STOCK
    assert run(38.4, ISSUE_STOCK, ISSUE_LEAD).band is Band.ORDER_NOW
    # 600 / 10 → out on day 60, ship by day 60 − 59 = tomorrow: within 14 days
    soon = run(10, calc.StockPosition(fba_fulfillable=600), lead)
    assert soon.band is Band.ORDER_SOON
    assert soon.ship_by[ShippingMode.SEA] == day(1)
    assert soon.purchase_by == day(1)
    assert run(10, calc.StockPosition(fba_fulfillable=1000), lead).band is Band.HEALTHY
    assert run(10, calc.StockPosition(fba_fulfillable=2000), lead).band is Band.OVERSTOCKED
    assert run(0, calc.StockPosition(fba_fulfillable=5), lead).band is Band.OVERSTOCKED


def test_days_of_supply_and_dates() -> None:
    stock = calc.StockPosition(
        fba_fulfillable=400,
        fba_reserved=100,
        inbound_working=200,
        local=300,
        purchase_orders=(calc.Arrival(day(20), 500, "purchase_order"),),
    )
    lead = calc.LeadTime(stocking_days=20, qc_days=3, receiving_days=7, safety_days=10)
    result = run(10, stock, lead)
    assert result.days_of_supply_fba == 50
    assert result.days_of_supply_fba_inbound == 70
    assert result.days_of_supply_all == 150
    # FBA 500 plus 200 inbound on day 7 (undated inbound: after receiving) → out on day 70
    assert result.stockout_date == day(70)
    assert result.ship_by[ShippingMode.SEA] == day(70 - 35 - 7 - 10)
    assert result.ship_by[ShippingMode.AIR] == day(70 - 10 - 7 - 10)
    # all 1,500 units sold by day 150; purchase 20 + 3 + 35 + 7 + 10 = 75 days before
    assert result.runout_date_all == day(150)
    assert result.purchase_by == day(75)


def test_projection_with_arrivals() -> None:
    arrivals = (calc.Arrival(day(3), 30, "inbound"),)
    days = calc.project(as_of=AS_OF, start=25, daily=10, arrivals=arrivals, days=7)
    assert [(d.start, d.arrivals, d.end, d.short) for d in days] == [
        (25, 0, 15, 0),
        (15, 0, 5, 0),
        (5, 0, 0, 5),
        (0, 30, 20, 0),
        (20, 0, 10, 0),
        (10, 0, 0, 0),
        (0, 0, 0, 10),
    ]
    assert len(calc.project(as_of=AS_OF, start=1, daily=1)) == 180
    stock = calc.StockPosition(fba_fulfillable=25, inbound_shipped=30, inbound_arrivals=arrivals)
    assert run(10, stock).stockout_date == day(2)


def test_projection_uses_the_promotion_figure_on_its_days() -> None:
    promotion = calc.Promotion(day(2), day(3), 40)
    days = calc.project(as_of=AS_OF, start=100, daily=10, promotions=(promotion,), days=5)
    assert [d.demand for d in days] == [10, 10, 40, 40, 10]
    assert [d.end for d in days] == [90, 80, 40, 0, 0]


def test_stockout_after_the_arrivals_have_run_out() -> None:
    arrivals = (calc.Arrival(day(1), 5, "inbound"), calc.Arrival(day(4), 100, "inbound"))
    from aftersales.replenishment.recommend import first_short_day

    # 20 + 5 = 25 lasts days 0–1 and half of day 2: short on day 2
    assert first_short_day(as_of=AS_OF, start=20, daily=10, arrivals=arrivals) == day(2)
    # 40 + 5 lasts to day 4, when 100 more arrive: 145 → short on day 14
    assert first_short_day(as_of=AS_OF, start=40, daily=10, arrivals=arrivals) == day(14)
    assert first_short_day(as_of=AS_OF, start=40, daily=0, arrivals=arrivals) is None


@pytest.mark.parametrize("lead_days", [0, 5])
def test_expected_returns_arrive_after_receiving(lead_days: int) -> None:
    stock = calc.StockPosition(fba_fulfillable=10, expected_returns=20)
    result = run(10, stock, calc.LeadTime(receiving_days=lead_days))
    assert result.arrivals == (calc.Arrival(day(lead_days), 20, "returns"),)


def test_a_listing_out_of_stock_for_all_its_windows_still_gets_a_quantity() -> None:
    # 30 in-stock days at 2, then 40 days out of stock: 2 a day from the last in-stock days.
    history = calc.SalesHistory(
        as_of=AS_OF,
        units=tuple([2.0] * 30 + [0.0] * 40),
        out_of_stock=tuple([False] * 30 + [True] * 40),
    )
    result = calc.recommend(
        history=history,
        rule=RULE,
        lead=calc.LeadTime(stocking_days=20, receiving_days=10, safety_days=5),
        stock=calc.StockPosition(local=60),
        constraints=calc.Constraints(),
    )
    assert result.velocity.daily == 2.0
    # Send by sea: 2 × (35 + 10) + 2 × 5 = 100 − 0 at FBA → 100, at most the 60 local units.
    assert result.send_need[ShippingMode.SEA] == 100
    assert result.send_default == 60
    # Buy: 2 × (20 + 35 + 10) + 10 = 140 − 60 local = 80.
    assert result.buy == 80
    assert result.band is Band.OUT_OF_STOCK
    assert any(step.key == "last_in_stock" for step in result.explanation)
