"""A store's run: inputs read from the database, the vectorised path's stored numbers equal to
the pure calculation's listing by listing, hand-computed figures for a plain listing,
out-of-stock days from snapshots, stock outside FBA shared between marketplaces, restock
limits, per-product settings, the explanation, and the run command."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aftersales.cli import app
from aftersales.db.session import unit_of_work
from aftersales.kit.scope import Scope
from aftersales.models import (
    InventorySnapshot,
    LocalStock,
    Product,
    PurchaseOrderLine,
    ReplenishmentResult,
    ReplenishmentRun,
    ReplenishmentSettings,
    ReplenishmentSkuSettings,
    Store,
)
from aftersales.replenishment import calc, latest_stock
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.recommend import planned_arrivals
from aftersales.replenishment.schemas import PlanningSettingsValues, SkuSettingsValues
from aftersales.replenishment.service import parse_explanation
from tests.replenishment.sales_rows import add_daily_sales

US = "ATVPDKIKX0DER"
CA = "A2EUQ1WTGCTBG2"
AS_OF = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _sales(db: Session, store: Store, market: str, sku: str, units: dict[int, int]) -> None:
    """Units sold ``days_ago`` → units."""
    add_daily_sales(
        db,
        store_id=store.id,
        marketplace_id=market,
        sku=sku,
        units={AS_OF - timedelta(days=days_ago): count for days_ago, count in units.items()},
    )


def _snapshot(
    db: Session,
    store: Store,
    market: str,
    sku: str,
    days_ago: int,
    *,
    fulfillable: int,
    **more: int,
) -> None:
    day = AS_OF - timedelta(days=days_ago)
    db.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=market,
            natural_key=f"myi|{market}|{day}|{sku}",
            source="myi",
            snapshot_date=day,
            sku=sku,
            fulfillable=fulfillable,
            **more,
        )
    )
    db.flush()
    latest_stock.refresh(db, store_id=store.id)  # as the inventory import keeps it


def _settings(db: Session, store: Store, values: PlanningSettingsValues) -> None:
    db.add(
        ReplenishmentSettings(
            store_id=store.id, values=values.model_dump(mode="json"), updated_at=NOW
        )
    )


def _explain(db: Session, store: Store, market: str, sku: str) -> calc.Recommendation:
    """The SKU page's recommendation for one listing, as of AS_OF."""
    return replenishment_service.explain(
        db,
        scope=Scope(store_ids=(store.id,)),
        store_id=store.id,
        marketplace_id=market,
        sku=sku,
        as_of=AS_OF,
    )


def _results(db: Session, store: Store) -> dict[tuple[str, str], ReplenishmentResult]:
    db.expire_all()
    rows = db.scalars(select(ReplenishmentResult).where(ReplenishmentResult.store_id == store.id))
    return {(row.marketplace_id, row.sku): row for row in rows}


def test_a_plain_listing_by_hand(session: Session, store: Store) -> None:
    # 10 a day for 60 days: every window averages 10, so the velocity is 10.
    _sales(session, store, US, "PLAIN", {days: 10 for days in range(1, 61)})
    _snapshot(session, store, US, "PLAIN", 1, fulfillable=300, reserved=0, inbound_shipped=200)
    session.add(
        LocalStock(
            store_id=store.id,
            sku="PLAIN",
            warehouse_kind="local",
            warehouse_name="Shenzhen",
            quantity=300,
            as_of=AS_OF,
            updated_at=NOW,
        )
    )
    session.flush()
    summary = replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    assert (summary.listings, summary.one_by_one) == (1, 0)
    row = _results(session, store)[(US, "PLAIN")]
    assert row.velocity == pytest.approx(10.0)
    # Defaults: stocking 30, QC 3, sea 35, receiving 10, safety 14, cycle 30 days.
    # Send by sea: 10 × (35 + 10 + 30) + 10 × 14 = 890 − (300 on hand + 200 inbound) = 390,
    # at most the 300 units in the local warehouse.
    assert row.send_quantity == 300
    # Buy: 10 × (30 + 3 + 35 + 10 + 30) + 140 = 1,220 − 800 owned = 420.
    assert row.buy_quantity == 420
    assert row.transfer_quantity == 0
    assert (row.fba_stock, row.inbound_stock, row.other_stock) == (300, 200, 300)
    assert row.days_of_supply_fba == pytest.approx(30.0)
    assert row.days_of_supply_inbound == pytest.approx(50.0)
    assert row.days_of_supply_all == pytest.approx(80.0)
    # The 200 shipped were first seen yesterday: they arrive 35 sea + 10 receiving days after
    # that, on day 44; the 300 on hand last 30 days, so FBA runs out on day 30.
    assert row.stockout_date == AS_OF + timedelta(days=30)
    assert row.ship_by == AS_OF + timedelta(days=30 - (35 + 10 + 14))
    assert row.purchase_by == AS_OF + timedelta(days=80 - (30 + 3 + 35 + 10 + 14))
    assert row.band == "order_now"
    assert not row.cap_applied
    run = session.get(ReplenishmentRun, summary.run_id)
    assert run is not None
    assert (run.listings, run.counts) == (1, {"order_now": 1})
    assert parse_explanation(row.explanation)["stock"]["local"] == 300
    # Each window: [average, in-stock days, days, units].
    assert parse_explanation(row.explanation)["windows"]["7"] == [10.0, 7.0, 7.0, 70.0]


