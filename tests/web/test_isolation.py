"""Store isolation: a member of store A reaches none of store B's objects, by any route.

The test walks every registered route, HTML and API. A route with a path parameter gets
store B's object for that parameter and must answer 404; a new route with a parameter
this test does not know fails it until someone says which object to try.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import Mount

from aftersales.accounts import service as account_service
from aftersales.alerts import service as alerts_service
from aftersales.claims import service as claims_service
from aftersales.imports import jobs
from aftersales.inbound import addresses as address_service
from aftersales.models import Claim, FbaReturn, ImportBatch, Order
from aftersales.replenishment import stock_service
from aftersales.replenishment.schemas import LocalStockCreate, PurchaseOrderCreate
from tests.claims.builders import add_refund
from tests.conftest import DATA, run_import
from tests.inbound.builders import SHENZHEN, add_plan, add_product
from tests.returns.builders import add_return
from tests.web.conftest import PASSWORD, Seller, api_token, csrf_of, make_user, sign_in

# Routes whose parameter is itself the credential: holding the secret is the permission.
PUBLIC_WITH_SECRET = {"/invite/{token}"}


@dataclass(frozen=True)
class Route:
    prefix: str
    path: str
    methods: frozenset[str]


def _walk(routes: list[Any], prefix: str) -> list[Route]:
    found: list[Route] = []
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            found.append(Route(prefix, context.path, frozenset(context.methods or ())))
        elif isinstance(route, Mount) and isinstance(route.app, FastAPI):
            found.extend(_walk(route.app.routes, prefix + route.path))
    return found


def _routes(app: FastAPI) -> list[tuple[str, Route]]:
    return [(route.prefix, route) for route in _walk(app.routes, "")]


def _objects_of(db: Session, seller: Seller) -> dict[str, Any]:
    """One object of the seller's store for every kind of path parameter."""
    store_name = seller.store.name
    run_import(db, "fba_returns_us.txt", store=store_name)
    run_import(db, "all_orders_us_ca.txt", store=store_name)
    run_import(db, "fba_returns_bad_rows.txt", store=store_name, skip_bad_rows=True)
    access = account_service.access_for(db, user=seller.owner)
    upload = jobs.save_upload(
        BytesIO((DATA / "fba_returns_us.txt").read_bytes()), file_name="b.txt"
    )
    job = jobs.create_job(db, access=access, store_id=seller.store.id, upload=upload)
    invitation = account_service.invite(
        db,
        access=access,
        store_id=seller.store.id,
        email=f"invitee@{store_name}.test",
        role="agent",
    )
    token, _plain = account_service.create_token(db, user=seller.owner, name="b's script")
    member = make_user(db, f"agent@{store_name}.test", seller.store, role="agent")
    # A SKU only this store sells (the imported reports' SKUs are in both stores).
    only_here = add_return(db, seller.store, when="2026-05-12T10:00:00", sku=f"ONLY/{store_name}")
    # A reimbursement claim: refunded in January, never returned, claimable in March.
    add_refund(db, seller.store, on=date(2026, 1, 5), order_id=f"111-{seller.store.id:07d}-0000001")
    claims_service.detect(db, store_id=seller.store.id, as_of=date(2026, 3, 20))
    # An alert (that claim closes on 2026-05-05) and a notification channel.
    [alert] = alerts_service.evaluate(db, store_id=seller.store.id, as_of=date(2026, 5, 1))
    channel = alerts_service.create_channel(
        db,
        access=access,
        store_id=seller.store.id,
        kind="slack",
        target=f"http://127.0.0.1:9/{store_name}",
        enabled=False,
    )
    # An inbound plan with one line, and a saved ship-from address.
    add_product(db, seller.store, f"INB-{store_name}")
    plan = add_plan(db, seller.store, seller.owner, lines=((f"INB-{store_name}", 3),))
    address = address_service.save_address(
        db, access=access, store_id=seller.store.id, label="SZ", address=SHENZHEN
    )
    # Stock in the seller's own warehouse and a purchase order line (replenishment).
    stock = stock_service.create_local_stock(
        db, access=access, store_id=seller.store.id, values=LocalStockCreate(sku="S-1", quantity=5)
    )
    purchase = stock_service.create_purchase_order(
        db,
        access=access,
        store_id=seller.store.id,
        values=PurchaseOrderCreate(sku="S-1", quantity=5, expected_date=date(2026, 12, 1)),
    )
    db.flush()

    def first(model: Any) -> int:
        return int(
            db.execute(
                select(model.id).where(model.store_id == seller.store.id).limit(1)
            ).scalar_one()
        )

    return {
        "store_id": seller.store.id,
        "return_id": first(FbaReturn),
        "order_id": first(Order),
        "batch_id": first(ImportBatch),
        "job_id": job.id,
        "invitation_id": invitation.invitation.id if invitation.invitation else None,
        "user_id": member.id,
        "token_id": token.id,
        "claim_id": first(Claim),
        "fmt": "csv",
        "sku": only_here.sku,
        "amazon_order_id": only_here.amazon_order_id,
        # With store B's store_id in the same path, any code answers 404.
        "reason_code": "DEFECTIVE",
        "alert_id": alert.id,
        "channel_id": channel.id,
        "stock_id": stock.id,
        "purchase_order_id": purchase.id,
        # With store B's store_id in the same path, any rule kind answers 404.
        "kind": "sku_return_rate",
        "plan_id": plan.id,
        "item_id": plan.items[0].id,
        "address_id": address.id,
    }


