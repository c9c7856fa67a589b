"""The claims queue and claim pages, and the claims API: find, read, change status, roles."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import Claim, ClaimEvent
from tests.claims.builders import add_refund
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in

ORDER = "111-7000001-0000001"


def _refund_in_window(db: Session, seller: Seller) -> None:
    # Refunded 70 days ago: past the 60-day wait, well inside the filing window.
    today = datetime.now(UTC).date()
    add_refund(db, seller.store, on=today - timedelta(days=70), order_id=ORDER)


def test_find_claims_then_file_one_from_its_page(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    _refund_in_window(db, seller_a)
    empty = signed_in.get("/claims")
    assert empty.status_code == 200
    assert ORDER not in empty.text
    found = signed_in.post("/claims/find", data={"csrf_token": csrf_of(signed_in, "/claims")})
    assert found.status_code == 200
    assert "1 new claims" in found.text
    assert ORDER in found.text
    claim_id = int(re.search(r'href="/claims/(\d+)"', found.text).group(1))  # type: ignore[union-attr]
    detail = signed_in.get(f"/claims/{claim_id}")
    assert ORDER in detail.text
    assert "Seller Support" in detail.text or "reimburse" in detail.text.lower()

    filed = signed_in.post(
        f"/claims/{claim_id}/status",
        data={
            "status": "filed",
            "note": "case 123",
            "csrf_token": csrf_of(signed_in, f"/claims/{claim_id}"),
        },
    )
    assert filed.status_code == 200
    claim = db.get(Claim, claim_id)
    assert claim is not None
    db.refresh(claim)
    assert claim.status == "filed"
    events = db.execute(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)).scalars().all()
    assert [event.to_status for event in events][-1] == "filed"
    assert events[-1].user_id == seller_a.owner.id

    # Filing twice is not a legal move: the page says so and nothing changes.
    again = signed_in.post(
        f"/claims/{claim_id}/status",
        data={"status": "filed", "csrf_token": csrf_of(signed_in, f"/claims/{claim_id}")},
    )
    assert again.status_code == 200
    assert "flash-error" in again.text


def test_viewers_see_claims_but_cannot_change_them(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    _refund_in_window(db, seller_a)
    make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    sign_in(client, "viewer@alpha.test")
    refused = client.post(
        "/claims/find", data={"csrf_token": csrf_of(client, "/claims")}, follow_redirects=False
    )
    assert refused.status_code == 303
    assert db.execute(select(Claim)).scalars().all() == []


def test_claims_api(client: TestClient, db: Session, seller_a: Seller) -> None:
    _refund_in_window(db, seller_a)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    detected = client.post("/api/v1/claims/detect", headers=headers)
    assert detected.status_code == 200, detected.text
    listing = client.get("/api/v1/claims", headers=headers).json()
    [item] = [c for c in listing["items"] if c["amazon_order_id"] == ORDER]
    one = client.get(f"/api/v1/claims/{item['id']}", headers=headers)
    assert one.status_code == 200
    assert one.json()["status"] == "candidate"
    rejected = client.post(
        f"/api/v1/claims/{item['id']}/status",
        json={"status": "rejected", "note": "no"},
        headers=headers,
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    illegal = client.post(
        f"/api/v1/claims/{item['id']}/status", json={"status": "filed"}, headers=headers
    )
    assert illegal.status_code == 409
    assert illegal.json()["code"] == "claim_transition_not_allowed"
    assert client.get("/api/v1/claims/999999", headers=headers).status_code == 404
