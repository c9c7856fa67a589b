"""Inbound plans, their lines, ship-from addresses and inbound stock as the API and pages
show them, and what a client sends to create or change them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from aftersales.models import Owner, PlanStatus, ShippingMode

Measure = Field(default=None, gt=0, max_digits=10, decimal_places=2)
# Amazon's shipment IDs are letters and digits (FBA15K7Z3N1Q).
SHIPMENT_ID_PATTERN = r"^[A-Za-z0-9]{1,20}$"


class Address(BaseModel):
    """A ship-from address (the fields createInboundPlan's sourceAddress takes)."""

    name: str = Field(default="", max_length=50)
    company: str = Field(default="", max_length=50)
    line1: str = Field(default="", max_length=180)
    line2: str = Field(default="", max_length=60)
    city: str = Field(default="", max_length=30)
    state: str = Field(default="", max_length=64)
    postal_code: str = Field(default="", max_length=32)
    country_code: str = Field(default="", max_length=2)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)


class InboundPlanItemCreate(BaseModel):
    sku: str = Field(min_length=1, max_length=80)
    quantity: int = Field(description="Units wanted; rounded up to whole case packs.")
    units_per_box: int | None = None
    boxes: int | None = None
    box_length: Decimal | None = Measure
    box_width: Decimal | None = Measure
    box_height: Decimal | None = Measure
    box_weight: Decimal | None = Measure
    label_owner: Owner = Owner.SELLER
    prep_owner: Owner = Owner.SELLER
    expiration: date | None = None


class InboundPlanItemUpdate(BaseModel):
    """Only the fields sent change; send null to clear an optional one."""

    quantity: int | None = None
    units_per_box: int | None = None
    boxes: int | None = None
    box_length: Decimal | None = Measure
    box_width: Decimal | None = Measure
    box_height: Decimal | None = Measure
    box_weight: Decimal | None = Measure
    label_owner: Owner | None = None
    prep_owner: Owner | None = None
    expiration: date | None = None


class InboundPlanCreate(BaseModel):
    store_id: int | None = Field(default=None, description="Default: the only store you plan for.")
    marketplace: str = Field(max_length=20, description="Marketplace code or id, e.g. US")
    shipping_mode: ShippingMode = ShippingMode.SEA
    name: str | None = Field(default=None, max_length=40)
    ship_from: Address | None = None
    ship_from_address_id: int | None = Field(
        default=None, description="Copy a saved ship-from address into the plan."
    )
    items: list[InboundPlanItemCreate] = Field(min_length=1, max_length=2000)


class FromRecommendations(BaseModel):
    store_id: int | None = None
    marketplace: str = Field(max_length=20)
    shipping_mode: ShippingMode = ShippingMode.SEA
    name: str | None = Field(default=None, max_length=40)
    ship_from_address_id: int | None = None
    skus: list[str] | None = Field(
        default=None,
        max_length=2000,
        description="Only these SKUs (default: every SKU with a quantity to send).",
    )


class InboundPlanUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=40)
    shipping_mode: ShippingMode | None = None
    ship_from: Address | None = None


class StatusChange(BaseModel):
    status: PlanStatus
    shipped_on: date | None = Field(
        default=None, description="The day the shipment left (status shipped; default today)."
    )
    shipment_id: str | None = Field(
        default=None,
        max_length=20,
        pattern=SHIPMENT_ID_PATTERN,
        description="Amazon's shipment ID from Send to Amazon, e.g. FBA15K7Z3N1Q.",
    )


class Note(BaseModel):
    field: str
    text: str


class InboundPlanItem(BaseModel):
    id: int
    sku: str
    fnsku: str | None
    asin: str | None
    title: str | None
    requested_quantity: int
    case_pack: int | None
    quantity: int
    rounding: str | None  # "898 → 900: rounded up to whole case packs of 50"
    units_per_box: int | None
    boxes: int | None
    box_length: Decimal | None
    box_width: Decimal | None
    box_height: Decimal | None
    box_weight: Decimal | None
    total_weight: Decimal | None
    label_owner: Owner
    prep_owner: Owner
    expiration: date | None
    recommendation: dict[str, object] | None


class InboundStock(BaseModel):
    """What the latest inventory report says is on its way to Amazon for one SKU."""

    sku: str
    snapshot_date: date
    source: str
    working: int | None
    shipped: int | None
    receiving: int | None
    fulfillable: int | None


class InboundPlanTotals(BaseModel):
    skus: int
    units: int
    boxes: int
    weight: Decimal | None  # only when every case-packed line has a box weight


class InboundPlan(BaseModel):
    id: int
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    name: str
    status: PlanStatus
    shipping_mode: ShippingMode
    shipped_on: date | None
    shipment_id: str | None
    length_unit: str
    weight_unit: str
    ship_from: Address
    created_at: datetime
    created_by: str | None
    updated_at: datetime
    items: list[InboundPlanItem]
    totals: InboundPlanTotals
    problems: list[Note] = Field(description="What stops the exports; empty when ready.")
    allowed: list[PlanStatus]
    editable: bool
    inbound_stock: list[InboundStock]


class InboundPlanSummary(BaseModel):
    id: int
    store_id: int
    store_name: str
    marketplace_code: str
    name: str
    status: PlanStatus
    shipping_mode: ShippingMode
    skus: int
    units: int
    updated_at: datetime


class ShipFromAddressCreate(BaseModel):
    store_id: int | None = None
    label: str = Field(min_length=1, max_length=80)
    address: Address


class ShipFromAddress(BaseModel):
    id: int
    store_id: int
    label: str
    address: Address


class RecommendedLine(BaseModel):
    """One SKU the replenishment run says to send, as a plan line would take it."""

    marketplace_code: str
    sku: str
    title: str | None
    band: str
    ship_by: date | None
    velocity: float
    fba_stock: int
    inbound_stock: int
    shipping_mode: ShippingMode
    from_stock: int = Field(description="Sendable from local and 3PL stock for this mode.")
    fba_need: int = Field(description="What FBA lacks for this mode, wherever it comes from.")
    basis: str  # which of the two the proposal is
    proposed: int  # before rounding
    case_pack: int | None
    quantity: int  # rounded up to whole case packs
    rounding: str | None
