"""The lifecycle board page and its JSON API for a signed-in seller; 404 outside the scope."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.claims.builders import add_refund
from tests.returns.builders import add_return
from tests.returns_lifecycle.builders import add_removal, add_snapshot
from tests.web.conftest import Seller, api_token

PARAMS = {"date_from": "2026-01-01", "date_to": "2026-03-31", "as_of": "2026-04-10"}
ORDER = "111-0000009-0000001"


def _arrange(db: Session, seller: Seller, prefix: str = "") -> None:
    store = seller.store
    add_refund(db, store, on=date(2026, 3, 1), order_id=f"{prefix}{ORDER}", sku="A B/C#1")
    add_return(
        db,
        store,
        when="2026-02-01T10:00:00",
        sku="LAMP",
        disposition="DEFECTIVE",
        order_id=f"{prefix}111-0000009-0000002",
    )
    add_snapshot(db, store, on=date(2026, 4, 1), sku="LAMP", unfulfillable=1)
    add_removal(db, store, when="2026-03-15T10:00:00", sku="VASE", order_id=f"{prefix}R-9")


def test_board_page_shows_counts_lists_and_is_linked_from_returns(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    _arrange(db, seller_a)
    page = signed_in.get("/returns/lifecycle", params=PARAMS)
    assert page.status_code == 200, page.text[:300]
    assert 'data-figure="stage_refunded">1<' in page.text
    assert 'data-figure="stage_received">1<' in page.text
    assert f'data-order="{ORDER}"' in page.text
    assert 'data-figure="days">40<' in page.text
    unsellable = signed_in.get(
        "/returns/lifecycle", params={**PARAMS, "list": "unsellable_in_stock"}
    )
    assert 'data-order="111-0000009-0000002"' in unsellable.text
    removals = signed_in.get("/returns/lifecycle", params={**PARAMS, "list": "removal_not_shipped"})
    assert 'data-removal="R-9"' in removals.text
    assert 'href="/returns/lifecycle"' in signed_in.get("/returns").text
    assert signed_in.get("/returns/lifecycle", params={"list": "nope"}).status_code == 422


def test_api_board_lists_and_unit_timeline(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _arrange(db, seller_a)
    _arrange(db, seller_b, prefix="B")
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    body = client.get(
        "/api/v1/returns/lifecycle",
        params={**PARAMS, "list": "refunded_not_received"},
        headers=headers,
    ).json()
    assert body["totals"] == {
        "refunded_not_received": 1,
        "unsellable_in_stock": 1,
        "removal_not_shipped": 1,
    }
    assert [item["unit"]["amazon_order_id"] for item in body["refunded_not_received"]] == [ORDER]
    assert body["removal_not_shipped"] is None
    removals = client.get(
        "/api/v1/returns/lifecycle",
        params={**PARAMS, "list": "removal_not_shipped"},
        headers=headers,
    ).json()
    assert [item["removal_order_id"] for item in removals["removal_not_shipped"]] == ["R-9"]
    unit = client.get(f"/api/v1/returns/lifecycle/{ORDER}/A%20B/C%231", headers=headers)
    assert unit.status_code == 200, unit.text
    assert unit.json()["stage"] == "refunded"
    assert [step["stage"] for step in unit.json()["steps"]] == ["refunded"]
    # Store B's unit, and a unit nobody has, answer 404.
    other = client.get(f"/api/v1/returns/lifecycle/B{ORDER}/A%20B/C%231", headers=headers)
    assert other.status_code == 404
    assert other.json()["code"] == "unit_not_found"
    assert client.get("/api/v1/returns/lifecycle/nope/SKU", headers=headers).status_code == 404
    refused = client.get(
        "/api/v1/returns/lifecycle", params={"store_id": seller_b.store.id}, headers=headers
    )
    assert refused.status_code == 404
