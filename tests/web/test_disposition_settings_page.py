"""The disposition settings page of an owner of several stores opens on one of them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web.conftest import Seller, csrf_of, make_store, make_user


def test_settings_page_with_several_stores(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    second = make_store(db, "zulu-eu", region="EU")
    make_user(db, seller_a.owner.email, second, role="owner")
    page = signed_in.get("/settings/disposition")
    assert page.status_code == 200
    assert f"/settings/disposition?store_id={second.id}" in page.text
    saved = signed_in.post(
        f"/settings/disposition?store_id={second.id}",
        data={"csrf_token": csrf_of(signed_in, "/settings/disposition"), "relabel_cost": "0.35"},
    )
    assert saved.status_code == 200
    assert "Disposition settings saved." in saved.text