def test_out_of_stock_days_are_left_out_of_the_velocity(session: Session, store: Store) -> None:
    # Days 30 … 11 ago: 3 a day; the last 10 days nothing, and the snapshots say no stock.
    _sales(session, store, US, "GONE", {days: 3 for days in range(11, 31)})
    _snapshot(session, store, US, "GONE", 10, fulfillable=0)
    _snapshot(session, store, US, "GONE", 3, fulfillable=0)
    session.flush()
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    row = _results(session, store)[(US, "GONE")]
    # 7 days: no in-stock day (drops out); 14 days: 4 in-stock days, 12 units; 30: 60 / 20.
    assert row.velocity == pytest.approx(3.0)
    assert row.band == "out_of_stock"
    windows = parse_explanation(row.explanation)["windows"]
    assert windows["7"] == [None, 0.0, 7.0, 0.0]
    assert windows["14"] == [3.0, 4.0, 14.0, 12.0]


def _gone(db: Session, store: Store, market: str, sku: str) -> None:
    """2 a day from 70 to 41 days ago; out of stock since (snapshots every 5 days)."""
    _sales(db, store, market, sku, {days: 2 for days in range(41, 71)})
    for days_ago in (*range(40, 0, -5), 1):
        _snapshot(db, store, market, sku, days_ago, fulfillable=0)


def test_a_listing_out_of_stock_for_every_window_is_planned_from_its_last_in_stock_days(
    session: Session, store: Store
) -> None:
    _gone(session, store, US, "GONE")
    session.flush()
    summary = replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    assert summary.one_by_one == 0
    row = _results(session, store)[(US, "GONE")]
    # No in-stock day in the last 30 days: the 30 before sold 60 units, 2 a day.
    assert row.velocity == pytest.approx(2.0)
    # Defaults: 2 × (30 stocking + 3 QC + 35 sea + 10 receiving + 30 cycle) + 2 × 14 safety.
    assert row.buy_quantity == 244
    assert row.band == "out_of_stock"
    assert parse_explanation(row.explanation)["windows"]["30"] == [None, 0.0, 30.0, 0.0]
    recommendation = _explain(session, store, US, "GONE")
    assert recommendation.velocity.daily == pytest.approx(2.0)
    assert recommendation.buy == 244
    assert any(step.key == "last_in_stock" for step in recommendation.explanation)


def test_a_listing_back_in_stock_today_is_planned_from_its_last_in_stock_days(
    session: Session, store: Store
) -> None:
    """Out of stock on every day of the windows and restocked on the run's day: the run
    plans it from its last in-stock days, as its explanation does (it stored 0 a day and
    "overstocked" while the SKU page said 2 a day and "order now")."""
    _gone(session, store, US, "BACK")
    _snapshot(session, store, US, "BACK", 0, fulfillable=40)
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    row = _results(session, store)[(US, "BACK")]
    # The 30 days before the stock-out sold 60 units, 2 a day.
    assert row.velocity == pytest.approx(2.0)
    # 2 × (30 stocking + 3 QC + 35 sea + 10 receiving + 30 cycle) + 2 × 14 safety − 40 held.
    assert row.buy_quantity == 244 - 40
    assert row.fba_stock == 40
    recommendation = _explain(session, store, US, "BACK")
    assert recommendation.velocity.daily == pytest.approx(row.velocity)
    assert (recommendation.buy, recommendation.band.value) == (row.buy_quantity, row.band)


