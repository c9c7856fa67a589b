"""The demo's inbound plans: one per store, marked shipped, so the demo shows a shipment
dating a listing's inbound units. Made through the inbound plan service, as a planner would."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import Address, InboundPlanCreate, InboundPlanItemCreate
from aftersales.models import InboundPlan, PlanStatus, Product, ShippingMode
from aftersales.replenishment import repository as run_repository

PLAN_NAME = "Demo air shipment"
# Days before the demo's last day the shipment left (before its newest inventory report).
LEFT_DAYS_AGO = 4
SHIP_FROM = Address(
    name="Chen Jing",
    company="Lumen Home Trading",
    line1="18 Keji South Road",
    city="Shenzhen",
    state="GD",
    postal_code="518057",
    country_code="CN",
    phone="+86 755 2601 8800",
    email="shipping@lumen.example",
)


def ship_demo_plans(session: Session, *, access: Access, as_of: date) -> list[tuple[int, int]]:
    """In each store the user plans for (and without a demo plan yet): a plan of the listing
    with the most units in transit, exported and marked shipped ``LEFT_DAYS_AGO`` days
    before ``as_of``, by air. Returns (plan id, store id) of the plans made."""
    made = []
    for number, store_id in enumerate(access.store_ids_with(Permission.PLAN), start=1):
        exists = session.scalars(
            select(InboundPlan.id).where(
                InboundPlan.store_id == store_id, InboundPlan.name == PLAN_NAME
            )
        ).first()
        if exists is not None:
            continue
        stock = run_repository.latest_stock(session, store_id=store_id, as_of=as_of)
        moving = stock.filter(pl.col("inbound_shipped") > 0).sort(
            ["inbound_shipped", "sku"], descending=[True, False]
        )
        if moving.height == 0:
            continue
        market_id, sku, units = moving.select("marketplace_id", "sku", "inbound_shipped").row(0)
        market = marketplaces.by_id(market_id)
        pack = session.scalars(
            select(Product.case_pack).where(Product.store_id == store_id, Product.sku == sku)
        ).first()
        quantity = -(-units // pack) * pack if pack else units
        plan = inbound_service.create_plan(
            session,
            access=access,
            data=InboundPlanCreate(
                store_id=store_id,
                marketplace=market.code if market else market_id,
                shipping_mode=ShippingMode.AIR,
                name=PLAN_NAME,
                ship_from=SHIP_FROM,
                items=[
                    InboundPlanItemCreate(
                        sku=sku,
                        quantity=quantity,
                        units_per_box=quantity,
                        boxes=1,
                        box_length=Decimal(15),
                        box_width=Decimal(12),
                        box_height=Decimal(10),
                        box_weight=Decimal(10),
                    )
                ],
            ),
            today=as_of,
        )
        for status in (PlanStatus.EXPORTED, PlanStatus.SHIPPED):
            inbound_service.change_status(
                session,
                access=access,
                plan_id=plan.id,
                status=status,
                today=as_of,
                shipped_on=as_of - timedelta(days=LEFT_DAYS_AGO),
                shipment_id=f"FBA15DEMO{number:03d}",
            )
        made.append((plan.id, store_id))
    return made
