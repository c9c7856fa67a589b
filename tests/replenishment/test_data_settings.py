"""Planning settings: defaults from the data file, the API (store and per product), the
settings pages, validation naming the field, runs on demand, and store isolation."""

# The web fixtures are imported by name, and pytest passes them back as parameters.
# ruff: noqa: F811

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from importlib import resources

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.models import InventorySnapshot
from aftersales.replenishment import latest_stock
from tests.replenishment.sales_rows import add_daily_sales
from tests.web.conftest import (  # noqa: F401
    Seller,
    api_token,
    app,
    client,
    csrf_of,
    db,
    seller_a,
    seller_b,
    signed_in,
    web_db,
)

US = "ATVPDKIKX0DER"


def _headers(db: Session, seller: Seller) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db, seller.owner)}"}


def test_defaults_come_from_the_data_file(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    data = json.loads(
        resources.files("aftersales.replenishment").joinpath("defaults.json").read_text("utf-8")
    )
    got = client.get("/api/v1/replenishment/settings", headers=_headers(db, seller_a))
    assert got.status_code == 200
    values = got.json()["values"]
    assert values["velocity"]["weights"] == {
        k: float(v) for k, v in data["velocity"]["weights"].items()
    }
    assert values["lead_time"]["transit_days"] == data["lead_time"]["transit_days"]
    assert values["lead_time"]["safety_days"] == data["lead_time"]["safety_days"]
    assert values["overstock_days"] == data["overstock_days"]
    assert got.json()["updated_at"] is None


def test_settings_are_saved_checked_and_named(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    headers = _headers(db, seller_a)
    body = {
        "velocity": {"weights": {"7": 1}, "spike_mode": "cap", "spike_value": 20},
        "lead_time": {"stocking_days": 25, "transit_days": {"sea": 40, "air": 8, "express": 4}},
        "marketplace_lead_times": {"ATVPDKIKX0DER": {"stocking_days": 10}},
        "restock_limits": [{"marketplace": "us", "storage_type": "Standard", "units": 900}],
        "overstock_days": 150,
    }
    saved = client.put("/api/v1/replenishment/settings", json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    values = saved.json()["values"]
    assert list(values["marketplace_lead_times"]) == ["US"]
    assert values["restock_limits"] == [
        {"marketplace": "US", "storage_type": "standard", "units": 900}
    ]
    assert values["lead_time"]["stocking_days"] == 25
    for wrong, field in (
        ({"velocity": {"weights": {"7": 0}}}, "weights"),
        ({"velocity": {"spike_mode": "cap"}}, "spike_value"),
        ({"restock_limits": [{"marketplace": "ZZ", "units": 1}]}, "restock_limits"),
        ({"lead_time": {"safety_days": -1}}, "safety_days"),
    ):
        refused = client.put("/api/v1/replenishment/settings", json=wrong, headers=headers)
        assert refused.status_code == 422, wrong
        assert field in refused.text, refused.text
    again = client.get("/api/v1/replenishment/settings", headers=headers).json()
    assert again["values"]["overstock_days"] == 150


def test_product_settings_by_store_and_sku(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    headers = _headers(db, seller_a)
    url = f"/api/v1/replenishment/sku-settings/{seller_a.store.id}/KIT/42"
    empty = client.get(url, headers=headers)
    assert empty.status_code == 200
    assert empty.json()["values"]["case_pack"] is None
    saved = client.put(
        url,
        json={"case_pack": 12, "moq": 300, "lead_time": {"air_days": 6, "shipping_mode": "air"}},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["sku"] == "KIT/42"
    listed = client.get("/api/v1/replenishment/sku-settings", headers=headers).json()
    assert [(item["sku"], item["values"]["moq"]) for item in listed] == [("KIT/42", 300)]
    other = f"/api/v1/replenishment/sku-settings/{seller_b.store.id}/KIT/42"
    assert client.get(other, headers=headers).status_code == 404
    assert client.put(other, json={}, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 404


def test_settings_page_saves_the_form(signed_in: TestClient, seller_a: Seller) -> None:
    page = signed_in.get("/replenishment/settings")
    assert page.status_code == 200
    assert 'name="weight_7" value="0.5"' in page.text
    form = {
        "csrf_token": csrf_of(signed_in, "/replenishment/settings"),
        **{f"weight_{w}": "0" for w in (3, 7, 14, 30, 60, 90)},
        "weight_30": "1",
        "exclude_out_of_stock_days": "on",
        "spike_mode": "none",
        "sellable_return_share": "0.2",
        "promotions": "2026-12-01 2026-12-07 40",
        **{f"lead.{name}": "5" for name in ("stocking_days", "qc_days", "receiving_days",
                                             "transfer_days", "safety_days", "cycle_days")},
        "lead.transit.sea": "30", "lead.transit.air": "9", "lead.transit.express": "4",
        "lead.shipping_mode": "air",
        "restock_limits": "US standard 1200\nCA oversize 50",
        "overstock_days": "200",
        "order_soon_days": "10",
    }  # fmt: skip
    saved = signed_in.post("/replenishment/settings", data=form)
    assert saved.status_code == 200
    assert "Replenishment settings saved." in saved.text
    assert 'name="weight_30" value="1.0"' in saved.text
    assert "US standard 1200" in saved.text
    assert "2026-12-01 2026-12-07 40" in saved.text
    wrong = signed_in.post("/replenishment/settings", data={**form, "restock_limits": "US 5"})
    assert "restock_limits, line 1" in wrong.text
    sku = signed_in.get("/replenishment/settings/sku?sku=KIT-1")
    assert sku.status_code == 200
    saved_sku = signed_in.post(
        "/replenishment/settings/sku?sku=KIT-1",
        data={"csrf_token": form["csrf_token"], "case_pack": "24", "lead.stocking_days": "45"},
    )
    assert "Settings of KIT-1 saved." in saved_sku.text
    assert 'name="case_pack" value="24"' in saved_sku.text


def test_runs_on_demand(client: TestClient, db: Session, seller_a: Seller) -> None:
    headers = _headers(db, seller_a)
    assert client.get("/api/v1/replenishment/runs/latest", headers=headers).json() is None
    today = datetime.now(UTC).date()
    add_daily_sales(
        db,
        store_id=seller_a.store.id,
        marketplace_id=US,
        sku="RUN-1",
        units={today - timedelta(days=days_ago): 2 for days_ago in range(1, 31)},
    )
    db.add(
        InventorySnapshot(
            store_id=seller_a.store.id, marketplace_id=US, natural_key="myi|run", source="myi",
            snapshot_date=today - timedelta(days=1), sku="RUN-1", fulfillable=1000,
        )
    )  # fmt: skip
    db.flush()
    latest_stock.refresh(db, store_id=seller_a.store.id)  # as the inventory import keeps it
    created = client.post("/api/v1/replenishment/runs", headers=headers)
    assert created.status_code == 201, created.text
    run = created.json()
    # 1,000 units at 2 a day: 500 days of supply, above the default 180.
    assert (run["listings"], run["counts"]) == (1, {"overstocked": 1})
    latest = client.get("/api/v1/replenishment/runs/latest", headers=headers).json()
    assert latest["id"] == run["id"]


def test_lead_time_per_marketplace_on_the_settings_page(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    headers = _headers(db, seller_a)
    today = datetime.now(UTC).date()
    add_daily_sales(
        db,
        store_id=seller_a.store.id,
        marketplace_id=US,
        sku="MKT-1",
        units={today - timedelta(days=days_ago): 1 for days_ago in range(1, 8)},
    )
    db.flush()
    assert signed_in.post("/api/v1/replenishment/runs", headers=headers).status_code == 201
    put = signed_in.put(
        "/api/v1/replenishment/settings",
        json={"marketplace_lead_times": {"CA": {"stocking_days": 12}}},
        headers=headers,
    )
    assert put.status_code == 200, put.text

    page = signed_in.get("/replenishment/settings").text
    # US has listings, CA a lead time of its own: both are offered, only CA is ticked.
    assert 'data-marketplace="CA"' in page
    assert 'data-marketplace="US"' in page
    assert 'name="mlead.CA.own" aria-label="Own lead time CA" checked' in page
    assert 'name="mlead.US.own" aria-label="Own lead time US" >' in page
    assert 'name="mlead.CA.stocking_days" value="12"' in page

    lead = {
        "stocking_days": "60", "qc_days": "2", "receiving_days": "7", "transfer_days": "5",
        "safety_days": "10", "cycle_days": "14",
    }  # fmt: skip
    form = {
        "csrf_token": csrf_of(signed_in, "/replenishment/settings"),
        **{f"weight_{w}": "1" if w == 30 else "0" for w in (3, 7, 14, 30, 60, 90)},
        "spike_mode": "none",
        "sellable_return_share": "0",
        **{f"lead.{name}": "5" for name in lead},
        "lead.transit.sea": "30", "lead.transit.air": "9", "lead.transit.express": "4",
        "lead.shipping_mode": "sea",
        **{f"mlead.US.{name}": value for name, value in lead.items()},
        "mlead.US.transit.sea": "28", "mlead.US.transit.air": "8", "mlead.US.transit.express": "3",
        "mlead.US.shipping_mode": "air",
        "mlead.US.own": "on",
        # CA left unticked: it goes back to the store's lead time.
        **{f"mlead.CA.{name}": "99" for name in lead},
        "overstock_days": "180",
        "order_soon_days": "14",
    }  # fmt: skip
    saved = signed_in.post("/replenishment/settings", data=form)
    assert "Replenishment settings saved." in saved.text
    values = signed_in.get("/api/v1/replenishment/settings", headers=headers).json()["values"]
    assert list(values["marketplace_lead_times"]) == ["US"]
    us = values["marketplace_lead_times"]["US"]
    assert (us["stocking_days"], us["transit_days"]["sea"], us["shipping_mode"]) == (60, 28, "air")
    assert values["lead_time"]["stocking_days"] == 5
    bad = signed_in.post("/replenishment/settings", data={**form, "mlead.US.safety_days": "-3"})
    assert "safety_days" in bad.text