def _crafted(db: Session, store: Store) -> None:
    """Listings that exercise every input the run reads."""
    _sales(db, store, US, "SKU-A", {d: 4 + d % 3 for d in range(1, 45)})
    _sales(db, store, CA, "SKU-A", {d: 1 for d in range(1, 40, 2)})
    _snapshot(db, store, US, "SKU-A", 12, fulfillable=150, inbound_shipped=25)
    _snapshot(
        db,
        store,
        US,
        "SKU-A",
        2,
        fulfillable=120,
        reserved=7,
        inbound_working=40,
        inbound_shipped=25,
    )
    _snapshot(db, store, CA, "SKU-A", 2, fulfillable=9)
    _snapshot(db, store, CA, "SKU-A", 20, fulfillable=0)
    _sales(db, store, US, "YOUNG", {d: 2 + d for d in range(1, 6)})
    _snapshot(db, store, US, "YOUNG", 1, fulfillable=30, inbound_shipped=12)
    _snapshot(db, store, US, "IDLE", 1, fulfillable=80)
    _sales(db, store, US, "SPIKY", {1: 40, 2: 1, 3: 2, 5: 1, 9: 3, 15: 2, 28: 1})
    _snapshot(db, store, US, "SPIKY", 1, fulfillable=10)
    _sales(db, store, US, "SEASON", {d: 5 for d in range(1, 420)})
    _gone(db, store, CA, "GONE")
    # SEASON (one by one) has units shipped in two lots and some at the FC being received.
    _snapshot(db, store, US, "SEASON", 30, fulfillable=320, inbound_shipped=60)
    _snapshot(db, store, US, "SEASON", 15, fulfillable=280, inbound_shipped=40)
    _snapshot(db, store, US, "SEASON", 8, fulfillable=250, inbound_shipped=90)
    _snapshot(db, store, US, "SEASON", 1, fulfillable=200, inbound_shipped=70, inbound_receiving=20)
    db.add_all(
        [
            Product(store_id=store.id, sku="SKU-A", case_pack=10),
            LocalStock(
                store_id=store.id, sku="SKU-A", warehouse_kind="local", warehouse_name="SZ",
                quantity=123, as_of=AS_OF, updated_at=NOW,
            ),
            LocalStock(
                store_id=store.id, sku="SKU-A", warehouse_kind="overseas_3pl", warehouse_name="LA",
                quantity=65, as_of=AS_OF, updated_at=NOW,
            ),
            PurchaseOrderLine(
                store_id=store.id, sku="SKU-A", marketplace_id=None, quantity=201,
                expected_date=AS_OF + timedelta(days=20), status="open", created_at=NOW,
                updated_at=NOW,
            ),
            PurchaseOrderLine(
                store_id=store.id, sku="SKU-A", marketplace_id=CA, quantity=30,
                expected_date=AS_OF + timedelta(days=25), status="open", created_at=NOW,
                updated_at=NOW,
            ),
            PurchaseOrderLine(
                store_id=store.id, sku="SKU-A", marketplace_id=US, quantity=999,
                expected_date=AS_OF, status="received", created_at=NOW, updated_at=NOW,
            ),
        ]
    )  # fmt: skip
    values = PlanningSettingsValues.model_validate(
        {
            "velocity": {"spike_mode": "cap", "spike_value": 12},
            "restock_limits": [{"marketplace": "US", "storage_type": "standard", "units": 600}],
            "marketplace_lead_times": {"CA": {"stocking_days": 20, "safety_days": 7}},
        }
    )
    _settings(db, store, values)
    overrides = {
        "YOUNG": SkuSettingsValues.model_validate(
            {"case_pack": 6, "moq": 50, "lead_time": {"sea_days": 40, "shipping_mode": "air"}}
        ),
        "SPIKY": SkuSettingsValues.model_validate(
            {"velocity": {"spike_mode": "percent", "spike_value": 50}}
        ),
        "SEASON": SkuSettingsValues.model_validate(
            {"velocity": {"seasonality": True}, "lead_time": {"service_level": 0.95}}
        ),
    }
    for sku, override in overrides.items():
        db.add(
            ReplenishmentSkuSettings(
                store_id=store.id,
                sku=sku,
                values=override.model_dump(mode="json", exclude_none=True),
                updated_at=NOW,
            )
        )
    db.flush()


