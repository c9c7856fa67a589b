"""Inbound units dated from the inventory reports, end to end: the run's stock-out date, the
SKU page's arrivals, the inbound page with its totals and filters, its export, the API,
and another store's shipments staying invisible."""

# The web fixtures are imported by name, and pytest passes them back as parameters.
# ruff: noqa: F811

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.models import (
    InboundPlan,
    InboundPlanItem,
    InventorySnapshot,
    ReplenishmentResult,
    Store,
)
from aftersales.replenishment import latest_stock
from aftersales.replenishment import service as replenishment_service
from tests.replenishment.sales_rows import add_daily_sales
from tests.web.conftest import (  # noqa: F401  (fixtures)
    Seller,
    api_token,
    app,
    client,
    db,
    seller_a,
    seller_b,
    sign_in,
    web_db,
)

TODAY = datetime.now(UTC).date()


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages plan as of the day of the request: each test counts its days from the day
    it runs, not from the day the module was imported (a run across midnight UTC failed)."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", datetime.now(UTC).date())


US = marketplaces.by_code("US")
assert US is not None


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def _snapshot(db: Session, store: Store, sku: str, ago: int, **buckets: int) -> None:
    snapshot_day = day(-ago)
    db.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US.id,
            natural_key=f"myi|{US.id}|{snapshot_day}|{sku}",
            source="myi",
            snapshot_date=snapshot_day,
            sku=sku,
            **{
                "reserved": 0,
                "inbound_working": 0,
                "inbound_shipped": 0,
                "inbound_receiving": 0,
                **buckets,
            },
        )
    )
    db.flush()
    latest_stock.refresh(db, store_id=store.id)  # as the inventory import keeps it


def _sales(db: Session, store: Store, sku: str, daily: int) -> None:
    add_daily_sales(
        db,
        store_id=store.id,
        marketplace_id=US.id,
        sku=sku,
        units={day(-offset): daily for offset in range(1, 31)},
    )


@pytest.fixture
def shipping(db: Session, seller_a: Seller, seller_b: Seller) -> Seller:
    # SHIP sells 10 a day and has 300 in FBA. 100 were shipped 20 days ago (sea: 35 days,
    # receiving 10 by default): they reach FBA on day 25. 50 have been at the FC since
    # yesterday: on day 9. 30 more wait in a working shipment: today + 35 + 10 = day 45.
    _sales(db, seller_a.store, "SHIP", 10)
    _snapshot(db, seller_a.store, "SHIP", 20, fulfillable=500, inbound_shipped=100)
    _snapshot(db, seller_a.store, "SHIP", 1, fulfillable=300, inbound_shipped=100,
              inbound_receiving=50, inbound_working=30)  # fmt: skip
    _sales(db, seller_b.store, "OTHER-B", 3)
    _snapshot(db, seller_b.store, "OTHER-B", 2, fulfillable=40, inbound_shipped=70)
    db.flush()
    for seller in (seller_a, seller_b):
        replenishment_service.run(db, store_id=seller.store.id, as_of=TODAY)
    db.flush()
    return seller_a


def test_the_run_counts_each_lot_on_its_day(db: Session, shipping: Seller) -> None:
    db.expire_all()
    row = db.scalars(
        select(ReplenishmentResult).where(
            ReplenishmentResult.store_id == shipping.store.id, ReplenishmentResult.sku == "SHIP"
        )
    ).one()
    # 300 on hand + 50 on day 9 + 100 on day 25 = 450 by day 25, 10 a day: short on day 45,
    # the day the 30 working units arrive (they come in before the day's demand): 480 → 48.
    assert row.stockout_date == day(48)
    assert row.inbound_stock == 180


def test_sku_page_lists_the_lots_with_how_each_day_is_found(
    client: TestClient, shipping: Seller
) -> None:
    sign_in(client, shipping.owner.email)
    page = client.get("/replenishment/sku/SHIP", params={"marketplace": "US"})
    assert page.status_code == 200
    statuses = re.findall(r'data-arrival="inbound" data-status="(\w+)"', page.text)
    assert statuses == ["receiving", "shipped", "working"]  # by arrival day
    assert "shipped by" in page.text
    assert "+ 35 days sea + 10 receiving days" in page.text


def _lots(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-sku="([^"]+)" data-status="(\w+)">', html)


