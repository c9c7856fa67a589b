"""Stock outside FBA and purchase orders through the API and the pages: a line at a time,
the CSV / Excel templates and their all-or-nothing import, roles and store isolation."""

# The web fixtures are imported by name, and pytest passes them back as parameters.
# ruff: noqa: F811

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aftersales.cli import app as app_cli
from aftersales.models import LocalStock, PurchaseOrderLine
from tests.web.conftest import (  # noqa: F401
    Seller,
    api_token,
    app,
    client,
    csrf_of,
    db,
    make_user,
    seller_a,
    seller_b,
    sign_in,
    signed_in,
    web_db,
)

US = "ATVPDKIKX0DER"


def _auth(db: Session, seller: Seller) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db, seller.owner)}"}


def _count(db: Session, model: Any) -> int:
    return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def test_local_stock_a_line_at_a_time(client: TestClient, db: Session, seller_a: Seller) -> None:
    headers = _auth(db, seller_a)
    created = client.post(
        "/api/v1/replenishment/local-stock",
        json={
            "sku": "SKU-1",
            "warehouse_kind": "overseas_3pl",
            "warehouse_name": "LA",
            "quantity": 40,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    line = created.json()
    assert (line["store_id"], line["quantity"], line["warehouse_kind"]) == (
        seller_a.store.id, 40, "overseas_3pl"
    )  # fmt: skip
    again = client.post(
        "/api/v1/replenishment/local-stock",
        json={
            "sku": "SKU-1",
            "warehouse_kind": "overseas_3pl",
            "warehouse_name": "LA",
            "quantity": 1,
        },
        headers=headers,
    )
    assert again.status_code == 409
    changed = client.patch(
        f"/api/v1/replenishment/local-stock/{line['id']}", json={"quantity": 12}, headers=headers
    )
    assert changed.json()["quantity"] == 12
    listed = client.get("/api/v1/replenishment/local-stock", headers=headers).json()
    assert [(item["sku"], item["quantity"]) for item in listed] == [("SKU-1", 12)]
    bad = client.post(
        "/api/v1/replenishment/local-stock", json={"sku": "X", "quantity": -1}, headers=headers
    )
    assert bad.status_code == 422
    assert (
        client.delete(
            f"/api/v1/replenishment/local-stock/{line['id']}", headers=headers
        ).status_code
        == 204
    )
    assert _count(db, LocalStock) == 0


def test_purchase_orders_a_line_at_a_time(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    headers = _auth(db, seller_a)
    created = client.post(
        "/api/v1/replenishment/purchase-orders",
        json={"sku": "SKU-1", "marketplace": "US", "quantity": 500, "expected_date": "2026-12-15",
              "reference": "PO-1"},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["marketplace_id"], order["marketplace_code"], order["status"]) == (
        US,
        "US",
        "open",
    )
    unknown = client.post(
        "/api/v1/replenishment/purchase-orders",
        json={"sku": "SKU-1", "marketplace": "XX", "quantity": 5, "expected_date": "2026-12-15"},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "invalid_input"
    received = client.patch(
        f"/api/v1/replenishment/purchase-orders/{order['id']}",
        json={"status": "received"},
        headers=headers,
    )
    assert received.json()["status"] == "received"
    open_only = client.get(
        "/api/v1/replenishment/purchase-orders", params={"status": "open"}, headers=headers
    )
    assert open_only.json() == []


def test_templates_round_trip_through_the_import(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    headers = _auth(db, seller_a)
    csv_template = client.get(
        "/api/v1/replenishment/templates",
        params={"kind": "local-stock", "format": "csv"},
        headers=headers,
    )
    assert csv_template.status_code == 200
    assert csv_template.content.startswith(b"\xef\xbb\xbfsku,warehouse_kind,warehouse_name")
    imported = client.post(
        "/api/v1/replenishment/local-stock/import",
        files={"file": ("stock.csv", csv_template.content, "text/csv")},
        headers=headers,
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"rows": 1, "inserted": 1, "updated": 0}
    xlsx = client.get(
        "/api/v1/replenishment/templates",
        params={"kind": "purchase-orders", "format": "xlsx"},
        headers=headers,
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == [
        "reference", "sku", "marketplace", "quantity", "expected_date", "status"
    ]  # fmt: skip
    sheet.append(["PO-9", "SKU-9", "DE", 12, "2026-12-20", "open"])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    orders = client.post(
        "/api/v1/replenishment/purchase-orders/import",
        files={"file": ("orders.xlsx", buffer.getvalue(), "application/octet-stream")},
        headers=headers,
    )
    assert orders.status_code == 200, orders.text
    assert orders.json()["inserted"] == 2
    # The same file again: the lines with a reference are replaced, not added.
    again = client.post(
        "/api/v1/replenishment/purchase-orders/import",
        files={"file": ("orders.xlsx", buffer.getvalue(), "application/octet-stream")},
        headers=headers,
    )
    assert again.json() == {"rows": 2, "inserted": 0, "updated": 2}
    assert _count(db, PurchaseOrderLine) == 2


def test_a_bad_file_writes_nothing_and_names_every_line_and_column(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    headers = _auth(db, seller_a)
    text = (
        "sku,warehouse_kind,warehouse_name,quantity,as_of\n"
        "SKU-1,local,SZ,10,2026-11-20\n"
        "SKU-2,warehouse,SZ,5,\n"
        "SKU-3,local,SZ,many,2026-13-01\n"
    )
    rejected = client.post(
        "/api/v1/replenishment/local-stock/import",
        files={"file": ("stock.csv", text.encode("gb18030"), "text/csv")},
        headers=headers,
    )
    assert rejected.status_code == 422
    body = rejected.json()
    assert body["code"] == "stock_file_rejected"
    assert body["message"].startswith("line 3, column warehouse_kind: use local or overseas_3pl")
    assert [(e["line"], e["column"]) for e in body["details"]["errors"]] == [
        (3, "warehouse_kind"), (4, "quantity"), (4, "as_of")
    ]  # fmt: skip
    assert _count(db, LocalStock) == 0
    missing = client.post(
        "/api/v1/replenishment/purchase-orders/import",
        files={"file": ("po.csv", b"sku,quantity\nA,1\n", "text/csv")},
        headers=headers,
    )
    assert missing.status_code == 422
    assert missing.json()["details"]["errors"] == [
        {"line": 1, "column": "expected_date", "message": "required column missing"}
    ]
    chinese = "sku,warehouse_kind,warehouse_name,quantity,as_of\n杯子-1,local,深圳,3,2026-11-20\n"
    accepted = client.post(
        "/api/v1/replenishment/local-stock/import",
        files={"file": ("stock.csv", chinese.encode("gb18030"), "text/csv")},
        headers=headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert db.scalars(select(LocalStock.warehouse_name)).one() == "深圳"


def test_roles_and_other_stores(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    viewer_headers = {"Authorization": f"Bearer {api_token(db, viewer)}"}
    refused = client.post(
        "/api/v1/replenishment/local-stock",
        json={"sku": "SKU-1", "quantity": 4},
        headers=viewer_headers,
    )
    assert refused.status_code == 403
    assert (
        client.get("/api/v1/replenishment/local-stock", headers=viewer_headers).status_code == 200
    )
    b_headers = _auth(db, seller_b)
    b_line = client.post(
        "/api/v1/replenishment/local-stock", json={"sku": "B-1", "quantity": 4}, headers=b_headers
    ).json()
    a_headers = _auth(db, seller_a)
    for method in ("PATCH", "DELETE"):
        response = client.request(
            method,
            f"/api/v1/replenishment/local-stock/{b_line['id']}",
            json={"quantity": 1},
            headers=a_headers,
        )
        assert response.status_code == 404
    other = client.get(
        "/api/v1/replenishment/local-stock",
        params={"store_id": seller_b.store.id},
        headers=a_headers,
    )
    assert other.status_code == 404


def test_pages_add_and_import(signed_in: TestClient, db: Session, seller_a: Seller) -> None:
    page = signed_in.get("/replenishment/stock")
    assert page.status_code == 200
    token = csrf_of(signed_in, "/replenishment/stock")
    added = signed_in.post(
        "/replenishment/stock",
        data={"csrf_token": token, "sku": "SKU-7", "warehouse_kind": "local", "quantity": "70"},
    )
    assert added.status_code == 200
    assert "SKU-7" in added.text
    imported = signed_in.post(
        f"/replenishment/purchase-orders/import?store_id={seller_a.store.id}",
        data={"csrf_token": token},
        files={
            "file": ("po.csv", b"sku,quantity,expected_date\nSKU-7,100,2026-12-01\n", "text/csv")
        },
    )
    assert imported.status_code == 200
    assert "SKU-7" in imported.text
    assert "2026-12-01" in imported.text
    bad = signed_in.post(
        f"/replenishment/purchase-orders/import?store_id={seller_a.store.id}",
        data={"csrf_token": token},
        files={"file": ("po.csv", b"sku,quantity,expected_date\nSKU-7,0,2026-12-01\n", "text/csv")},
    )
    # The form's error comes back as a message on the page; nothing was written.
    assert "line 2, column quantity" in bad.text
    assert _count(db, PurchaseOrderLine) == 1
    stock = signed_in.post(
        f"/replenishment/stock/import?store_id={seller_a.store.id}",
        data={"csrf_token": token},
        files={
            "file": (
                "stock.csv",
                b"sku,warehouse_kind,quantity\nSKU-8,overseas_3pl,45\n",
                "text/csv",
            )
        },
        follow_redirects=False,
    )
    assert stock.status_code == 303
    assert stock.headers["location"] == "/replenishment/stock"
    assert "SKU-8" in signed_in.get("/replenishment/stock").text
    template = signed_in.get("/replenishment/templates?kind=purchase-orders&format=csv")
    assert template.status_code == 200
    assert b"expected_date" in template.content


def test_import_stock_command(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app_cli, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,warehouse_kind,quantity\nA,local,1\nB,nowhere,x\n", encoding="utf-8")
    rejected = runner.invoke(app_cli, ["replenishment", "import-stock", str(bad)])
    assert rejected.exit_code == 2
    assert "line 3, column warehouse_kind" in rejected.output
    assert "line 3 column 'quantity': not a whole number" in rejected.output
    orders = tmp_path / "po.csv"
    orders.write_text("sku,quantity,expected_date\nA,10,2026-12-01\n", encoding="utf-8")
    done = runner.invoke(
        app_cli, ["replenishment", "import-stock", str(orders), "--kind", "purchase-orders"]
    )
    assert done.exit_code == 0, done.output
    assert "po.csv: 1 lines, 1 new, 0 updated" in done.output