COLUMNS = (
    "velocity",
    "fba_stock",
    "inbound_stock",
    "other_stock",
    "days_of_supply_fba",
    "days_of_supply_inbound",
    "days_of_supply_all",
    "stockout_date",
    "ship_by",
    "purchase_by",
    "send_quantity",
    "buy_quantity",
    "transfer_quantity",
    "cap_applied",
    "band",
)


def test_the_vectorised_run_stores_the_pure_calculations_numbers(
    session: Session, store: Store
) -> None:
    _crafted(session, store)
    summary = replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    vectorised = {
        key: {c: getattr(row, c) for c in COLUMNS} for key, row in _results(session, store).items()
    }
    explained = {
        key: parse_explanation(row.explanation) for key, row in _results(session, store).items()
    }
    # SPIKY (percentage spikes) and SEASON (seasonality, service level) go one by one.
    assert summary.one_by_one == 2
    assert set(vectorised) == {(US, "SKU-A"), (CA, "SKU-A"), (US, "YOUNG"), (US, "IDLE"),
                               (US, "SPIKY"), (US, "SEASON"), (CA, "GONE")}  # fmt: skip
    assert vectorised[(CA, "GONE")]["velocity"] == pytest.approx(2.0)
    scalar_summary = replenishment_service.run(
        session, store_id=store.id, as_of=AS_OF, vectorised=False
    )
    assert scalar_summary.one_by_one == 7
    scalar = _results(session, store)
    for key, expected in vectorised.items():
        got = {c: getattr(scalar[key], c) for c in COLUMNS}
        for column in COLUMNS:
            if isinstance(expected[column], float):
                assert got[column] == pytest.approx(expected[column], abs=1e-9), (key, column)
            else:
                assert got[column] == expected[column], (key, column)
        assert parse_explanation(scalar[key].explanation)["stock"] == explained[key]["stock"], key
        assert parse_explanation(scalar[key].explanation)["send"] == explained[key]["send"], key
        assert parse_explanation(scalar[key].explanation)["windows"] == explained[key]["windows"], (
            key
        )
    # And the one-listing explanation (the SKU page's) agrees with the stored row.
    for (market, sku), row in scalar.items():
        recommendation = _explain(session, store, market, sku)
        assert recommendation.velocity.daily == pytest.approx(row.velocity, abs=1e-9)
        assert recommendation.buy == row.buy_quantity, sku
        assert recommendation.send_default == row.send_quantity, sku
        assert recommendation.band.value == row.band
        assert recommendation.explanation


def test_stock_outside_fba_is_shared_by_velocity_and_the_restock_limit_caps(
    session: Session, store: Store
) -> None:
    _crafted(session, store)
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    rows = _results(session, store)
    us, ca = rows[(US, "SKU-A")], rows[(CA, "SKU-A")]
    shared = [
        (parse_explanation(us.explanation)["stock"], us.velocity),
        (parse_explanation(ca.explanation)["stock"], ca.velocity),
    ]
    # Whole units, nothing lost, the faster marketplace gets more.
    assert shared[0][0]["local"] + shared[1][0]["local"] == 123
    assert shared[0][0]["overseas"] + shared[1][0]["overseas"] == 65
    assert us.velocity > ca.velocity
    assert shared[0][0]["local"] > shared[1][0]["local"]
    share = us.velocity / (us.velocity + ca.velocity)
    assert shared[1][0]["local"] == int(123 * (1 - share))
    # The open shared purchase order splits the same way; CA's own line stays CA's;
    # the received one counts nowhere.
    assert shared[0][0]["on_order"] + shared[1][0]["on_order"] == 201 + 30
    assert shared[1][0]["on_order"] == int(201 * (1 - share)) + 30
    # US standard storage: 600 − 499 on hand and inbound (SKU-A 167, YOUNG 42, IDLE 80,
    # SPIKY 10, SEASON 200) = 101 units of room, handed out in stock-out order.
    limits = {
        sku: parse_explanation(r.explanation)["constraints"]["restock_limit"]
        for (m, sku), r in rows.items()
        if m == US
    }
    assert sum(limit is not None for limit in limits.values()) == 5
    assert max(v for v in limits.values() if v is not None) <= 600 - 499