FORM = {
    "role": "viewer",
    "email": "someone@else.test",
    "name": "a name",
    "password": PASSWORD,
    "display_name": "x",
    "locale": "en",
}


@pytest.fixture
def two_sellers(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> dict[str, Any]:
    _objects_of(db, seller_a)
    objects = _objects_of(db, seller_b)
    sign_in(client, seller_a.owner.email)
    objects["_token_a"] = api_token(db, seller_a.owner)
    return objects


def test_every_route_with_an_id_answers_404_for_another_stores_object(
    app: FastAPI, client: TestClient, two_sellers: dict[str, Any]
) -> None:
    objects = two_sellers
    csrf = csrf_of(client, "/settings")
    checked: list[str] = []
    for prefix, route in _routes(app):
        path = prefix + route.path
        # "{name}" or "{name:converter}" (a SKU may hold "/": "{sku:path}").
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        if not names or path in PUBLIC_WITH_SECRET:
            continue
        unknown = [name for name in names if name not in objects]
        assert not unknown, (
            f"{path}: which store-B object should {unknown} be? add it to _objects_of"
        )
        url = path
        for name in names:
            url = re.sub(r"{" + name + r"(?::\w+)?}", str(objects[name]), url)
        api = path.startswith("/api/")
        headers = {"Authorization": f"Bearer {objects['_token_a']}"} if api else {}
        if path.endswith("/export.{fmt}"):
            # A list export: its "object" is the store, chosen by store_id (API) or session.
            if not api:
                continue
            url += f"?store_id={objects['store_id']}"
        for method in sorted(route.methods - {"HEAD"}):
            data = {**FORM, "csrf_token": csrf} if method != "GET" and not api else None
            response = client.request(
                method, url, headers=headers, data=data, follow_redirects=False
            )
            assert response.status_code == 404, (
                f"{method} {url}: {response.status_code} {response.text[:200]}"
            )
            if api:
                assert response.json()["code"].endswith("not_found")
            checked.append(f"{method} {path}")
    # The walk really covered the object routes (a broken walk must not pass silently).
    assert len(checked) >= 15, checked
    assert "GET /api/v1/returns/{return_id}" in checked
    assert "POST /settings/stores/{store_id}/members/{user_id}/role" in checked
    assert "GET /returns/sku/{sku:path}" in checked
    assert "PUT /api/v1/return-reasons/{store_id}/{reason_code}" in checked
    assert "POST /api/v1/alerts/{alert_id}/read" in checked
    assert "DELETE /api/v1/notification-channels/{channel_id}" in checked


def test_api_lists_refuse_another_store_and_never_show_its_rows(
    app: FastAPI, client: TestClient, two_sellers: dict[str, Any], seller_b: Seller
) -> None:
    headers = {"Authorization": f"Bearer {two_sellers['_token_a']}"}
    lists = [
        prefix + route.path
        for prefix, route in _routes(app)
        if prefix
        and "GET" in route.methods
        and "{" not in route.path
        and route.path not in ("/openapi.json", "/docs", "/me", "/stores")
    ]
    assert "/api/v1/returns" in lists
    assert "/api/v1/imports/jobs" in lists
    for path in lists:
        refused = client.get(path, params={"store_id": seller_b.store.id}, headers=headers)
        assert refused.status_code == 404, f"{path}: {refused.status_code}"
        mine = client.get(path, headers=headers)
        assert mine.status_code == 200, f"{path}: {mine.status_code} {mine.text[:200]}"
        assert seller_b.store.name not in mine.text
        assert f'"store_id":{seller_b.store.id}' not in mine.text.replace(" ", "")


def test_pages_and_exports_show_only_my_stores(
    client: TestClient, two_sellers: dict[str, Any], seller_b: Seller
) -> None:
    for path in (
        "/",
        "/returns",
        "/orders",
        "/imports",
        "/settings",
        "/returns/export.csv",
        "/orders/export.csv",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert seller_b.store.name not in response.text, path
        assert "agent@bravo-na.test" not in response.text, path
    # Choosing store B in the switcher is refused, not silently ignored.
    response = client.post(
        "/scope",
        data={"store": str(seller_b.store.id), "csrf_token": csrf_of(client, "/"), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 404


def test_upload_to_another_store_is_refused_and_nothing_is_kept(
    client: TestClient, two_sellers: dict[str, Any], seller_b: Seller
) -> None:
    files = {"file": ("r.txt", (DATA / "fba_returns_us.txt").read_bytes(), "text/plain")}
    page = client.post(
        "/imports/upload",
        data={"store_id": str(seller_b.store.id), "csrf_token": csrf_of(client, "/imports")},
        files=files,
        follow_redirects=False,
    )
    assert page.status_code == 404
    api = client.post(
        "/api/v1/imports",
        data={"store_id": str(seller_b.store.id)},
        files=files,
        headers={"Authorization": f"Bearer {two_sellers['_token_a']}"},
    )
    assert api.status_code == 404
