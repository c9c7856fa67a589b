"""A run's inputs as frames, one row per listing (marketplace × SKU) or per listing and day:
sales with out-of-stock days, stock buckets, stock outside FBA shared between marketplaces,
and the settings that apply to each listing, turned into ``calc`` objects.

Conventions (the same for the vectorised and the one-by-one path):

* A listing's history starts on its first day with sales (its first order).
* A day is out of stock when the latest inventory snapshot on or before it (at most
  ``SNAPSHOT_VALID_DAYS`` old) shows no fulfillable unit and the listing sold nothing that
  day (a sale proves there was stock).
* Stock outside FBA (own / 3PL warehouses) and purchase orders without a marketplace belong
  to the SKU, not to one marketplace: each of the SKU's marketplaces gets a share in
  proportion to its velocity (equal shares when none sells), in whole units, the remainder
  going to the fastest seller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import polars as pl

from aftersales.amazon import marketplaces
from aftersales.replenishment import calc
from aftersales.replenishment import schemas as settings_schemas
from aftersales.replenishment.schemas import PlanningSettingsValues, SkuSettingsValues

KEYS = ["marketplace_id", "sku"]
SNAPSHOT_VALID_DAYS = 7
LEAD_COLUMNS = (
    "stocking_days",
    "qc_days",
    "transit_sea_days",
    "transit_air_days",
    "transit_express_days",
    "receiving_days",
    "safety_days",
    "cycle_days",
    "transfer_days",
)


# --- settings → calc -----------------------------------------------------------------------------


def rule_of(values: settings_schemas.VelocityRule, name: str) -> calc.VelocityRule:
    weights = tuple(
        (int(window), float(weight))
        for window, weight in sorted(values.weights.items(), key=lambda item: int(item[0]))
        if weight > 0
    )
    mode = calc.SpikeMode(values.spike_mode.value)
    return calc.VelocityRule(
        name=name,
        weights=weights,
        exclude_out_of_stock=values.exclude_out_of_stock_days,
        spike_mode=mode,
        spike_cap=values.spike_value if mode is calc.SpikeMode.CAP else None,
        spike_percent=values.spike_value if mode is calc.SpikeMode.PERCENT else None,
        promotions=tuple(
            calc.Promotion(start=p.start, end=p.end, daily_units=p.daily_units)
            for p in values.promotions
        ),
        seasonality=values.seasonality,
        returns_sellable_share=values.sellable_return_share,
    )


def lead_of(values: settings_schemas.LeadTime) -> calc.LeadTime:
    z = NormalDist().inv_cdf(values.service_level) if values.service_level else None
    return calc.LeadTime(
        stocking_days=values.stocking_days,
        qc_days=values.qc_days,
        transit_days=tuple(
            (mode, values.transit_days.of(settings_schemas.ShippingMode(mode.value)))
            for mode in calc.ShippingMode
        ),
        mode=calc.ShippingMode(values.shipping_mode.value),
        receiving_days=values.receiving_days,
        safety_days=values.safety_days,
        cycle_days=values.cycle_days,
        transfer_days=values.transfer_days,
        service_level_z=z,
        lead_time_deviation=values.lead_time_deviation_days or 0.0,
    )


def lead_columns(values: settings_schemas.LeadTime) -> dict[str, object]:
    """A lead time as the columns ``frame.recommend_frame`` reads."""
    return {
        "stocking_days": values.stocking_days,
        "qc_days": values.qc_days,
        "transit_sea_days": values.transit_days.sea,
        "transit_air_days": values.transit_days.air,
        "transit_express_days": values.transit_days.express,
        "receiving_days": values.receiving_days,
        "safety_days": values.safety_days,
        "cycle_days": values.cycle_days,
        "transfer_days": values.transfer_days,
        "mode": values.shipping_mode.value,
        "service_level": values.service_level,
    }


@dataclass(frozen=True)
class Plan:
    """The settings of one store as they apply to listings."""

    settings: PlanningSettingsValues
    overrides: dict[str, SkuSettingsValues]

    def market_lead(self, marketplace_id: str) -> settings_schemas.LeadTime:
        market = marketplaces.by_id(marketplace_id)
        if market is not None and market.code in self.settings.marketplace_lead_times:
            return self.settings.marketplace_lead_times[market.code]
        return self.settings.lead_time

    def lead(self, marketplace_id: str, sku: str) -> settings_schemas.LeadTime:
        base = self.market_lead(marketplace_id)
        override = self.overrides.get(sku)
        return override.lead_time.applied_to(base) if override else base

    def rule_values(self, sku: str) -> settings_schemas.VelocityRule:
        override = self.overrides.get(sku)
        if override is not None and override.velocity is not None:
            return override.velocity
        return self.settings.velocity

    def rule(self, sku: str) -> calc.VelocityRule:
        own = self.overrides.get(sku)
        name = f"sku:{sku}" if own is not None and own.velocity is not None else "store"
        return rule_of(self.rule_values(sku), name)

    def longest_window(self) -> int:
        rules = [self.settings.velocity] + [
            o.velocity for o in self.overrides.values() if o.velocity is not None
        ]
        return max(rule_of(rule, "x").longest_window for rule in rules)

    def restock_limit(self, marketplace_id: str, storage_type: str) -> int | None:
        market = marketplaces.by_id(marketplace_id)
        for limit in self.settings.restock_limits:
            if market is not None and (limit.marketplace, limit.storage_type) == (
                market.code,
                storage_type,
            ):
                return limit.units
        return None

    def storage_type(self, sku: str) -> str:
        override = self.overrides.get(sku)
        return ((override.storage_type if override else None) or "standard").strip().lower()


def keys_as_in(frame: pl.DataFrame, like: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its listing key columns of the types ``like`` has them in (text, or
    categorical as a run reads them), so that the two join."""
    casts = [
        pl.col(name).cast(like.schema[name])
        for name in KEYS
        if name in frame.columns
        and name in like.columns
        and frame.schema[name] != like.schema[name]
    ]
    return frame.with_columns(casts) if casts else frame