def test_inbound_page_lists_lots_soonest_first_with_totals(
    client: TestClient, shipping: Seller
) -> None:
    sign_in(client, shipping.owner.email)
    page = client.get("/replenishment/inbound")
    assert page.status_code == 200
    assert _lots(page.text) == [("SHIP", "receiving"), ("SHIP", "shipped"), ("SHIP", "working")]
    assert 'data-units="shipped">100<' in page.text
    assert 'data-units="receiving">50<' in page.text
    assert 'data-units="working">30<' in page.text
    assert "OTHER-B" not in page.text
    only = client.get("/replenishment/inbound", params={"status": "shipped"})
    assert _lots(only.text) == [("SHIP", "shipped")]
    assert 'data-units="receiving">50<' in only.text  # the cards count every status
    assert client.get("/replenishment/inbound", params={"status": "lost"}).status_code == 422
    assert _lots(client.get("/replenishment/inbound", params={"sku": "NOPE"}).text) == []


def test_inbound_export(client: TestClient, shipping: Seller) -> None:
    sign_in(client, shipping.owner.email)
    csv = client.get("/replenishment/inbound/export.csv", params={"status": "shipped"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "Store,Marketplace,SKU,Status,Units,First seen,Shipment,Reaches FBA,How the day is found"
    )
    assert len(lines) == 2
    assert f',US,SHIP,"inbound, in transit (shipped)",100,{day(-20)},,{day(25)},' in lines[1]
    xlsx = client.get("/replenishment/inbound/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_inbound_api(client: TestClient, db: Session, shipping: Seller, seller_b: Seller) -> None:
    headers = {"Authorization": f"Bearer {api_token(db, shipping.owner)}"}
    response = client.get("/api/v1/replenishment/inbound", headers=headers)
    assert response.status_code == 200
    lots = [(lot["sku"], lot["status"], lot["quantity"], lot["since"], lot["arrives"])
            for lot in response.json()]  # fmt: skip
    assert lots == [
        ("SHIP", "receiving", 50, str(day(-1)), str(day(9))),
        ("SHIP", "shipped", 100, str(day(-20)), str(day(25))),
        ("SHIP", "working", 30, str(day(-1)), str(day(45))),
    ]
    other = client.get(
        "/api/v1/replenishment/inbound", headers=headers, params={"store_id": seller_b.store.id}
    )
    assert other.status_code == 404
    bad = client.get("/api/v1/replenishment/inbound", headers=headers, params={"status": "x"})
    assert bad.status_code == 422


def _shipped_plan(
    db: Session,
    store: Store,
    sku: str,
    quantity: int,
    *,
    name: str,
    mode: str,
    left: date,
    shipment_id: str | None = None,
) -> InboundPlan:
    """An inbound plan of one SKU to US, marked shipped on ``left``."""
    now = datetime.now(UTC)
    plan = InboundPlan(
        store_id=store.id, marketplace_id=US.id, name=name, status="shipped", shipping_mode=mode,
        length_unit="IN", weight_unit="LB", shipped_on=left, shipment_id=shipment_id,
        created_at=now, updated_at=now,
    )  # fmt: skip
    db.add(plan)
    db.flush()
    db.add(
        InboundPlanItem(
            plan_id=plan.id, sku=sku, requested_quantity=quantity, quantity=quantity,
            label_owner="SELLER", prep_owner="SELLER",
        )
    )  # fmt: skip
    db.flush()
    return plan


def test_a_shipped_inbound_plan_dates_its_units(
    client: TestClient, db: Session, shipping: Seller
) -> None:
    # 60 of SHIP's 100 units in transit left 5 days ago by air in plan FBA15TEST: 10 days air
    # + 10 receiving = day 15; the other 40 keep their sea dating (day 25).
    plan = _shipped_plan(
        db, shipping.store, "SHIP", 60, name="Air Nov", mode="air", left=day(-5),
        shipment_id="FBA15TEST",
    )  # fmt: skip
    sign_in(client, shipping.owner.email)
    page = client.get("/replenishment/inbound")
    assert _lots(page.text) == [
        ("SHIP", "receiving"), ("SHIP", "shipped"), ("SHIP", "shipped"), ("SHIP", "working")
    ]  # fmt: skip
    assert f'<a href="/inbound-plans/{plan.id}" data-shipment="FBA15TEST">' in page.text
    assert "shipment FBA15TEST left" in page.text
    assert "+ 10 days air + 10 receiving days" in page.text
    token = api_token(db, shipping.owner)
    lots = client.get(
        "/api/v1/replenishment/inbound",
        params={"status": "shipped"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert [(lot["quantity"], lot["arrives"], lot["shipment"]) for lot in lots] == [
        (60, day(15).isoformat(), "FBA15TEST"),
        (40, day(25).isoformat(), None),
    ]
    # The run counts the plan's units on their day, and the listing page says how.
    replenishment_service.run(db, store_id=shipping.store.id, as_of=TODAY)
    db.flush()
    listing = client.get("/replenishment/sku/SHIP", params={"marketplace": "US"})
    assert "shipment FBA15TEST left" in listing.text
    assert "+ 10 days air + 10 receiving days" in listing.text
    # Archived (received): the reports date the units again.
    plan.status = "archived"
    db.flush()
    again = client.get("/replenishment/inbound").text
    assert "FBA15TEST" not in again


def _result(db: Session, store: Store, sku: str) -> ReplenishmentResult:
    db.expire_all()
    return db.scalars(
        select(ReplenishmentResult).where(
            ReplenishmentResult.store_id == store.id, ReplenishmentResult.sku == sku
        )
    ).one()


def test_units_shipped_after_the_newest_report_count_as_inbound(
    db: Session, seller_a: Seller
) -> None:
    # FRESH sells 10 a day; yesterday's report shows 100 on hand and nothing inbound. Today
    # 300 leave by sea: the report cannot know them, so without the plan the run would tell
    # the seller to send them again.
    store = seller_a.store
    _sales(db, store, "FRESH", 10)
    _snapshot(db, store, "FRESH", 1, fulfillable=100)
    db.flush()
    replenishment_service.run(db, store_id=store.id, as_of=TODAY)
    before = _result(db, store, "FRESH")
    assert before.inbound_stock == 0
    _shipped_plan(db, store, "FRESH", 300, name="Sea Dec", mode="sea", left=TODAY)
    replenishment_service.run(db, store_id=store.id, as_of=TODAY)
    after = _result(db, store, "FRESH")
    assert after.inbound_stock == 300
    assert before.buy_quantity > 300
    assert after.buy_quantity == before.buy_quantity - 300
    schedule = replenishment_service.inbound_schedule(db, store_id=store.id, as_of=TODAY)
    lots = schedule.filter(pl.col("sku") == "FRESH").select("quantity", "day", "shipment")
    # No Amazon shipment ID given: the plan's name; today + 35 sea + 10 receiving.
    assert lots.rows() == [(300, day(45), "Sea Dec")]


def _afn_snapshot(db: Session, store: Store, sku: str, ago: int, available: int) -> None:
    """An AFN inventory report's line: available units only (no reserved, no inbound)."""
    snapshot_day = day(-ago)
    db.add(
        InventorySnapshot(
            store_id=store.id, marketplace_id=US.id, source="afn", snapshot_date=snapshot_day,
            natural_key=f"afn|{US.id}|{snapshot_day}|{sku}|SELLABLE", sku=sku,
            condition="SELLABLE", fulfillable=available,
        )
    )  # fmt: skip
    db.flush()
    latest_stock.refresh(db, store_id=store.id)


def test_a_newer_report_without_inbound_units_keeps_those_of_the_one_before(
    db: Session, seller_a: Seller
) -> None:
    store = seller_a.store
    # KEEP: the MYI report 10 days ago had 100 in transit and 5 reserved; yesterday's AFN
    # report says only that 280 are available.
    _sales(db, store, "KEEP", 10)
    _snapshot(db, store, "KEEP", 10, fulfillable=300, reserved=5, inbound_shipped=100)
    _afn_snapshot(db, store, "KEEP", 1, 280)
    # LATE: nothing inbound 10 days ago; a plan of 40 left 5 days ago, after that report:
    # the AFN report of yesterday could not show it either, so its 40 units are on their way.
    _sales(db, store, "LATE", 10)
    _snapshot(db, store, "LATE", 10, fulfillable=300)
    _afn_snapshot(db, store, "LATE", 1, 280)
    _shipped_plan(db, store, "LATE", 40, name="Late", mode="sea", left=day(-5))
    replenishment_service.run(db, store_id=store.id, as_of=TODAY)
    db.flush()
    rows = {
        row.sku: row
        for row in db.scalars(
            select(ReplenishmentResult).where(ReplenishmentResult.store_id == store.id)
        )
    }
    assert (rows["KEEP"].fba_stock, rows["KEEP"].inbound_stock) == (285, 100)
    assert (rows["LATE"].fba_stock, rows["LATE"].inbound_stock) == (280, 40)
    # The in-transit units are still dated by the MYI report (sea: 35 days, 10 receiving).
    schedule = replenishment_service.inbound_schedule(db, store_id=store.id, as_of=TODAY)
    keep = schedule.filter(pl.col("sku") == "KEEP")
    assert keep.select("status", "quantity", "since", "day").rows() == [
        ("shipped", 100, day(-10), day(35))
    ]
