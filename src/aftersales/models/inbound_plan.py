"""FBA inbound plans (a draft shipment to one marketplace: its lines, boxes, ship-from address),
the append-only log of their status changes, and the ship-from addresses a store reuses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base
from aftersales.db.types import JSONType, UTCDateTime

# Box dimensions and weights: two decimals in the plan's units (cm / kg, or in / lb).
Measure = Numeric(10, 2, asdecimal=True)


class PlanStatus(StrEnum):
    DRAFT = "draft"  # being edited
    EXPORTED = "exported"  # files handed to Seller Central; no more edits unless reopened
    SHIPPED = "shipped"  # handed to the carrier on ``shipped_on``: its units date the inbound
    ARCHIVED = "archived"  # done or abandoned; read only


class ShippingMode(StrEnum):
    SEA = "sea"
    AIR = "air"
    EXPRESS = "express"


class Owner(StrEnum):
    """Who preps / labels the units (SP-API LabelOwner / PrepOwner)."""

    AMAZON = "AMAZON"
    SELLER = "SELLER"
    NONE = "NONE"


class ShipFromFields:
    """The ship-from address columns shared by a plan (its copy) and a saved address."""

    ship_from_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    ship_from_company: Mapped[str] = mapped_column(String(50), default="", server_default="")
    ship_from_line1: Mapped[str] = mapped_column(String(180), default="", server_default="")
    ship_from_line2: Mapped[str] = mapped_column(String(60), default="", server_default="")
    ship_from_city: Mapped[str] = mapped_column(String(30), default="", server_default="")
    ship_from_state: Mapped[str] = mapped_column(String(64), default="", server_default="")
    ship_from_postal_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    ship_from_country_code: Mapped[str] = mapped_column(String(2), default="", server_default="")
    ship_from_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    ship_from_email: Mapped[str] = mapped_column(String(254), default="", server_default="")


class InboundPlan(ShipFromFields, Base):
    """A draft inbound shipment of one store to one marketplace. The ship-from address is a
    copy (editing a saved address never changes a plan already made)."""

    __tablename__ = "inbound_plans"
    __table_args__ = (Index("ix_inbound_plans_store_status", "store_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    marketplace_id: Mapped[str] = mapped_column(ForeignKey("marketplaces.id"))
    name: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    shipping_mode: Mapped[str] = mapped_column(String(10))
    # Set when the plan is marked shipped: the day it left and Amazon's shipment ID (FBA…).
    shipped_on: Mapped[date | None] = mapped_column(Date)
    shipment_id: Mapped[str | None] = mapped_column(String(20))
    # The units the marketplace's upload template uses for boxes (set at creation).
    length_unit: Mapped[str] = mapped_column(String(2))
    weight_unit: Mapped[str] = mapped_column(String(2))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InboundPlanItem(Base):
    """One SKU of a plan. ``requested_quantity`` is what the user or the recommendation asked
    for, ``quantity`` what is sent after rounding up to ``case_pack``; ``recommendation``
    keeps the replenishment numbers the line came from (None when entered by hand)."""

    __tablename__ = "inbound_plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "sku"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inbound_plans.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(80))
    fnsku: Mapped[str | None] = mapped_column(String(20))
    asin: Mapped[str | None] = mapped_column(String(20))
    requested_quantity: Mapped[int] = mapped_column(Integer)
    case_pack: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    units_per_box: Mapped[int | None] = mapped_column(Integer)
    boxes: Mapped[int | None] = mapped_column(Integer)
    box_length: Mapped[Decimal | None] = mapped_column(Measure)
    box_width: Mapped[Decimal | None] = mapped_column(Measure)
    box_height: Mapped[Decimal | None] = mapped_column(Measure)
    box_weight: Mapped[Decimal | None] = mapped_column(Measure)
    label_owner: Mapped[str] = mapped_column(String(10))
    prep_owner: Mapped[str] = mapped_column(String(10))
    expiration: Mapped[date | None] = mapped_column(Date)
    recommendation: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class InboundPlanEvent(Base):
    """Append-only: one row per status change of a plan, written with the change."""

    __tablename__ = "inbound_plan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_plans.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))


class ShipFromAddress(ShipFromFields, Base):
    """A ship-from address a store saved for reuse in its plans."""

    __tablename__ = "inbound_ship_from_addresses"
    __table_args__ = (UniqueConstraint("store_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