def settings_frame(plan: Plan, keys: pl.DataFrame, case_packs: pl.DataFrame) -> pl.DataFrame:
    """Per listing: lead-time columns, mode, service level, case pack, MOQ, storage type,
    overstock and soon thresholds."""
    markets = keys.select("marketplace_id").unique()
    market_rows = [
        {"marketplace_id": market_id, **lead_columns(plan.market_lead(market_id))}
        for market_id in markets.get_column("marketplace_id").to_list()
    ]
    schema = {
        "marketplace_id": pl.String,
        **{name: pl.Int64 for name in LEAD_COLUMNS},
        "mode": pl.String,
        "service_level": pl.Float64,
    }
    frame = keys.join(
        keys_as_in(pl.DataFrame(market_rows, schema=schema), keys), on="marketplace_id", how="left"
    )
    override_keys = keys.filter(pl.col("sku").is_in(list(plan.overrides)))
    if override_keys.height:
        rows = [
            {
                "marketplace_id": market_id,
                "sku": sku,
                **lead_columns(plan.lead(market_id, sku)),
                "moq": plan.overrides[sku].moq,
                "own_case_pack": plan.overrides[sku].case_pack,
                "storage_type": plan.storage_type(sku),
            }
            for market_id, sku in override_keys.select(KEYS).iter_rows()
        ]
        own = pl.DataFrame(
            rows,
            schema={
                **schema,
                "sku": pl.String,
                "moq": pl.Int64,
                "own_case_pack": pl.Int64,
                "storage_type": pl.String,
            },
        )
        frame = frame.join(keys_as_in(own, keys), on=KEYS, how="left", suffix="_own").with_columns(
            [
                pl.coalesce(pl.col(f"{name}_own"), pl.col(name)).alias(name)
                for name in (*LEAD_COLUMNS, "mode")
            ]
            + [
                pl.when(pl.col("sku").is_in(list(plan.overrides)))
                .then(pl.col("service_level_own"))
                .otherwise(pl.col("service_level"))
                .alias("service_level")
            ]
        )
        frame = frame.drop([name for name in frame.columns if name.endswith("_own")])
    else:
        frame = frame.with_columns(
            moq=pl.lit(None, dtype=pl.Int64),
            own_case_pack=pl.lit(None, dtype=pl.Int64),
            storage_type=pl.lit(None, dtype=pl.String),
        )
    frame = frame.join(case_packs, on="sku", how="left")
    return frame.with_columns(
        case_pack=pl.coalesce(pl.col("own_case_pack"), pl.col("case_pack"), pl.lit(1)).clip(
            lower_bound=1
        ),
        moq=pl.col("moq").fill_null(0),
        storage_type=pl.col("storage_type").fill_null("standard"),
        overstock_days=pl.lit(plan.settings.overstock_days, dtype=pl.Int64),
        soon_days=pl.lit(plan.settings.order_soon_days, dtype=pl.Int64),
    ).drop("own_case_pack")


