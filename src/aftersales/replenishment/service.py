"""Recommendations for every listing (marketplace × SKU) of a store.

The inputs are read in a few set-based queries (``repository``, ``inputs``); listings whose
rule the vectorised path takes (``frame.supports``, no service-level safety stock) are
computed all at once in Polars, the others one by one with the pure calculation
(``calc.recommend``); both give the same numbers (tests/replenishment/test_service_frame.py).
Results replace the store's previous ones in one bulk write, with a run row. A listing's
full worded explanation and projection are recomputed on demand by ``explain``.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.db import sqlite_memory
from aftersales.db.session import READ_ONLY
from aftersales.exceptions import NotFound
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import ReplenishmentRun
from aftersales.replenishment import (
    calc,
    frame,
    inbound_eta,
    inputs,
    schemas,
    settings_service,
    stored_explanation,
)
from aftersales.replenishment import repository as run_repository
from aftersales.replenishment.inputs import KEYS, Plan

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# A run's steps: inputs read, velocities made, quantities computed and stored (in parts).
STEPS = 3
# History read for rules the vectorised path does not take (seasonality looks a year back).
LONG_HISTORY_DAYS = calc.SEASON_DAYS + 90 + 31


class ListingNotFound(NotFound):
    code = "listing_not_found"


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    store_id: int
    as_of: date
    listings: int
    one_by_one: int  # listings computed by the scalar path
    counts: dict[str, int]


@dataclass
class Loaded:
    """A store's inputs (or one SKU's, for an explanation)."""

    keys: pl.DataFrame
    daily: pl.DataFrame  # inputs.daily_frame over the longest window
    first_days: pl.DataFrame
    stock: pl.DataFrame
    local: pl.DataFrame
    orders: pl.DataFrame
    settings: pl.DataFrame
    # Refunded units not back yet and the share expected sellable (repository.returns_on_the_way).
    returning: pl.DataFrame
    # Inbound units by status with the day each lot reaches FBA (inbound_eta.ARRIVAL_SCHEMA).
    inbound: pl.DataFrame
    # The listings out of stock on every day read (KEYS), whatever they hold now.
    out_throughout: pl.DataFrame


def _now() -> datetime:
    return datetime.now(UTC)


def plan_of(session: Session, store_id: int) -> Plan:
    return Plan(
        settings=settings_service.settings_values(session, store_id=store_id),
        overrides=settings_service.sku_settings_of(session, store_id=store_id),
    )


Read = Callable[[Session], pl.DataFrame]
T = TypeVar("T")
# The results are stored this many rows at a time, each part made while the database takes
# the one before (``repository.replace_results``).
WRITE_ROWS = 10_000
# The results are computed this many listings at a time, each part written while the next is
# computed (``_results_in_parts``). On the 100,000-listing benchmark, PostgreSQL's COPY then
# overlaps the computing (the run 2.05 s against 2.18 s in one part; 10,000 a part: 2.17 s,
# each part's fixed cost); on SQLite the same within the noise.
PART_LISTINGS = 25_000


def _read_all(session: Session, reads: dict[str, Read], parallel: bool) -> dict[str, pl.DataFrame]:
    """Run the reads in the session, or side by side on connections of their own: on
    PostgreSQL each query runs in its server process while the others wait; on SQLite, once
    its memory statistics are off (``db.sqlite_memory``), in as many threads as there are
    cores. Side by side, they see committed data only: for callers whose unit of work has
    written nothing yet (the run command, the background job). ``reads`` are taken in order,
    the biggest first."""
    # SQLite reads side by side with the statistics on were slower than one after the other
    # (the 100,000-listing benchmark: 4.8 s against 4.0 s on two cores): every allocation of
    # either thread queued on the statistics' mutex.
    workers = len(reads)
    if session.get_bind().dialect.name == "sqlite":
        workers = min(workers, os.cpu_count() or 1) if sqlite_memory.statistics_off() else 1
    if not parallel or workers < 2:
        return {name: read(session) for name, read in reads.items()}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            name: pool.submit(_in_own_session, session, read) for name, read in reads.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _in_own_session(session: Session, read: Callable[[Session], T]) -> T:
    """``read`` in a read-only transaction on a connection of its own (committed data)."""
    engine = session.get_bind().engine.execution_options(**{READ_ONLY: True})
    with Session(bind=engine) as own:
        return read(own)


def _load(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    plan: Plan,
    days: int,
    only: run_repository.Only | None = None,
    parallel: bool = False,
    history_only: bool = False,
) -> Loaded:
    """The inputs of the store's listings over ``days`` days before ``as_of``: of every
    listing, or of those ``only`` names (one SKU for an explanation). ``history_only`` reads
    the sales history alone (a longer look back for some listings); the other frames are then
    empty."""
    first, last = as_of - timedelta(days=days), as_of - timedelta(days=1)
    expected = schemas.defaults()["expected_returns"]
    rules = [plan.settings.velocity] + [
        o.velocity for o in plan.overrides.values() if o.velocity is not None
    ]
    # In the order the reads take longest (side by side, each worker takes the next read
    # when it is done with one; on the 100,000-listing benchmark: the sales 0.32 s, the
    # inbound history 0.2 s, the stock 0.11 s, the first days 0.09 s, the rest a few ms).
    reads: dict[str, Read] = {
        "sales": lambda s: run_repository.daily_sales(
            s, store_id=store_id, first=first, last=last, only=only
        ),
        "inbound_history": lambda s: _inbound_history(s, store_id=store_id, as_of=as_of, only=only),
        "stock": lambda s: run_repository.latest_stock(
            s, store_id=store_id, as_of=as_of, only=only
        ),
        "first_days": lambda s: run_repository.first_sale_days(s, store_id=store_id, only=only),
        "stockouts": lambda s: run_repository.stockout_spans(
            s, store_id=store_id, first=first, last=last, only=only
        ),
        "returning": lambda s: run_repository.returns_on_the_way(
            s,
            store_id=store_id,
            as_of=as_of,
            window_days=int(expected["window_days"]),
            history_days=int(expected["history_days"]),
            only=only,
        ),
        "local": lambda s: run_repository.local_stock(s, store_id=store_id),
        "orders": lambda s: run_repository.open_purchase_orders(s, store_id=store_id),
        "case_packs": lambda s: run_repository.case_packs(s, store_id=store_id),
        "shipped": lambda s: run_repository.shipped_plan_lines(s, store_id=store_id),
    }
    if history_only:
        reads = {name: reads[name] for name in ("sales", "first_days", "stockouts")}
    if any(rule.sellable_return_share > 0 for rule in rules):
        reads["returns"] = lambda s: run_repository.daily_returns(
            s, store_id=store_id, first=first, last=last, only=only
        )
    read = _read_all(session, reads, parallel)
    if only is not None:
        read = {name: _limited(data, only) for name, data in read.items()}
    # The listing keys as categories from here on: joins and groups by listing compare
    # numbers instead of text (the benchmark's run: 0.6 s from read to write, 0.7 s as text).
    read = {name: _categorical_keys(data) for name, data in read.items()}
    sales = read["sales"]
    # The listings with sales in the range: the others have no history to start.
    sold = sales.select(KEYS).unique()
    first_days = read["first_days"].join(sold, on=KEYS, how="semi")
    stock = read.get("stock", _empty(run_repository.STOCK_SCHEMA))
    lots = None
    if not history_only:
        lots = _inbound_lots(read["inbound_history"], stock=stock, shipped=read["shipped"])
        stock = _with_unreported(stock, lots)
    out_days = inputs.out_of_stock_days(sales, read["stockouts"], first=first, as_of=as_of)
    out_throughout = out_days.group_by(KEYS).len().filter(pl.col("len") >= days).select(KEYS)
    daily = inputs.daily_frame(
        sales, out_days, first_days, first=first, returns=read.get("returns")
    )
    keys = pl.concat([sold, stock.select(KEYS)], how="vertical_relaxed").unique().sort(KEYS)
    settings = inputs.settings_frame(
        plan, keys, read.get("case_packs", _empty(run_repository.PACK_SCHEMA))
    )
    inbound = pl.DataFrame(schema=inbound_eta.ARRIVAL_SCHEMA)
    if lots is not None:
        inbound = inbound_eta.arrivals(lots, settings, as_of=as_of)
    frames = {
        "keys": keys,
        "daily": daily,
        "first_days": first_days,
        "stock": stock,
        "local": read.get("local", _empty(run_repository.LOCAL_SCHEMA)),
        "orders": read.get("orders", _empty(run_repository.ORDER_SCHEMA)),
        "settings": settings,
        "returning": read.get("returning", _empty(run_repository.RETURNING_SCHEMA)),
        "inbound": inbound,
        "out_throughout": out_throughout,
    }
    return Loaded(**{name: _categorical_keys(data) for name, data in frames.items()})


def _inbound_lots(
    history: pl.DataFrame, *, stock: pl.DataFrame, shipped: pl.DataFrame
) -> pl.DataFrame:
    """The inbound lots of ``stock``'s listings, dated by their snapshot ``history``
    (``repository.inbound_history``: the levels the import keeps, a few changes a listing,
    read for the store at once), the units of the ``shipped`` plans set apart
    (``inbound_eta.lots`` then ``claim``), as of the report each listing's inbound units are
    from. The lots' listing keys are of ``stock``'s type (``inbound_eta`` works on text: a
    few thousand lots, built row by row)."""
    history, shipped, text_stock = (_text_keys(data) for data in (history, shipped, stock))
    moving = text_stock.filter(
        pl.sum_horizontal(pl.col(name).fill_null(0) for name in inbound_eta.COLUMNS) > 0
    ).select(KEYS)
    reported = text_stock.with_columns(
        snapshot_date=pl.coalesce(pl.col("inbound_date"), pl.col("snapshot_date"))
    )
    moved = history.join(moving, on=KEYS, how="semi")
    lots = inbound_eta.claim(inbound_eta.lots(reported, moved), shipped, reported)
    return inputs.keys_as_in(lots, stock)


def _inbound_history(
    session: Session, *, store_id: int, as_of: date, only: run_repository.Only | None
) -> pl.DataFrame:
    """The inbound history ``_inbound_lots`` dates the units with, as of ``as_of``."""
    return run_repository.inbound_history(
        session,
        store_id=store_id,
        first=as_of - timedelta(days=inbound_eta.LOOKBACK_DAYS),
        last=as_of,
        only=only,
    )


def _with_unreported(stock: pl.DataFrame, lots: pl.DataFrame) -> pl.DataFrame:
    """``stock`` with the units of shipped plans the reports could not show yet
    (``inbound_eta.claim``) counted as inbound shipped (a listing in no report gets a row)."""
    extra = (
        lots.filter(~pl.col("reported"))
        .group_by(KEYS)
        .agg(pl.col("quantity").sum().alias("_unreported"))
    )
    if extra.height == 0:
        return stock
    return (
        stock.join(extra, on=KEYS, how="full", coalesce=True)
        .with_columns(
            *(
                pl.col(name).fill_null(0)
                for name in run_repository.STOCK_SCHEMA
                if name not in (*KEYS, "snapshot_date", "inbound_date")
            )
        )
        .with_columns(pl.col("inbound_shipped") + pl.col("_unreported").fill_null(0))
        .drop("_unreported")
    )


def _categorical_keys(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(name).cast(pl.Categorical) for name in KEYS if name in frame)


def _text_keys(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(name).cast(pl.String) for name in KEYS if name in frame)


def _empty(schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _limited(data: pl.DataFrame, only: run_repository.Only) -> pl.DataFrame:
    """``data`` of the listings ``only`` names (the small store-wide reads are not limited
    at all; their rows without a marketplace stay)."""
    keys = only.keys()
    if keys is None:
        return data.filter(pl.col("sku").is_in(only.skus))
    if "marketplace_id" not in data.columns:
        return data.filter(pl.col("sku").is_in(keys.get_column("sku").unique()))
    return pl.concat(
        [
            data.filter(pl.col("marketplace_id").is_null()),
            data.join(keys, on=KEYS, how="semi"),
        ]
    )


# --- velocity --------------------------------------------------------------------------------------


def _one_by_one(plan: Plan, settings: pl.DataFrame) -> pl.Series:
    """Whether each listing needs the scalar path (its rule or a service level)."""
    rules = {sku: frame.supports(plan.rule(sku)) for sku in plan.overrides}
    store_fits = frame.supports(plan.rule(""))
    fits = pl.col("sku").replace_strict(rules, default=store_fits, return_dtype=pl.Boolean)
    return settings.select((~fits) | pl.col("service_level").is_not_null()).to_series()


VELOCITY_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "ads": pl.Float64,
    "source": pl.String,
    "rule": pl.String,
    "windows": pl.String,
}


@dataclass
class Velocities:
    frame: pl.DataFrame  # keys, ads, rule, windows (list of structs)
    scalar: dict[tuple[str, str], calc.VelocityResult]
    histories: dict[tuple[str, str], calc.SalesHistory]


def _rule_groups(plan: Plan, daily: pl.DataFrame) -> list[tuple[calc.VelocityRule, pl.DataFrame]]:
    """``daily`` split by the velocity rule its listings follow."""
    # Listings without their own rule share the store's (the usual case: one pass).
    own = {sku for sku, values in plan.overrides.items() if values.velocity is not None}
    groups = [(plan.rule(""), daily.filter(~pl.col("sku").is_in(list(own))) if own else daily)]
    for sku in sorted(own):
        groups.append((plan.rule(sku), daily.filter(pl.col("sku") == sku)))
    return [(rule, rows) for rule, rows in groups if rows.height]


def _vector_velocities(
    daily: pl.DataFrame, plan: Plan, *, as_of: date, covered_from: date | None = None
) -> list[pl.DataFrame]:
    return [
        frame.velocity_frame(rows, rule, as_of=as_of, keys=KEYS, covered_from=covered_from).select(
            [
                *KEYS,
                "ads",
                "source",
                pl.lit(rule.name).alias("rule"),
                stored_explanation.windows([days for days, _ in rule.weights]).alias("windows"),
            ]
        )
        for rule, rows in _rule_groups(plan, daily)
    ]


def _velocities(
    loaded: Loaded, plan: Plan, scalar_keys: pl.DataFrame, *, as_of: date, long: Loaded | None
) -> Velocities:
    vector_keys = loaded.keys.join(scalar_keys, on=KEYS, how="anti")
    vector_daily = (
        loaded.daily.join(vector_keys, on=KEYS, how="semi") if scalar_keys.height else loaded.daily
    )
    parts = _vector_velocities(vector_daily, plan, as_of=as_of)
    scalar: dict[tuple[str, str], calc.VelocityResult] = {}
    histories: dict[tuple[str, str], calc.SalesHistory] = {}
    if scalar_keys.height and long is not None:
        firsts = dict(
            ((m, s), d) for m, s, d in long.first_days.select([*KEYS, "first_day"]).iter_rows()
        )
        by_key = long.daily.partition_by(KEYS, as_dict=True)
        start = as_of - timedelta(days=LONG_HISTORY_DAYS)
        rows = []
        for market_id, sku in scalar_keys.select(KEYS).iter_rows():
            key = (market_id, sku)
            first_day = firsts.get(key)
            if first_day is None:
                continue
            history = inputs.history_of(
                by_key.get(key, long.daily.clear()), first_day=max(first_day, start), as_of=as_of
            )
            rule = plan.rule(sku)
            result = calc.velocity(history, rule)
            scalar[key], histories[key] = result, history
            rows.append(
                {
                    "marketplace_id": market_id,
                    "sku": sku,
                    "ads": result.daily,
                    "source": result.source.value,
                    "rule": rule.name,
                    "windows": stored_explanation.windows_of(result),
                }
            )
        if rows:
            parts.append(_categorical_keys(pl.DataFrame(rows)))
    velocity = _categorical_keys(
        pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame(schema=VELOCITY_SCHEMA)
    )
    velocity = loaded.keys.join(velocity, on=KEYS, how="left").with_columns(
        pl.col("ads").fill_null(0.0)
    )
    return Velocities(velocity, scalar, histories)


def _without_counted_days(
    loaded: Loaded, velocity: pl.DataFrame, scalar_keys: pl.DataFrame
) -> pl.DataFrame:
    """The vectorised listings with no counted day in any window: every day in them out of
    stock, or no row in them at all (no sale) and no fulfillable unit now or out of stock on
    every day read (back in stock today: the pure calculation, which reads their history,
    plans them from their last in-stock days too)."""
    vector = velocity.join(scalar_keys, on=KEYS, how="anti")
    empty = _out_of_stock(loaded)
    return pl.concat(
        [
            vector.filter(pl.col("source") == calc.VelocitySource.NO_HISTORY.value).select(KEYS),
            vector.filter(pl.col("source").is_null()).join(empty, on=KEYS, how="semi").select(KEYS),
        ]
    ).unique()


def _out_of_stock(loaded: Loaded) -> pl.DataFrame:
    """The listings (KEYS) with no fulfillable unit now or out of stock on every day read."""
    now = loaded.stock.filter(pl.col("fulfillable").fill_null(0) <= 0).select(KEYS)
    return pl.concat([now, loaded.out_throughout])


def _likely_without_counted_days(loaded: Loaded, scalar_keys: pl.DataFrame) -> pl.DataFrame:
    """A guess, before the velocities, at ``_without_counted_days``: the vectorised listings
    with no sale in the windows (a day with a sale counts), and no fulfillable unit now or
    out of stock on every day read."""
    empty = _out_of_stock(loaded)
    sold = loaded.daily.filter(pl.col("units") > 0).select(KEYS)
    return (
        loaded.keys.join(scalar_keys, on=KEYS, how="anti")
        .join(empty, on=KEYS, how="semi")
        .join(sold, on=KEYS, how="anti")
    )


def _last_in_stock(
    velocity: pl.DataFrame, long: pl.DataFrame, pending: pl.DataFrame, plan: Plan, *, as_of: date
) -> pl.DataFrame:
    """``velocity`` with the ``pending`` listings recomputed from ``long``, the daily frame
    of their long history (of more listings, maybe), whose velocity is then the average of
    their last in-stock days (``replenishment.velocity``)."""
    daily = long.join(pending, on=KEYS, how="semi")
    covered_from = as_of - timedelta(days=LONG_HISTORY_DAYS)
    parts = _vector_velocities(daily, plan, as_of=as_of, covered_from=covered_from)
    if not parts:
        return velocity
    found = pl.concat(parts, how="diagonal_relaxed")
    rest = velocity.join(found.select(KEYS), on=KEYS, how="anti")
    updated = pl.concat([rest, found], how="diagonal_relaxed")
    return velocity.select(KEYS).join(updated, on=KEYS, how="left")


# --- positions ---------------------------------------------------------------------------------------


def _positions(
    loaded: Loaded, velocity: pl.DataFrame, split: pl.DataFrame, orders: pl.DataFrame
) -> pl.DataFrame:
    """Per listing: velocity, FBA buckets, its share of the stock outside FBA (``split``) and
    of the open purchase orders (``orders``: ``inputs.purchase_orders``), settings."""
    local = inputs.allocate(loaded.local, split, ("local", "overseas"))
    on_order = orders.group_by(KEYS).agg(pl.col("quantity").sum().alias("on_order"))
    stock = loaded.stock.select(
        [
            *KEYS,
            pl.col("fulfillable").alias("fba_fulfillable"),
            pl.col("reserved").alias("fba_reserved"),
            "inbound_working",
            "inbound_shipped",
            "inbound_receiving",
        ]
    )
    positions = (
        velocity.join(stock, on=KEYS, how="left")
        .join(local, on=KEYS, how="left")
        .join(on_order, on=KEYS, how="left")
        .join(loaded.settings, on=KEYS, how="left")
    )
    # Whole units only: 3 refunds at a 50 % sellable share are 1 unit expected back.
    expected = (
        (pl.col("refunded_waiting") * pl.col("sellable_share").fill_null(0.0) + 1e-9)
        .floor()
        .cast(pl.Int64)
    )
    return (
        positions.join(loaded.returning, on=KEYS, how="left")
        .with_columns(
            on_order=pl.col("on_order").fill_null(0), expected_returns=expected.fill_null(0)
        )
        .drop("refunded_waiting", "sellable_share")
    )


# --- recommendations -------------------------------------------------------------------------------


def _scalar_inputs(
    row: dict[str, Any],
    plan: Plan,
    inbound: tuple[calc.Arrival, ...],
    orders: tuple[calc.Arrival, ...],
) -> tuple[calc.LeadTime, calc.StockPosition, calc.Constraints]:
    lead = inputs.lead_of(plan.lead(row["marketplace_id"], row["sku"]))
    stock = calc.StockPosition(
        fba_fulfillable=int(row["fba_fulfillable"] or 0),
        fba_reserved=int(row["fba_reserved"] or 0),
        inbound_working=int(row["inbound_working"] or 0),
        inbound_shipped=int(row["inbound_shipped"] or 0),
        inbound_receiving=int(row["inbound_receiving"] or 0),
        local=int(row["local"] or 0),
        overseas=int(row["overseas"] or 0),
        expected_returns=int(row["expected_returns"] or 0),
        inbound_arrivals=inbound,
        purchase_orders=orders,
    )
    constraints = calc.Constraints(
        case_pack=int(row["case_pack"] or 1),
        moq=int(row["moq"] or 0),
        restock_limit=row.get("restock_limit"),
        overstock_days=int(row["overstock_days"]),
        soon_days=int(row["soon_days"]),
    )
    return lead, stock, constraints


def _scalar_row(recommendation: calc.Recommendation, lead: calc.LeadTime) -> dict[str, Any]:
    mode = lead.mode
    cap = recommendation.cap
    return {
        "send": recommendation.send[mode],
        **{f"send_{m.value}": recommendation.send[m] for m in recommendation.send},
        **{f"send_need_{m.value}": recommendation.send_need[m] for m in recommendation.send_need},
        "transfer": recommendation.transfer,
        "buy": recommendation.buy,
        "cap_before": cap.before if cap else None,
        "cap_after": cap.after if cap else None,
        "stockout_date": recommendation.stockout_date,
        "ship_by": recommendation.ship_by[mode],
        "purchase_by": recommendation.purchase_by,
        "days_of_supply_fba": recommendation.days_of_supply_fba,
        "days_of_supply_fba_inbound": recommendation.days_of_supply_fba_inbound,
        "days_of_supply_all": recommendation.days_of_supply_all,
        "band": recommendation.band.value,
    }


OUTPUT_SCHEMA = {
    "send": pl.Int64,
    **{f"send_{m.value}": pl.Int64 for m in calc.ShippingMode},
    **{f"send_need_{m.value}": pl.Int64 for m in calc.ShippingMode},
    "transfer": pl.Int64,
    "buy": pl.Int64,
    "cap_before": pl.Int64,
    "cap_after": pl.Int64,
    "stockout_date": pl.Date,
    "ship_by": pl.Date,
    "purchase_by": pl.Date,
    "days_of_supply_fba": pl.Float64,
    "days_of_supply_fba_inbound": pl.Float64,
    "days_of_supply_all": pl.Float64,
    "band": pl.String,
}


Arrivals = dict[tuple[str, str], tuple[calc.Arrival, ...]]


def _inbound_arrivals(inbound: pl.DataFrame) -> Arrivals:
    found: dict[tuple[str, str], list[calc.Arrival]] = {}
    columns = ["marketplace_id", "sku", "status", "since", "quantity", "day", "mode", "shipment"]
    for market_id, sku, status, since, quantity, day, mode, shipment in inbound.select(
        columns
    ).iter_rows():
        arrival = calc.Arrival(
            day,
            quantity,
            "inbound",
            status=status,
            since=since,
            shipment=shipment,
            mode=mode if shipment is not None else None,
        )
        found.setdefault((market_id, sku), []).append(arrival)
    return {key: tuple(arrivals) for key, arrivals in found.items()}


def _order_arrivals(orders: pl.DataFrame) -> Arrivals:
    """Open purchase orders per listing, each on its expected day at the local warehouse."""
    found: dict[tuple[str, str], list[calc.Arrival]] = {}
    columns = ["marketplace_id", "sku", "expected_date", "quantity"]
    for market_id, sku, day, quantity in orders.select(columns).iter_rows():
        found.setdefault((market_id, sku), []).append(calc.Arrival(day, quantity, "purchase_order"))
    return {key: tuple(arrivals) for key, arrivals in found.items()}


def _recommend(
    positions: pl.DataFrame,
    scalar_keys: pl.DataFrame,
    velocities: Velocities,
    plan: Plan,
    as_of: date,
    inbound: pl.DataFrame,
    orders: pl.DataFrame,
) -> tuple[pl.DataFrame, dict[tuple[str, str], calc.Recommendation]]:
    vector = positions.join(scalar_keys, on=KEYS, how="anti")
    parts = []
    if vector.height:
        arrivals = inbound.join(vector.select(KEYS), on=KEYS, how="semi")
        computed = frame.recommend_frame(
            vector, as_of=as_of, keys=KEYS, arrivals=arrivals.select([*KEYS, "day", "quantity"])
        )
        parts.append(computed.select([*KEYS, *OUTPUT_SCHEMA]))
    recommendations: dict[tuple[str, str], calc.Recommendation] = {}
    rows = []
    scalar_inbound = _inbound_arrivals(inbound.join(scalar_keys, on=KEYS, how="semi"))
    scalar_orders = _order_arrivals(orders.join(scalar_keys, on=KEYS, how="semi"))
    for row in positions.join(scalar_keys, on=KEYS, how="semi").iter_rows(named=True):
        key = (row["marketplace_id"], row["sku"])
        lead, stock, constraints = _scalar_inputs(
            row, plan, scalar_inbound.get(key, ()), scalar_orders.get(key, ())
        )
        history = velocities.histories.get(key) or calc.SalesHistory(as_of=as_of, units=())
        recommendation = calc.recommend(
            history=history,
            rule=plan.rule(row["sku"]),
            lead=lead,
            stock=stock,
            constraints=constraints,
            velocity=velocities.scalar.get(key),
        )
        recommendations[key] = recommendation
        rows.append({"marketplace_id": key[0], "sku": key[1], **_scalar_row(recommendation, lead)})
    if rows:
        schema = {"marketplace_id": pl.String, "sku": pl.String, **OUTPUT_SCHEMA}
        parts.append(_categorical_keys(pl.DataFrame(rows, schema=schema)))
    if not parts:
        return positions.clear().with_columns(
            [pl.lit(None, dtype=dtype).alias(name) for name, dtype in OUTPUT_SCHEMA.items()]
        ), recommendations
    outputs = pl.concat(parts, how="vertical_relaxed")
    return positions.join(outputs, on=KEYS, how="left"), recommendations


def _restock_limits(plan: Plan, first_pass: pl.DataFrame) -> pl.DataFrame | None:
    """Per listing of a marketplace and storage type with a restock limit: what FBA still
    accepts for it. The limit's room (limit − units on hand and inbound there) goes to the
    listings in order of their stock-out date (soonest first), each taking what it needs."""
    if not plan.settings.restock_limits or first_pass.height == 0:
        return None
    limits = pl.DataFrame(
        [
            {"marketplace_id": m.id, "storage_type": limit.storage_type, "limit": limit.units}
            for limit in plan.settings.restock_limits
            if (m := marketplaces.resolve(limit.marketplace)) is not None
        ],
        schema={"marketplace_id": pl.String, "storage_type": pl.String, "limit": pl.Int64},
    )
    limits = inputs.keys_as_in(limits, first_pass)
    group = ["marketplace_id", "storage_type"]
    used = (
        pl.col("fba_fulfillable").fill_null(0)
        + pl.col("fba_reserved").fill_null(0)
        + pl.col("inbound_working").fill_null(0)
        + pl.col("inbound_shipped").fill_null(0)
        + pl.col("inbound_receiving").fill_null(0)
    )
    ranked = (
        first_pass.join(limits, on=group, how="inner")
        .with_columns(_need=pl.col("transfer") + pl.col("send"), _used=used)
        .with_columns(_room=pl.col("limit") - pl.col("_used").sum().over(group))
        .sort(["stockout_date", "sku"], nulls_last=True)
        .with_columns(_before=pl.col("_need").cum_sum().over(group) - pl.col("_need"))
    )
    return ranked.select(
        [*KEYS, (pl.col("_room") - pl.col("_before")).clip(lower_bound=0).alias("restock_limit")]
    )


@dataclass
class _Ready:
    """Every listing's position (stock, velocity, settings), what the quantities come from."""

    positions: pl.DataFrame
    scalar_keys: pl.DataFrame  # the listings the scalar path computes
    velocities: Velocities
    plan: Plan
    as_of: date
    inbound: pl.DataFrame
    orders: pl.DataFrame

    def recommend(
        self, positions: pl.DataFrame | None = None
    ) -> tuple[pl.DataFrame, dict[tuple[str, str], calc.Recommendation]]:
        """The quantities of ``positions`` (default: every listing's)."""
        return _recommend(
            self.positions if positions is None else positions,
            self.scalar_keys,
            self.velocities,
            self.plan,
            self.as_of,
            self.inbound,
            self.orders,
        )


