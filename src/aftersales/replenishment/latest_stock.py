"""Keeping what replenishment reads of the inventory reports current: each listing's newest
figures (``inventory_latest``) and the spans its snapshots showed it out of stock
(``stockout_spans``). After an inventory import, for the listings and days its batch wrote;
on demand, for a whole store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon.reports import ALL_SPECS
from aftersales.imports.targets import targets_for
from aftersales.models import InventorySnapshot
from aftersales.replenishment import inputs, repository

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
    """Recompute the kept figures and out-of-stock spans of ``listings`` (KEY columns, and
    ``first_day`` / ``last_day`` when only the snapshots of those days changed; None: every
    listing of the store, every day) from their snapshots; returns the listings kept."""
    if listings is None or listings.height > 2 * repository.MAX_LISTINGS_IN_A_READ:
        newest = repository.computed_latest_stock(session, store_id=store_id, as_of=None)
        kept = repository.replace_latest_stock(session, store_id=store_id, only=None, rows=newest)
    else:
        parts = []
        for chunk in _chunks(listings):
            only = repository.Only.of(chunk)
            rows = repository.computed_latest_stock(
                session, store_id=store_id, as_of=None, only=only
            )
            repository.replace_latest_stock(session, store_id=store_id, only=only, rows=rows)
            parts.append(rows)
        newest = pl.concat(parts)
        kept = newest.height
    _refresh_spans(session, store_id=store_id, listings=listings, newest=newest)
    return kept


def _chunks(listings: pl.DataFrame) -> list[pl.DataFrame]:
    step = repository.MAX_LISTINGS_IN_A_READ
    return [listings.slice(start, step) for start in range(0, listings.height, step)]


def _refresh_spans(
    session: Session, *, store_id: int, listings: pl.DataFrame | None, newest: pl.DataFrame
) -> None:
    """A new or changed snapshot on day D changes the spans starting from D − the reach (the
    one before it may now end sooner) to D; the snapshots read go to D + the reach (the next
    one ends D's span). The usual import, one day that is each listing's newest, needs no
    snapshot read at all (``_advance_spans``, from ``newest``: the listings' kept figures)."""
    if listings is None:
        repository.replace_stockout_spans(
            session, store_id=store_id, only=None, rows=pl.DataFrame(schema=inputs.STOCKOUT_SCHEMA)
        )
        listings = newest.select(inputs.KEYS)
    dated = "first_day" in listings.columns
    if dated:
        listings = _advance_spans(session, store_id=store_id, listings=listings, newest=newest)
    for chunk in _chunks(listings):
        only = repository.Only.of(chunk)
        first: date | None = None
        last: date | None = None
        if dated:
            first = _day(chunk.get_column("first_day").min()) - _REACH
            last = _day(chunk.get_column("last_day").max())
        days = repository.snapshot_days(
            session,
            store_id=store_id,
            first=first,
            last=None if last is None else last + _REACH,
            only=only,
        )
        spans = inputs.stockout_spans(days)
        if first is not None and last is not None:
            spans = spans.filter(pl.col("first_day").is_between(first, last))
        repository.replace_stockout_spans(
            session, store_id=store_id, only=only, rows=spans, first=first, last=last
        )


def _advance_spans(
    session: Session, *, store_id: int, listings: pl.DataFrame, newest: pl.DataFrame
) -> pl.DataFrame:
    """Move the spans of the listings whose one changed day is their newest (``newest``:
    their kept figures, just refreshed) forward from those figures; returns the other
    listings."""
    newest = newest.select(*inputs.KEYS, "snapshot_date", "fulfillable")
    ahead = listings.join(newest, on=inputs.KEYS).filter(
        (pl.col("first_day") == pl.col("last_day"))
        & (pl.col("last_day") == pl.col("snapshot_date"))
    )
    for (day,), same_day in ahead.partition_by("last_day", as_dict=True).items():
        for chunk in _chunks(same_day):
            repository.advance_stockout_spans(
                session,
                store_id=store_id,
                only=repository.Only.of(chunk),
                day=_day(day),
                empty=chunk.filter(pl.col("fulfillable") <= 0).select(inputs.KEYS),
                reach=_REACH.days,
            )
    return listings.join(ahead, on=inputs.KEYS, how="anti")


def _day(value: Any) -> date:
    assert isinstance(value, date)
    return value
