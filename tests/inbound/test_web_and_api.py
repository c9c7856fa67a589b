"""Inbound plan pages (new plan from the recommendations, HTMX line edits, downloads) and the
JSON API (CRUD, exports, errors), with roles and store isolation."""

from __future__ import annotations

import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from aftersales.inbound import formats
from tests.inbound.builders import SHENZHEN, add_plan, add_product, add_result
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in


def _stock(db: Session, seller: Seller) -> None:
    add_product(db, seller.store, "MUG-RED", case_pack=50, title="Red mug")
    add_product(db, seller.store, "LOOSE-1")
    add_result(db, seller.store, "MUG-RED", send=898)


def test_new_plan_from_recommendations_edit_and_download(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    client = signed_in
    _stock(db, seller_a)
    listing = client.get("/inbound-plans")
    assert listing.status_code == 200
    assert 'data-nav="inbound-plans"' in listing.text
    new = client.get("/inbound-plans/new", params={"marketplace": "US", "shipping_mode": "air"})
    assert new.status_code == 200
    assert 'data-sku="MUG-RED"' in new.text
    assert "898 → 900: rounded up to whole case packs of 50" in new.text
    created = client.post(
        "/inbound-plans/new",
        data={
            "csrf_token": csrf_of(client, "/inbound-plans/new"),
            "store_id": str(seller_a.store.id),
            "marketplace": "US",
            "shipping_mode": "air",
            "sku": "MUG-RED",
            "lines": "LOOSE-1\t7",
        },
    )
    assert created.status_code == 200
    assert "/inbound-plans/" in str(created.url)
    plan_path = created.url.path
    assert 'data-sku="MUG-RED"' in created.text
    assert 'data-sku="LOOSE-1"' in created.text
    # No ship-from yet: the page says what to fix, and the downloads refuse.
    assert 'data-field="ship_from.phone"' in created.text
    refused = client.get(plan_path + "/manifest.xlsx")
    assert refused.status_code == 422
    # Fill in the address and save it for the next plans.
    csrf = csrf_of(client, plan_path)
    form = {f"ship_from.{k}": v for k, v in SHENZHEN.model_dump().items()}
    saved = client.post(
        plan_path,
        data={
            **form,
            "csrf_token": csrf,
            "name": "Air Dec",
            "shipping_mode": "air",
            "save_as": "SZ",
        },
    )
    assert saved.status_code == 200
    assert "data-field=" not in saved.text
    assert "SZ" in client.get("/inbound-plans").text
    # HTMX: change the loose line in place; the partial comes back.
    item_id = created.text.split('data-sku="LOOSE-1"')[0].rsplit('data-item="', 1)[1].split('"')[0]
    edited = client.post(
        f"{plan_path}/items/{item_id}",
        data={"csrf_token": csrf, "quantity": "9", "prep_owner": "SELLER", "label_owner": "NONE"},
        headers={"HX-Request": "true"},
    )
    assert edited.status_code == 200
    assert "<html" not in edited.text
    assert 'value="9"' in edited.text
    # A quantity that is not whole boxes: an error in the flash area, nothing changed.
    mug_id = edited.text.split('data-sku="MUG-RED"')[0].rsplit('data-item="', 1)[1].split('"')[0]
    bad = client.post(
        f"{plan_path}/items/{mug_id}",
        data={"csrf_token": csrf, "quantity": "910", "units_per_box": "50", "boxes": "18"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    assert bad.headers["HX-Retarget"] == "#flash"
    # Downloads.
    xlsx = client.get(plan_path + "/manifest.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content))[formats.manifest_layout().sheet_name]
    assert [sheet["A9"].value, sheet["B9"].value] == ["LOOSE-1", 9]
    assert [sheet["A10"].value, sheet["B10"].value, sheet["G10"].value] == ["MUG-RED", 900, 18]
    tsv = client.get(plan_path + "/manifest.tsv")
    assert tsv.status_code == 200
    assert "Merchant SKU\tQuantity" in tsv.text
    packing = client.get(plan_path + "/packing-list.csv")
    assert packing.status_code == 200
    assert "MUG-RED" in packing.text
    assert "Total" in packing.text
    packing_xlsx = client.get(plan_path + "/packing-list.xlsx")
    assert load_workbook(io.BytesIO(packing_xlsx.content)).active.max_row == 4
    body = json.loads(client.get(plan_path + "/create-inbound-plan-request.json").content)
    assert formats.schema_problems(body) == []
    assert body["name"] == "Air Dec"
    # Export and the plan is read only.
    exported = client.post(plan_path + "/status", data={"csrf_token": csrf, "status": "exported"})
    assert exported.status_code == 200
    assert 'data-status="exported"' in exported.text
    assert 'id="add-item"' not in exported.text
    # Handed to the carrier: the day it left (never one to come) and the shipment ID.
    assert 'id="status-shipped"' in exported.text
    future = client.post(
        plan_path + "/status",
        data={"csrf_token": csrf, "status": "shipped", "shipped_on": "2999-01-01"},
    )
    assert "still to come" in future.text
    assert 'data-status="exported"' in client.get(plan_path).text
    shipped = client.post(
        plan_path + "/status",
        data={
            "csrf_token": csrf,
            "status": "shipped",
            "shipped_on": "2026-11-02",
            "shipment_id": "FBA15K7Z3N1Q",
        },
    )
    assert shipped.status_code == 200
    assert 'data-status="shipped"' in shipped.text
    assert 'data-shipped-on="2026-11-02"' in shipped.text
    assert "<span data-shipment-id>FBA15K7Z3N1Q</span>" in shipped.text


def test_api_crud_exports_and_errors(client: TestClient, db: Session, seller_a: Seller) -> None:
    _stock(db, seller_a)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    created = client.post(
        "/api/v1/inbound-plans",
        json={
            "marketplace": "US",
            "ship_from": SHENZHEN.model_dump(),
            "items": [{"sku": "MUG-RED", "quantity": 120}],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["items"][0]["quantity"] == 150
    assert plan["items"][0]["rounding"] == "120 → 150: rounded up to whole case packs of 50"
    base = f"/api/v1/inbound-plans/{plan['id']}"
    added = client.post(base + "/items", json={"sku": "LOOSE-1", "quantity": 5}, headers=headers)
    assert added.status_code == 201
    loose = next(i for i in added.json()["items"] if i["sku"] == "LOOSE-1")
    patched = client.patch(
        f"{base}/items/{loose['id']}",
        json={"quantity": 6, "expiration": "2027-05-01"},
        headers=headers,
    )
    assert patched.status_code == 200
    bad = client.patch(
        f"{base}/items/{loose['id']}",
        json={"quantity": 6, "units_per_box": 4, "boxes": 2},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_input"
    assert "6 units are not 2 boxes of 4" in bad.json()["message"]
    unknown = client.post(base + "/items", json={"sku": "NOPE", "quantity": 1}, headers=headers)
    assert unknown.status_code == 422
    assert "NOPE" in unknown.json()["message"]
    request = client.get(base + "/create-inbound-plan-request", headers=headers)
    assert request.status_code == 200
    items = {item["msku"]: item for item in request.json()["items"]}
    assert items["LOOSE-1"] == {
        "msku": "LOOSE-1",
        "quantity": 6,
        "labelOwner": "SELLER",
        "prepOwner": "SELLER",
        "expiration": "2027-05-01",
    }
    assert client.get(base + "/manifest.tsv", headers=headers).text.count("\r\n") == 10
    assert client.get(base + "/packing-list.xlsx", headers=headers).status_code == 200
    listed = client.get("/api/v1/inbound-plans", headers=headers).json()
    assert [(p["id"], p["skus"], p["units"]) for p in listed] == [(plan["id"], 2, 156)]
    status = client.post(base + "/status", json={"status": "exported"}, headers=headers)
    assert status.json()["status"] == "exported"
    bad_id = client.post(
        base + "/status", json={"status": "shipped", "shipment_id": "FBA 15"}, headers=headers
    )
    assert bad_id.status_code == 422
    shipped = client.post(
        base + "/status",
        json={"status": "shipped", "shipped_on": "2026-11-02", "shipment_id": "FBA15K7Z3N1Q"},
        headers=headers,
    ).json()
    assert (shipped["status"], shipped["shipped_on"], shipped["shipment_id"]) == (
        "shipped",
        "2026-11-02",
        "FBA15K7Z3N1Q",
    )
    back = client.post(base + "/status", json={"status": "exported"}, headers=headers)
    assert back.json()["shipped_on"] is None
    locked = client.patch(base, json={"name": "late"}, headers=headers)
    assert locked.status_code == 409
    assert locked.json()["code"] == "inbound_plan_not_editable"
    lines = client.get("/api/v1/inbound-plans/recommendations", headers=headers).json()
    assert [(line["marketplace_code"], line["sku"], line["quantity"]) for line in lines] == [
        ("US", "MUG-RED", 900)
    ]
    from_recs = client.post(
        "/api/v1/inbound-plans/from-recommendations",
        json={"marketplace": "US", "shipping_mode": "sea"},
        headers=headers,
    )
    assert from_recs.status_code == 201
    assert from_recs.json()["items"][0]["recommendation"]["proposed"] == 898
    address = client.post(
        "/api/v1/inbound-plans/ship-from-addresses",
        json={"label": "SZ", "address": SHENZHEN.model_dump()},
        headers=headers,
    )
    assert address.status_code == 201
    assert [
        a["label"]
        for a in client.get("/api/v1/inbound-plans/ship-from-addresses", headers=headers).json()
    ] == ["SZ"]
    assert (
        client.delete(
            f"/api/v1/inbound-plans/ship-from-addresses/{address.json()['id']}", headers=headers
        ).status_code
        == 204
    )
    assert client.delete(base, headers=headers).status_code == 204
    assert client.get(base, headers=headers).status_code == 404


def test_roles_viewers_and_agents_read_planners_edit(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    add_product(db, seller_a.store, "PLAN-SKU")
    plan = add_plan(db, seller_a.store, seller_a.owner)
    base = f"/api/v1/inbound-plans/{plan.id}"
    for role, can_edit in (
        ("viewer", False),
        ("agent", False),
        ("planner", True),
        ("manager", True),
    ):
        user = make_user(db, f"{role}@alpha.test", seller_a.store, role=role)
        headers = {"Authorization": f"Bearer {api_token(db, user)}"}
        assert client.get(base, headers=headers).status_code == 200, role
        assert client.get(base + "/manifest.tsv", headers=headers).status_code == 200, role
        response = client.patch(base, json={"name": f"by {role}"}, headers=headers)
        assert response.status_code == (200 if can_edit else 403), role
        added = client.post(
            base + "/items", json={"sku": "PLAN-SKU", "quantity": 1}, headers=headers
        )
        assert added.status_code in ((409,) if can_edit else (403,)), role
    # The viewer's page has no edit controls.
    viewer_client = client
    sign_in(viewer_client, "viewer@alpha.test")
    page = viewer_client.get(f"/inbound-plans/{plan.id}")
    assert page.status_code == 200
    assert 'id="add-item"' not in page.text
    assert 'id="plan-form"' not in page.text


def test_another_stores_plan_is_not_found(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    add_product(db, seller_b.store, "PLAN-SKU")
    theirs = add_plan(db, seller_b.store, seller_b.owner)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    base = f"/api/v1/inbound-plans/{theirs.id}"
    for method, path in (
        ("GET", base),
        ("PATCH", base),
        ("DELETE", base),
        ("GET", base + "/create-inbound-plan-request"),
        ("GET", base + "/manifest.xlsx"),
        ("PATCH", f"{base}/items/{theirs.items[0].id}"),
    ):
        response = client.request(method, path, json={"name": "x"}, headers=headers)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "inbound_plan_not_found"
    assert client.get("/api/v1/inbound-plans", headers=headers).json() == []
    sign_in(client, seller_a.owner.email)
    assert client.get(f"/inbound-plans/{theirs.id}").status_code == 404
    assert seller_b.store.name not in client.get("/inbound-plans").text


def test_bad_form_input_is_a_clear_error_not_a_crash(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    client = signed_in
    add_product(db, seller_a.store, "LOOSE-1")
    csrf = csrf_of(client, "/inbound-plans")
    bad_line = client.post(
        "/inbound-plans/new",
        data={"csrf_token": csrf, "marketplace": "US", "lines": "LOOSE-1 seven"},
        follow_redirects=False,
    )
    assert bad_line.status_code == 303
    assert "line 1: write a SKU and a whole quantity" in client.get("/inbound-plans").text
    long_name = client.post(
        "/inbound-plans/new",
        data={"csrf_token": csrf, "marketplace": "US", "lines": "LOOSE-1 7", "name": "N" * 41},
        follow_redirects=False,
    )
    assert long_name.status_code == 303
    assert "name:" in client.get("/inbound-plans").text
    long_label = client.post(
        "/inbound-plans/addresses",
        data={
            "csrf_token": csrf,
            "label": "L" * 81,
            **{f"address.{k}": v for k, v in SHENZHEN.model_dump().items()},
        },
        follow_redirects=False,
    )
    assert long_label.status_code == 303
    assert "at most 80 characters" in client.get("/inbound-plans").text
    nothing = client.post(
        "/inbound-plans/new", data={"csrf_token": csrf, "marketplace": "US"}, follow_redirects=False
    )
    assert nothing.status_code == 303
    assert (
        "choose recommended SKUs or write SKUs and quantities" in client.get("/inbound-plans").text
    )
