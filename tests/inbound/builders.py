"""Builders for inbound plan tests: products with case packs, replenishment results, plans."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import (
    Address,
    InboundPlan,
    InboundPlanCreate,
    InboundPlanItemCreate,
)
from aftersales.models import Product, ReplenishmentResult, ReplenishmentRun, Store, User

US = "ATVPDKIKX0DER"
TODAY = date(2026, 11, 26)

SHENZHEN = Address(
    name="Li Wei",
    company="Acme Trading",
    line1="88 Keyuan Road",
    line2="Building 3",
    city="Shenzhen",
    state="GD",
    postal_code="518057",
    country_code="CN",
    phone="+86 755 1234 5678",
    email="ops@acme.test",
)


def add_product(
    db: Session, store: Store, sku: str, *, case_pack: int | None = None, title: str | None = None
) -> Product:
    product = Product(
        store_id=store.id,
        sku=sku,
        asin=f"B0{zlib.crc32(sku.encode()) % 10**8:08d}",
        fnsku=f"X0{zlib.crc32(sku.encode()) % 10**8:08d}",
        title=title,
        case_pack=case_pack,
    )
    db.add(product)
    db.flush()
    return product


def add_result(
    db: Session,
    store: Store,
    sku: str,
    *,
    send: int,
    need: dict[str, int] | None = None,
    transfer: int = 0,
    marketplace_id: str = US,
    ship_by: date | None = None,
    band: str = "order_now",
) -> ReplenishmentResult:
    """A stored result as the replenishment run writes it: ``send`` from local stock (the
    same for every mode), ``need`` what FBA lacks per mode (default: ``send``)."""
    modes = ("sea", "air", "express")
    run = ReplenishmentRun(
        store_id=store.id,
        as_of=TODAY,
        started_at=datetime(2026, 11, 26, 6, tzinfo=UTC),
        finished_at=datetime(2026, 11, 26, 6, 1, tzinfo=UTC),
        rules={},
        listings=1,
        counts={band: 1},
    )
    db.add(run)
    db.flush()
    result = ReplenishmentResult(
        run_id=run.id,
        store_id=store.id,
        marketplace_id=marketplace_id,
        sku=sku,
        velocity=38.4,
        fba_stock=1920,
        inbound_stock=600,
        other_stock=0,
        days_of_supply_fba=50.0,
        days_of_supply_inbound=65.6,
        days_of_supply_all=65.6,
        stockout_date=date(2027, 1, 15),
        ship_by=ship_by,
        purchase_by=None,
        send_quantity=send,
        buy_quantity=0,
        transfer_quantity=transfer,
        cap_applied=False,
        band=band,
        # The named form of runs before the compact one, which decode still reads.
        explanation=json.dumps(
            {
                "mode": "sea",
                "send": {mode: send for mode in modes},
                "send_need": need or {mode: send for mode in modes},
            }
        ),
    )
    db.add(result)
    db.flush()
    return result


def add_plan(
    db: Session,
    store: Store,
    user: User,
    *,
    lines: tuple[tuple[str, int], ...] = (("PLAN-SKU", 40),),
    address: Address | None = SHENZHEN,
    marketplace: str = "US",
) -> InboundPlan:
    access = account_service.access_for(db, user=user)
    return inbound_service.create_plan(
        db,
        access=access,
        data=InboundPlanCreate(
            store_id=store.id,
            marketplace=marketplace,
            ship_from=address,
            items=[InboundPlanItemCreate(sku=sku, quantity=quantity) for sku, quantity in lines],
        ),
        today=TODAY,
    )