def _with_restock_limits(
    ready: _Ready,
) -> tuple[pl.DataFrame, dict[tuple[str, str], calc.Recommendation]]:
    """Every listing's quantities; where a marketplace's storage type has a restock limit,
    computed again with each listing's share of the room (``_restock_limits``)."""
    results, recommendations = ready.recommend()
    limits = _restock_limits(ready.plan, results)
    if limits is not None and limits.height:
        ready.positions = ready.positions.join(limits, on=KEYS, how="left")
        results, recommendations = ready.recommend()
    return results, recommendations


def _results_in_parts(ready: _Ready, rows: int) -> Iterator[pl.DataFrame]:
    """The results in frames of ``rows``, computed ``PART_LISTINGS`` listings at a time so
    that the first are written while the next are computed: a listing's figures are its
    own, unless restock limits share a marketplace's room between its listings (then every
    listing is computed first)."""
    if ready.plan.settings.restock_limits:
        results, _ = _with_restock_limits(ready)
        yield from results.iter_slices(rows)
        return
    for positions in ready.positions.iter_slices(PART_LISTINGS):
        yield from ready.recommend(positions)[0].iter_slices(rows)


def _prepare(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    plan: Plan,
    vectorised: bool,
    sku: str | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> _Ready:
    def step(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)

    only = run_repository.Only.sku(sku) if sku is not None else None
    loaded = _load(
        session,
        store_id=store_id,
        as_of=as_of,
        plan=plan,
        days=plan.longest_window(),
        only=only,
        parallel=parallel,
    )
    step(1)
    needs_scalar = _one_by_one(plan, loaded.settings) if vectorised else None
    scalar_keys = (
        loaded.settings.filter(needs_scalar).select(KEYS)
        if needs_scalar is not None
        else loaded.keys
    )

    def history(listings: pl.DataFrame, db: Session = session) -> Loaded:
        """A year of sales of ``listings``: by listing when they are few (each one an index
        seek), else of the whole store (a year of every listing is the slow read)."""
        few = only or (
            run_repository.Only.of(listings)
            if listings.height <= run_repository.MAX_LISTINGS_IN_A_READ
            else None
        )
        return _load(
            db,
            store_id=store_id,
            as_of=as_of,
            plan=plan,
            days=LONG_HISTORY_DAYS,
            only=few,
            parallel=parallel,
            history_only=True,
        )

    long = history(scalar_keys) if scalar_keys.height else None
    # The listings the velocities will find out of stock for every window are nearly always
    # those with no sale in the windows and no unit now: when reads may go on connections of
    # their own, their long history is read while the velocities are made (a listing the
    # guess missed is read after them).
    guess = _likely_without_counted_days(loaded, scalar_keys)
    with ThreadPoolExecutor(max_workers=1) as ahead:
        early = (
            ahead.submit(_in_own_session, session, lambda own: history(guess, own))
            if parallel and 0 < guess.height <= run_repository.MAX_LISTINGS_IN_A_READ
            else None
        )
        velocities = _velocities(loaded, plan, scalar_keys, as_of=as_of, long=long)
        pending = _without_counted_days(loaded, velocities.frame, scalar_keys)
        if pending.height:
            # Out of stock for every window: their velocity comes from the last in-stock
            # days, up to a year back, so these listings need the long history too.
            if early is None:
                daily = history(pending).daily
            else:
                daily = early.result().daily
                missed = pending.join(guess, on=KEYS, how="anti")
                if missed.height:
                    daily = pl.concat([daily, history(missed).daily], how="vertical_relaxed")
            velocities.frame = _last_in_stock(velocities.frame, daily, pending, plan, as_of=as_of)
    step(2)
    split = inputs.shares(velocities.frame.select([*KEYS, "ads"]))
    orders = inputs.purchase_orders(loaded.orders, split)
    positions = _positions(loaded, velocities.frame, split, orders)
    return _Ready(positions, scalar_keys, velocities, plan, as_of, loaded.inbound, orders)


def _stored(results: pl.DataFrame, *, run_id: int, store_id: int) -> pl.DataFrame:
    """The result rows as ``repository.RESULT_COLUMNS``, the explanation's inputs as JSON."""
    if "restock_limit" not in results.columns:
        results = results.with_columns(restock_limit=pl.lit(None, dtype=pl.Int64))
    fba = pl.col("fba_fulfillable").fill_null(0) + pl.col("fba_reserved").fill_null(0)
    inbound = (
        pl.col("inbound_working").fill_null(0)
        + pl.col("inbound_shipped").fill_null(0)
        + pl.col("inbound_receiving").fill_null(0)
    )
    return results.select(
        pl.lit(run_id).alias("run_id"),
        pl.lit(store_id).alias("store_id"),
        "marketplace_id",
        "sku",
        pl.col("ads").alias("velocity"),
        fba.alias("fba_stock"),
        inbound.alias("inbound_stock"),
        (
            pl.col("local").fill_null(0)
            + pl.col("overseas").fill_null(0)
            + pl.col("on_order").fill_null(0)
        ).alias("other_stock"),
        "days_of_supply_fba",
        pl.col("days_of_supply_fba_inbound").alias("days_of_supply_inbound"),
        "days_of_supply_all",
        "stockout_date",
        "ship_by",
        "purchase_by",
        pl.col("send").fill_null(0).alias("send_quantity"),
        pl.col("buy").fill_null(0).alias("buy_quantity"),
        pl.col("transfer").fill_null(0).alias("transfer_quantity"),
        pl.col("cap_before").is_not_null().alias("cap_applied"),
        "band",
        stored_explanation.encode().alias("explanation"),
    )


def run(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    progress: Progress | None = None,
    vectorised: bool = True,
    parallel_reads: bool = False,
) -> RunSummary:
    """Compute and store the recommendations of every listing of the store (the caller owns
    the transaction). ``vectorised=False`` computes every listing one by one (for checks);
    ``parallel_reads`` reads the inputs side by side, committed data only (for a unit of
    work that has written nothing before the run)."""
    started = _now()
    plan = plan_of(session, store_id)
    ready = _prepare(
        session,
        store_id=store_id,
        as_of=as_of,
        plan=plan,
        vectorised=vectorised,
        progress=progress,
        parallel=parallel_reads,
    )
    record = run_repository.add_run(
        session,
        ReplenishmentRun(
            store_id=store_id,
            as_of=as_of,
            started_at=started,
            rules=plan.settings.model_dump(mode="json"),
            listings=0,
            counts={},
        ),
    )
    counted: Counter[str] = Counter()

    def stored() -> Iterator[pl.DataFrame]:
        # Each part is written while the next is computed (``_results_in_parts``).
        for part in _results_in_parts(ready, WRITE_ROWS):
            counted.update(dict(part.group_by("band").len().iter_rows()))
            yield _stored(part, run_id=record.id, store_id=store_id)

    listings = run_repository.replace_results(session, store_id=store_id, results=stored())
    counts = {str(band): int(number) for band, number in counted.items() if band is not None}
    record.listings, record.counts, record.finished_at = listings, counts, _now()
    session.flush()
    if progress is not None:
        progress(STEPS, STEPS)
    one_by_one = ready.scalar_keys.height
    log.info(
        "replenishment.run",
        extra={"store_id": store_id, "listings": listings, "one_by_one": one_by_one},
    )
    return RunSummary(record.id, store_id, as_of, listings, one_by_one, counts)


def inbound_schedule(session: Session, *, store_id: int, as_of: date) -> pl.DataFrame:
    """The store's inbound units by listing, status and day first seen, with the day each
    lot reaches FBA (``inbound_eta.ARRIVAL_SCHEMA``), by the settings a run would use."""
    plan = plan_of(session, store_id)
    stock = run_repository.latest_stock(session, store_id=store_id, as_of=as_of)
    lots = _inbound_lots(
        _inbound_history(session, store_id=store_id, as_of=as_of, only=None),
        stock=stock,
        shipped=run_repository.shipped_plan_lines(session, store_id=store_id),
    )
    if lots.height == 0:
        return pl.DataFrame(schema=inbound_eta.ARRIVAL_SCHEMA)
    keys = lots.select(KEYS).unique()
    settings = inputs.settings_frame(
        plan, keys, run_repository.case_packs(session, store_id=store_id)
    )
    return inbound_eta.arrivals(lots, settings, as_of=as_of).sort(["day", *KEYS, "status"])


def explain(
    session: Session, *, scope: Scope, store_id: int, marketplace_id: str, sku: str, as_of: date
) -> calc.Recommendation:
    """One listing's recommendation computed by the pure calculation, with its worded
    explanation (the restock room it was given in the last run, if any)."""
    if store_id not in scope.store_ids:
        raise ListingNotFound(N_("no such listing"))
    ready = _prepare(
        session,
        store_id=store_id,
        as_of=as_of,
        plan=plan_of(session, store_id),
        vectorised=False,
        sku=sku,
    )
    stored = run_repository.result_for(
        session, store_id=store_id, marketplace_id=marketplace_id, sku=sku
    )
    limit = None
    if stored is not None:
        limit = (parse_explanation(stored.explanation).get("constraints") or {}).get(
            "restock_limit"
        )
    if limit is not None:
        restock = pl.DataFrame(
            {"marketplace_id": [marketplace_id], "sku": [sku], "restock_limit": [limit]}
        )
        ready.positions = ready.positions.join(
            inputs.keys_as_in(restock, ready.positions), on=KEYS, how="left"
        )
        _, recommendations = ready.recommend()
    else:
        _, recommendations = _with_restock_limits(ready)
    found = recommendations.get((marketplace_id, sku))
    if found is None:
        raise ListingNotFound(N_("no sales or stock for %(sku)s in this marketplace"), sku=sku)
    return found


def latest_run(session: Session, *, store_id: int) -> ReplenishmentRun | None:
    return run_repository.latest_run(session, store_id=store_id)


def run_by_id(session: Session, *, run_id: int) -> ReplenishmentRun:
    found = session.get(ReplenishmentRun, run_id)
    if found is None:
        raise NotFound(N_("no such run"))
    return found


def parse_explanation(value: str | list[Any] | dict[str, Any] | None) -> dict[str, Any]:
    """A stored result's inputs by name (``stored_explanation.decode``)."""
    return stored_explanation.decode(value)