def test_settings_change_the_result(session: Session, store: Store) -> None:
    _sales(session, store, US, "PLAIN", {days: 10 for days in range(1, 61)})
    _snapshot(session, store, US, "PLAIN", 1, fulfillable=3000)
    session.flush()
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    before = _results(session, store)[(US, "PLAIN")]
    assert before.purchase_by == AS_OF + timedelta(days=300 - 92)
    _settings(
        session,
        store,
        PlanningSettingsValues.model_validate({"lead_time": {"stocking_days": 60}}),
    )
    session.flush()
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    after = _results(session, store)[(US, "PLAIN")]
    assert after.purchase_by == AS_OF + timedelta(days=300 - 122)


def test_run_command(cli_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    with unit_of_work() as session:
        store = session.scalars(select(Store)).one()
        _sales(session, store, US, "PLAIN", {days: 10 for days in range(1, 61)})
        _snapshot(session, store, US, "PLAIN", 1, fulfillable=3000)
    result = runner.invoke(
        app, ["replenishment", "run", "--store", "acme", "--as-of", "2026-06-01", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"listings": 1' in result.output
    # 3,000 units at 10 a day: 300 days of supply, above the 180-day default.
    assert '"bands": {"overstocked": 1}' in result.output


def test_backtest_command_compares_rule_sets(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    with unit_of_work() as session:
        store = session.scalars(select(Store)).one()
        _sales(session, store, US, "PLAIN", {days: 10 for days in range(1, 120)})
    (tmp_path / "a.json").write_text('{"name": "slow"}', encoding="utf-8")
    (tmp_path / "b.json").write_text(
        '{"name": "lean", "lead_time": {"safety_days": 0, "cycle_days": 7}}', encoding="utf-8"
    )
    (tmp_path / "bad.json").write_text('{"velocity": {"weights": {"5": 1}}}', encoding="utf-8")
    args = ["replenishment", "backtest", "--store", "acme", "--end", "2026-06-01"]
    result = runner.invoke(
        app,
        [*args, "--rules", str(tmp_path / "a.json"), "--rules", str(tmp_path / "b.json"), "--json"],
    )
    assert result.exit_code == 0, result.output
    assert '"rule_set": "slow"' in result.output
    assert '"rule_set": "lean"' in result.output
    bad = runner.invoke(app, [*args, "--rules", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2
    assert "bad.json" in bad.output


def test_the_hourly_job_recomputes_stores_imported_since_their_last_run(
    cli_database: str, tmp_path: Path
) -> None:
    from aftersales.replenishment import tasks
    from tests.replenishment.test_import_hook import _line as line
    from tests.replenishment.test_import_hook import _orders as order_file

    runner = CliRunner()
    for name in ("acme", "other"):
        assert runner.invoke(app, ["stores", "add", name, "--region", "NA"]).exit_code == 0
    orders = order_file(
        tmp_path / "orders.txt",
        # Three days ago: inside the velocity windows of today's run.
        [line("111-0000001-0000001", f"{datetime.now(UTC).date() - timedelta(days=3)}T12:00:00+00:00",
              "Shipped", "Amazon.com", "SKU-A", "Shipped", 2)],
    )  # fmt: skip
    imported = runner.invoke(app, ["import", str(orders), "--store", "acme"])
    assert imported.exit_code == 0, imported.output
    with unit_of_work() as session:
        acme = session.scalars(select(Store).where(Store.name == "acme")).one().id
    assert tasks.run_stale() == [acme]
    assert tasks.run_stale() == []
    with unit_of_work() as session:
        run = session.scalars(select(ReplenishmentRun)).one()
        assert (run.store_id, run.listings) == (acme, 1)


def test_refunded_units_on_their_way_back_count_as_expected_sellable_returns(
    session: Session, store: Store
) -> None:
    from tests.claims.builders import add_refund, add_returned_unit

    for sku in ("BACK", "TWIN"):
        _sales(session, store, US, sku, {days: 10 for days in range(1, 61)})
        _snapshot(session, store, US, sku, 1, fulfillable=300)
    # BACK: five FBA refunds in the last 45 days, one of them already received; one refund
    # too old to wait for, one seller-fulfilled (never comes to an FC).
    for number in range(5):
        add_refund(session, store, on=AS_OF - timedelta(days=5 + number), order_id=f"B-{number}",
                   sku="BACK")  # fmt: skip
    add_refund(session, store, on=AS_OF - timedelta(days=50), order_id="B-OLD", sku="BACK")
    add_refund(session, store, on=AS_OF - timedelta(days=3), order_id="B-MFN", sku="BACK",
               fulfillment_id="MFN")  # fmt: skip
    add_returned_unit(session, store, on=AS_OF - timedelta(days=2), order_id="B-0", sku="BACK",
                      disposition="SELLABLE")  # fmt: skip
    # Its returns of the year: 3 of 4 sellable.
    for order, disposition in (("R-1", "SELLABLE"), ("R-2", "SELLABLE"), ("R-3", "DEFECTIVE")):
        add_returned_unit(session, store, on=AS_OF - timedelta(days=100), order_id=order,
                          sku="BACK", disposition=disposition)  # fmt: skip
    session.flush()

    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)

    results = _results(session, store)
    back, twin = results[(US, "BACK")], results[(US, "TWIN")]
    # 4 refunded units not back yet × 3/4 sellable = 3 expected back.
    assert parse_explanation(back.explanation)["stock"]["expected_returns"] == 3
    assert parse_explanation(twin.explanation)["stock"]["expected_returns"] == 0
    assert twin.buy_quantity - back.buy_quantity == 3
    explained = _explain(session, store, US, "BACK")
    assert explained.stock.expected_returns == 3
    assert explained.buy == back.buy_quantity


def test_purchase_orders_keep_their_expected_days(session: Session, store: Store) -> None:
    # SKU-A: 201 for the SKU on day 20 (split by the listings' sales) and 30 for CA on day 25.
    _crafted(session, store)
    replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    stored = _results(session, store)
    orders = {}
    for market in (US, CA):
        found = _explain(session, store, market, "SKU-A")
        orders[market] = [(a.day, a.quantity) for a in found.stock.purchase_orders]
        # The stored run counts the same units on order.
        assert parse_explanation(stored[(market, "SKU-A")].explanation)["stock"]["on_order"] == sum(
            quantity for _, quantity in orders[market]
        )
        # If followed, each order is shipped on from its own day: + 35 sea + 10 receiving.
        planned = [
            (a.day, a.quantity) for a in planned_arrivals(found) if a.source == "purchase_order"
        ]
        assert planned == [(day + timedelta(days=45), quantity) for day, quantity in orders[market]]
    shared_us, shared_ca = orders[US][0], orders[CA][0]
    assert shared_us[0] == shared_ca[0] == AS_OF + timedelta(days=20)
    assert shared_us[1] + shared_ca[1] == 201
    assert shared_us[1] > shared_ca[1]  # US sells faster
    assert orders[CA][1] == (AS_OF + timedelta(days=25), 30)
    assert len(orders[US]) == 1


@pytest.mark.parametrize("statistics_off", [True, False])
def test_reads_side_by_side_give_the_same_results_as_one_after_the_other(
    cli_database: str, monkeypatch: pytest.MonkeyPatch, statistics_off: bool
) -> None:
    """The run command's parallel reads on SQLite: on connections of their own in threads
    once SQLite's memory statistics are off (``db.sqlite_memory``), in the session otherwise;
    the long history of the listings out of stock for every window read while the
    velocities are made, for those the guess names, and after them for one it missed (the
    guess made to miss GONE in the US); committed data read either way gives the same
    stored results."""
    from aftersales.db import sqlite_memory
    from aftersales.replenishment import repository as run_repository

    assert CliRunner().invoke(app, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    with unit_of_work() as session:
        store = session.scalars(select(Store)).one()
        store_id = store.id
        _crafted(session, store)  # GONE in Canada
        _gone(session, store, US, "GONE")

    def stored() -> list[tuple[object, ...]]:
        with unit_of_work() as session:
            rows = session.scalars(
                select(ReplenishmentResult).order_by(
                    ReplenishmentResult.marketplace_id, ReplenishmentResult.sku
                )
            )
            return [
                (row.marketplace_id, row.sku, *(getattr(row, c) for c in COLUMNS), row.explanation)
                for row in rows
            ]

    with unit_of_work() as session:
        replenishment_service.run(session, store_id=store_id, as_of=AS_OF)
    alone = stored()
    assert len(alone) == 8
    velocities = {(row[0], row[1]): row[2] for row in alone}
    # Both planned from their last in-stock days: 2 a day.
    assert velocities[(CA, "GONE")] == pytest.approx(2.0)
    assert velocities[(US, "GONE")] == pytest.approx(2.0)

    threads: set[str] = set()
    histories: list[set[tuple[str, str]]] = []
    read_stock, read_sales = run_repository.latest_stock, run_repository.daily_sales
    guess = replenishment_service._likely_without_counted_days

    def watched(*args: object, **kwargs: object) -> object:
        threads.add(threading.current_thread().name)
        return read_stock(*args, **kwargs)  # type: ignore[arg-type]

    def sales(*args: object, only: run_repository.Only | None = None, **kwargs: object) -> object:
        if only is not None:
            histories.append({(market, sku) for market, skus in only.listings for sku in skus})
        return read_sales(*args, only=only, **kwargs)  # type: ignore[arg-type]

    def missing_one(*args: object) -> object:
        return guess(*args).filter(pl.col("marketplace_id") != US)  # type: ignore[arg-type]

    monkeypatch.setattr(run_repository, "latest_stock", watched)
    monkeypatch.setattr(run_repository, "daily_sales", sales)
    monkeypatch.setattr(replenishment_service, "_likely_without_counted_days", missing_one)
    monkeypatch.setattr(sqlite_memory, "statistics_off", lambda: statistics_off)
    with unit_of_work() as session:
        replenishment_service.run(session, store_id=store_id, as_of=AS_OF, parallel_reads=True)
    assert stored() == alone
    main = threading.main_thread().name
    assert (threads != {main}) is statistics_off
    # The one-by-one listings' history, the guess's read while the velocities were made,
    # then the listing it missed.
    assert histories == [{(US, "SPIKY"), (US, "SEASON")}, {(CA, "GONE")}, {(US, "GONE")}]


@pytest.mark.parametrize("restock_limits", [True, False])
def test_results_computed_and_written_a_few_at_a_time_are_the_same(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch, restock_limits: bool
) -> None:
    """The run computes its results in parts (``PART_LISTINGS``) and stores them in parts
    (``WRITE_ROWS``), each made while the database takes the one before: in parts of two
    listings written one row at a time, the same rows and counts as in one part (with a
    restock limit, whose room the listings share, every listing is computed first)."""
    _crafted(session, store)
    settings = session.scalars(select(ReplenishmentSettings)).one()
    # A limit that leaves room for some of the US listings' units, or none at all.
    limits = [{"marketplace": "US", "storage_type": "standard", "units": 420}]
    settings.values = {**settings.values, "restock_limits": limits if restock_limits else []}
    session.flush()

    def stored() -> list[tuple[object, ...]]:
        return sorted(
            (key, *(getattr(row, c) for c in COLUMNS), row.explanation)
            for key, row in _results(session, store).items()
        )

    whole_run = replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    whole = stored()
    assert len(whole) == 7
    assert sum(whole_run.counts.values()) == whole_run.listings == 7
    capped = [row[0] for row in whole if row[1 + COLUMNS.index("cap_applied")]]
    assert bool(capped) is restock_limits
    monkeypatch.setattr(replenishment_service, "PART_LISTINGS", 2)
    monkeypatch.setattr(replenishment_service, "WRITE_ROWS", 1)
    parts = []
    in_parts = replenishment_service._results_in_parts

    def counted(*args: object) -> Iterator[pl.DataFrame]:
        for part in in_parts(*args):  # type: ignore[arg-type]
            parts.append(part.height)
            yield part

    monkeypatch.setattr(replenishment_service, "_results_in_parts", counted)
    in_parts_run = replenishment_service.run(session, store_id=store.id, as_of=AS_OF)
    assert stored() == whole
    assert parts == [1] * 7
    assert (in_parts_run.counts, in_parts_run.listings) == (whole_run.counts, 7)
    run = session.get(ReplenishmentRun, in_parts_run.run_id)
    assert run is not None
    assert (run.counts, run.listings) == (whole_run.counts, 7)
