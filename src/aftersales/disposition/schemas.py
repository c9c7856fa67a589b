"""Disposition settings, lots with their options, and removal plan requests as the API and
pages show them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from aftersales.amazon.disposition_fees import SizeTier
from aftersales.disposition.calc import Option

Amount = Decimal
PerUnit = Field(default=None, ge=0, max_digits=12, decimal_places=4)
Share = Field(default=None, ge=0, le=1, max_digits=6, decimal_places=4)


class SkuOverride(BaseModel):
    """What the catalog lacks for one SKU (amounts in the settings' currency)."""

    unit_cost: Decimal | None = PerUnit
    sale_price: Decimal | None = PerUnit
    fulfillment_fee: Decimal | None = PerUnit
    unit_weight_kg: Decimal | None = PerUnit
    size_tier: SizeTier | None = None


class RemovalAddress(BaseModel):
    name: str = Field(default="", max_length=100)
    line1: str = Field(default="", max_length=180)
    line2: str = Field(default="", max_length=180)
    city: str = Field(default="", max_length=100)
    state_or_region: str = Field(default="", max_length=100)
    postal_code: str = Field(default="", max_length=20)
    country_code: str = Field(default="", max_length=2)
    phone: str = Field(default="", max_length=40)

    @property
    def complete(self) -> bool:
        return all((self.name, self.line1, self.city, self.postal_code, self.country_code))


class DispositionSettingsValues(BaseModel):
    """A store's own costs; every amount is in ``currency`` (None: unknown, and the options
    that need it say so)."""

    currency: str = Field(default="USD", min_length=3, max_length=3)
    relabel_per_unit: Decimal | None = PerUnit
    warehouse_handling_per_unit: Decimal | None = PerUnit
    freight_own_to_amazon_per_kg: Decimal | None = PerUnit
    freight_warehouse_to_amazon_per_kg: Decimal | None = PerUnit
    origin_shipping_per_kg: Decimal | None = PerUnit
    resellable_share: Decimal | None = Share
    # Most categories' referral fee (Seller Central help RRJCFXD6474GRLY); shown in every sum.
    referral_rate: Decimal | None = Field(
        default=Decimal("0.15"), ge=0, le=1, max_digits=6, decimal_places=4
    )
    fulfillment_fee_per_unit: Decimal | None = PerUnit
    default_unit_weight_kg: Decimal | None = PerUnit
    default_size_tier: SizeTier = SizeTier.STANDARD
    liquidation_share: Decimal | None = Share  # overrides the data file's assumption
    grade_and_resell_share: Decimal | None = Share  # idem
    own_address: RemovalAddress = Field(default_factory=RemovalAddress)
    warehouse_address: RemovalAddress = Field(default_factory=RemovalAddress)
    skus: dict[str, SkuOverride] = Field(default_factory=dict, max_length=10_000)


class DispositionSettings(BaseModel):
    store_id: int
    values: DispositionSettingsValues
    updated_at: datetime | None


class LineOut(BaseModel):
    text: str
    amount: Decimal | None


class OptionOut(BaseModel):
    option: Option
    label: str
    per_unit: Decimal | None
    per_lot: Decimal | None
    versus_unit_cost: Decimal | None
    missing: list[str]
    lines: list[LineOut]


class Decision(BaseModel):
    """A recorded decision, with what the lot looked like then."""

    id: int
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    fnsku: str | None
    option: Option
    option_label: str
    units: int
    note: str | None
    removal: bool  # the option is a removal or disposal order
    lot_units: int
    snapshot_date: date
    currency: str
    best_option: Option | None
    per_unit: Decimal | None
    per_lot: Decimal | None
    fee_table: str | None
    fee_table_effective: date | None
    arithmetic: dict[str, Any]
    decided_by: str | None  # the user's e-mail
    decided_at: datetime


class DecisionCreate(BaseModel):
    store_id: int = Field(ge=1)
    marketplace: str = Field(max_length=20, description="Marketplace code or id")
    sku: str = Field(min_length=1, max_length=80)
    option: Option
    units: int | None = Field(default=None, ge=1, description="Default: every unit of the lot")
    note: str | None = Field(default=None, max_length=2000)


class DecisionList(BaseModel):
    items: list[Decision]


class DecisionPlanRequest(BaseModel):
    store_id: int = Field(ge=1)
    marketplace: str = Field(max_length=20, description="Marketplace code or id")
    as_of: date | None = None


class Lot(BaseModel):
    id: str  # "store_id:marketplace_id:sku", what the removal plan form sends back
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    fnsku: str | None
    units: int
    sellable: bool
    snapshot_date: date
    source: str
    currency: str
    sale_price: Decimal | None
    unit_cost: Decimal | None
    unit_weight_kg: Decimal | None
    size_tier: SizeTier
    fee_table: str | None
    notes: list[str]
    best: Option | None
    best_label: str | None
    best_per_unit: Decimal | None
    best_per_lot: Decimal | None
    removable: bool  # the best option is a removal order
    not_ranked: list[str]
    options: list[OptionOut]
    decision: Decision | None = None  # the latest recorded decision of the lot


class DispositionList(BaseModel):
    as_of: date
    lots: list[Lot]


class RemovalPlanLot(BaseModel):
    store_id: int
    marketplace: str = Field(max_length=20, description="Marketplace code or id")
    sku: str = Field(max_length=80)
    option: Option | None = Field(
        default=None, description="Default: the recorded decision's option, else the best one"
    )
    units: int | None = Field(
        default=None, ge=1, description="Default: the recorded decision's units, else the lot"
    )


class RemovalPlanRequest(BaseModel):
    lots: list[RemovalPlanLot] = Field(min_length=1, max_length=1000)
    as_of: date | None = None
