"""The replenishment arithmetic over many SKU × marketplace pairs at once, in Polars.

Gives the same numbers as the scalar path (``velocity.py``, ``recommend.py``) for the default
rule family: weighted windows, out-of-stock days left out, a fixed spike cap, sellable
returns netted; no percentage spike cap, promotion figure, seasonality or service-level
safety stock (``supports(rule)`` says whether a rule fits; the service computes the others
one by one with the scalar path).

``daily`` holds one row per key and day (columns: the keys, ``day``, ``units``, optionally
``out_of_stock`` and ``returns``); a day without a row is a day in stock without sales. A
key's history starts on its first row (or ``history_start``), as if the scalar
``SalesHistory`` were built from that day to the day before ``as_of`` with zeros filled in.
``covered_from`` says from which day on ``daily`` holds every row the caller has: older days
are unknown rather than in stock without sales, so the last-in-stock fallback (a key with no
counted day in any weighted window) looks back only to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import polars as pl

from aftersales.kit.i18n import N_
from aftersales.replenishment.calc import (
    EPSILON,
    LAST_IN_STOCK_LOOKBACK_DAYS,
    Band,
    InvalidRule,
    ShippingMode,
    SpikeMode,
    VelocityRule,
    VelocitySource,
)
from aftersales.replenishment.recommend import RUNOUT_HORIZON, STOCKOUT_HORIZON

# The row position of a listing inside a computation (see _stockouts).
_ROW = "_row"

KEYS: tuple[str, ...] = ("sku", "marketplace")

# Columns recommend_frame reads, with the value a missing column (or a null) stands for.
POSITION_DEFAULTS: dict[str, int] = {
    "fba_fulfillable": 0,
    "fba_reserved": 0,
    "inbound_working": 0,
    "inbound_shipped": 0,
    "inbound_receiving": 0,
    "local": 0,
    "overseas": 0,
    "expected_returns": 0,
    "on_order": 0,
    "stocking_days": 0,
    "qc_days": 0,
    "transit_sea_days": 35,
    "transit_air_days": 10,
    "transit_express_days": 5,
    "receiving_days": 0,
    "safety_days": 0,
    "cycle_days": 0,
    "transfer_days": 0,
    "case_pack": 1,
    "moq": 0,
    "overstock_days": 120,
    "soon_days": 14,
}


def supports(rule: VelocityRule) -> bool:
    return (
        rule.spike_mode in (SpikeMode.NONE, SpikeMode.CAP)
        and not rule.promotions
        and not rule.seasonality
    )


def velocity_frame(
    daily: pl.DataFrame,
    rule: VelocityRule,
    *,
    as_of: date,
    keys: Sequence[str] = KEYS,
    history_start: date | None = None,
    covered_from: date | None = None,
) -> pl.DataFrame:
    """Per key: ``ads``, ``source`` (a ``VelocitySource`` value), per window w of the rule
    ``average_w``, ``in_stock_w``, ``span_w``, ``units_w``, and the last-in-stock fallback's
    ``last_in_stock_days``, ``last_in_stock_units``, ``last_in_stock_since`` (0, 0.0 and null
    when it was not used). ``covered_from`` defaults to the start of the rule's longest
    window: pass the first day read to let the fallback look further back, at most
    ``LAST_IN_STOCK_LOOKBACK_DAYS`` before ``as_of``."""
    if not supports(rule):
        raise InvalidRule("rule", N_("the vectorised path takes the default rule family only"))
    keys = list(keys)
    columns = set(daily.columns)
    units = pl.col("units").cast(pl.Float64)
    if "returns" in columns and rule.returns_sellable_share:
        units = units - rule.returns_sellable_share * pl.col("returns").cast(pl.Float64).fill_null(
            0
        )
    if rule.spike_mode is SpikeMode.CAP and rule.spike_cap is not None:
        units = pl.min_horizontal(units, pl.lit(float(rule.spike_cap)))
    out = (
        pl.col("out_of_stock").fill_null(False)
        if "out_of_stock" in columns and rule.exclude_out_of_stock
        else pl.lit(False)
    )
    if history_start is None:
        starts = daily.group_by(keys).agg(pl.col("day").min().alias("_first"))
    else:
        starts = daily.select(keys).unique().with_columns(pl.lit(history_start).alias("_first"))
    windows = sorted(rule.weights)
    earliest = as_of - timedelta(days=rule.longest_window)
    recent = daily.filter((pl.col("day") >= earliest) & (pl.col("day") < as_of)).with_columns(
        _units=units, _out=out
    )
    sums = recent.group_by(keys).agg(
        [
            pl.col("_units")
            .filter((pl.col("day") >= as_of - timedelta(days=days)) & ~pl.col("_out"))
            .sum()
            .alias(f"units_{days}")
            for days, _ in windows
        ]
        + [
            (pl.col("_out") & (pl.col("day") >= as_of - timedelta(days=days)))
            .sum()
            .alias(f"_out_{days}")
            for days, _ in windows
        ]
    )
    age = (pl.lit(as_of) - pl.col("_first")).dt.total_days()
    frame = starts.join(sums, on=keys, how="left")
    spans = [
        pl.min_horizontal(age, pl.lit(days)).clip(lower_bound=0).alias(f"span_{days}")
        for days, _ in windows
    ]
    frame = frame.with_columns(spans)
    frame = frame.with_columns(
        [
            (pl.col(f"span_{days}") - pl.col(f"_out_{days}").fill_null(0)).alias(f"in_stock_{days}")
            for days, _ in windows
        ]
        + [pl.col(f"units_{days}").fill_null(0.0) for days, _ in windows]
    )
    frame = frame.with_columns(
        [
            pl.when(pl.col(f"in_stock_{days}") > 0)
            .then(pl.col(f"units_{days}") / pl.col(f"in_stock_{days}"))
            .otherwise(None)
            .alias(f"average_{days}")
            for days, _ in windows
        ]
    )
    numerator = pl.sum_horizontal(
        [
            pl.col(f"average_{days}").fill_null(0.0) * weight
            for days, weight in windows
            if weight > 0
        ]
    )
    denominator = pl.sum_horizontal(
        [
            pl.when(pl.col(f"average_{days}").is_not_null()).then(weight).otherwise(0.0)
            for days, weight in windows
            if weight > 0
        ]
    )
    frame = frame.with_columns(_weighted=denominator > 0, _ads=numerator / denominator)
    if covered_from is None:
        covered_from = earliest
    lookback = max(covered_from, as_of - timedelta(days=LAST_IN_STOCK_LOOKBACK_DAYS))
    frame = frame.join(
        _last_in_stock(
            daily,
            frame.filter(~pl.col("_weighted")).select([*keys, "_first"]),
            units=units,
            out=out,
            as_of=as_of,
            lookback=lookback,
            wanted=max(days for days, weight in windows if weight > 0),
            keys=keys,
        ),
        on=keys,
        how="left",
    ).with_columns(
        pl.col("last_in_stock_days").fill_null(0),
        pl.col("last_in_stock_units").fill_null(0.0),
    )
    fallback = pl.col("last_in_stock_days") > 0
    frame = frame.with_columns(
        ads=pl.when(pl.col("_weighted"))
        .then(pl.col("_ads"))
        .when(fallback)
        .then(pl.col("last_in_stock_units") / pl.col("last_in_stock_days"))
        .otherwise(0.0)
        .clip(lower_bound=0.0),
        source=pl.when(pl.col("_weighted"))
        .then(pl.lit(VelocitySource.WEIGHTED.value))
        .when(fallback)
        .then(pl.lit(VelocitySource.LAST_IN_STOCK.value))
        .otherwise(pl.lit(VelocitySource.NO_HISTORY.value)),
        last_in_stock_since=pl.when(fallback).then(pl.col("last_in_stock_since")),
    )
    keep = (
        [*keys, "ads", "source"]
        + [
            f"{name}_{days}"
            for days, _ in windows
            for name in ("average", "in_stock", "span", "units")
        ]
        + ["last_in_stock_days", "last_in_stock_units", "last_in_stock_since"]
    )
    return frame.select(keep)


def _last_in_stock(
    daily: pl.DataFrame,
    pending: pl.DataFrame,
    *,
    units: pl.Expr,
    out: pl.Expr,
    as_of: date,
    lookback: date,
    wanted: int,
    keys: list[str],
) -> pl.DataFrame:
    """Per key of ``pending`` (keys, ``_first``): the last ``wanted`` counted days from
    ``lookback`` (or the key's first day) to ``as_of``, as ``velocity._last_counted`` finds
    them, with their units and the day after the last one.

    Counting days back from ``as_of`` (offset 1 = yesterday), an out-of-stock day at offset k
    that is the i-th such day has k − i counted days after it; it lies among the last
    ``wanted`` counted days' span when k − i < wanted. With j such days, the span is
    ``wanted`` + j days (fewer when the history is shorter); the last counted day is at offset
    1 + (out days with k − i = 0)."""
    schema: dict[str, pl.DataType] = {
        **{name: daily.schema[name] for name in keys},
        "last_in_stock_days": pl.Int64(),
        "last_in_stock_units": pl.Float64(),
        "last_in_stock_since": pl.Date(),
    }
    if pending.height == 0:
        return pl.DataFrame(schema=schema)
    start = pl.max_horizontal(pl.col("_first"), pl.lit(lookback))
    spans = pending.with_columns(
        _limit=(pl.lit(as_of) - start).dt.total_days().clip(lower_bound=0),
        _start=start,
    )
    rows = (
        daily.filter((pl.col("day") >= lookback) & (pl.col("day") < as_of))
        .join(spans, on=keys, how="inner")
        .filter(pl.col("day") >= pl.col("_start"))
        .select(
            [
                *keys,
                (pl.lit(as_of) - pl.col("day")).dt.total_days().alias("_offset"),
                units.alias("_units"),
                out.alias("_out"),
            ]
        )
    )
    ranked = (
        rows.filter(pl.col("_out"))
        .sort([*keys, "_offset"])
        .with_columns(_after=pl.col("_offset") - pl.int_range(1, pl.len() + 1).over(keys))
        .group_by(keys)
        .agg(
            (pl.col("_after") < wanted).sum().alias("_within"),
            (pl.col("_after") == 0).sum().alias("_latest_out"),
        )
    )
    bounds = spans.join(ranked, on=keys, how="left").with_columns(
        _span=pl.min_horizontal(pl.lit(wanted) + pl.col("_within").fill_null(0), pl.col("_limit")),
        last_in_stock_since=pl.lit(as_of) - pl.duration(days=pl.col("_latest_out").fill_null(0)),
    )
    sums = (
        rows.join(bounds.select([*keys, "_span"]), on=keys, how="inner")
        .filter(pl.col("_offset") <= pl.col("_span"))
        .group_by(keys)
        .agg(
            pl.col("_units").filter(~pl.col("_out")).sum().alias("last_in_stock_units"),
            pl.col("_out").sum().alias("_out_days"),
        )
    )
    return bounds.join(sums, on=keys, how="left").select(
        [
            *keys,
            (pl.col("_span") - pl.col("_out_days").fill_null(0))
            .cast(pl.Int64)
            .alias("last_in_stock_days"),
            pl.col("last_in_stock_units").fill_null(0.0),
            "last_in_stock_since",
        ]
    )


def _round_up(expression: pl.Expr, pack: pl.Expr) -> pl.Expr:
    return ((expression.clip(lower_bound=0) + pack - 1) // pack) * pack


def _need(ads: pl.Expr, lead_days: pl.Expr) -> pl.Expr:
    demand = ads * (lead_days + pl.col("cycle_days")) + ads * pl.col("safety_days")
    return (demand - EPSILON).ceil().clip(lower_bound=0).cast(pl.Int64)


def recommend_frame(
    positions: pl.DataFrame,
    *,
    as_of: date,
    arrivals: pl.DataFrame | None = None,
    keys: Sequence[str] = KEYS,
) -> pl.DataFrame:
    """Per key (``positions`` holds the keys, ``ads``, the stock and settings columns of
    ``POSITION_DEFAULTS``, optional ``mode`` and ``restock_limit``; ``arrivals`` holds dated
    inbound shipments: keys, ``day``, ``quantity``): the scalar path's quantities, dates and
    band."""
    keys = list(keys)
    present = set(positions.columns)
    frame = positions.with_columns(
        [
            (pl.col(name).fill_null(default) if name in present else pl.lit(default))
            .cast(pl.Int64)
            .alias(name)
            for name, default in POSITION_DEFAULTS.items()
        ]
        + [
            pl.col("ads").cast(pl.Float64).fill_null(0.0),
            (
                pl.col("mode").fill_null(ShippingMode.SEA.value)
                if "mode" in present
                else pl.lit(ShippingMode.SEA.value)
            ).alias("mode"),
            (
                pl.col("restock_limit").cast(pl.Int64)
                if "restock_limit" in present
                else pl.lit(None, dtype=pl.Int64)
            ).alias("restock_limit"),
        ]
    )
    ads = pl.col("ads")
    pack = pl.col("case_pack")
    transit = (
        pl.when(pl.col("mode") == ShippingMode.AIR.value)
        .then(pl.col("transit_air_days"))
        .when(pl.col("mode") == ShippingMode.EXPRESS.value)
        .then(pl.col("transit_express_days"))
        .otherwise(pl.col("transit_sea_days"))
    )
    frame = frame.with_columns(
        fba_on_hand=pl.col("fba_fulfillable") + pl.col("fba_reserved"),
        inbound=pl.col("inbound_working") + pl.col("inbound_shipped") + pl.col("inbound_receiving"),
        _transit=transit,
    )
    frame = frame.with_columns(
        fba_position=pl.col("fba_on_hand") + pl.col("inbound") + pl.col("expected_returns"),
    )
    frame = frame.with_columns(
        all_stock=pl.col("fba_position")
        + pl.col("local")
        + pl.col("overseas")
        + pl.col("on_order"),
        _buy_lead=pl.col("stocking_days")
        + pl.col("qc_days")
        + pl.col("_transit")
        + pl.col("receiving_days"),
    )
    transfer_need = _need(ads, pl.col("transfer_days") + pl.col("receiving_days"))
    frame = frame.with_columns(
        transfer=pl.min_horizontal(
            _round_up(transfer_need - pl.col("fba_position"), pack),
            pl.col("overseas").clip(lower_bound=0),
        ),
        _local_packs=(pl.col("local").clip(lower_bound=0) // pack) * pack,
    )
    modes = [mode.value for mode in ShippingMode]
    frame = frame.with_columns(
        [
            _round_up(
                _need(ads, pl.col(f"transit_{mode}_days") + pl.col("receiving_days"))
                - pl.col("fba_position")
                - pl.col("transfer"),
                pack,
            ).alias(f"send_need_{mode}")
            for mode in modes
        ]
    )
    frame = frame.with_columns(
        [
            pl.min_horizontal(pl.col(f"send_need_{mode}"), pl.col("_local_packs")).alias(
                f"_send_{mode}"
            )
            for mode in modes
        ]
    )
    limit = pl.col("restock_limit")
    capped_transfer = pl.min_horizontal(pl.col("transfer"), limit)
    frame = frame.with_columns(
        _transfer_capped=pl.when(limit.is_null())
        .then(pl.col("transfer"))
        .otherwise(capped_transfer)
    )
    room = ((limit - pl.col("_transfer_capped")) // pack) * pack
    frame = frame.with_columns(
        [
            pl.when(limit.is_null())
            .then(pl.col(f"_send_{mode}"))
            .otherwise(pl.min_horizontal(pl.col(f"_send_{mode}"), room))
            .alias(f"send_{mode}")
            for mode in modes
        ]
    )
    send_default = (
        pl.when(pl.col("mode") == ShippingMode.AIR.value)
        .then(pl.col("send_air"))
        .when(pl.col("mode") == ShippingMode.EXPRESS.value)
        .then(pl.col("send_express"))
        .otherwise(pl.col("send_sea"))
    )
    raw_default = (
        pl.when(pl.col("mode") == ShippingMode.AIR.value)
        .then(pl.col("_send_air"))
        .when(pl.col("mode") == ShippingMode.EXPRESS.value)
        .then(pl.col("_send_express"))
        .otherwise(pl.col("_send_sea"))
    )
    changed = (pl.col("_transfer_capped") != pl.col("transfer")) | pl.any_horizontal(
        [pl.col(f"send_{mode}") != pl.col(f"_send_{mode}") for mode in modes]
    )
    buy_raw = _need(ads, pl.col("_buy_lead")) - pl.col("all_stock")
    frame = frame.with_columns(
        send=send_default,
        cap_before=pl.when(changed).then(pl.col("transfer") + raw_default),
        cap_after=pl.when(changed).then(pl.col("_transfer_capped") + send_default),
        buy_raw=buy_raw,
        buy=pl.when(buy_raw <= 0)
        .then(0)
        .otherwise(_round_up(pl.max_horizontal(pl.col("moq"), _round_up(buy_raw, pack)), pack)),
    ).with_columns(transfer=pl.col("_transfer_capped"))

    frame = frame.with_columns(_stockouts(frame, as_of, arrivals, keys))
    divisor = pl.when(ads > 0).then(ads).otherwise(1.0)
    runout = ((pl.col("all_stock").cast(pl.Float64) + EPSILON) / divisor).floor()
    frame = frame.with_columns(
        _runout=pl.when((ads > 0) & (runout < RUNOUT_HORIZON)).then(runout.cast(pl.Int64)),
    )
    day0 = pl.lit(as_of)

    def shifted(offset: pl.Expr) -> pl.Expr:
        return day0 + pl.duration(days=offset)

    frame = frame.with_columns(
        stockout_date=shifted(pl.col("_stockout")),
        runout_date_all=shifted(pl.col("_runout")),
        ship_by=shifted(
            pl.col("_stockout")
            - pl.col("_transit")
            - pl.col("receiving_days")
            - pl.col("safety_days")
        ),
        purchase_by=shifted(pl.col("_runout") - pl.col("_buy_lead") - pl.col("safety_days")),
        days_of_supply_fba=pl.when(ads > 0).then(pl.col("fba_on_hand") / ads),
        days_of_supply_fba_inbound=pl.when(ads > 0).then(
            (pl.col("fba_on_hand") + pl.col("inbound")) / ads
        ),
        days_of_supply_all=pl.when(ads > 0).then(pl.col("all_stock") / ads),
    )
    due = pl.min_horizontal(pl.col("ship_by"), pl.col("purchase_by"))
    overstocked = ((ads <= 0) & (pl.col("all_stock") > 0)) | (
        pl.col("days_of_supply_all") > pl.col("overstock_days")
    )
    frame = frame.with_columns(
        band=pl.when(pl.col("fba_on_hand") <= 0)
        .then(pl.lit(Band.OUT_OF_STOCK.value))
        .when(due <= day0)
        .then(pl.lit(Band.ORDER_NOW.value))
        .when(due <= day0 + pl.duration(days=pl.col("soon_days")))
        .then(pl.lit(Band.ORDER_SOON.value))
        .when(overstocked.fill_null(False))
        .then(pl.lit(Band.OVERSTOCKED.value))
        .otherwise(pl.lit(Band.HEALTHY.value))
    )
    return frame.drop([name for name in frame.columns if name.startswith("_")])


def _stockouts(
    frame: pl.DataFrame, as_of: date, arrivals: pl.DataFrame | None, keys: list[str]
) -> pl.Series:
    """First short day offset of each row of ``frame`` (one row a key), solved per stretch
    between arrivals (as ``recommend.first_short_day`` does without promotions). The rows
    are told apart by their position: grouping and windows on it cost a fraction of doing
    so on the text keys."""
    base = frame.select(
        ["ads", "fba_on_hand", "inbound", "expected_returns", "receiving_days"]
    ).with_row_index(_ROW)
    events = [
        base.select(
            [
                _ROW,
                pl.lit(0, dtype=pl.Int64).alias("offset"),
                pl.lit(0, dtype=pl.Int64).alias("quantity"),
            ]
        )
    ]
    dated_total = None
    if arrivals is not None and arrivals.height:
        dated = (
            arrivals.filter(pl.col("quantity") > 0)
            .join(frame.select(keys).with_row_index(_ROW), on=keys, how="inner")
            .select(
                [
                    _ROW,
                    (pl.col("day") - pl.lit(as_of))
                    .dt.total_days()
                    .clip(lower_bound=0)
                    .cast(pl.Int64)
                    .alias("offset"),
                    pl.col("quantity").cast(pl.Int64),
                ]
            )
        )
        events.append(dated)
        dated_total = dated.group_by(_ROW).agg(pl.col("quantity").sum().alias("_dated"))
    rest = base
    if dated_total is not None:
        rest = rest.join(dated_total, on=_ROW, how="left")
    else:
        rest = rest.with_columns(_dated=pl.lit(0, dtype=pl.Int64))
    rest = rest.with_columns(pl.col("_dated").fill_null(0))
    events.append(
        rest.select(
            [
                _ROW,
                pl.col("receiving_days").cast(pl.Int64).alias("offset"),
                (pl.col("inbound") - pl.col("_dated")).clip(lower_bound=0).alias("quantity"),
            ]
        )
    )
    events.append(
        rest.select(
            [
                _ROW,
                pl.col("receiving_days").cast(pl.Int64).alias("offset"),
                pl.col("expected_returns").clip(lower_bound=0).alias("quantity"),
            ]
        )
    )
    stretches = (
        pl.concat(events, how="vertical_relaxed")
        .group_by([_ROW, "offset"])
        .agg(pl.col("quantity").sum())
        .sort([_ROW, "offset"])
        .with_columns(
            # Per row, in order: windows over the sorted rows without grouping them again.
            _cumulative=pl.col("quantity").cum_sum()
            - pl.when(pl.col(_ROW).ne_missing(pl.col(_ROW).shift(1)))
            .then(pl.col("quantity").cum_sum() - pl.col("quantity"))
            .forward_fill(),
            _end=pl.when(pl.col(_ROW).shift(-1) == pl.col(_ROW))
            .then(pl.col("offset").shift(-1))
            .fill_null(STOCKOUT_HORIZON),
        )
        .join(base.select([_ROW, "ads", "fba_on_hand"]), on=_ROW, how="left")
    )
    supply = (pl.col("fba_on_hand") + pl.col("_cumulative")).cast(pl.Float64)
    divisor = pl.when(pl.col("ads") > 0).then(pl.col("ads")).otherwise(1.0)
    reach = ((supply + EPSILON) / divisor).floor().clip(upper_bound=float(STOCKOUT_HORIZON))
    candidate = pl.max_horizontal(pl.col("offset"), reach.cast(pl.Int64))
    # Every row has its day-0 event, so each position appears once below.
    return (
        stretches.with_columns(
            _candidate=pl.when(
                (pl.col("ads") > 0)
                & (candidate < pl.min_horizontal(pl.col("_end"), pl.lit(STOCKOUT_HORIZON)))
            ).then(candidate)
        )
        .group_by(_ROW)
        .agg(pl.col("_candidate").min().alias("_stockout"))
        .sort(_ROW)
        .get_column("_stockout")
    )
