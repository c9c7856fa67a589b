"""Planning settings, stock outside FBA, purchase orders and runs as the API and pages show
them. Default values come from ``defaults.json`` (seller practice, not Amazon policy)."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, Field, model_validator

from aftersales.models.replenishment import PurchaseOrderStatus, WarehouseKind

WINDOWS = (3, 7, 14, 30, 60, 90)
Days = Field(ge=0, le=730)
OptionalDays = Field(default=None, ge=0, le=730)


@lru_cache(maxsize=1)
def defaults() -> dict[str, Any]:
    """The data file's starting values (read once)."""
    text = resources.files("aftersales.replenishment").joinpath("defaults.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


class ShippingMode(StrEnum):
    SEA = "sea"
    AIR = "air"
    EXPRESS = "express"


class SpikeMode(StrEnum):
    NONE = "none"
    CAP = "cap"  # days above a fixed number of units count as that number
    PERCENT = "percent"  # days above (1 + value/100) × the window's median count as that


class Promotion(BaseModel):
    """A date range whose velocity is a fixed figure (a planned deal, a launch)."""

    start: date
    end: date
    daily_units: float = Field(ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _ordered(self) -> Promotion:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


def _default_weights() -> dict[str, float]:
    return {str(k): float(v) for k, v in defaults()["velocity"]["weights"].items()}


class VelocityRule(BaseModel):
    """How average daily sales are computed: weights of the 3…90-day windows (normalised by
    their sum), stock-out days left out, spikes trimmed, promotions fixed, seasonality."""

    weights: dict[str, float] = Field(default_factory=_default_weights)
    exclude_out_of_stock_days: bool = Field(
        default_factory=lambda: bool(defaults()["velocity"]["exclude_out_of_stock_days"])
    )
    spike_mode: SpikeMode = Field(
        default_factory=lambda: SpikeMode(defaults()["velocity"]["spike_mode"])
    )
    spike_value: float | None = Field(default=None, ge=0, le=1_000_000)
    promotions: list[Promotion] = Field(default_factory=list, max_length=50)
    seasonality: bool = Field(default_factory=lambda: bool(defaults()["velocity"]["seasonality"]))
    sellable_return_share: float = Field(
        default_factory=lambda: float(defaults()["velocity"]["sellable_return_share"]), ge=0, le=1
    )

    @model_validator(mode="after")
    def _check(self) -> VelocityRule:
        unknown = sorted(set(self.weights) - {str(w) for w in WINDOWS})
        if unknown:
            raise ValueError(
                f"weights: unknown window(s) {', '.join(unknown)}; use 3, 7, 14, 30, 60, 90"
            )
        if any(value < 0 for value in self.weights.values()):
            raise ValueError("weights: a weight cannot be negative")
        if sum(self.weights.values()) <= 0:
            raise ValueError("weights: at least one window needs a weight above 0")
        if self.spike_mode is not SpikeMode.NONE and self.spike_value is None:
            raise ValueError("spike_value: needed when spike_mode is cap or percent")
        return self

    def weight(self, window: int) -> float:
        return float(self.weights.get(str(window), 0.0))


def _lead(name: str) -> Any:
    return defaults()["lead_time"][name]


class TransitDays(BaseModel):
    sea: int = Field(default_factory=lambda: int(_lead("transit_days")["sea"]), ge=0, le=730)
    air: int = Field(default_factory=lambda: int(_lead("transit_days")["air"]), ge=0, le=730)
    express: int = Field(
        default_factory=lambda: int(_lead("transit_days")["express"]), ge=0, le=730
    )

    def of(self, mode: ShippingMode) -> int:
        return int(getattr(self, mode.value))


class LeadTime(BaseModel):
    """Lead-time parts of a marketplace (the store's default for it): stocking / production
    (备货), QC, first-leg transit per mode, FBA receiving (上架), safety, replenishment cycle."""

    stocking_days: int = Field(default_factory=lambda: int(_lead("stocking_days")), ge=0, le=730)
    qc_days: int = Field(default_factory=lambda: int(_lead("qc_days")), ge=0, le=730)
    transit_days: TransitDays = Field(default_factory=TransitDays)
    receiving_days: int = Field(default_factory=lambda: int(_lead("receiving_days")), ge=0, le=730)
    # Overseas 3PL warehouse → FBA (a truck within the marketplace's country).
    transfer_days: int = Field(default_factory=lambda: int(_lead("transfer_days")), ge=0, le=730)
    safety_days: int = Field(default_factory=lambda: int(_lead("safety_days")), ge=0, le=730)
    cycle_days: int = Field(default_factory=lambda: int(_lead("cycle_days")), ge=0, le=730)
    shipping_mode: ShippingMode = Field(
        default_factory=lambda: ShippingMode(_lead("shipping_mode"))
    )
    service_level: float | None = Field(default=None, ge=0.5, le=0.9999)
    lead_time_deviation_days: float | None = Field(default=None, ge=0, le=365)


class LeadTimeOverride(BaseModel):
    """A product's own lead-time parts; what is left empty comes from the marketplace."""

    stocking_days: int | None = OptionalDays
    qc_days: int | None = OptionalDays
    sea_days: int | None = OptionalDays
    air_days: int | None = OptionalDays
    express_days: int | None = OptionalDays
    receiving_days: int | None = OptionalDays
    transfer_days: int | None = OptionalDays
    safety_days: int | None = OptionalDays
    cycle_days: int | None = OptionalDays
    shipping_mode: ShippingMode | None = None
    service_level: float | None = Field(default=None, ge=0.5, le=0.9999)
    lead_time_deviation_days: float | None = Field(default=None, ge=0, le=365)

    def applied_to(self, base: LeadTime) -> LeadTime:
        """``base`` with this override's parts put in."""
        transit = base.transit_days.model_copy(
            update={
                mode: value
                for mode, value in (
                    ("sea", self.sea_days),
                    ("air", self.air_days),
                    ("express", self.express_days),
                )
                if value is not None
            }
        )
        own = {
            name: getattr(self, name)
            for name in (
                "stocking_days",
                "qc_days",
                "receiving_days",
                "transfer_days",
                "safety_days",
                "cycle_days",
                "shipping_mode",
                "service_level",
                "lead_time_deviation_days",
            )
            if getattr(self, name) is not None
        }
        return base.model_copy(update={**own, "transit_days": transit})


class RestockLimit(BaseModel):
    """Units Amazon lets the store send to one marketplace for one storage type (the seller
    copies it from Seller Central's capacity page)."""

    marketplace: str = Field(min_length=2, max_length=20, description="Marketplace code or id")
    storage_type: str = Field(default="standard", min_length=1, max_length=40)
    units: int = Field(ge=0, le=100_000_000)


class PlanningSettingsValues(BaseModel):
    """A store's planning settings."""

    velocity: VelocityRule = Field(default_factory=VelocityRule)
    lead_time: LeadTime = Field(default_factory=LeadTime)
    # Per marketplace code (US, DE, …): replaces the store's lead time for that marketplace.
    marketplace_lead_times: dict[str, LeadTime] = Field(default_factory=dict, max_length=30)
    restock_limits: list[RestockLimit] = Field(default_factory=list, max_length=200)
    overstock_days: int = Field(
        default_factory=lambda: int(defaults()["overstock_days"]), ge=1, le=3650
    )
    order_soon_days: int = Field(
        default_factory=lambda: int(defaults()["order_soon_days"]), ge=0, le=365
    )


class PlanningSettings(BaseModel):
    store_id: int
    values: PlanningSettingsValues
    updated_at: datetime | None


class SkuSettingsValues(BaseModel):
    """One product's overrides."""

    lead_time: LeadTimeOverride = Field(default_factory=LeadTimeOverride)
    velocity: VelocityRule | None = None
    case_pack: int | None = Field(default=None, ge=1, le=100_000)
    moq: int | None = Field(default=None, ge=1, le=10_000_000)
    storage_type: str | None = Field(default=None, max_length=40)


class SkuSettings(BaseModel):
    store_id: int
    sku: str
    values: SkuSettingsValues
    updated_at: datetime | None


# --- stock outside FBA and purchase orders -----------------------------------------------------


class LocalStockCreate(BaseModel):
    sku: str = Field(min_length=1, max_length=80)
    warehouse_kind: WarehouseKind = WarehouseKind.LOCAL
    warehouse_name: str = Field(default="", max_length=80)
    quantity: int = Field(ge=0, le=100_000_000)
    as_of: date | None = None


class LocalStockUpdate(BaseModel):
    quantity: int | None = Field(default=None, ge=0, le=100_000_000)
    warehouse_name: str | None = Field(default=None, max_length=80)
    as_of: date | None = None


class LocalStockOut(BaseModel):
    id: int
    store_id: int
    sku: str
    warehouse_kind: WarehouseKind
    warehouse_name: str
    quantity: int
    as_of: date
    updated_at: datetime


class PurchaseOrderCreate(BaseModel):
    sku: str = Field(min_length=1, max_length=80)
    marketplace: str | None = Field(
        default=None, max_length=20, description="Marketplace code or id; empty: any"
    )
    quantity: int = Field(ge=1, le=100_000_000)
    expected_date: date
    status: PurchaseOrderStatus = PurchaseOrderStatus.OPEN
    reference: str | None = Field(default=None, max_length=80)


class PurchaseOrderUpdate(BaseModel):
    quantity: int | None = Field(default=None, ge=1, le=100_000_000)
    expected_date: date | None = None
    status: PurchaseOrderStatus | None = None
    reference: str | None = Field(default=None, max_length=80)


class PurchaseOrderOut(BaseModel):
    id: int
    store_id: int
    sku: str
    marketplace_id: str | None
    marketplace_code: str | None
    quantity: int
    expected_date: date
    status: PurchaseOrderStatus
    reference: str | None
    updated_at: datetime


class StockImportResult(BaseModel):
    rows: int
    inserted: int
    updated: int


class RunOut(BaseModel):
    id: int
    store_id: int
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    listings: int
    counts: dict[str, int]


class InboundLotOut(BaseModel):
    """Inbound units of one listing in one status, first seen on ``since``."""

    store_id: int
    marketplace_id: str
    marketplace: str
    sku: str
    status: str  # working, shipped or receiving
    quantity: int
    since: date
    arrives: date
    basis: str
    shipment: str | None = None  # the inbound plan marked shipped the units are in
    plan_id: int | None = None
