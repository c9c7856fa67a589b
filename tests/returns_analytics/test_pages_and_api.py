"""The SKU profile page and API, the return reasons settings page with its forms, and the
reason map API, for a signed-in seller: figures shown, overrides, 403 and 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.returns.builders import add_return
from tests.returns_analytics.builders import SKU, build_profile
from tests.web.conftest import Seller, api_token, csrf_of, make_user, new_client, sign_in

AS_OF = "2026-05-31"


def test_sku_page_shows_the_profile_and_lists_link_to_it(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    build_profile(db, seller_a.store)
    add_return(db, seller_a.store, when="2026-05-30T10:00:00", sku="A B/C#1")
    page = signed_in.get(f"/returns/sku/{SKU}", params={"as_of": AS_OF})
    assert page.status_code == 200, page.text[:300]
    assert 'data-figure="rate_30">50.0%<' in page.text
    assert 'data-figure="returned_90">5<' in page.text
    assert 'id="sku-trend-chart"' in page.text
    assert "WEIRD_NEW_CODE" in page.text
    assert "stopped working" in page.text
    # SKUs with spaces, slashes and "#" reach their page when linked (URL-encoded).
    returns = signed_in.get("/returns")
    assert 'href="/returns/sku/A%20B/C%231"' in returns.text
    assert signed_in.get("/returns/sku/A%20B/C%231").status_code == 200
    dashboard = signed_in.get("/", params={"as_of": AS_OF})
    assert f'href="/returns/sku/{SKU}"' in dashboard.text


def test_another_stores_sku_is_404_on_page_and_api(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    build_profile(db, seller_b.store, prefix="B")
    assert signed_in.get(f"/returns/sku/{SKU}").status_code == 404
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    response = signed_in.get(f"/api/v1/returns/sku/{SKU}", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] == "sku_not_found"


def test_sku_api_answers_the_same_figures(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    build_profile(db, seller_a.store)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    body = client.get(f"/api/v1/returns/sku/{SKU}", params={"as_of": AS_OF}, headers=headers).json()
    assert [w["units_returned"] for w in body["windows"]] == [3, 5]
    assert body["previous"]["return_rate"] == 0.2
    assert len(body["trend"]) == 26
    assert {r["reason"] for r in body["reasons"]} >= {"WEIRD_NEW_CODE", None}


def test_owner_overrides_and_resets_a_reason_on_the_settings_page(
    signed_in: TestClient, seller_a: Seller
) -> None:
    page = signed_in.get("/settings/return-reasons")
    assert page.status_code == 200
    assert 'data-code="DEFECTIVE" data-source="default"' in page.text
    assert "SC-200453320" in page.text
    store_id = seller_a.store.id
    token = csrf_of(signed_in, "/settings/return-reasons")
    saved = signed_in.post(
        f"/settings/return-reasons/{store_id}/DEFECTIVE",
        data={"responsible": "seller_listing", "action": "fix_listing", "csrf_token": token},
    )
    assert saved.status_code == 200
    assert 'data-code="DEFECTIVE" data-source="override"' in saved.text
    reset = signed_in.post(
        f"/settings/return-reasons/{store_id}/DEFECTIVE/reset", data={"csrf_token": token}
    )
    assert 'data-code="DEFECTIVE" data-source="default"' in reset.text
    assert signed_in.get("/settings").text.count('href="/settings/return-reasons"') == 1


def test_a_viewer_sees_the_map_but_cannot_override(
    app: object, db: Session, seller_a: Seller
) -> None:
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    client = new_client(app)  # type: ignore[arg-type]
    sign_in(client, viewer.email)
    page = client.get("/settings/return-reasons")
    assert page.status_code == 200
    assert 'form="reason-' not in page.text
    refused = client.post(
        f"/settings/return-reasons/{seller_a.store.id}/DEFECTIVE",
        data={
            "responsible": "buyer",
            "action": "nothing",
            "csrf_token": csrf_of(client, "/settings/return-reasons"),
        },
        follow_redirects=False,
    )
    # A refused form goes back where it came from, with the reason as a flash.
    assert refused.status_code == 303
    after = client.get("/settings/return-reasons")
    assert "may not do this" in after.text
    assert 'data-code="DEFECTIVE" data-source="default"' in after.text
    headers = {"Authorization": f"Bearer {api_token(db, viewer)}"}
    api = client.put(
        f"/api/v1/return-reasons/{seller_a.store.id}/DEFECTIVE",
        json={"responsible": "buyer", "action": "nothing"},
        headers=headers,
    )
    assert api.status_code == 403


def test_reason_map_api(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    store_id = seller_a.store.id
    maps = client.get("/api/v1/return-reasons", params={"store_id": store_id}, headers=headers)
    assert maps.status_code == 200
    [only] = maps.json()
    assert (only["store_id"], only["effective"]) == (store_id, "2026-11-26")
    path = f"/api/v1/return-reasons/{store_id}/SWITCHEROO"
    saved = client.put(
        path, json={"responsible": "amazon_warehouse", "action": "file_claim"}, headers=headers
    )
    assert saved.status_code == 200
    assert (saved.json()["source"], saved.json()["responsible"]) == ("override", "amazon_warehouse")
    bad = client.put(path, json={"responsible": "nobody", "action": "file_claim"}, headers=headers)
    assert bad.status_code == 422
    cleared = client.delete(path, headers=headers)
    assert (cleared.json()["source"], cleared.json()["responsible"]) == ("default", "buyer")
    other = f"/api/v1/return-reasons/{seller_b.store.id}/SWITCHEROO"
    assert client.delete(other, headers=headers).status_code == 404
