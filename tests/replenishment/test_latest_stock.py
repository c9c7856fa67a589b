"""inventory_latest kept by the import: each listing's newest day, of that day's reports the
most complete, condition lines added up; older reports imported late change nothing; a run
for a past day computes from the snapshots; the migration's backfill agrees."""

from __future__ import annotations

import csv
import importlib
from datetime import date
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aftersales.cli import app
from aftersales.models import LatestInventory, Store
from aftersales.replenishment import latest_stock
from aftersales.replenishment import repository as run_repository
from tests.conftest import DATA, planned_rows, run_import

US = "ATVPDKIKX0DER"


def _myi(path: Path, rows: dict[str, tuple[int, int]]) -> Path:
    """The sample MYI report with its SKUs' (fulfillable, inbound shipped) set."""
    with (DATA / "myi_inventory_us.txt").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle, delimiter="\t"))
    template = lines[0]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(template), delimiter="\t")
        writer.writeheader()
        for sku, (fulfillable, shipped) in rows.items():
            writer.writerow(
                {
                    **template,
                    "sku": sku,
                    "afn-fulfillable-quantity": str(fulfillable),
                    "afn-inbound-shipped-quantity": str(shipped),
                }
            )
    return path


def _kept(session: Session, store: Store) -> dict[str, tuple[date, str, int, int]]:
    rows = session.scalars(select(LatestInventory).where(LatestInventory.store_id == store.id))
    return {
        row.sku: (row.snapshot_date, row.source, row.fulfillable, row.inbound_shipped)
        for row in rows
    }


def _import(session: Session, store: Store, path: Path | str, day: date) -> None:
    run_import(session, path, store=store.name, marketplace="US", snapshot_date=day)


def test_the_import_keeps_each_listings_newest_figures(
    session: Session, store: Store, tmp_path: Path
) -> None:
    _import(
        session, store, _myi(tmp_path / "may10.txt", {"A": (10, 5), "B": (7, 0)}), date(2026, 5, 10)
    )
    assert _kept(session, store) == {
        "A": (date(2026, 5, 10), "myi", 10, 5),
        "B": (date(2026, 5, 10), "myi", 7, 0),
    }
    # A newer report of A only: B keeps its day.
    _import(session, store, _myi(tmp_path / "may17.txt", {"A": (4, 0)}), date(2026, 5, 17))
    # An older report imported late changes nothing.
    _import(
        session, store, _myi(tmp_path / "may03.txt", {"A": (99, 9), "B": (99, 9)}), date(2026, 5, 3)
    )
    assert _kept(session, store) == {
        "A": (date(2026, 5, 17), "myi", 4, 0),
        "B": (date(2026, 5, 10), "myi", 7, 0),
    }
    # An AFN report of the same day as the MYI one: the MYI report is the more complete.
    _import(session, store, "afn_inventory.txt", date(2026, 5, 17))
    assert _kept(session, store)["A"] == (date(2026, 5, 17), "myi", 4, 0)
    # The AFN report alone, a day later: its sellable and unsellable lines add up.
    _import(session, store, "afn_inventory.txt", date(2026, 5, 18))
    scale = _kept(session, store)["LM-KT-0042-BLK"]
    assert scale == (date(2026, 5, 18), "afn", 120, 0)
    # It gives no reserved or inbound units: a listing keeps those of its report before.
    mine = _myi(tmp_path / "may19.txt", {"LM-KT-0042-BLK": (100, 30)})
    _import(session, store, mine, date(2026, 5, 19))
    _import(session, store, "afn_inventory.txt", date(2026, 5, 20))
    kept = session.get(LatestInventory, (store.id, US, "LM-KT-0042-BLK"))
    assert kept is not None
    assert (kept.snapshot_date, kept.source, kept.fulfillable) == (date(2026, 5, 20), "afn", 120)
    assert (kept.inbound_shipped, kept.inbound_date) == (30, date(2026, 5, 19))
    # What a run reads, and what computing it from the snapshots gives, agree.
    read = run_repository.latest_stock(session, store_id=store.id, as_of=date(2026, 5, 31))
    computed = run_repository.computed_latest_stock(
        session, store_id=store.id, as_of=date(2026, 5, 31)
    ).drop("source")
    assert read.sort("sku").equals(computed.sort("sku"))


