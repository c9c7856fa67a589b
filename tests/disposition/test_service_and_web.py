"""Unsellable stock from snapshots, recommendations with catalog facts, the removal plan
file, pages, API, permissions and store isolation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.disposition import service as disposition_service
from aftersales.disposition.schemas import (
    DispositionSettingsValues,
    RemovalAddress,
    RemovalPlanLot,
)
from aftersales.exceptions import Forbidden, InvalidInput
from aftersales.kit.scope import Scope
from aftersales.models import InventorySnapshot, Product, ProductPrice, Store
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in

US = "ATVPDKIKX0DER"
AS_OF = date(2026, 5, 15)


def _snapshot(db: Session, store: Store, *, source: str, day: str, sku: str, units: int) -> None:
    db.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"{source}|{US}|{day}|{sku}",
            source=source,
            snapshot_date=date.fromisoformat(day),
            sku=sku,
            unfulfillable=units,
        )
    )
    db.flush()


def _stock(db: Session, store: Store) -> None:
    _snapshot(db, store, source="afn", day="2026-05-01", sku="SKU-A", units=9)
    _snapshot(db, store, source="afn", day="2026-05-10", sku="SKU-A", units=6)
    _snapshot(db, store, source="myi", day="2026-05-10", sku="SKU-A", units=4)
    _snapshot(db, store, source="myi", day="2026-05-10", sku="SKU-B", units=0)
    _snapshot(db, store, source="myi", day="2026-05-20", sku="SKU-C", units=7)
    product = Product(store_id=store.id, sku="SKU-A", unit_cost=Decimal("8"), cost_currency="USD")
    db.add(product)
    db.flush()
    db.add(
        ProductPrice(product_id=product.id, marketplace_id=US, price=Decimal("20"), currency="USD")
    )
    db.flush()


def _settings(db: Session, seller: Seller) -> None:
    access = account_service.access_for(db, user=seller.owner)
    disposition_service.update_settings(
        db,
        access=access,
        store_id=seller.store.id,
        values=DispositionSettingsValues(
            fulfillment_fee_per_unit=Decimal("5"),
            default_unit_weight_kg=Decimal("0.4"),
            relabel_per_unit=Decimal("0.50"),
            warehouse_handling_per_unit=Decimal("1"),
            freight_own_to_amazon_per_kg=Decimal("2"),
            freight_warehouse_to_amazon_per_kg=Decimal("1"),
            origin_shipping_per_kg=Decimal("3"),
            resellable_share=Decimal("0.5"),
            grade_and_resell_share=Decimal("0"),
            liquidation_share=Decimal("0"),
            own_address=RemovalAddress(
                name="Alpha Returns",
                line1="1 Main St",
                city="Reno",
                state_or_region="NV",
                postal_code="89501",
                country_code="US",
                phone="555-0100",
            ),
        ),
    )


def test_unsellable_stock_takes_the_latest_snapshot_of_the_preferred_report(
    db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _stock(db, seller_a.store)
    _stock(db, seller_b.store)
    lots = disposition_service.unsellable_stock(
        db, scope=Scope(store_ids=(seller_a.store.id,)), as_of=AS_OF
    )
    assert [(lot.store_id, lot.sku, lot.units, lot.source) for lot in lots] == [
        (seller_a.store.id, "SKU-A", 4, "myi")
    ]
    later = disposition_service.unsellable_stock(
        db, scope=Scope(store_ids=(seller_a.store.id,)), as_of=date(2026, 5, 20)
    )
    assert {lot.sku: lot.units for lot in later} == {"SKU-A": 4, "SKU-C": 7}


def test_recommendation_uses_catalog_price_cost_and_store_costs(
    db: Session, seller_a: Seller
) -> None:
    _stock(db, seller_a.store)
    _settings(db, seller_a)
    result = disposition_service.recommendations(
        db, scope=Scope(store_ids=(seller_a.store.id,)), as_of=AS_OF
    )
    lot = result.lots[0]
    assert (lot.sale_price, lot.unit_cost, lot.fee_table) == (
        Decimal("20"),
        Decimal("8"),
        "US/2022-01-01",
    )
    per_unit = {option.option.value: option.per_unit for option in lot.options}
    # 0.4 kg = 0.88 lb: removal fee 0.75. Own address: −0.75 − 0.25 − 0.5 × 0.4 × 2 + 6.00.
    assert per_unit["remove_to_own_address"] == Decimal("4.60")
    assert lot.best is not None
    assert lot.best.value == "remove_to_own_address"
    assert lot.best_per_lot == Decimal("18.40")
    assert lot.removable


def test_missing_unit_cost_is_shown_not_guessed(db: Session, seller_a: Seller) -> None:
    _snapshot(db, seller_a.store, source="myi", day="2026-05-10", sku="NOCOST", units=2)
    lot = disposition_service.recommendations(
        db, scope=Scope(store_ids=(seller_a.store.id,)), as_of=AS_OF
    ).lots[0]
    assert "unit cost unknown" in lot.notes
    assert lot.unit_cost is None
    assert any("Remove and ship back" in note for note in lot.not_ranked)


def test_removal_plan_file(db: Session, seller_a: Seller) -> None:
    _stock(db, seller_a.store)
    _settings(db, seller_a)
    access = account_service.access_for(db, user=seller_a.owner)
    text = disposition_service.removal_plan_csv(
        db,
        access=access,
        lots=[RemovalPlanLot(store_id=seller_a.store.id, marketplace="US", sku="SKU-A")],
        as_of=AS_OF,
    )
    lines = [line.split("\t") for line in text.splitlines()]
    assert lines[0][:2] == ["MerchantRemovalOrderID", "RemovalDisposition"]
    assert lines[0][-3:] == ["MerchantSKU", "SellableQuantity", "UnsellableQuantity"]
    assert lines[1] == [
        "DSP-20260515-R-OWN", "Return", "Alpha Returns", "1 Main St", "", "", "Reno", "US",
        "NV", "89501", "555-0100", "", "SKU-A", "0", "4",
    ]  # fmt: skip
    disposal = disposition_service.removal_plan_csv(
        db,
        access=access,
        lots=[
            RemovalPlanLot(
                store_id=seller_a.store.id, marketplace="US", sku="SKU-A", option="dispose"
            )
        ],
        as_of=AS_OF,
    )
    assert disposal.splitlines()[1].split("\t")[:3] == ["DSP-20260515-D", "Disposal", ""]
    try:
        disposition_service.removal_plan_csv(
            db,
            access=access,
            lots=[
                RemovalPlanLot(
                    store_id=seller_a.store.id, marketplace="US", sku="SKU-A", option="liquidate"
                )
            ],
            as_of=AS_OF,
        )
    except InvalidInput:
        pass
    else:
        raise AssertionError("liquidation is not a removal order")


def test_settings_need_manage(db: Session, seller_a: Seller) -> None:
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    access = account_service.access_for(db, user=viewer)
    try:
        disposition_service.get_settings(db, access=access, store_id=seller_a.store.id)
    except Forbidden:
        pass
    else:
        raise AssertionError("a viewer read the disposition settings")


def test_page_shows_lots_and_downloads_the_plan(
    db: Session, signed_in: TestClient, seller_a: Seller
) -> None:
    _stock(db, seller_a.store)
    _settings(db, seller_a)
    page = signed_in.get("/disposition")
    assert page.status_code == 200
    assert "SKU-A" in page.text
    assert 'href="/disposition"' in page.text
    lot_id = f"{seller_a.store.id}:{US}:SKU-A"
    assert f'value="{lot_id}"' in page.text
    plan = signed_in.post(
        "/disposition/removal-plan",
        data={"lot": lot_id, "csrf_token": csrf_of(signed_in, "/disposition")},
    )
    assert plan.status_code == 200, plan.text[:300]
    assert plan.text.startswith("MerchantRemovalOrderID\t")
    assert "\tSKU-A\t0\t4" in plan.text
    settings = signed_in.get("/settings/disposition")
    assert settings.status_code == 200
    saved = signed_in.post(
        "/settings/disposition",
        data={
            "relabel_per_unit": "0.80",
            "own_address.city": "Sparks",
            "csrf_token": csrf_of(signed_in, "/settings/disposition"),
        },
    )
    assert saved.status_code == 200
    assert 'value="0.80"' in saved.text
    assert 'value="Sparks"' in saved.text


def test_a_viewer_sees_the_page_but_not_the_settings(
    db: Session, client: TestClient, seller_a: Seller
) -> None:
    make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    sign_in(client, "viewer@alpha.test")
    assert client.get("/disposition").status_code == 200
    assert client.get("/settings/disposition").status_code == 403


def test_api_lists_settings_and_plan(
    db: Session, client: TestClient, seller_a: Seller, seller_b: Seller
) -> None:
    _stock(db, seller_a.store)
    _stock(db, seller_b.store)
    _settings(db, seller_a)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    listed = client.get("/api/v1/disposition", params={"as_of": "2026-05-15"}, headers=headers)
    assert listed.status_code == 200
    assert [lot["store_id"] for lot in listed.json()["lots"]] == [seller_a.store.id]
    assert (
        client.get(
            "/api/v1/disposition", params={"store_id": seller_b.store.id}, headers=headers
        ).status_code
        == 404
    )
    got = client.get("/api/v1/disposition/settings", headers=headers)
    assert got.status_code == 200
    assert got.json()["values"]["relabel_per_unit"] == "0.50"
    values = {**got.json()["values"], "relabel_per_unit": "0.70"}
    put = client.put(
        "/api/v1/disposition/settings",
        params={"store_id": seller_a.store.id},
        json=values,
        headers=headers,
    )
    assert put.status_code == 200
    assert put.json()["values"]["relabel_per_unit"] == "0.70"
    refused = client.put(
        "/api/v1/disposition/settings",
        params={"store_id": seller_b.store.id},
        json=values,
        headers=headers,
    )
    assert refused.status_code == 404
    body = {
        "as_of": "2026-05-15",
        "lots": [{"store_id": seller_a.store.id, "marketplace": "US", "sku": "SKU-A"}],
    }
    plan = client.post("/api/v1/disposition/removal-plan", json=body, headers=headers)
    assert plan.status_code == 200
    assert "\tSKU-A\t0\t4" in plan.text
    other = {"lots": [{"store_id": seller_b.store.id, "marketplace": "US", "sku": "SKU-A"}]}
    assert (
        client.post("/api/v1/disposition/removal-plan", json=other, headers=headers).status_code
        == 404
    )


def test_the_page_shows_the_largest_lots_a_page_at_a_time(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    for number in range(53):
        _snapshot(
            db,
            seller_a.store,
            source="myi",
            day="2026-11-01",
            sku=f"LOT-{number:03d}",
            units=number + 1,
        )
    first = signed_in.get("/disposition")
    assert first.status_code == 200
    assert first.text.count("<tr data-lot=") == 50
    assert "LOT-052" in first.text  # 53 units: the largest lot comes first
    assert "LOT-002" not in first.text
    assert 'id="disposition-pager"' in first.text
    second = signed_in.get("/disposition?page=2")
    assert second.text.count("<tr data-lot=") == 3
    assert "LOT-000" in second.text
