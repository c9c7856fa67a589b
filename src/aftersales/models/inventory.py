"""Inventory snapshots per SKU, marketplace, date and source report, and each listing's
newest figures kept from them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.models._facts import ImportedFact, ListingKey

# When several reports gave a listing's stock on the same day, the most complete one wins.
INVENTORY_SOURCE_PREFERENCE = ("myi", "planning", "restock", "afn")


def source_rank(source: str) -> int:
    """Where ``source`` stands in ``INVENTORY_SOURCE_PREFERENCE`` (unknown reports last)."""
    if source in INVENTORY_SOURCE_PREFERENCE:
        return INVENTORY_SOURCE_PREFERENCE.index(source)
    return len(INVENTORY_SOURCE_PREFERENCE)


# The inbound buckets; a report without them (the AFN one) stores null there.
INBOUND_COLUMNS = ("inbound_working", "inbound_shipped", "inbound_receiving")


def gives_inbound(row: Any) -> bool:
    """Whether a snapshot row (or a read with its inbound columns) is of a report that gives
    inbound units."""
    return any(getattr(row, name) is not None for name in INBOUND_COLUMNS)


class InventorySnapshot(ImportedFact, Base):
    """Quantities one inventory report gave for a SKU on a date.

    Natural key: source + marketplace + snapshot date + sku (+ condition for the AFN report,
    which lists sellable and unsellable units on separate lines). Each source keeps its own
    rows so a report that lacks a bucket never blanks what another report said.
    """

    __tablename__ = "inventory_snapshots"
    __table_args__ = (
        UniqueConstraint("store_id", "natural_key"),
        Index("ix_inventory_store_sku_date", "store_id", "sku", "snapshot_date"),
        # Dashboard: the latest snapshot per listing and report (migration 0002).
        Index(
            "ix_inventory_store_market_sku_source_date",
            "store_id",
            "marketplace_id",
            "sku",
            "source",
            "snapshot_date",
        ),
        # The rows an import wrote (batch ids only grow: each insert lands at the end).
        Index("ix_inventory_batch", "import_batch_id"),
    )

    source: Mapped[str] = mapped_column(String(20))
    snapshot_date: Mapped[date] = mapped_column(Date)
    sku: Mapped[str] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    asin: Mapped[str | None] = mapped_column(String(20))
    condition: Mapped[str | None] = mapped_column(String(40))
    fulfillable: Mapped[int | None] = mapped_column(Integer)
    unfulfillable: Mapped[int | None] = mapped_column(Integer)
    reserved: Mapped[int | None] = mapped_column(Integer)
    inbound_working: Mapped[int | None] = mapped_column(Integer)
    inbound_shipped: Mapped[int | None] = mapped_column(Integer)
    inbound_receiving: Mapped[int | None] = mapped_column(Integer)
    researching: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)


class LatestInventory(ListingKey, Base):
    """Each listing's newest inventory figures: its newest snapshot day, of that day's
    reports the most complete (MYI, planning, restock, AFN), the report's condition lines
    added up; the reserved and inbound units from the newest report that gives them (the
    AFN report does not), dated ``inbound_date``. Kept by the import for the listings it wrote
    (``replenishment.latest_stock.after_import``), so a replenishment run reads one row per
    listing instead of finding each one's newest day among all its snapshots."""

    __tablename__ = "inventory_latest"
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "marketplace_id", "sku"),
        {"sqlite_with_rowid": False},
    )

    snapshot_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    fulfillable: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer)
    inbound_working: Mapped[int] = mapped_column(Integer)
    inbound_shipped: Mapped[int] = mapped_column(Integer)
    inbound_receiving: Mapped[int] = mapped_column(Integer)
    inbound_date: Mapped[date | None] = mapped_column(Date)  # None: no report gave them


class StockoutSpan(ListingKey, Base):
    """Days a listing's inventory reports showed it out of stock: a snapshot day whose most
    complete report gave no fulfillable unit (its condition lines added up) stands for
    itself and the days after it, until the listing's next snapshot day and for at most
    ``replenishment.inputs.SNAPSHOT_VALID_DAYS`` days in all. Kept by the import for the
    listings and days it wrote (``replenishment.latest_stock.after_import``), so a
    replenishment run reads the few empty spans instead of the listings' snapshot history."""

    __tablename__ = "stockout_spans"
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "marketplace_id", "sku", "first_day"),
        {"sqlite_with_rowid": False},
    )

    first_day: Mapped[date] = mapped_column(Date, primary_key=True)  # the snapshot day
    last_day: Mapped[date] = mapped_column(Date)


class InboundLevel(ListingKey, Base):
    """A listing's inbound units (working, shipped, receiving) on a snapshot day where they
    differ from its previous snapshot day's (the first day's from none: a listing that never
    had inbound units has no row); each level holds until the next row. Of each day the most
    complete report, its condition lines added up. Kept by the import for the listings and
    days it wrote (``replenishment.latest_stock.after_import``), so dating the inbound units
    (``replenishment.inbound_eta``) reads the few changes, not every snapshot of the look
    back."""

    __tablename__ = "inbound_levels"
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "marketplace_id", "sku", "day"),
        {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the snapshot day
    inbound_working: Mapped[int] = mapped_column(Integer)
    inbound_shipped: Mapped[int] = mapped_column(Integer)
    inbound_receiving: Mapped[int] = mapped_column(Integer)
