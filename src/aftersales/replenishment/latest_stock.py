"""Keeping ``inventory_latest`` current: after an inventory import (the listings its batch
wrote), and on demand (a whole store)."""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon.reports import ALL_SPECS
from aftersales.imports.targets import targets_for
from aftersales.models import InventorySnapshot
from aftersales.replenishment import repository

# Report types whose rows are inventory snapshots.
INVENTORY_REPORT_TYPES = frozenset(
    report_type
    for spec in ALL_SPECS
    if any(target.table is InventorySnapshot.__table__ for target in targets_for(spec))
    for report_type in spec.all_types()
)


def after_import(session: Session, *, store_id: int, batch_id: int, report_type: str) -> int:
    """Recompute the listings an inventory import wrote or changed; 0 for other reports."""
    if report_type not in INVENTORY_REPORT_TYPES:
        return 0
    listings = repository.batch_listings(session, batch_id=batch_id)
    return refresh(session, store_id=store_id, listings=listings) if listings.height else 0


def refresh(session: Session, *, store_id: int, listings: pl.DataFrame | None = None) -> int:
    """Recompute the kept figures of ``listings`` (KEY columns; None: every listing of the
    store) from their snapshots; returns the listings kept."""
    if listings is None or listings.height > 2 * repository.MAX_LISTINGS_IN_A_READ:
        rows = repository.computed_latest_stock(session, store_id=store_id, as_of=None)
        return repository.replace_latest_stock(session, store_id=store_id, only=None, rows=rows)
    kept = 0
    for start in range(0, listings.height, repository.MAX_LISTINGS_IN_A_READ):
        only = repository.Only.of(listings.slice(start, repository.MAX_LISTINGS_IN_A_READ))
        rows = repository.computed_latest_stock(session, store_id=store_id, as_of=None, only=only)
        kept += repository.replace_latest_stock(session, store_id=store_id, only=only, rows=rows)
    return kept
