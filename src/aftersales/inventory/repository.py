"""SQL shared by every reader of stock: the latest snapshot per listing and report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select

from aftersales.models import InventorySnapshot


def latest_days(*conditions: ColumnElement[bool]) -> Subquery:
    """The newest snapshot day per store, marketplace, SKU and source report among the rows
    matching ``conditions`` (a report may give several rows per SKU, one per condition)."""
    return (
        select(
            InventorySnapshot.store_id,
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.source,
            func.max(InventorySnapshot.snapshot_date).label("day"),
        )
        .where(*conditions)
        .group_by(
            InventorySnapshot.store_id,
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.source,
        )
        .subquery()
    )


def is_latest(latest: Any) -> ColumnElement[bool]:
    """Join condition: a snapshot row of its listing's newest day (``latest_days``)."""
    return and_(
        latest.c.store_id == InventorySnapshot.store_id,
        latest.c.marketplace_id.is_not_distinct_from(InventorySnapshot.marketplace_id),
        latest.c.sku == InventorySnapshot.sku,
        latest.c.source == InventorySnapshot.source,
        latest.c.day == InventorySnapshot.snapshot_date,
    )
