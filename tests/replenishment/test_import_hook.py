"""Daily sales kept current by the orders import: units per listing and UTC day, cancelled
lines and lines without a marketplace left out, re-imports and status changes reflected, other
reports leaving the table alone, and the full rebuild agreeing with the incremental one; each
listing's first day of sales kept with them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aftersales.cli import app
from aftersales.models import DailySales, FirstSale, Store
from aftersales.replenishment import sales as sales_service
from tests.conftest import planned_rows, run_import

US = "ATVPDKIKX0DER"
CA = "A2EUQ1WTGCTBG2"
HEADER = (
    "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
    "sales-channel\tsku\tasin\titem-status\tquantity\tcurrency\titem-price"
)


def _orders(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(order: str, when: str, status: str, channel: str, sku: str, item: str, qty: int) -> str:
    return f"{order}\t{when}\t{when}\t{status}\tAmazon\t{channel}\t{sku}\tB000000001\t{item}\t{qty}\tUSD\t10.00"


BASE = [
    _line("111-0000001-0000001", "2026-05-01T12:00:00+00:00", "Shipped", "Amazon.com", "SKU-A", "Shipped", 2),
    _line("111-0000002-0000001", "2026-05-01T23:59:59+00:00", "Pending", "Amazon.com", "SKU-A", "Unshipped", 1),
    _line("111-0000003-0000001", "2026-05-02T00:00:01+00:00", "Shipped", "Amazon.com", "SKU-A", "Shipped", 3),
    # A cancelled line that still carries its quantity: not a sale.
    _line("111-0000004-0000001", "2026-05-01T08:00:00+00:00", "Cancelled", "Amazon.com", "SKU-A", "Cancelled", 4),
    # One order, two SKUs, two marketplaces' worth of lines.
    _line("111-0000005-0000001", "2026-05-02T10:00:00+00:00", "Shipped", "Amazon.com", "SKU-B", "Shipped", 1),
    _line("702-0000006-0000001", "2026-05-02T10:00:00+00:00", "Shipped", "Amazon.ca", "SKU-A", "Shipped", 5),
    # Multi-channel fulfilment: no marketplace, so in no marketplace's sales.
    _line("111-0000007-0000001", "2026-05-02T11:00:00+00:00", "Shipped", "Non-Amazon", "SKU-A", "Shipped", 9),
]  # fmt: skip


def _sales(session: Session, store: Store) -> dict[tuple[str, str, date], tuple[int, int, int]]:
    rows = session.scalars(select(DailySales).where(DailySales.store_id == store.id))
    return {
        (row.marketplace_id, row.sku, row.day): (row.units, row.units_shipped, row.orders)
        for row in rows
    }


def _first_days(session: Session, store: Store) -> dict[tuple[str, str], date]:
    rows = session.scalars(select(FirstSale).where(FirstSale.store_id == store.id))
    return {(row.marketplace_id, row.sku): row.first_day for row in rows}


EXPECTED = {
    (US, "SKU-A", date(2026, 5, 1)): (3, 2, 2),  # 2 shipped + 1 pending, 2 orders
    (US, "SKU-A", date(2026, 5, 2)): (3, 3, 1),
    (US, "SKU-B", date(2026, 5, 2)): (1, 1, 1),
    (CA, "SKU-A", date(2026, 5, 2)): (5, 5, 1),
}
FIRST_DAYS = {
    (US, "SKU-A"): date(2026, 5, 1),
    (US, "SKU-B"): date(2026, 5, 2),
    (CA, "SKU-A"): date(2026, 5, 2),
}


def test_an_orders_import_fills_daily_sales(session: Session, store: Store, tmp_path: Path) -> None:
    run_import(session, _orders(tmp_path / "orders.txt", BASE), store=store.name)
    assert _sales(session, store) == EXPECTED
    assert _first_days(session, store) == FIRST_DAYS


def test_first_days_follow_cancellations_and_older_orders(
    session: Session, store: Store, tmp_path: Path
) -> None:
    run_import(session, _orders(tmp_path / "orders.txt", BASE), store=store.name)
    # SKU-B's only sale of 2 May is cancelled; an older CA order of SKU-A turns up; a new
    # US sale of SKU-A on 3 May leaves its first day (1 May) alone.
    update = [
        _line("111-0000005-0000001", "2026-05-02T10:00:00+00:00", "Cancelled", "Amazon.com", "SKU-B", "Cancelled", 0),
        _line("702-0000009-0000001", "2026-04-20T10:00:00+00:00", "Shipped", "Amazon.ca", "SKU-A", "Shipped", 1),
        _line("111-0000010-0000001", "2026-05-03T10:00:00+00:00", "Shipped", "Amazon.com", "SKU-A", "Shipped", 1),
    ]  # fmt: skip
    run_import(session, _orders(tmp_path / "update.txt", update), store=store.name)
    assert _first_days(session, store) == {
        (US, "SKU-A"): date(2026, 5, 1),
        (CA, "SKU-A"): date(2026, 4, 20),
    }
    # SKU-B sells again on 4 May: that is its first day now.
    again = [
        _line("111-0000011-0000001", "2026-05-04T10:00:00+00:00", "Shipped", "Amazon.com", "SKU-B", "Shipped", 1),
    ]  # fmt: skip
    run_import(session, _orders(tmp_path / "again.txt", again), store=store.name)
    assert _first_days(session, store)[(US, "SKU-B")] == date(2026, 5, 4)


def test_a_reimport_keeps_the_figures_and_a_cancellation_removes_its_units(
    session: Session, store: Store, tmp_path: Path
) -> None:
    run_import(session, _orders(tmp_path / "orders.txt", BASE), store=store.name)
    run_import(session, _orders(tmp_path / "again.txt", BASE), store=store.name)
    assert _sales(session, store) == EXPECTED
    # By-last-update file: the pending order of 1 May was cancelled, a new order on 3 May.
    update = [
        _line("111-0000002-0000001", "2026-05-01T23:59:59+00:00", "Cancelled", "Amazon.com", "SKU-A", "Cancelled", 0),
        _line("111-0000008-0000001", "2026-05-03T09:00:00+00:00", "Pending", "Amazon.com", "SKU-B", "Unshipped", 2),
    ]  # fmt: skip
    run_import(session, _orders(tmp_path / "update.txt", update), store=store.name)
    expected = dict(EXPECTED)
    expected[(US, "SKU-A", date(2026, 5, 1))] = (2, 2, 1)
    expected[(US, "SKU-B", date(2026, 5, 3))] = (2, 0, 1)
    assert _sales(session, store) == expected


def test_other_reports_leave_daily_sales_alone(
    session: Session, store: Store, tmp_path: Path
) -> None:
    run_import(session, _orders(tmp_path / "orders.txt", BASE), store=store.name)
    run_import(session, "myi_inventory_us.txt", store=store.name)
    run_import(session, "fba_returns_us.txt", store=store.name)
    assert _sales(session, store) == EXPECTED


def test_the_full_rebuild_agrees_with_the_import_hook(
    session: Session, store: Store, tmp_path: Path
) -> None:
    run_import(session, _orders(tmp_path / "orders.txt", BASE), store=store.name)
    session.execute(DailySales.__table__.delete())
    session.execute(FirstSale.__table__.delete())
    assert _sales(session, store) == {}
    written = sales_service.rebuild_stores(session, store_ids=[store.id])
    assert written == {store.id: 4}
    assert _sales(session, store) == EXPECTED
    assert _first_days(session, store) == FIRST_DAYS
    if session.get_bind().dialect.name == "postgresql":
        # Planned for the rebuilt tables' contents (analysed in the transaction).
        assert planned_rows(session, "daily_sales") == 4
        assert planned_rows(session, "first_sales") == len(FIRST_DAYS)


def test_rebuild_sales_command(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    imported = runner.invoke(
        app, ["import", str(_orders(tmp_path / "o.txt", BASE)), "--store", "acme"]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["replenishment", "rebuild-sales", "--store", "acme"])
    assert result.exit_code == 0, result.output
    assert "acme: 4 listing-days" in result.output
    unknown = runner.invoke(app, ["replenishment", "rebuild-sales", "--store", "nobody"])
    assert unknown.exit_code == 2
