"""Replenishment pages: the list to act on first, one listing explained, the lead-time edit,
the backtest, the dashboard card, exports, and another store's listings staying invisible."""

# The web fixtures are imported by name, and pytest passes them back as parameters.
# ruff: noqa: F811

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.kit.i18n import format_date
from aftersales.kit.scope import Scope
from aftersales.models import InventorySnapshot, Store
from aftersales.replenishment import latest_stock, results_service
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.results_repository import ResultFilter
from tests.replenishment.sales_rows import add_daily_sales
from tests.web.conftest import (  # noqa: F401  (fixtures)
    Seller,
    app,
    client,
    csrf_of,
    db,
    seller_a,
    seller_b,
    sign_in,
    web_db,
)

TODAY = datetime.now(UTC).date()


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages plan as of the day of the request: each test counts its days from the day
    it runs, not from the day the module was imported (a run across midnight UTC failed)."""
    monkeypatch.setattr(sys.modules[__name__], "TODAY", datetime.now(UTC).date())


US = marketplaces.by_code("US")
assert US is not None


def _listing(db: Session, store: Store, sku: str, daily: int, fulfillable: int) -> None:
    add_daily_sales(
        db,
        store_id=store.id,
        marketplace_id=US.id,
        sku=sku,
        units={TODAY - timedelta(days=offset): daily for offset in range(1, 31)},
    )
    _stock(db, store, sku, fulfillable, TODAY - timedelta(days=1))


def _stock(db: Session, store: Store, sku: str, fulfillable: int, snapshot_day: date) -> None:
    db.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US.id,
            natural_key=f"myi|{US.id}|{snapshot_day}|{sku}",
            source="myi",
            snapshot_date=snapshot_day,
            sku=sku,
            fulfillable=fulfillable,
            reserved=0,
            inbound_working=0,
            inbound_shipped=0,
            inbound_receiving=0,
        )
    )
    db.flush()
    latest_stock.refresh(db, store_id=store.id)  # as the inventory import keeps it


@pytest.fixture
def stocked(db: Session, seller_a: Seller, seller_b: Seller) -> Seller:
    # 10 a day with 200 in FBA: runs out in 20 days (order now); 1 a day with 1,000: overstocked.
    _listing(db, seller_a.store, "MUG-1", 10, 200)
    _listing(db, seller_a.store, "CUP-2", 1, 1000)
    _listing(db, seller_b.store, "SECRET-B", 5, 10)
    for seller in (seller_a, seller_b):
        replenishment_service.run(db, store_id=seller.store.id, as_of=TODAY)
    db.flush()
    return seller_a


def _rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-sku="([^"]+)" data-band="([^"]+)">', html)


def test_list_shows_what_to_act_on_first_with_band_counts(
    client: TestClient, stocked: Seller
) -> None:
    sign_in(client, stocked.owner.email)
    response = client.get("/replenishment")
    assert response.status_code == 200
    assert _rows(response.text) == [("MUG-1", "order_now"), ("CUP-2", "overstocked")]
    assert 'data-count="order_now">1<' in response.text
    assert 'data-count="overstocked">1<' in response.text
    assert "SECRET-B" not in response.text

    only = client.get("/replenishment", params={"band": "overstocked"})
    assert _rows(only.text) == [("CUP-2", "overstocked")]
    prefix = client.get("/replenishment", params={"sku": "mug"})
    assert _rows(prefix.text) == [("MUG-1", "order_now")]  # any case
    assert _rows(client.get("/replenishment", params={"sku": "UG"}).text) == []  # a prefix
    assert client.get("/replenishment", params={"band": "nonsense"}).status_code == 422


def test_export_csv_and_excel(client: TestClient, stocked: Seller) -> None:
    sign_in(client, stocked.owner.email)
    csv = client.get("/replenishment/export.csv", params={"band": "order_now"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Store,Marketplace,SKU,Status")
    assert len(lines) == 2
    assert ",MUG-1,Order now," in lines[1]
    assert lines[1].endswith(",1020,false")  # send, transfer, buy, capped
    xlsx = client.get("/replenishment/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_sku_page_explains_every_number(client: TestClient, stocked: Seller) -> None:
    sign_in(client, stocked.owner.email)
    response = client.get("/replenishment/sku/MUG-1", params={"marketplace": "US"})
    assert response.status_code == 200
    text = response.text
    # 10/day × (30 + 3 + 35 + 10 + 30 + 14 days) = 1,220 − 200 on hand = 1,020
    assert (
        "10/day × (30 stocking + 3 QC + 35 sea + 10 receiving + 30 cycle + 14 safety) = 1,220"
        in text
    )
    assert "1,220 − 200 on hand − 0 inbound" in text
    assert 'data-figure="buy">1,020<' in text
    assert 'data-band="order_now"' in text
    assert re.search(r'<tr data-window="7">.*?<td class="num">7</td>', text, re.S)
    chart = json.loads(
        re.search(
            r'data-projection id="projection-chart">\s*<script type="application/json">(.*?)</script>',
            text,
            re.S,
        ).group(1)  # type: ignore[union-attr]
    )
    assert len(chart["days"]) == 180
    assert chart["scheduled"][0] == 190  # 200 − 10 sold on the first day
    assert chart["stockout"] == (TODAY + timedelta(days=20)).isoformat()
    assert any(arrival["planned"] and arrival["quantity"] == 1020 for arrival in chart["arrivals"])
    # Without a marketplace: the SKU's computed listing.
    alone = client.get("/replenishment/sku/MUG-1")
    assert alone.status_code == 200
    assert "<h1>MUG-1 · US</h1>" in alone.text
    assert client.get("/replenishment/sku/NOPE-9").status_code == 404


def test_sku_page_names_the_days_left_out_as_out_of_stock(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    # Sold 4 a day, but nothing from 10 to 4 days ago: a report 10 days ago showed no stock,
    # the next one (3 days ago) some again. Also nothing 20 days ago, yet in stock then.
    add_daily_sales(
        db,
        store_id=seller_a.store.id,
        marketplace_id=US.id,
        sku="LAMP-3",
        units={
            TODAY - timedelta(days=offset): 4
            for offset in range(1, 31)
            if not 4 <= offset <= 10 and offset != 20
        },
    )
    for days_ago, fulfillable in ((10, 0), (3, 12), (1, 40)):
        day = TODAY - timedelta(days=days_ago)
        db.add(
            InventorySnapshot(
                store_id=seller_a.store.id,
                marketplace_id=US.id,
                natural_key=f"myi|{US.id}|{day}|LAMP-3",
                source="myi",
                snapshot_date=day,
                sku="LAMP-3",
                fulfillable=fulfillable,
            )
        )
    db.flush()
    latest_stock.refresh(db, store_id=seller_a.store.id)
    replenishment_service.run(db, store_id=seller_a.store.id, as_of=TODAY)
    sign_in(client, seller_a.owner.email)
    text = client.get("/replenishment/sku/LAMP-3", params={"marketplace": "US"}).text
    assert "Out-of-stock days left out: 7." in text
    first, last = (format_date(TODAY - timedelta(days=n)) for n in (10, 4))
    assert f"<span data-out-of-stock>Out of stock: {first} – {last}.</span>" in text


def test_lead_time_edit_recomputes_and_shows_the_change(
    client: TestClient, stocked: Seller
) -> None:
    sign_in(client, stocked.owner.email)
    page = "/replenishment/sku/MUG-1?marketplace=US"
    response = client.post(
        f"/replenishment/sku/MUG-1/lead-time?marketplace=US&store_id={stocked.store.id}",
        data={"csrf_token": csrf_of(client, page), "stocking_days": "10", "sea_days": ""},
    )
    assert response.status_code == 200
    # 10/day × (10 + 3 + 35 + 10 + 30 + 14) = 1,020 − 200 = 820
    assert "Buy 1,020 → 820" in response.text
    assert 'data-figure="buy">820<' in response.text
    listing = client.get("/replenishment/export.csv", params={"sku": "MUG"})
    assert listing.content.decode("utf-8-sig").splitlines()[1].endswith(",820,false")
    bad = client.post(
        f"/replenishment/sku/MUG-1/lead-time?marketplace=US&store_id={stocked.store.id}",
        data={"csrf_token": csrf_of(client, page), "stocking_days": "ten", "qc_days": "0"},
        headers={"Referer": f"http://testserver{page}"},
    )
    assert bad.status_code == 200
    assert "stocking_days: not a number" in bad.text
    assert 'data-figure="buy">820<' in bad.text  # nothing saved


def test_recompute_button(client: TestClient, stocked: Seller) -> None:
    sign_in(client, stocked.owner.email)
    response = client.post(
        "/replenishment/recompute",
        data={"csrf_token": csrf_of(client, "/replenishment"), "store_id": str(stocked.store.id)},
    )
    assert response.status_code == 200
    assert "Recomputed 2 listings" in response.text


def test_another_stores_listing_is_not_found(
    client: TestClient, stocked: Seller, seller_b: Seller
) -> None:
    sign_in(client, stocked.owner.email)
    assert (
        client.get("/replenishment/sku/SECRET-B", params={"marketplace": "US"}).status_code == 404
    )
    assert (
        client.get(
            "/replenishment/sku/SECRET-B",
            params={"marketplace": "US", "store_id": seller_b.store.id},
        ).status_code
        == 404
    )
    assert client.get("/replenishment", params={"store_id": seller_b.store.id}).status_code == 404
    csv = client.get("/replenishment/export.csv").content.decode("utf-8-sig")
    assert "SECRET-B" not in csv
    posted = client.post(
        "/replenishment/recompute",
        data={"csrf_token": csrf_of(client, "/replenishment"), "store_id": str(seller_b.store.id)},
    )
    assert posted.status_code == 404
    lead = client.post(
        f"/replenishment/sku/SECRET-B/lead-time?marketplace=US&store_id={seller_b.store.id}",
        data={"csrf_token": csrf_of(client, "/replenishment"), "stocking_days": "1"},
    )
    assert lead.status_code == 404
    assert (
        client.get("/replenishment/backtest", params={"store_id": seller_b.store.id}).status_code
        == 404
    )


def test_backtest_compares_two_rule_sets(client: TestClient, stocked: Seller) -> None:
    sign_in(client, stocked.owner.email)
    start: date = TODAY - timedelta(days=20)
    response = client.get(
        "/replenishment/backtest",
        params={
            "run": "1",
            "start": start.isoformat(),
            "end": TODAY.isoformat(),
            "a_name": "fast",
            "a_w7": "1",
            "b_name": "slow",
            "b_w30": "1",
            "b_safety": "30",
            "storage_per_unit": "0.30",
        },
    )
    assert response.status_code == 200, response.text[:500]
    text = response.text
    assert re.findall(r'<tr data-sku="([^"]+)">', text) == ["CUP-2", "MUG-1"]
    assert "SECRET-B" not in text
    assert "<th>fast</th><th>slow</th>" in text
    assert 'data-total="stockout_days"' in text
    bad = client.get("/replenishment/backtest", params={"run": "1", "a_w7": "x"})
    assert bad.status_code == 422


def test_dashboard_card_and_navigation(client: TestClient, stocked: Seller) -> None:
    sign_in(client, stocked.owner.email)
    response = client.get("/")
    assert 'id="replenishment-bands"' in response.text
    assert 'href="/replenishment?band=order_now"' in response.text
    assert 'href="/replenishment"' in response.text


def test_band_counts_of_whole_stores_are_their_last_runs(db: Session, stocked: Seller) -> None:
    """Counts of whole stores come from their last runs, of narrowed listings from the rows;
    both agree, after a run that moves a listing to another band too, and the page's total
    is its bands' share."""
    other = stocked.store.id + 1000  # no such store: nothing counted
    scope = Scope(store_ids=(stocked.store.id, other))

    def counts(**narrowed: object) -> dict[str, int]:
        filters = ResultFilter(scope=scope, **narrowed)  # type: ignore[arg-type]
        return {band.value: n for band, n in results_service.band_counts(db, filters=filters) if n}

    def page(**narrowed: object) -> results_service.ResultPage:
        filters = ResultFilter(scope=scope, **narrowed)  # type: ignore[arg-type]
        return results_service.list_results(db, filters=filters, store_names={}, offset=0, limit=10)

    assert counts() == counts(marketplace_ids=(US.id,)) == {"order_now": 1, "overstocked": 1}
    assert page(bands=("order_now",)).total == 1
    assert page().total == 2
    # 3,000 units: MUG-1 (10 a day, lead time about 120 days) is no longer to order now.
    _stock(db, stocked.store, "MUG-1", 3000, TODAY)
    replenishment_service.run(db, store_id=stocked.store.id, as_of=TODAY + timedelta(days=1))
    db.flush()
    assert counts() == counts(sku_prefix="") == counts(marketplace_ids=(US.id,))
    assert counts().get("order_now", 0) == 0
    assert sum(counts().values()) == 2
    assert page(bands=("order_now",)).total == 0
