"""Velocity rules computed by hand: windows, stock-out days, spikes, promotions, season."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from aftersales.kit.i18n import use_locale
from aftersales.replenishment import calc, explain
from aftersales.replenishment.calc import SpikeMode, VelocitySource

AS_OF = date(2026, 11, 26)


def history(units: list[float], **extra: object) -> calc.SalesHistory:
    return calc.SalesHistory(as_of=AS_OF, units=tuple(units), **extra)  # type: ignore[arg-type]


def test_default_rule_weights_the_7_14_and_30_day_windows() -> None:
    # 16 days at 5, then 7 at 10, then the last 7 at 20.
    result = calc.velocity(history([5] * 16 + [10] * 7 + [20] * 7), calc.VelocityRule())
    averages = {window.days: window.average for window in result.windows}
    assert averages == {7: 20.0, 14: 15.0, 30: pytest.approx(290 / 30)}
    # 0.5 × 20 + 0.3 × 15 + 0.2 × 9.667
    assert result.daily == pytest.approx(10 + 4.5 + 0.2 * 290 / 30)
    assert result.source is VelocitySource.WEIGHTED


def test_out_of_stock_days_are_left_out_of_units_and_days() -> None:
    # 30 units in 30 days, only 10 of them in stock: 3 a day, not 1.
    units = [3] * 10 + [0] * 20
    flags = tuple([False] * 10 + [True] * 20)
    rule = calc.VelocityRule(weights=((30, 1.0),))
    result = calc.velocity(history(units, out_of_stock=flags), rule)
    assert result.daily == 3.0
    assert result.windows[0].in_stock_days == 10
    assert len(result.excluded) == 20
    counted_anyway = calc.VelocityRule(weights=((30, 1.0),), exclude_out_of_stock=False)
    assert calc.velocity(history(units, out_of_stock=flags), counted_anyway).daily == 1.0


def test_a_window_without_an_in_stock_day_drops_out_and_weights_rescale() -> None:
    units = [6] * 23 + [0] * 7
    flags = tuple([False] * 23 + [True] * 7)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    assert result.windows[0].average is None
    # (0.3 × 6 + 0.2 × 6) / 0.5
    assert result.daily == pytest.approx(6.0)


def test_windows_shrink_to_a_young_listing() -> None:
    result = calc.velocity(history([4] * 5), calc.VelocityRule())
    assert [window.span_days for window in result.windows] == [5, 5, 5]
    assert result.daily == pytest.approx(4.0)


def test_no_history_gives_zero() -> None:
    result = calc.velocity(history([]), calc.VelocityRule())
    assert result.daily == 0.0
    assert result.source is VelocitySource.NO_HISTORY


def test_fixed_spike_cap() -> None:
    units = [2] * 27 + [100] + [2] * 2
    rule = calc.VelocityRule(spike_mode=SpikeMode.CAP, spike_cap=10)
    result = calc.velocity(history(units), rule)
    assert [(spike.units, spike.counted) for spike in result.spikes] == [(100, 10)]
    assert result.daily == pytest.approx(0.5 * 22 / 7 + 0.3 * 36 / 14 + 0.2 * 68 / 30)


def test_percentage_spike_cap_above_the_median() -> None:
    units = [2] * 27 + [100] + [2] * 2
    rule = calc.VelocityRule(spike_mode=SpikeMode.PERCENT, spike_percent=50)
    result = calc.velocity(history(units), rule)
    assert result.spike_threshold == 3.0  # median 2 + 50 %
    assert result.daily == pytest.approx(0.5 * 15 / 7 + 0.3 * 29 / 14 + 0.2 * 61 / 30)


def test_promotion_figure_replaces_velocity_and_past_promotion_days_are_left_out() -> None:
    past = calc.Promotion(AS_OF - timedelta(days=3), AS_OF - timedelta(days=1), 40)
    rule = calc.VelocityRule(weights=((30, 1.0),), promotions=(past,))
    result = calc.velocity(history([5] * 27 + [40] * 3), rule)
    assert result.daily == 5.0
    assert {day.reason for day in result.excluded} == {"promotion"}

    running = calc.Promotion(AS_OF, AS_OF + timedelta(days=6), 50)
    result = calc.velocity(history([5] * 30), calc.VelocityRule(promotions=(running,)))
    assert result.daily == 50.0
    assert result.source is VelocitySource.PROMOTION
    assert result.weighted == 5.0


def _seasonal_units(days: int) -> list[float]:
    first = AS_OF - timedelta(days=days)
    units: list[float] = []
    for index in range(days):
        day = first + timedelta(days=index)
        offset = (AS_OF - day).days  # 1 = yesterday
        if 365 < offset <= 395:
            units.append(10)  # last year's 30 days before the season
        elif 335 < offset <= 365:
            units.append(20)  # last year's next 30 days
        else:
            units.append(12)
    return units


def test_seasonality_scales_by_last_years_next_days_over_its_window() -> None:
    rule = calc.VelocityRule(weights=((30, 1.0),), seasonality=True, seasonality_days=30)
    result = calc.velocity(history(_seasonal_units(400)), rule)
    assert result.seasonality_factor == pytest.approx(2.0)
    assert result.daily == pytest.approx(24.0)
    assert result.source is VelocitySource.SEASONAL


def test_seasonality_needs_a_year_and_a_window_of_history() -> None:
    rule = calc.VelocityRule(weights=((30, 1.0),), seasonality=True)
    result = calc.velocity(history(_seasonal_units(394)), rule)
    assert result.seasonality_factor is None
    assert result.daily == pytest.approx(12.0)


def test_sellable_returns_are_netted() -> None:
    rule = calc.VelocityRule(returns_sellable_share=0.5)
    result = calc.velocity(history([10] * 30, returns=tuple([2.0] * 30)), rule)
    assert result.daily == pytest.approx(9.0)


def test_out_of_stock_for_every_window_falls_back_to_the_last_in_stock_days() -> None:
    # 20 days at 9, then 30 in-stock days at 2, then 40 days out of stock: the last 30
    # counted days sold 60 units, 2 a day (the older days at 9 are not among them).
    units = [9] * 20 + [2] * 30 + [0] * 40
    flags = tuple([False] * 50 + [True] * 40)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    assert all(window.average is None for window in result.windows)
    assert result.source is VelocitySource.LAST_IN_STOCK
    assert result.daily == 2.0
    assert result.weighted == 2.0
    assert result.last_in_stock == calc.LastInStockAverage(
        window=30, days=30, units=60.0, average=2.0, since=AS_OF - timedelta(days=40)
    )
    assert result.deviation == 0.0  # taken from the same 30 days


def test_the_fallback_takes_the_days_there_are_and_skips_older_stock_outs() -> None:
    # Oldest first: 4 in stock at 6, 3 out, 6 in stock at 1 with a 2-day stock-out between,
    # then 31 days out: 10 counted days, (4 × 6 + 6 × 1) / 10 = 3 a day.
    units = [6] * 4 + [0] * 3 + [1] * 3 + [0] * 2 + [1] * 3 + [0] * 31
    flags = tuple([False] * 4 + [True] * 3 + [False] * 3 + [True] * 2 + [False] * 3 + [True] * 31)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    assert result.last_in_stock is not None
    assert (result.last_in_stock.days, result.last_in_stock.units) == (10, 30.0)
    assert result.daily == 3.0
    assert result.last_in_stock.since == AS_OF - timedelta(days=31)


def test_the_fallback_counts_the_rules_longest_weighted_window_of_days() -> None:
    # Windows 3 and 7: the last 7 counted days before a 10-day stock-out are 5, 5, 5, 5, 12,
    # 12, 12 = 56 units, 8 a day; a fixed cap of 10 counts the 12s as 10: 50 / 7.
    units = [30] * 5 + [5] * 4 + [12] * 3 + [0] * 10
    flags = tuple([False] * 12 + [True] * 10)
    rule = calc.VelocityRule(weights=((3, 0.5), (7, 0.5)))
    assert calc.velocity(history(units, out_of_stock=flags), rule).daily == 8.0
    capped = calc.VelocityRule(weights=((3, 0.5), (7, 0.5)), spike_mode=SpikeMode.CAP, spike_cap=10)
    assert calc.velocity(history(units, out_of_stock=flags), capped).daily == pytest.approx(50 / 7)
    # A percentage cap takes its median from the same 7 days (5): 100 % above it is 10.
    percent = calc.VelocityRule(
        weights=((3, 0.5), (7, 0.5)), spike_mode=SpikeMode.PERCENT, spike_percent=100
    )
    result = calc.velocity(history(units, out_of_stock=flags), percent)
    assert result.spike_threshold == 10.0
    assert result.daily == pytest.approx(50 / 7)


def test_the_fallback_looks_back_at_most_a_year() -> None:
    # In stock 400 … 366 days ago at 3 a day, out of stock since: nothing within a year.
    units = [3] * 35 + [0] * 365
    flags = tuple([False] * 35 + [True] * 365)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    assert result.source is VelocitySource.NO_HISTORY
    assert (result.daily, result.last_in_stock) == (0.0, None)
    # One in-stock day 365 days ago is found, and is all there is.
    flags = tuple([False] * 35 + [False] + [True] * 364)
    result = calc.velocity(history([3] * 36 + [0] * 364, out_of_stock=flags), calc.VelocityRule())
    assert result.last_in_stock is not None
    assert (result.last_in_stock.days, result.daily) == (1, 3.0)
    assert result.last_in_stock.since == AS_OF - timedelta(days=364)


def test_never_in_stock_keeps_zero_and_says_so() -> None:
    flags = tuple([True] * 50)
    result = calc.velocity(history([0] * 50, out_of_stock=flags), calc.VelocityRule())
    assert result.source is VelocitySource.NO_HISTORY
    assert result.daily == 0.0
    assert result.last_in_stock is None
    with use_locale("en"):
        lines = {step.key: step.text() for step in explain.velocity_steps(result)}
    assert lines["no_history"] == (
        "No in-stock sales history: nothing to base a quantity on; "
        "enter a fixed daily figure for this SKU"
    )
    assert "last_in_stock" not in lines


def test_the_fallback_is_explained_with_its_numbers() -> None:
    units = [2.5] * 30 + [0] * 40
    flags = tuple([False] * 30 + [True] * 40)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    with use_locale("en"):
        lines = {step.key: step.text() for step in explain.velocity_steps(result)}
    assert lines["velocity"].startswith("Average daily sales 2.50/day, from the last in-stock")
    assert lines["last_in_stock"] == (
        "No in-stock day in the last 30 days: 75 units over the last 30 in-stock days "
        "before Oct 17, 2026 = 2.50/day"
    )
    assert "no_history" not in lines


def test_in_stock_days_in_the_longest_window_only_rescale_the_weights() -> None:
    # In stock 30 … 21 days ago at 4, out since: the 7- and 14-day windows drop out and the
    # 30-day window (10 counted days) carries the whole weight; no fallback.
    units = [4] * 10 + [0] * 20
    flags = tuple([False] * 10 + [True] * 20)
    result = calc.velocity(history(units, out_of_stock=flags), calc.VelocityRule())
    assert [window.average for window in result.windows] == [None, None, 4.0]
    assert result.source is VelocitySource.WEIGHTED
    assert (result.daily, result.last_in_stock) == (4.0, None)


def test_past_promotion_days_are_not_last_in_stock_days() -> None:
    # 10 days at 3, then a 5-day promotion at 20, then 30 days out of stock: the promotion
    # days are left out, so the fallback is the 10 days at 3.
    promotion = calc.Promotion(AS_OF - timedelta(days=35), AS_OF - timedelta(days=31), 20)
    rule = calc.VelocityRule(promotions=(promotion,))
    units = [3] * 10 + [20] * 5 + [0] * 30
    flags = tuple([False] * 15 + [True] * 30)
    result = calc.velocity(history(units, out_of_stock=flags), rule)
    assert result.last_in_stock is not None
    assert (result.last_in_stock.days, result.daily) == (10, 3.0)
    assert result.last_in_stock.since == AS_OF - timedelta(days=35)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weights": ((5, 1.0),)}, "weights"),
        ({"weights": ((7, -1.0),)}, "weights"),
        ({"weights": ((7, 0.0),)}, "weights"),
        ({"spike_mode": SpikeMode.CAP}, "spike_cap"),
        ({"returns_sellable_share": 1.5}, "returns_sellable_share"),
    ],
)
def test_bad_rules_name_their_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(calc.InvalidRule) as raised:
        calc.VelocityRule(**kwargs)  # type: ignore[arg-type]
    assert raised.value.field_name == field


def test_day_ranges_group_consecutive_days_oldest_first() -> None:
    days = [
        date(2026, 5, 3),
        date(2026, 5, 1),
        date(2026, 5, 2),
        date(2026, 5, 5),
        date(2026, 5, 5),
    ]
    assert explain.day_ranges(days) == [
        (date(2026, 5, 1), date(2026, 5, 3)),
        (date(2026, 5, 5), date(2026, 5, 5)),
    ]
    assert explain.day_ranges([]) == []
