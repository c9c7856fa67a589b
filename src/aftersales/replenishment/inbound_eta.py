"""When the inbound units of each listing reach FBA, from the inventory reports and the
inbound plans marked shipped.

The reports give inbound units per listing in three statuses and no shipment dates:
``working`` (a shipment created, not shipped yet), ``shipped`` (in transit) and
``receiving`` (at the fulfilment centre, being received and put away). Their history does
give dates: the units of a status are dated by the snapshot day they first appeared in it.
Units leave a status oldest first, so the units still in it now are the newest increases
of its count (a rise of 40 on 3 May, then a drop of 10, then a rise of 25 on 17 May leaves
30 from 3 May and 25 from 17 May). The history is the levels the import keeps (``levels``:
a row on the days a listing's figures changed); the level in effect when the look back
starts counts as arriving that day (its units were there by then). Units the history cannot
place (no level in the look back shows them arriving) date from the newest snapshot.

Each lot then arrives by the listing's lead time (``mode`` and its transit days, receiving
days):

* working: not shipped yet, so today + transit + receiving;
* shipped: first seen + transit (today at the earliest: a late shipment is still coming) +
  receiving;
* receiving: first seen + receiving (today at the earliest).

An inbound plan marked shipped (``inbound`` plans: the day it left, its mode) knows better
than the reports: its units take the place of the listing's in-transit units (shipped, then
working; the newest first, as the older ones predate the plan) and count as shipped on the
day it left, by the plan's mode. Units of a plan that left on or after the listing's newest
report, beyond what that report shows, are added (the report could not know them: without
them a run would tell the seller to send the same units again the day after shipping).

Pure: frames in, frames out (``service`` reads them; ``calc.Arrival`` carries the result to
the explanation).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

KEYS = ["marketplace_id", "sku"]
# How far back the snapshot history is read to date the inbound units.
LOOKBACK_DAYS = 180
STATUSES = ("working", "shipped", "receiving")
COLUMNS = {f"inbound_{status}": status for status in STATUSES}
ARRIVAL_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "status": pl.String,
    "since": pl.Date,
    "quantity": pl.Int64,
    "day": pl.Date,
    # The lead time the day was found with.
    "mode": pl.String,
    "transit_days": pl.Int64,
    "receiving_days": pl.Int64,
    # The shipped inbound plan the units are in (None: dated by the reports).
    "plan_id": pl.Int64,
    "shipment": pl.String,
    # False: a shipped plan's units the reports could not show yet (``claim``).
    "reported": pl.Boolean,
}
# The lines of a store's shipped plans (``repository.shipped_plan_lines``).
SHIPPED_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "plan_id": pl.Int64,
    "shipment": pl.String,  # Amazon's shipment ID, else the plan's name
    "shipped_on": pl.Date,
    "plan_mode": pl.String,
    "quantity": pl.Int64,
}
PLAN_COLUMNS = {name: SHIPPED_SCHEMA[name] for name in ("plan_id", "shipment", "plan_mode")}
# What ``lots`` and ``claim`` give.
LOT_SCHEMA = {
    **{name: ARRIVAL_SCHEMA[name] for name in ("marketplace_id", "sku", "status", "since")},
    "quantity": pl.Int64,
    **PLAN_COLUMNS,
    "reported": pl.Boolean,
}
# In-transit statuses, in the order a shipped plan's units take their place.
IN_TRANSIT = ("shipped", "working")


# What the import keeps of the snapshot history (``inbound_levels``): a listing's inbound
# units on the snapshot days they changed.
LEVEL_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "day": pl.Date,
    **{name: pl.Int64 for name in COLUMNS},
}


def levels(snapshots: pl.DataFrame, before: pl.DataFrame | None = None) -> pl.DataFrame:
    """``LEVEL_SCHEMA`` rows of the snapshot days whose inbound units differ from the
    listing's previous snapshot day (``snapshots``: one row per listing and day with
    ``snapshot_date`` and the ``COLUMNS``, as ``repository.snapshot_days`` reads them). The
    level before a listing's first day in ``snapshots`` is its row of ``before`` (KEYS and
    ``COLUMNS``: the level in effect, as kept), zero without one. A day with the ``COLUMNS``
    null (no report of the day gave inbound units) changes nothing."""
    names = list(COLUMNS)
    snapshots = snapshots.filter(pl.any_horizontal(pl.col(name).is_not_null() for name in names))
    if snapshots.height == 0:
        return pl.DataFrame(schema=LEVEL_SCHEMA)
    days = snapshots.select(*KEYS, pl.col("snapshot_date").alias("day"), *names)
    if before is not None and before.height:
        # The level in effect, as a row before every day (dropped again below).
        start = before.join(days.select(KEYS).unique(), on=KEYS, how="semi").select(
            *KEYS, pl.lit(None, dtype=pl.Date).alias("day"), *names
        )
        days = pl.concat([start, days.cast({name: pl.Int64 for name in names})])
    ordered = days.sort([*KEYS, "day"], nulls_last=False).with_columns(
        pl.col(name).fill_null(0).cast(pl.Int64) for name in names
    )
    # Sorted by listing: a row's previous level is the row above, unless it starts a listing.
    starts = pl.any_horizontal(pl.col(key) != pl.col(key).shift(1) for key in KEYS)
    previous = pl.when(starts.fill_null(True)).then(0)
    changed = pl.any_horizontal(
        pl.col(name) != previous.otherwise(pl.col(name).shift(1)) for name in names
    )
    return ordered.filter(changed & pl.col("day").is_not_null()).select(*KEYS, "day", *names)


def _by_status(frame: pl.DataFrame, date_column: str, value: str) -> pl.DataFrame:
    return (
        frame.select([*KEYS, date_column, *COLUMNS])
        .unpivot(
            index=[*KEYS, date_column], on=list(COLUMNS), variable_name="status", value_name=value
        )
        .with_columns(pl.col("status").replace_strict(COLUMNS, return_dtype=pl.String))
    )


def lots(stock: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """(marketplace_id, sku, status, since, quantity, then ``PLAN_COLUMNS`` null and
    ``reported`` true until ``claim``): each listing's inbound units now (``stock``: the
    newest snapshot's buckets and ``snapshot_date``) by the day they were first seen in their
    status (``history``: the snapshot days of the look back, as
    ``repository.inbound_history`` reads them)."""
    group = [*KEYS, "status"]
    current = (
        _by_status(stock, "snapshot_date", "current")
        .with_columns(pl.col("current").fill_null(0))
        .filter(pl.col("current") > 0)
    )
    if current.height == 0:
        return pl.DataFrame(schema=LOT_SCHEMA)
    increases = (
        _by_status(history, "snapshot_date", "units")
        .join(current.select(group), on=group, how="semi")
        .sort([*group, "snapshot_date"])
        .with_columns(
            _rise=(
                pl.col("units").fill_null(0)
                - pl.col("units").fill_null(0).shift(1).over(group).fill_null(0)
            ).clip(lower_bound=0)
        )
        .filter(pl.col("_rise") > 0)
        # Units of the same status and newer: the newest rises are the units still there.
        .with_columns(_newer=pl.col("_rise").cum_sum(reverse=True).over(group) - pl.col("_rise"))
        .join(current.select([*group, "current"]), on=group)
        .filter(pl.col("_newer") < pl.col("current"))
        .select(
            [
                *group,
                pl.col("snapshot_date").alias("since"),
                pl.min_horizontal(pl.col("_rise"), pl.col("current") - pl.col("_newer"))
                .cast(pl.Int64)
                .alias("quantity"),
            ]
        )
    )
    placed = increases.group_by(group).agg(pl.col("quantity").sum().alias("_placed"))
    unplaced = (
        current.join(placed, on=group, how="left")
        .with_columns(quantity=pl.col("current") - pl.col("_placed").fill_null(0))
        .filter(pl.col("quantity") > 0)
        .select([*group, pl.col("snapshot_date").alias("since"), pl.col("quantity").cast(pl.Int64)])
    )
    return (
        pl.concat([increases, unplaced])
        .sort([*group, "since"])
        .with_columns(
            *(pl.lit(None, dtype=dtype).alias(name) for name, dtype in PLAN_COLUMNS.items()),
            reported=pl.lit(True),
        )
    )


def claim(
    lots_frame: pl.DataFrame, shipped: pl.DataFrame, reported_on: pl.DataFrame
) -> pl.DataFrame:
    """``lots_frame`` (``lots``) with the units of shipped plans (``SHIPPED_SCHEMA``) set
    apart as lots of their own: status shipped since the day the plan left, with its
    ``plan_id``, ``shipment`` and ``plan_mode`` (null on the other lots). Each plan, the
    oldest first, takes its quantity from the listing's shipped lots and then its working
    lots, the newest first, splitting a lot where needed.

    Units a plan has left over are units the reports do not show in transit. When it left on
    or after the listing's newest report (``reported_on``: KEYS and ``snapshot_date``, as
    ``stock``; or the listing is in none), that report could not show them: they are added as a lot with
    ``reported`` false (the caller counts them as inbound). Otherwise they are taken as
    received already and left out. Every other lot has ``reported`` true."""
    if shipped.height == 0:
        return lots_frame
    newest: dict[tuple[str, str], date] = {
        (market_id, sku): day
        for market_id, sku, day in reported_on.select([*KEYS, "snapshot_date"]).iter_rows()
        if day is not None
    }
    plans: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for line in shipped.sort(["shipped_on", "plan_id"]).iter_rows(named=True):
        plans.setdefault((line["marketplace_id"], line["sku"]), []).append(line)
    touched_keys = shipped.select(KEYS).unique()
    listings = {
        (str(market_id), str(sku)): frame.to_dicts()
        for (market_id, sku), frame in lots_frame.join(touched_keys, on=KEYS, how="semi")
        .partition_by(KEYS, as_dict=True)
        .items()
    }
    rows: list[dict[str, Any]] = []
    for (market_id, sku), listing_plans in plans.items():
        lots_left = listings.get((market_id, sku), [])
        order = sorted(
            (lot for lot in lots_left if lot["status"] in IN_TRANSIT),
            key=lambda lot: (IN_TRANSIT.index(lot["status"]), -lot["since"].toordinal()),
        )
        for plan in listing_plans:
            wanted = int(plan["quantity"])
            for lot in order:
                taken = min(wanted, int(lot["quantity"]))
                if taken > 0:
                    lot["quantity"] -= taken
                    wanted -= taken
                    rows.append(_plan_lot(plan, taken, reported=True))
            report_day = newest.get((market_id, sku))
            if wanted > 0 and (report_day is None or plan["shipped_on"] >= report_day):
                rows.append(_plan_lot(plan, wanted, reported=False))
        rows.extend(lot for lot in lots_left if lot["quantity"] > 0)
    claimed = (
        pl.DataFrame(rows, schema=lots_frame.schema, orient="row") if rows else lots_frame.clear()
    )
    untouched = lots_frame.join(touched_keys, on=KEYS, how="anti")
    return pl.concat([untouched, claimed]).sort([*KEYS, "status", "since"])


def _plan_lot(plan: dict[str, Any], quantity: int, *, reported: bool) -> dict[str, Any]:
    return {
        "marketplace_id": plan["marketplace_id"],
        "sku": plan["sku"],
        "status": "shipped",
        "since": plan["shipped_on"],
        "quantity": quantity,
        **{name: plan[name] for name in PLAN_COLUMNS},
        "reported": reported,
    }


def arrivals(lots_frame: pl.DataFrame, settings: pl.DataFrame, *, as_of: date) -> pl.DataFrame:
    """``lots_frame`` with the ``day`` each lot reaches FBA by its listing's ``settings``
    (``mode``, ``transit_{mode}_days``, ``receiving_days``; a shipped plan's lots by the
    plan's mode), columns ``ARRIVAL_SCHEMA``."""
    if lots_frame.height == 0:
        return pl.DataFrame(schema=ARRIVAL_SCHEMA)
    mode = pl.coalesce(pl.col("plan_mode"), pl.col("mode")).fill_null("sea")
    transit = (
        pl.when(mode == "air")
        .then(pl.col("transit_air_days"))
        .when(mode == "express")
        .then(pl.col("transit_express_days"))
        .otherwise(pl.col("transit_sea_days"))
        .fill_null(0)
    )
    receiving = pl.duration(days=pl.col("receiving_days").fill_null(0))
    today = pl.lit(as_of)
    status = pl.col("status")
    day = (
        pl.when(status == "working")
        .then(today + pl.duration(days=transit) + receiving)
        .when(status == "shipped")
        .then(pl.max_horizontal(pl.col("since") + pl.duration(days=transit), today) + receiving)
        .otherwise(pl.max_horizontal(pl.col("since") + receiving, today))
    )
    columns = ["mode", "transit_sea_days", "transit_air_days", "transit_express_days"]
    return (
        lots_frame.join(settings.select([*KEYS, *columns, "receiving_days"]), on=KEYS, how="left")
        .with_columns(
            day=day.cast(pl.Date),
            mode=mode,
            transit_days=transit.cast(pl.Int64),
            receiving_days=pl.col("receiving_days").fill_null(0).cast(pl.Int64),
        )
        .select(list(ARRIVAL_SCHEMA))
    )
