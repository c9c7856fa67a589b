"""Average daily sales of one SKU by a velocity rule, with every window and exclusion kept.

Pure; called through ``calc.velocity``. The steps, in order: net each day of its sellable
returns; leave out days out of stock and past promotion days; cap spikes (a fixed number of
units, or a percentage above the median of the counted days of the rule's longest window);
average each window over its counted days; weight the windows (a window with no counted day
drops out and the others' weights are rescaled); scale by last year's season where there is a
year of history; a promotion running on ``as_of`` replaces the figure with its own.

Last in stock: a listing out of stock for all of its windows has no counted day in any of
them, yet it is the listing that most needs a quantity. Then the figure is the average over
the most recent counted days before (N of them, N the rule's longest weighted window, looking
back at most ``LAST_IN_STOCK_LOOKBACK_DAYS`` before ``as_of``; fewer when there are not N);
those days are also the ones the percentage spike cap and the deviation are taken from. With
no counted day in that look-back either, there is nothing to go on: 0, "no history".

Seasonality: with W the rule's longest window and N ``seasonality_days``, and at least
365 + W days of history, the factor is last year's average over the N days starting a year
before ``as_of`` divided by last year's average over the W days before that; both averages
count the same days as the windows do. A factor that cannot be computed (no counted day, or
last year's window sold nothing) leaves the weighted figure unscaled and says so.
"""

from __future__ import annotations

from datetime import timedelta
from statistics import median as _median
from statistics import stdev as _stdev

from aftersales.replenishment.calc import (
    LAST_IN_STOCK_LOOKBACK_DAYS,
    SEASON_DAYS,
    ExcludedDay,
    LastInStockAverage,
    SalesHistory,
    SpikeAdjustment,
    SpikeMode,
    VelocityResult,
    VelocityRule,
    VelocitySource,
    WindowAverage,
)


def compute(history: SalesHistory, rule: VelocityRule) -> VelocityResult:
    size = len(history.units)
    share = rule.returns_sellable_share
    values = [
        float(units) - (share * float(history.returns[index]) if history.returns else 0.0)
        for index, units in enumerate(history.units)
    ]
    counted = [True] * size
    excluded: list[ExcludedDay] = []
    for index in range(size):
        day = history.day(index)
        if rule.exclude_out_of_stock and history.out_of_stock and history.out_of_stock[index]:
            counted[index] = False
            excluded.append(ExcludedDay(day=day, reason="out_of_stock"))
        elif rule.promotion_on(day) is not None:
            counted[index] = False
            excluded.append(ExcludedDay(day=day, reason="promotion"))

    longest = rule.longest_window
    weighted_longest = max(days for days, weight in rule.weights if weight > 0)
    # The windows are the history's last days, so the longest weighted one holds the others.
    fallback: list[int] = []
    if not any(counted[index] for index in range(max(0, size - weighted_longest), size)):
        fallback = _last_counted(counted, weighted_longest)
    basis = fallback or [index for index in range(max(0, size - longest), size) if counted[index]]
    recent = [values[index] for index in basis]
    threshold: float | None = None
    if rule.spike_mode is SpikeMode.CAP:
        threshold = rule.spike_cap
    elif rule.spike_mode is SpikeMode.PERCENT and recent:
        threshold = _median(recent) * (1 + (rule.spike_percent or 0.0) / 100)
    spikes: list[SpikeAdjustment] = []
    if threshold is not None:
        for index in range(size):
            if counted[index] and values[index] > threshold:
                spikes.append(SpikeAdjustment(history.day(index), values[index], threshold))
                values[index] = threshold

    windows: list[WindowAverage] = []
    for days, weight in sorted(rule.weights):
        span = range(max(0, size - days), size)
        used = [values[index] for index in span if counted[index]]
        total = sum(used)
        windows.append(
            WindowAverage(
                days=days,
                weight=weight,
                span_days=len(span),
                in_stock_days=len(used),
                units=total,
                average=total / len(used) if used else None,
            )
        )
    usable = [window for window in windows if window.average is not None and window.weight > 0]
    weight_sum = sum(window.weight for window in usable)
    weighted = (
        sum(window.weight * (window.average or 0.0) for window in usable) / weight_sum
        if weight_sum > 0
        else 0.0
    )
    source = VelocitySource.WEIGHTED if usable else VelocitySource.NO_HISTORY
    last_in_stock: LastInStockAverage | None = None
    if not usable and fallback:
        units = sum(values[index] for index in fallback)
        last_in_stock = LastInStockAverage(
            window=weighted_longest,
            days=len(fallback),
            units=units,
            average=units / len(fallback),
            since=history.day(fallback[0] + 1),
        )
        weighted = last_in_stock.average
        source = VelocitySource.LAST_IN_STOCK
    daily = weighted

    factor: float | None = None
    has_basis = source is not VelocitySource.NO_HISTORY
    if rule.seasonality and has_basis and size >= SEASON_DAYS + longest:
        factor = _season_factor(history, values, counted, longest, rule.seasonality_days)
        if factor is not None:
            daily = weighted * factor
            if source is VelocitySource.WEIGHTED:
                source = VelocitySource.SEASONAL

    promotion = rule.promotion_on(history.as_of)
    if promotion is not None:
        daily = promotion.daily_units
        source = VelocitySource.PROMOTION

    recent_capped = [values[index] for index in basis]
    return VelocityResult(
        daily=max(0.0, daily),
        source=source,
        rule_name=rule.name,
        windows=tuple(windows),
        weighted=max(0.0, weighted),
        excluded=tuple(excluded),
        spikes=tuple(spikes),
        spike_threshold=threshold,
        seasonality_factor=factor,
        promotion=promotion,
        deviation=_stdev(recent_capped) if len(recent_capped) >= 2 else None,
        last_in_stock=last_in_stock,
    )


def _last_counted(counted: list[bool], wanted: int) -> list[int]:
    """Indices of the last ``wanted`` counted days within the look-back, latest first."""
    found: list[int] = []
    size = len(counted)
    for index in range(size - 1, max(0, size - LAST_IN_STOCK_LOOKBACK_DAYS) - 1, -1):
        if counted[index]:
            found.append(index)
            if len(found) == wanted:
                break
    return found


def _season_factor(
    history: SalesHistory,
    values: list[float],
    counted: list[bool],
    window: int,
    ahead: int,
) -> float | None:
    first = history.first_day
    last_year = history.as_of - timedelta(days=SEASON_DAYS)
    start_index = (last_year - first).days

    def average(start: int, stop: int) -> float | None:
        used = [
            values[index]
            for index in range(max(0, start), min(stop, len(values)))
            if counted[index]
        ]
        return sum(used) / len(used) if used else None

    before = average(start_index - window, start_index)
    after = average(start_index, start_index + ahead)
    if before is None or after is None or before <= 0:
        return None
    return after / before