# --- sales and out-of-stock days -----------------------------------------------------------------


STOCKOUT_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "first_day": pl.Date,
    "last_day": pl.Date,
}


def stockout_spans(snapshots: pl.DataFrame) -> pl.DataFrame:
    """(marketplace_id, sku, first_day, last_day) of each snapshot day that showed no
    fulfillable unit (``snapshots``: one row per listing and snapshot day, as
    ``repository.snapshot_days`` reads them): the days it stands for, itself up to the
    listing's next snapshot day and at most ``SNAPSHOT_VALID_DAYS`` days in all. The import
    keeps them (``stockout_spans``); the last snapshot of ``snapshots`` stands for its whole
    validity, so a span of a listing's newest snapshot may end after the day it is read."""
    if snapshots.height == 0:
        return pl.DataFrame(schema=STOCKOUT_SCHEMA)
    valid = pl.duration(days=SNAPSHOT_VALID_DAYS - 1)
    return (
        snapshots.sort([*KEYS, "snapshot_date"])
        .with_columns(
            _next=pl.col("snapshot_date").shift(-1).over(KEYS) - pl.duration(days=1),
        )
        .filter(pl.col("fulfillable") <= 0)
        .select(
            *KEYS,
            pl.col("snapshot_date").alias("first_day"),
            pl.min_horizontal(pl.col("snapshot_date") + valid, pl.col("_next")).alias("last_day"),
        )
    )


def out_of_stock_days(
    sales: pl.DataFrame, spans: pl.DataFrame, *, first: date, as_of: date
) -> pl.DataFrame:
    """(marketplace_id, sku, day) of the days from ``first`` to the day before ``as_of`` a
    listing was out of stock (see the module's conventions): the days of its
    ``stockout_spans`` it sold nothing."""
    last = as_of - timedelta(days=1)
    clipped = spans.filter(pl.col("last_day") >= first, pl.col("first_day") <= last).select(
        *KEYS,
        pl.date_ranges(
            pl.max_horizontal(pl.col("first_day"), pl.lit(first)),
            pl.min_horizontal(pl.col("last_day"), pl.lit(last)),
        ).alias("day"),
    )
    days = clipped.explode("day").filter(pl.col("day").is_not_null())
    sold = sales.filter(pl.col("units") > 0).select([*KEYS, "day"])
    if days.height == 0:
        return sold.clear()
    return days.unique([*KEYS, "day"]).join(sold, on=[*KEYS, "day"], how="anti")


