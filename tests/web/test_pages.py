"""The pages a signed-in seller uses: dashboard figures, returns and orders lists, exports,
and how errors look on pages and on the API."""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.dashboard import service as dashboard_service
from tests.conftest import run_import
from tests.web.conftest import Seller, api_token, csrf_of

# The sample returns are dated 2026-05-12 .. 2026-05-15; the dashboard looks back from here.
AS_OF = "2026-05-20"


@pytest.fixture
def imported(db: Session, seller_a: Seller) -> Seller:
    run_import(db, "fba_returns_us.txt", store=seller_a.store.name)
    run_import(db, "all_orders_us_ca.txt", store=seller_a.store.name)
    run_import(db, "myi_inventory_us.txt", store=seller_a.store.name)
    db.flush()
    return seller_a


def test_dashboard_shows_figures_from_the_imported_reports(
    signed_in: TestClient, imported: Seller
) -> None:
    page = signed_in.get(f"/?window=30&as_of={AS_OF}")
    assert page.status_code == 200
    assert 'data-figure="units_returned">4<' in page.text
    # Three of the four returned units came back unsellable (defective, customer damaged, damaged).
    assert 'data-figure="unsellable_units">3<' in page.text
    assert 'id="trend-chart"' in page.text
    assert "LM-KT-0042-BLK" in page.text  # the most returned SKU
    seven = signed_in.get("/?window=7&as_of=2026-06-30")
    assert 'data-figure="units_returned">0<' in seven.text


def test_dashboard_api_matches_the_page(client: TestClient, db: Session, imported: Seller) -> None:
    headers = {"Authorization": f"Bearer {api_token(db, imported.owner)}"}
    body = client.get("/api/v1/dashboard", params={"as_of": AS_OF}, headers=headers).json()
    thirty = next(w for w in body["windows"] if w["days"] == 30)
    expected = dashboard_service.get_dashboard(
        db, scope=_scope(imported), as_of=date.fromisoformat(AS_OF)
    )
    assert (
        thirty["units_returned"]
        == next(w for w in expected.windows if w.days == 30).units_returned
        == 4
    )
    assert (
        client.get("/api/v1/dashboard", params={"marketplace": "JP"}, headers=headers).json()[
            "windows"
        ][0]["units_returned"]
        == 0
    )


def _scope(seller: Seller):  # type: ignore[no-untyped-def]
    from aftersales.kit.scope import Scope

    return Scope(store_ids=(seller.store.id,))


def test_returns_list_filters_sorts_and_exports_exactly_what_is_shown(
    signed_in: TestClient, imported: Seller
) -> None:
    page = signed_in.get("/returns", params={"reason": "DEFECTIVE"})
    assert "LPNAAAAAAAAA" in page.text
    assert "LPNNC5N165ZVR" not in page.text
    # HTMX asks for the table only.
    partial = signed_in.get("/returns", params={"q": "LM-KT-0042"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert partial.text.count("LPN") >= 2
    assert "LPNBBBBBBBBB" not in partial.text

    export = signed_in.get("/returns/export.csv", params={"q": "LM-KT-0042", "sort": "return_date"})
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["LPN"] for r in rows] == ["LPNNC5N165ZVR", "LPNCCCCCCCCC"]

    excel = signed_in.get("/returns/export.xlsx", params={"reason": "DEFECTIVE"})
    with zipfile.ZipFile(io.BytesIO(excel.content)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
        strings = (
            workbook.read("xl/sharedStrings.xml").decode()
            if "xl/sharedStrings.xml" in workbook.namelist()
            else sheet
        )
    assert sheet.count("<row ") == 2  # header + the one defective return
    assert "LPNAAAAAAAAA" in strings

    bad_sort = signed_in.get("/returns", params={"sort": "password"})
    assert bad_sort.status_code == 422
    assert "cannot sort by" in bad_sort.text


def test_orders_list_and_detail(signed_in: TestClient, imported: Seller) -> None:
    page = signed_in.get("/orders")
    assert page.status_code == 200
    match = re.search(r'href="/orders/(\d+)"', page.text)
    assert match, "the list links each order to its page"
    order_id = match.group(1)
    detail = signed_in.get(f"/orders/{order_id}")
    assert detail.status_code == 200
    assert 'id="order-items"' in detail.text
    assert signed_in.get("/orders/999999").status_code == 404


def test_store_and_marketplace_switcher(
    signed_in: TestClient, db: Session, imported: Seller
) -> None:
    token = csrf_of(signed_in, "/")
    signed_in.post(
        "/scope",
        data={
            "store": str(imported.store.id),
            "marketplace": "CA",
            "csrf_token": token,
            "next": "/returns",
        },
    )
    page = signed_in.get("/returns")
    assert 'value="CA" selected' in page.text
    assert "No returns match these filters." in page.text  # every sample return is on amazon.com
    signed_in.post(
        "/scope", data={"store": "all", "marketplace": "all", "csrf_token": token, "next": "/"}
    )
    assert "LPNAAAAAAAAA" in signed_in.get("/returns").text


def test_api_errors_are_json_with_code_and_message(
    client: TestClient, db: Session, imported: Seller
) -> None:
    headers = {"Authorization": f"Bearer {api_token(db, imported.owner)}"}
    missing = client.get("/api/v1/returns/999999", headers=headers)
    assert missing.status_code == 404
    assert set(missing.json()) >= {"code", "message"}
    invalid = client.get("/api/v1/returns", params={"date_from": "not-a-date"}, headers=headers)
    assert invalid.status_code == 422
    assert invalid.json()["code"] == "invalid_input"
    no_route = client.get("/api/v1/nothing-here", headers=headers)
    assert no_route.status_code == 404
    assert no_route.json()["code"] == "not_found"
    wrong_market = client.get("/api/v1/returns", params={"marketplace": "XX"}, headers=headers)
    assert wrong_market.status_code == 422
    assert wrong_market.json()["message"] == "unknown marketplace XX"


def test_server_errors_are_logged_with_a_request_id_and_never_shown(
    signed_in: TestClient,
    db: Session,
    imported: Seller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(dashboard_service, "get_dashboard", broken)
    with caplog.at_level(logging.ERROR, logger="aftersales.web"):
        page = signed_in.get("/")
    assert page.status_code == 500
    request_id = page.headers["x-request-id"]
    assert request_id in page.text
    assert "secret internals" not in page.text
    assert "Traceback" not in page.text
    assert any(getattr(r, "request_id", None) == request_id and r.exc_info for r in caplog.records)

    headers = {"Authorization": f"Bearer {api_token(db, imported.owner)}"}
    api = signed_in.get("/api/v1/dashboard", headers=headers)
    assert api.status_code == 500
    assert api.json()["code"] == "internal_error"
    assert "secret internals" not in api.text