def test_a_run_for_a_past_day_computes_from_the_snapshots(
    session: Session, store: Store, tmp_path: Path
) -> None:
    _import(
        session, store, _myi(tmp_path / "may10.txt", {"A": (10, 5), "B": (7, 0)}), date(2026, 5, 10)
    )
    _import(session, store, _myi(tmp_path / "may17.txt", {"A": (4, 0)}), date(2026, 5, 17))
    as_of = date(2026, 5, 12)
    read = run_repository.latest_stock(session, store_id=store.id, as_of=as_of)
    figures = {
        sku: (day, f)
        for sku, day, f in read.select("sku", "snapshot_date", "fulfillable").iter_rows()
    }
    assert figures == {"A": (date(2026, 5, 10), 10), "B": (date(2026, 5, 10), 7)}
    # Before any report: nothing.
    assert (
        run_repository.latest_stock(session, store_id=store.id, as_of=date(2026, 5, 1)).height == 0
    )


def test_the_migrations_backfill_agrees_with_the_import(
    session: Session, store: Store, tmp_path: Path
) -> None:
    _import(
        session, store, _myi(tmp_path / "may10.txt", {"A": (10, 5), "B": (7, 0)}), date(2026, 5, 10)
    )
    _import(session, store, "afn_inventory.txt", date(2026, 5, 10))
    _import(session, store, _myi(tmp_path / "may17.txt", {"A": (4, 0)}), date(2026, 5, 17))
    _import(session, store, "afn_inventory.txt", date(2026, 5, 20))
    mine = _myi(tmp_path / "may19.txt", {"LM-KT-0042-BLK": (100, 30)})
    _import(session, store, mine, date(2026, 5, 19))
    kept = _every_figure(session, store)
    scale = kept["LM-KT-0042-BLK"]  # the AFN's 20th, the MYI's 19th's inbound units
    assert (scale[0], scale[5], scale[7]) == (date(2026, 5, 20), 30, date(2026, 5, 19))
    migration = importlib.import_module(
        "aftersales.migrations.versions.20261126_0023_latest_inbound_date"
    )
    session.execute(LatestInventory.__table__.delete())
    session.execute(text(migration.RECOMPUTE))
    assert _every_figure(session, store) == kept
    # And a store-wide refresh (the rebuild command) gives the same again.
    session.execute(LatestInventory.__table__.delete())
    assert latest_stock.refresh(session, store_id=store.id) == len(kept)
    assert _every_figure(session, store) == kept


def _every_figure(session: Session, store: Store) -> dict[str, tuple[object, ...]]:
    rows = session.scalars(select(LatestInventory).where(LatestInventory.store_id == store.id))
    return {
        row.sku: (
            row.snapshot_date,
            row.source,
            row.fulfillable,
            row.reserved,
            row.inbound_working,
            row.inbound_shipped,
            row.inbound_receiving,
            row.inbound_date,
        )
        for row in rows
    }


def test_rebuild_stock_command(cli_database: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["stores", "add", "acme", "--region", "NA"]).exit_code == 0
    report = _myi(tmp_path / "myi.txt", {"A": (10, 5), "B": (7, 0), "C": (0, 3)})
    imported = runner.invoke(app, ["import", str(report), "--store", "acme", "--marketplace", "US"])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["replenishment", "rebuild-stock", "--store", "acme"])
    assert result.exit_code == 0, result.output
    assert "acme: 3 listings" in result.output
    unknown = runner.invoke(app, ["replenishment", "rebuild-stock", "--store", "nobody"])
    assert unknown.exit_code == 2


def test_a_rebuild_refreshes_the_planners_statistics(
    session: Session, store: Store, tmp_path: Path
) -> None:
    _import(
        session, store, _myi(tmp_path / "myi.txt", {"A": (10, 5), "B": (7, 0)}), date(2026, 5, 1)
    )
    latest_stock.refresh(session, store_id=store.id)
    if session.get_bind().dialect.name != "postgresql":
        # SQLite plans without statistics; the rebuild leaves none behind.
        assert (
            session.execute(
                text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).first()
            is None
        )
        return
    for table in ("inventory_latest", "stockout_spans", "inbound_levels"):
        rows = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        assert planned_rows(session, table) == rows, table
    assert session.execute(text("SELECT count(*) FROM inventory_latest")).scalar_one() >= 2