def daily_frame(
    sales: pl.DataFrame,
    out_days: pl.DataFrame,
    first_days: pl.DataFrame | None,
    *,
    first: date,
    returns: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """What ``frame.velocity_frame`` reads: one row per listing and day with sales, an
    out-of-stock flag or returns, plus a zero row on the first day of history of each
    listing older than the range (from ``first``) that ``sales`` covers (without
    ``first_days``: the history starts with the range, as a backtest replays it).

    No day is in two of these sets: an out-of-stock day sold nothing, and a first day inside
    the range is a day with sales already."""
    rows = sales.select(
        [*KEYS, "day", pl.col("units").cast(pl.Float64), pl.lit(False).alias("out_of_stock")]
    )
    parts = [rows]
    if first_days is not None:
        parts.append(
            first_days.filter(pl.col("first_day") < first).select(
                [
                    *KEYS,
                    pl.col("first_day").alias("day"),
                    pl.lit(0.0).alias("units"),
                    pl.lit(False).alias("out_of_stock"),
                ]
            )
        )
        # A listing's history starts on its first sale: no out-of-stock day before it.
        out_days = out_days.join(first_days, on=KEYS).filter(pl.col("day") >= pl.col("first_day"))
    parts.append(
        out_days.select(
            [*KEYS, "day", pl.lit(0.0).alias("units"), pl.lit(True).alias("out_of_stock")]
        )
    )
    frame = pl.concat(parts, how="vertical_relaxed")
    if returns is not None and returns.height:
        frame = frame.join(returns, on=[*KEYS, "day"], how="full", coalesce=True).with_columns(
            pl.col("units").fill_null(0.0),
            pl.col("out_of_stock").fill_null(False),
            pl.col("returns").fill_null(0.0),
        )
    return frame


def history_of(daily: pl.DataFrame, *, first_day: date, as_of: date) -> calc.SalesHistory:
    """One listing's rows of ``daily_frame`` as the scalar path's history (zeros filled in)."""
    size = max(0, (as_of - first_day).days)
    units = [0.0] * size
    out = [False] * size
    returned = [0.0] * size
    has_returns = "returns" in daily.columns
    for row in daily.iter_rows(named=True):
        index = (row["day"] - first_day).days
        if 0 <= index < size:
            units[index] = float(row["units"])
            out[index] = bool(row["out_of_stock"])
            if has_returns:
                returned[index] = float(row["returns"] or 0.0)
    return calc.SalesHistory(
        as_of=as_of,
        units=tuple(units),
        out_of_stock=tuple(out),
        returns=tuple(returned) if has_returns else (),
    )


# --- stock outside FBA, shared between marketplaces ----------------------------------------------


def shares(velocity: pl.DataFrame) -> pl.DataFrame:
    """Per listing: its share of its SKU's velocity (equal shares when the SKU sells
    nowhere), and whether it is the SKU's fastest (it takes the rounding remainder)."""
    count = pl.len().over("sku")
    total = pl.col("ads").sum().over("sku")
    # Sorted first, so a tie of velocities always gives the remainder to the same listing.
    return velocity.sort(KEYS).select(
        [
            *KEYS,
            pl.when(total > 0).then(pl.col("ads") / total).otherwise(1.0 / count).alias("share"),
            (pl.col("ads").rank("ordinal", descending=True).over("sku") == 1).alias("_first"),
        ]
    )


def purchase_orders(orders: pl.DataFrame, split: pl.DataFrame) -> pl.DataFrame:
    """(marketplace_id, sku, expected_date, quantity) of the open purchase order lines per
    listing: a line for one marketplace is that listing's, a line for the SKU is split
    between its listings by ``split``'s shares (whole units, the remainder to the fastest
    listing), expected date by expected date."""
    own = orders.filter(pl.col("marketplace_id").is_not_null()).select(
        [*KEYS, "expected_date", "quantity"]
    )
    shared = (
        orders.filter(pl.col("marketplace_id").is_null())
        .group_by("sku", "expected_date")
        .agg(pl.col("quantity").sum())
        .join(split, on="sku", how="inner")
    )
    group = ["sku", "expected_date"]
    part = (pl.col("quantity").cast(pl.Float64) * pl.col("share") + 1e-9).floor().cast(pl.Int64)
    shared = shared.with_columns(_part=part).select(
        [
            *KEYS,
            "expected_date",
            pl.when(pl.col("_first"))
            .then(pl.col("_part") + pl.col("quantity") - pl.col("_part").sum().over(group))
            .otherwise(pl.col("_part"))
            .alias("quantity"),
        ]
    )
    return (
        pl.concat([own, shared], how="vertical_relaxed")
        .group_by([*KEYS, "expected_date"])
        .agg(pl.col("quantity").sum())
        .filter(pl.col("quantity") > 0)
        .sort([*KEYS, "expected_date"])
    )


def allocate(quantities: pl.DataFrame, split: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Per listing: the SKU-level ``columns`` of ``quantities`` split by ``split``'s shares
    (whole units; the remainder to the fastest listing)."""
    frame = split.join(quantities, on="sku", how="left")
    out = []
    for name in columns:
        whole = pl.col(name).fill_null(0)
        part = (whole.cast(pl.Float64) * pl.col("share") + 1e-9).floor().cast(pl.Int64)
        rest = whole - part.sum().over("sku")
        out.append(pl.when(pl.col("_first")).then(part + rest).otherwise(part).alias(name))
    return frame.select([*KEYS, *out])
