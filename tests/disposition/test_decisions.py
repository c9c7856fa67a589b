"""Recorded disposition decisions: who may record them, what they keep of the arithmetic,
how the lot shows them, the removal plan built from them, the list, exports and API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.disposition import decisions as decisions_service
from aftersales.disposition import service as disposition_service
from aftersales.disposition.calc import Option
from aftersales.disposition.schemas import DecisionCreate
from aftersales.exceptions import Forbidden, InvalidInput, NotFound
from aftersales.kit.scope import Scope
from aftersales.models import DispositionDecision
from tests.disposition.test_service_and_web import AS_OF, _settings, _stock
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in


def _body(seller: Seller, option: Option, units: int | None = None, note: str | None = None):  # type: ignore[no-untyped-def]
    return DecisionCreate(
        store_id=seller.store.id,
        marketplace="US",
        sku="SKU-A",
        option=option,
        units=units,
        note=note,
    )


def test_a_decision_keeps_the_figures_and_fee_table_and_the_lot_shows_it(
    db: Session, seller_a: Seller
) -> None:
    _stock(db, seller_a.store)
    _settings(db, seller_a)
    access = account_service.access_for(db, user=seller_a.owner)
    decided = decisions_service.record_decision(
        db,
        access=access,
        body=_body(seller_a, Option.REMOVE_TO_OWN_ADDRESS, 3, "ship back to Reno"),
        as_of=AS_OF,
    )
    # 4.60 per unit (see test_recommendation_uses_catalog_price_cost_and_store_costs) × 3.
    assert (decided.per_unit, decided.per_lot) == (Decimal("4.60"), Decimal("13.80"))
    assert (decided.units, decided.lot_units, decided.note) == (3, 4, "ship back to Reno")
    assert (decided.fee_table, decided.fee_table_effective) == ("US/2022-01-01", date(2022, 1, 1))
    assert decided.best_option == Option.REMOVE_TO_OWN_ADDRESS
    assert decided.decided_by == seller_a.owner.email
    assert decided.removal
    options = {item["option"]: item["per_unit"] for item in decided.arithmetic["options"]}
    assert options["remove_to_own_address"] == "4.60"
    assert Decimal(decided.arithmetic["inputs"]["unit_cost"]) == 8

    # A later decision supersedes it on the lot; both stay in the list.
    decisions_service.record_decision(
        db, access=access, body=_body(seller_a, Option.DISPOSE), as_of=AS_OF
    )
    [lot] = disposition_service.recommendations(
        db, scope=Scope(store_ids=(seller_a.store.id,)), as_of=AS_OF
    ).lots
    assert lot.decision is not None
    assert (lot.decision.option, lot.decision.units) == (Option.DISPOSE, 4)
    scope = Scope(store_ids=(seller_a.store.id,))
    every = decisions_service.list_decisions(db, scope=scope).items
    assert [item.option for item in every] == [Option.DISPOSE, Option.REMOVE_TO_OWN_ADDRESS]
    latest = decisions_service.list_decisions(db, scope=scope, latest_only=True).items
    assert [item.option for item in latest] == [Option.DISPOSE]


def test_bad_decisions_are_refused_and_nothing_is_written(
    db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _stock(db, seller_a.store)
    _stock(db, seller_b.store)
    owner = account_service.access_for(db, user=seller_a.owner)
    with pytest.raises(InvalidInput, match="the lot has 4"):
        decisions_service.record_decision(
            db, access=owner, body=_body(seller_a, Option.DISPOSE, 5), as_of=AS_OF
        )
    with pytest.raises(InvalidInput, match="not an option"):
        # Unsellable units cannot be resold as they are.
        decisions_service.record_decision(
            db, access=owner, body=_body(seller_a, Option.RESELL), as_of=AS_OF
        )
    with pytest.raises(NotFound):
        decisions_service.record_decision(
            db, access=owner, body=_body(seller_b, Option.DISPOSE), as_of=AS_OF
        )
    missing = DecisionCreate(
        store_id=seller_a.store.id, marketplace="US", sku="NO-SUCH", option=Option.DISPOSE
    )
    with pytest.raises(NotFound):
        decisions_service.record_decision(db, access=owner, body=missing, as_of=AS_OF)
    for role in ("viewer", "agent"):
        user = make_user(db, f"{role}@alpha.test", seller_a.store, role=role)
        with pytest.raises(Forbidden):
            decisions_service.record_decision(
                db,
                access=account_service.access_for(db, user=user),
                body=_body(seller_a, Option.DISPOSE),
                as_of=AS_OF,
            )
    assert db.execute(select(DispositionDecision)).scalars().all() == []
    planner = make_user(db, "planner@alpha.test", seller_a.store, role="planner")
    decided = decisions_service.record_decision(
        db,
        access=account_service.access_for(db, user=planner),
        body=_body(seller_a, Option.DISPOSE, 1),
        as_of=AS_OF,
    )
    assert decided.decided_by == "planner@alpha.test"


def test_removal_plan_from_recorded_decisions(db: Session, seller_a: Seller) -> None:
    _stock(db, seller_a.store)
    _settings(db, seller_a)
    access = account_service.access_for(db, user=seller_a.owner)
    decisions_service.record_decision(
        db, access=access, body=_body(seller_a, Option.LIQUIDATE), as_of=AS_OF
    )
    with pytest.raises(InvalidInput, match="no recorded removal"):
        decisions_service.removal_plan_from_decisions(
            db, access=access, store_id=seller_a.store.id, marketplace="US", as_of=AS_OF
        )
    decisions_service.record_decision(
        db, access=access, body=_body(seller_a, Option.DISPOSE, 2), as_of=AS_OF
    )
    text = decisions_service.removal_plan_from_decisions(
        db, access=access, store_id=seller_a.store.id, marketplace="US", as_of=AS_OF
    )
    header, line = text.strip().split("\r\n")
    assert header.startswith("MerchantRemovalOrderID\tRemovalDisposition")
    assert line.startswith("DSP-20260515-D\tDisposal\t")
    assert line.endswith("\tSKU-A\t0\t2")


def test_api_records_lists_and_exports_decisions(
    db: Session, client: TestClient, seller_a: Seller, seller_b: Seller
) -> None:
    _stock(db, seller_a.store)
    _stock(db, seller_b.store)
    owner = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    body = {"store_id": seller_a.store.id, "marketplace": "US", "sku": "SKU-A", "option": "dispose"}
    created = client.post("/api/v1/disposition/decisions", json={**body, "units": 2}, headers=owner)
    assert created.status_code == 201, created.text
    assert (created.json()["option"], created.json()["units"]) == ("dispose", 2)
    other = {**body, "store_id": seller_b.store.id}
    assert (
        client.post("/api/v1/disposition/decisions", json=other, headers=owner).status_code == 404
    )
    too_many = client.post(
        "/api/v1/disposition/decisions", json={**body, "units": 9}, headers=owner
    )
    assert too_many.status_code == 422
    assert too_many.json()["code"] == "invalid_input"
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    refused = client.post(
        "/api/v1/disposition/decisions",
        json=body,
        headers={"Authorization": f"Bearer {api_token(db, viewer)}"},
    )
    assert refused.status_code == 403
    listed = client.get("/api/v1/disposition/decisions", headers=owner)
    assert [(item["sku"], item["units"]) for item in listed.json()["items"]] == [("SKU-A", 2)]
    csv_file = client.get("/api/v1/disposition/decisions/export.csv", headers=owner)
    assert csv_file.status_code == 200
    rows = csv_file.text.strip().splitlines()
    assert len(rows) == 2
    assert "SKU-A" in rows[1]
    assert "Dispose" in rows[1]
    excel = client.get("/api/v1/disposition/decisions/export.xlsx", headers=owner)
    assert excel.status_code == 200
    assert excel.content[:2] == b"PK"
    plan = client.post(
        "/api/v1/disposition/decisions/removal-plan",
        json={"store_id": seller_a.store.id, "marketplace": "US"},
        headers=owner,
    )
    assert plan.status_code == 200
    assert plan.text.rstrip().endswith("\tSKU-A\t0\t2")


def test_the_page_records_a_decision_and_a_viewer_is_told_no(
    signed_in: TestClient, client: TestClient, db: Session, seller_a: Seller
) -> None:
    _stock(db, seller_a.store)
    lot_id = f"{seller_a.store.id}:ATVPDKIKX0DER:SKU-A"
    page = signed_in.get("/disposition")
    assert f'data-decide="{lot_id}"' in page.text
    recorded = signed_in.post(
        "/disposition/decisions",
        data={
            "lot": lot_id,
            "option": "dispose",
            "units": "3",
            "note": "too damaged",
            "csrf_token": csrf_of(signed_in, "/disposition"),
        },
    )
    assert recorded.status_code == 200
    assert "Decision recorded for SKU-A." in recorded.text
    assert 'data-decision="dispose"' in recorded.text
    listed = signed_in.get("/disposition/decisions")
    assert "too damaged" in listed.text
    assert listed.text.count("<tr data-decision=") == 1

    make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    sign_in(client, "viewer@alpha.test")
    seen = client.get("/disposition")
    assert 'data-decide="' not in seen.text
    refused = client.post(
        "/disposition/decisions",
        data={"lot": lot_id, "option": "dispose", "csrf_token": csrf_of(client, "/disposition")},
        headers={"referer": "http://testserver/disposition"},
    )
    assert "flash-error" in refused.text
    assert len(db.execute(select(DispositionDecision)).scalars().all()) == 1
