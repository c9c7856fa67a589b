"""Keeping what replenishment reads of the inventory reports current: each listing's newest
figures (``inventory_latest``), the spans its snapshots showed it out of stock
(``stockout_spans``) and the days its inbound units changed (``inbound_levels``). After an
inventory import, for the listings and days its batch wrote; on demand, for a whole store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon.reports import ALL_SPECS
from aftersales.db import statistics
from aftersales.imports.targets import targets_for
from aftersales.models import InboundLevel, InventorySnapshot, LatestInventory, StockoutSpan
from aftersales.replenishment import inbound_eta, inputs, repository

# Report types whose rows are inventory snapshots.
INVENTORY_REPORT_TYPES = frozenset(
    report_type
    for spec in ALL_SPECS
    if any(target.table is InventorySnapshot.__table__ for target in targets_for(spec))
    for report_type in spec.all_types()
)
# A snapshot stands for at most this many days after its own.
_REACH = timedelta(days=inputs.SNAPSHOT_VALID_DAYS - 1)


def after_import(session: Session, *, store_id: int, batch_id: int, report_type: str) -> int:
    """Recompute the listings an inventory import wrote or changed; 0 for other reports."""
    if report_type not in INVENTORY_REPORT_TYPES:
        return 0
    listings = repository.batch_listings(session, batch_id=batch_id)
    return refresh(session, store_id=store_id, listings=listings) if listings.height else 0


def refresh(session: Session, *, store_id: int, listings: pl.DataFrame | None = None) -> int:
    """Recompute the kept figures, out-of-stock spans and inbound levels of ``listings`` (KEY
    columns, and ``first_day`` / ``last_day`` when only the snapshots of those days changed;
    None: every listing of the store, every day) from their snapshots; returns the listings
    kept."""
    whole_store = listings is None or listings.height > 2 * repository.MAX_LISTINGS_IN_A_READ
    if whole_store:
        # The figures before (for the levels' fast path) matter to an import only.
        before = (
            repository.kept_latest_stock(session, store_id=store_id)
            if listings is not None
            else pl.DataFrame(schema=repository.STOCK_SCHEMA)
        )
        newest = repository.computed_latest_stock(session, store_id=store_id, as_of=None)
        kept = repository.replace_latest_stock(session, store_id=store_id, only=None, rows=newest)
    else:
        assert listings is not None
        parts, before_parts = [], []
        for chunk in _chunks(listings):
            only = repository.Only.of(chunk)
            before_parts.append(repository.kept_latest_stock(session, store_id=store_id, only=only))
            rows = repository.computed_latest_stock(
                session, store_id=store_id, as_of=None, only=only
            )
            repository.replace_latest_stock(session, store_id=store_id, only=only, rows=rows)
            parts.append(rows)
        newest, before = pl.concat(parts), pl.concat(before_parts)
        kept = newest.height
    _refresh_history(session, store_id=store_id, listings=listings, newest=newest, before=before)
    if listings is None:
        statistics.refresh(
            session,
            LatestInventory,
            StockoutSpan,
            InboundLevel,
        )
    return kept


def _chunks(listings: pl.DataFrame) -> list[pl.DataFrame]:
    step = repository.MAX_LISTINGS_IN_A_READ
    return [listings.slice(start, step) for start in range(0, listings.height, step)]


def _refresh_history(
    session: Session,
    *,
    store_id: int,
    listings: pl.DataFrame | None,
    newest: pl.DataFrame,
    before: pl.DataFrame,
) -> None:
    """The spans and levels kept of the snapshot history. A new or changed snapshot on day D
    changes the spans starting from D − the reach (the one before it may now end sooner) to
    D; the snapshots read go to D + the reach (the next one ends D's span). It changes the
    levels from D to the listing's next day with inbound units reported (whether that one is
    a change depends on D's); the level before D is the kept one. The usual import, one day that is each
    listing's newest, reads no snapshot at all (``_advance``, from ``newest`` and ``before``:
    the listings' kept figures after and before the import)."""
    if listings is None:
        empty = pl.DataFrame(schema=inputs.STOCKOUT_SCHEMA)
        repository.replace_stockout_spans(session, store_id=store_id, only=None, rows=empty)
        repository.replace_inbound_levels(
            session,
            store_id=store_id,
            only=None,
            rows=pl.DataFrame(schema=inbound_eta.LEVEL_SCHEMA),
        )
        listings = newest.select(inputs.KEYS)
    dated = "first_day" in listings.columns
    if dated:
        listings = _advance(
            session, store_id=store_id, listings=listings, newest=newest, before=before
        )
    for chunk in _chunks(listings):
        only = repository.Only.of(chunk)
        if not dated:
            days = repository.snapshot_days(session, store_id=store_id, only=only)
            spans = inputs.stockout_spans(days)
            repository.replace_stockout_spans(session, store_id=store_id, only=only, rows=spans)
            levels = inbound_eta.levels(days)
            repository.replace_inbound_levels(session, store_id=store_id, only=only, rows=levels)
            continue
        first = _day(chunk.get_column("first_day").min())
        last = _day(chunk.get_column("last_day").max())
        following = repository.next_inbound_days(session, store_id=store_id, after=last, only=only)
        until = max(last + _REACH, _day(following.get_column("day").max() or last))
        days = repository.snapshot_days(
            session, store_id=store_id, first=first - _REACH, last=until, only=only
        )
        spans = inputs.stockout_spans(days).filter(
            pl.col("first_day").is_between(first - _REACH, last)
        )
        repository.replace_stockout_spans(
            session, store_id=store_id, only=only, rows=spans, first=first - _REACH, last=last
        )
        before = repository.levels_in_effect(
            session, store_id=store_id, on=first - timedelta(days=1), only=only
        )
        levels = inbound_eta.levels(days.filter(pl.col("snapshot_date") >= first), before)
        repository.replace_inbound_levels(
            session, store_id=store_id, only=only, rows=levels, first=first, last=until
        )


def _advance(
    session: Session,
    *,
    store_id: int,
    listings: pl.DataFrame,
    newest: pl.DataFrame,
    before: pl.DataFrame,
) -> pl.DataFrame:
    """Move the spans and levels of the listings whose one changed day is their newest
    (``newest``: their kept figures, just refreshed) forward from those figures; returns the
    other listings. The level before that day is the one of the figures kept ``before`` the
    import, unless they were of the same day (a report imported again): then the kept one."""
    names = list(inbound_eta.COLUMNS)
    previous = before.select(
        *inputs.KEYS,
        pl.col("snapshot_date").alias("_before_day"),
        *(pl.col(name).alias(f"_before_{name}") for name in names),
    )
    ahead = (
        listings.join(
            newest.select(*inputs.KEYS, "snapshot_date", "fulfillable", *names, "inbound_date"),
            on=inputs.KEYS,
        )
        .filter(
            (pl.col("first_day") == pl.col("last_day"))
            & (pl.col("last_day") == pl.col("snapshot_date"))
        )
        .join(previous, on=inputs.KEYS, how="left")
    )
    for (day,), same_day in ahead.partition_by("last_day", as_dict=True).items():
        for chunk in _chunks(same_day):
            only = repository.Only.of(chunk)
            repository.advance_stockout_spans(
                session,
                store_id=store_id,
                only=only,
                day=_day(day),
                empty=chunk.filter(pl.col("fulfillable") <= 0).select(inputs.KEYS),
                reach=_REACH.days,
            )
            _advance_levels(session, store_id=store_id, day=_day(day), chunk=chunk)
    return listings.join(ahead, on=inputs.KEYS, how="anti")


def _advance_levels(session: Session, *, store_id: int, day: date, chunk: pl.DataFrame) -> None:
    """The level rows of ``day`` of ``chunk``'s listings (``_advance``'s frame): from their
    newest figures where those are of the day (a report without inbound units, the AFN one,
    changes no level)."""
    names = list(inbound_eta.COLUMNS)
    again = pl.col("_before_day").is_not_null() & (pl.col("_before_day") >= day)
    chunk = chunk.with_columns(
        pl.when(pl.col("inbound_date") == day).then(pl.col(name)).alias(name) for name in names
    )
    moved_on = chunk.filter(~again)
    if moved_on.height:
        # Nothing is kept on or after the day: its level follows the figures before it.
        before = moved_on.filter(pl.col("_before_day").is_not_null()).select(
            *inputs.KEYS, *(pl.col(f"_before_{name}").alias(name) for name in names)
        )
        repository.add_inbound_levels(
            session, store_id=store_id, rows=inbound_eta.levels(moved_on, before)
        )
    for part in _chunks(chunk.filter(again)):
        only = repository.Only.of(part)
        kept = repository.levels_in_effect(
            session, store_id=store_id, on=day - timedelta(days=1), only=only
        )
        repository.replace_inbound_levels(
            session, store_id=store_id, only=only, rows=inbound_eta.levels(part, kept), first=day
        )


def _day(value: Any) -> date:
    assert isinstance(value, date)
    return value
