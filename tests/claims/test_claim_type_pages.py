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
