"""Replenishment data: daily unit sales kept up to date at import time, planning settings,
stock outside FBA (own / 3PL warehouses, purchase orders), and the stored results of a run."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import JSONType, UTCDateTime
from aftersales.models._facts import ListingKey


class WarehouseKind(StrEnum):
    LOCAL = "local"  # the seller's own warehouse (often in the country of origin)
    OVERSEAS_3PL = "overseas_3pl"  # a third-party warehouse in the marketplace's region


class PurchaseOrderStatus(StrEnum):
    OPEN = "open"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class DailySales(ListingKey, Base):
    """Units ordered per store, marketplace, SKU and UTC day, from the All Orders lines
    (cancelled lines left out). Rebuilt for the days an orders import touched
    (``replenishment.sales_repository.rebuild``), so a run never aggregates order lines."""

    __tablename__ = "daily_sales"
    __table_args__ = (
        # Day second: a run reads the last days of every listing as one contiguous range.
        PrimaryKeyConstraint("store_id", "day", "marketplace_id", "sku"),
        # One listing's history (its first day, the SKU page).
        Index("ix_daily_sales_listing", "store_id", "marketplace_id", "sku", "day"),
        {"sqlite_with_rowid": False},
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    units: Mapped[int] = mapped_column(Integer)
    units_shipped: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int] = mapped_column(Integer)


class FirstSale(ListingKey, Base):
    """The first day each listing (store, marketplace, SKU) sold, kept with ``DailySales``
    (``replenishment.sales_repository.rebuild``): a run reads it for every listing instead of
    seeking each one's oldest sales day, which took about a tenth of a 100,000-listing run."""

    __tablename__ = "first_sales"
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "marketplace_id", "sku"),
        {"sqlite_with_rowid": False},
    )

    first_day: Mapped[date] = mapped_column(Date)


class ReplenishmentSettings(Base):
    """A store's planning settings as one JSON document validated by
    ``replenishment.schemas.PlanningSettingsValues`` (lead-time defaults per marketplace,
    velocity rule, restock limits, overstock threshold)."""

    __tablename__ = "replenishment_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), unique=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReplenishmentSkuSettings(Base):
    """One product's overrides (lead-time parts, velocity rule, case pack, MOQ), validated by
    ``replenishment.schemas.SkuSettingsValues``; what it leaves out comes from the store."""

    __tablename__ = "replenishment_sku_settings"
    __table_args__ = (UniqueConstraint("store_id", "sku"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(80))
    values: Mapped[dict[str, Any]] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LocalStock(Base):
    """Units of a SKU in one warehouse outside Amazon, as the seller last counted them."""

    __tablename__ = "local_stock"
    __table_args__ = (UniqueConstraint("store_id", "sku", "warehouse_kind", "warehouse_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(80))
    warehouse_kind: Mapped[str] = mapped_column(String(20))
    warehouse_name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PurchaseOrderLine(Base):
    """One SKU line of a purchase order from the supplier; open lines arrive on their
    expected date (for one marketplace, or for any when ``marketplace_id`` is empty)."""

    __tablename__ = "purchase_orders"
    __table_args__ = (Index("ix_purchase_orders_store_status_sku", "store_id", "status", "sku"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(80))
    marketplace_id: Mapped[str | None] = mapped_column(ForeignKey("marketplaces.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    expected_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReplenishmentRun(Base):
    """One computation of a store's recommendations: when, with which settings, how many."""

    __tablename__ = "replenishment_runs"
    __table_args__ = (Index("ix_replenishment_runs_store_started", "store_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The settings document the run used (so a result can be explained after a change).
    rules: Mapped[dict[str, Any]] = mapped_column(JSONType)
    listings: Mapped[int] = mapped_column(Integer, default=0)
    # Listings per status band, e.g. {"order_now": 12, "healthy": 300}.
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType)


class ReplenishmentResult(Base):
    """The last run's recommendation for one store, marketplace and SKU.

    Keyed by the listing, with no other index, no id and no foreign key: a run writes
    100,000 of these rows at once, and each index and key check costs that write a share
    (migrations 0016, 0024 and 0025); counts by band come from the runs."""

    __tablename__ = "replenishment_results"

    store_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marketplace_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    sku: Mapped[str] = mapped_column(String(80), primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    velocity: Mapped[float] = mapped_column(Float)
    fba_stock: Mapped[int] = mapped_column(Integer)
    inbound_stock: Mapped[int] = mapped_column(Integer)
    other_stock: Mapped[int] = mapped_column(Integer)
    days_of_supply_fba: Mapped[float | None] = mapped_column(Float)
    days_of_supply_inbound: Mapped[float | None] = mapped_column(Float)
    days_of_supply_all: Mapped[float | None] = mapped_column(Float)
    stockout_date: Mapped[date | None] = mapped_column(Date)
    ship_by: Mapped[date | None] = mapped_column(Date)
    purchase_by: Mapped[date | None] = mapped_column(Date)
    send_quantity: Mapped[int] = mapped_column(Integer)
    buy_quantity: Mapped[int] = mapped_column(Integer)
    transfer_quantity: Mapped[int] = mapped_column(Integer)
    cap_applied: Mapped[bool] = mapped_column(Boolean)
    band: Mapped[str] = mapped_column(String(20))
    # The inputs and the arithmetic's figures, as JSON text (replenishment.stored_explanation):
    # enough to redo and word the explanation without reading the history again. Text, not
    # a JSON type: nothing queries inside it, and PostgreSQL's json check slowed the write.
    explanation: Mapped[str] = mapped_column(Text)


__all__ = [
    "DailySales",
    "LocalStock",
    "PurchaseOrderLine",
    "PurchaseOrderStatus",
    "ReplenishmentResult",
    "ReplenishmentRun",
    "ReplenishmentSettings",
    "ReplenishmentSkuSettings",
    "WarehouseKind",
]
