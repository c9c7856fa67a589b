"""The returns explorer page, its exports and its JSON API for a signed-in seller: figures
shown, filters, exported rows equal to the table's, another store's data never shown."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.returns_analytics import explorer_service
from tests.returns.builders import add_return
from tests.returns.xlsx_reading import read_cells
from tests.returns_analytics.test_explorer_service import _planning, build_explorer
from tests.web.conftest import Seller, api_token

PERIOD = {"date_from": "2026-05-02", "date_to": "2026-05-31"}


@pytest.fixture(autouse=True)
def _fresh_category_cache() -> None:
    # Rolled-back tests reuse store ids with the same (empty) data version.
    explorer_service.clear_cache()


def _seed(db: Session, seller_a: Seller, seller_b: Seller) -> None:
    build_explorer(db, seller_a.store)
    build_explorer(db, seller_b.store, prefix="B")
    add_return(db, seller_b.store, when="2026-05-20T10:00:00", sku="SECRET-B", quantity=50)
    _planning(db, seller_b.store, sku="SECRET-B", on=date(2026, 5, 1), group="SecretGroup")


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_page_shows_groups_history_and_mix(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _seed(db, seller_a, seller_b)
    page = signed_in.get("/returns/explorer", params=PERIOD)
    assert page.status_code == 200, page.text[:500]
    text = page.text
    assert 'data-nav="returns/explorer"' in text
    assert 'data-figure="units_returned">10<' in text
    assert 'id="explorer-trend-chart"' in text
    assert 'id="explorer-breakdown-chart"' in text
    assert '<tr data-key="K-1">' in text
    assert 'href="/returns/sku/K-1"' in text
    assert "/returns/explorer/category-mix?sku=K-1&amp;date_from=2026-05-02" in text
    assert 'data-flag="higher"' in text
    assert '<option value="Kitchen"' in text
    assert 'id="mix-table"' in text
    # Store B's SKU, its units and its category never appear.
    assert "SECRET-B" not in text
    assert "SecretGroup" not in text
    assert seller_b.store.name not in text.split('id="store-switch"')[1].split("</select>")[0]
    # HTMX sorting gets the table alone.
    rows = signed_in.get(
        "/returns/explorer",
        params={**PERIOD, "sort": "return_rate"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in rows.text
    assert rows.text.index('data-key="K-2"') < rows.text.index('data-key="K-1"')


def test_filters_and_grouping_on_the_page(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _seed(db, seller_a, seller_b)
    by_reason = signed_in.get(
        "/returns/explorer", params={**PERIOD, "group_by": "reason", "responsibility": "buyer"}
    )
    assert by_reason.status_code == 200
    assert 'id="shared-denominator"' in by_reason.text
    assert '<tr data-key="UNWANTED_ITEM">' in by_reason.text
    assert (
        'data-key="DEFECTIVE"'
        not in by_reason.text.split('id="explorer-table"')[1].split("</table>")[0]
    )
    by_category = signed_in.get(
        "/returns/explorer", params={**PERIOD, "group_by": "category", "store": seller_a.store.id}
    )
    assert '<tr data-key="Kitchen">' in by_category.text
    preset = signed_in.get("/returns/explorer", params={"days": 365, "date_to": "2026-05-31"})
    assert preset.status_code == 200
    assert 'name="date_from" value="2025-06-01"' in preset.text
    # Another seller's store as a filter: 404, nothing shown.
    refused = signed_in.get("/returns/explorer", params={"store": seller_b.store.id})
    assert refused.status_code == 404
    assert signed_in.get("/returns/explorer", params={"group_by": "colour"}).status_code == 422
    assert signed_in.get("/returns/explorer", params={"date_from": "2026-13-01"}).status_code == 422


def test_exports_hold_exactly_the_filtered_groups(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _seed(db, seller_a, seller_b)
    params = {**PERIOD, "q": "K-", "sort": "-return_rate"}
    table = signed_in.get("/returns/explorer", params=params)
    shown = [key for key in ("K-1", "K-2", "K-3", "G-1") if f'<tr data-key="{key}">' in table.text]
    assert shown == ["K-1", "K-2", "K-3"]
    exported = signed_in.get("/returns/explorer/export.csv", params=params)
    assert exported.status_code == 200
    rows = _csv_rows(exported.content)
    assert [row["Group"] for row in rows] == ["K-1", "K-3", "K-2"]
    k1 = rows[0]
    assert (k1["Units returned"], k1["Units shipped"], k1["Return rate"]) == ("4", "10", "0.4")
    assert k1["Return rate, previous period"] == "0.1"
    assert k1["Materially higher than its history"] == "true"
    excel = signed_in.get("/returns/explorer/export.xlsx", params=params)
    assert excel.status_code == 200
    cells = read_cells(excel.content)
    assert len(cells) == 1 + 3
    assert [row[1][2] for row in cells[1:]] == ["K-1", "K-3", "K-2"]
    # Store B's rows are in no export.
    everything = signed_in.get("/returns/explorer/export.csv", params=PERIOD)
    assert "SECRET-B" not in everything.text
    assert len(_csv_rows(everything.content)) == 4


def test_sku_profile_links_to_its_category_mix(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _seed(db, seller_a, seller_b)
    profile = signed_in.get("/returns/sku/K-1", params={"as_of": "2026-05-31"})
    assert 'href="/returns/explorer/category-mix?sku=K-1' in profile.text
    mix = signed_in.get("/returns/explorer/category-mix", params={"sku": "K-1", **PERIOD})
    assert mix.status_code == 200
    assert '<tr data-reason="DEFECTIVE" data-over="true">' in mix.text
    assert 'href="/returns/sku/K-1"' in mix.text
    assert (
        signed_in.get("/returns/explorer/category-mix", params={"sku": "SECRET-B"}).status_code
        == 404
    )


def test_api_explorer_and_category_mix(
    client: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    _seed(db, seller_a, seller_b)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    body = client.get(
        "/api/v1/returns/explorer",
        params={**PERIOD, "group_by": "category", "page_size": 1},
        headers=headers,
    ).json()
    assert body["total"] == 2
    assert body["totals"]["units_returned"] == 10
    [kitchen] = body["items"]
    assert (kitchen["key"], kitchen["units_returned"], kitchen["units_shipped"]) == (
        "Kitchen",
        8,
        25,
    )
    refused = client.get(
        "/api/v1/returns/explorer", params={"store_id": seller_b.store.id}, headers=headers
    )
    assert refused.status_code == 404
    mix = client.get(
        "/api/v1/returns/category-mix", params={**PERIOD, "sku": "K-1"}, headers=headers
    ).json()
    assert mix["categories"] == ["Kitchen"]
    assert {line["reason"]: line["share"] for line in mix["reasons"]} == {
        "DEFECTIVE": 0.75,
        "UNWANTED_ITEM": 0.25,
    }
    secret = client.get("/api/v1/returns/category-mix", params={"sku": "SECRET-B"}, headers=headers)
    assert secret.status_code == 404
    assert secret.json()["code"] == "sku_not_found"
    bad = client.get("/api/v1/returns/explorer", params={"days": 0}, headers=headers)
    assert bad.status_code == 422


def test_empty_store_renders_every_grouping(signed_in: TestClient) -> None:
    for group_by in (
        "sku",
        "asin",
        "fc",
        "reason",
        "disposition",
        "responsibility",
        "marketplace",
        "category",
        "week",
        "month",
    ):
        page = signed_in.get("/returns/explorer", params={"group_by": group_by, "days": 365})
        assert page.status_code == 200, group_by
        assert 'id="no-results"' in page.text
    mix = signed_in.get("/returns/explorer/category-mix")
    assert mix.status_code == 200
    assert 'id="mix-table"' not in mix.text
