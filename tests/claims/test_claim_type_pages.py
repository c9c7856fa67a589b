"""The claims pages show each claim type with its label and filter the queue by type."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.claims.builders import add_refund, add_returned_unit
from tests.web.conftest import (  # noqa: F401  (fixtures used by name)
    Seller,
    app,
    client,
    csrf_of,
    db,
    seller_a,
    signed_in,
    web_db,
)

DAMAGED_ORDER = "111-8000001-0000001"
SWITCHED_ORDER = "111-8000002-0000001"
UNRETURNED_ORDER = "111-8000003-0000001"


def test_new_types_show_their_labels_and_filter(
    signed_in: TestClient,  # noqa: F811
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
) -> None:
    today = datetime.now(UTC).date()
    add_returned_unit(db, seller_a.store, on=today - timedelta(days=10), order_id=DAMAGED_ORDER)
    add_returned_unit(
        db,
        seller_a.store,
        on=today - timedelta(days=70),
        order_id=SWITCHED_ORDER,
        reason="SWITCHEROO",
        lpn="LPNSWITCHPAGE",
    )
    add_refund(db, seller_a.store, on=today - timedelta(days=70), order_id=UNRETURNED_ORDER)
    found = signed_in.post("/claims/find", data={"csrf_token": csrf_of(signed_in, "/claims")})
    assert "3 new claims" in found.text
    assert "Returned damaged by Amazon, not reimbursed" in found.text
    assert "Different item returned (switcheroo)" in found.text
    assert "Refunded, not returned" in found.text

    only = signed_in.get("/claims", params={"claim_type": "switcheroo"})
    assert only.status_code == 200
    assert SWITCHED_ORDER in only.text
    assert DAMAGED_ORDER not in only.text
    assert UNRETURNED_ORDER not in only.text
    assert 'value="switcheroo" selected' in only.text

    claim_id = int(re.search(r'href="/claims/(\d+)"', only.text).group(1))  # type: ignore[union-attr]
    detail = signed_in.get(f"/claims/{claim_id}")
    assert "Different item returned (switcheroo)" in detail.text
    assert "LPNSWITCHPAGE" in detail.text
    assert "SWITCHEROO" in detail.text
    assert "Refund or return date" in detail.text

    assert signed_in.get("/claims", params={"claim_type": "nonsense"}).status_code == 422


def test_removal_receipt_form_creates_the_claim_and_api_does_too(
    signed_in: TestClient,  # noqa: F811
    client: TestClient,  # noqa: F811
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
) -> None:
    from tests.claims.builders import add_parcel, add_removal
    from tests.web.conftest import api_token, make_user

    today = datetime.now(UTC).date()
    shipped = today - timedelta(days=5)
    add_removal(
        db, seller_a.store, order_id="RMV-PAGE", requested=2, shipped=2, requested_on=shipped
    )
    add_parcel(db, seller_a.store, order_id="RMV-PAGE", quantity=2, on=shipped)
    add_removal(
        db, seller_a.store, order_id="RMV-API", requested=1, shipped=1, requested_on=shipped
    )
    page = signed_in.get("/claims/removals")
    assert page.status_code == 200
    assert 'data-receipt="RMV-PAGE|SKU-1"' in page.text
    created = signed_in.post(
        "/claims/removals/receipt",
        data={
            "csrf_token": csrf_of(signed_in, "/claims/removals"),
            "store_id": str(seller_a.store.id),
            "removal_order_id": "RMV-PAGE",
            "sku": "SKU-1",
            "outcome": "damaged",
            "on": today.isoformat(),
            "units": "1",
            "note": "one unit crushed",
        },
    )
    assert created.status_code == 200
    assert "Removal claim created." in created.text
    assert "Removal shipment received damaged or incomplete" in created.text
    assert "one unit crushed" in created.text
    assert 'data-recorded="1"' in created.text
    assert "Removal order ID: RMV-PAGE" in created.text

    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    body = {
        "store_id": seller_a.store.id,
        "removal_order_id": "RMV-API",
        "sku": "SKU-1",
        "outcome": "lost",
        "on": today.isoformat(),
    }
    made = client.post("/api/v1/claims/removal-receipts", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert (made.json()["claim_type"], made.json()["units"]) == ("removal_lost", 1)
    assert made.json()["events"][0]["user_email"] == seller_a.owner.email
    again = client.post("/api/v1/claims/removal-receipts", json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "claim_exists"
    listed = client.get("/api/v1/claims/removals", headers=headers)
    assert {row["order_id"] for row in listed.json()} == {"RMV-PAGE", "RMV-API"}
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    refused = client.post(
        "/api/v1/claims/removal-receipts",
        json={**body, "removal_order_id": "RMV-PAGE", "outcome": "lost"},
        headers={"Authorization": f"Bearer {api_token(db, viewer)}"},
    )
    assert refused.status_code == 403


def test_inbound_page_lists_what_the_data_cannot_check(
    signed_in: TestClient,  # noqa: F811
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
) -> None:
    from tests.claims.builders import add_snapshot

    today = datetime.now(UTC).date()
    add_snapshot(
        db, seller_a.store, on=today - timedelta(days=20), fulfillable=5, receiving=10, sku="INB-1"
    )
    add_snapshot(db, seller_a.store, on=today - timedelta(days=2), fulfillable=15, sku="INB-1")
    page = signed_in.get("/claims/inbound")
    assert page.status_code == 200
    assert 'data-coverage="insufficient"' in page.text
    assert "INB-1" in page.text
    assert "18 days apart (at most 7)" in page.text


def test_reversal_and_inbound_claims_show_their_evidence(
    signed_in: TestClient,  # noqa: F811
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
) -> None:
    from tests.claims.builders import add_reimbursement, add_sale, add_snapshot

    today = datetime.now(UTC).date()
    store = seller_a.store
    original = add_reimbursement(
        db, store, on=today - timedelta(days=30), order_id="111-8000009-0000001"
    )
    add_reimbursement(
        db,
        store,
        on=today - timedelta(days=3),
        order_id="111-8000009-0000001",
        reason="Reimbursement_Reversal",
        quantity=-1,
        amount="-21.25",
        original_type="CustomerReturn",
        original_id=original,
    )
    add_snapshot(
        db, store, on=today - timedelta(days=22), fulfillable=10, receiving=30, sku="INB-2"
    )
    add_snapshot(db, store, on=today - timedelta(days=18), fulfillable=30, sku="INB-2")
    add_sale(db, store, on=today - timedelta(days=1), sku="INB-2")
    found = signed_in.post("/claims/find", data={"csrf_token": csrf_of(signed_in, "/claims")})
    assert "2 new claims" in found.text
    ids = [int(value) for value in re.findall(r'href="/claims/(\d+)"', found.text)]
    pages = [signed_in.get(f"/claims/{claim_id}").text for claim_id in ids]
    reversal = next(text for text in pages if 'id="evidence-reversal"' in text)
    assert original in reversal
    assert "Reimbursement reversed, not paid again" in reversal
    missing = next(text for text in pages if 'id="evidence-inbound"' in text)
    # 30 left the pipeline, on hand +20, nothing sold in between: 10 missing.
    assert "30 left the pipeline − (stock change 20 + sold 0 + removed 0) = 10 missing" in missing
    assert "Inbound units missing" in missing


def test_removal_orders_page_pages_and_filters(
    signed_in: TestClient,  # noqa: F811
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
) -> None:
    from aftersales.claims.views import REMOVALS_PER_PAGE
    from tests.claims.builders import add_removal

    day = datetime.now(UTC).date() - timedelta(days=3)
    count = REMOVALS_PER_PAGE + 3
    for number in range(count):
        add_removal(
            db, seller_a.store, order_id=f"RMV-{number:03d}", requested=1, shipped=0,
            requested_on=day,
        )  # fmt: skip
    first = signed_in.get("/claims/removals").text
    assert first.count('data-removal="RMV-') == REMOVALS_PER_PAGE
    assert f"Page 1 of 2 · {count} rows" in first
    assert 'rel="next"' in first
    second = signed_in.get("/claims/removals", params={"page": 2}).text
    assert second.count('data-removal="RMV-') == 3
    assert 'rel="next"' not in second
    found = signed_in.get("/claims/removals", params={"q": "rmv-05"}).text
    assert sorted(set(re.findall(r'data-removal="(RMV-\d+)\|', found))) == [
        f"RMV-{n:03d}" for n in range(50, count)
    ]
    assert signed_in.get("/claims/removals", params={"page": 0}).status_code == 422
