"""The demo's weekly inventory reports, imported with their own snapshot days, give the
inbound units a history: lots are dated by the report that first showed them; the demo's
shipped inbound plan dates its units by the day it left."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aftersales.accounts import service as account_service
from aftersales.cli import app
from aftersales.demo.generator import generate
from aftersales.demo.plans import ship_demo_plans
from aftersales.imports import service as import_service
from aftersales.models import InventorySnapshot
from aftersales.replenishment import service as replenishment_service
from aftersales.stores import service as store_service

END = date(2026, 6, 1)
MYI = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"


def test_weekly_reports_date_the_inbound_units(session: Session, tmp_path: Path) -> None:
    manifest = generate(tmp_path, end_date=END, seed=7)
    spec = next(spec for spec in manifest.stores if spec.name == "lumen-na")
    store = store_service.add_store(
        session, name=spec.name, region=spec.region, merchant_id=spec.merchant_id
    )
    reports = [e for e in manifest.files if e.store == spec.name and e.report_type == MYI]
    days = sorted({date.fromisoformat(e.snapshot_date or END.isoformat()) for e in reports})
    assert days == [END - timedelta(days=7 * week) for week in range(6, -1, -1)]
    for entry in reports:
        import_service.import_file(
            session,
            path=tmp_path / entry.path,
            options=import_service.ImportOptions(
                store=entry.store,
                marketplace=entry.marketplace,
                report_type=entry.report_type,
                snapshot_date=date.fromisoformat(entry.snapshot_date or END.isoformat()),
            ),
        )
    stored = session.scalars(
        select(InventorySnapshot.snapshot_date).where(InventorySnapshot.store_id == store.id)
    ).all()
    assert set(stored) == set(days)
    lots = replenishment_service.inbound_schedule(session, store_id=store.id, as_of=END)
    assert lots.height > 0
    # Units shipped weeks ago are dated by the first weekly report that showed them.
    shipped = lots.filter(pl.col("status") == "shipped")
    assert shipped.height > 0
    assert shipped.filter(pl.col("since") < END).height > 0
    assert set(lots.get_column("since").to_list()) <= set(days)
    # Each lot arrives by its status's rule (the default lead time: sea 35, receiving 10).
    for status, since, day in lots.select("status", "since", "day").iter_rows():
        if status == "working":
            assert day == END + timedelta(days=45)
        elif status == "shipped":
            assert day == max(since + timedelta(days=35), END) + timedelta(days=10)
        else:
            assert day == max(since + timedelta(days=10), END)
    # The demo's shipped plan (`aftersales demo plans`): the listing with the most units in
    # transit, shipped by air 4 days before the last day, dates those units: + 10 days air
    # + 10 receiving days. Run again, it makes no second plan.
    owner, _ = account_service.add_user_to_store(
        session, email="owner@demo.test", store_name=spec.name, role="owner", password="x" * 12
    )
    access = account_service.access_for(session, user=owner)
    made = ship_demo_plans(session, access=access, as_of=END)
    assert [store_id for _, store_id in made] == [store.id]
    assert ship_demo_plans(session, access=access, as_of=END) == []
    lots = replenishment_service.inbound_schedule(session, store_id=store.id, as_of=END)
    dated = lots.filter(pl.col("shipment") == "FBA15DEMO001")
    assert dated.height == 1
    assert dated.row(0, named=True)["since"] == END - timedelta(days=4)
    assert dated.row(0, named=True)["day"] == END - timedelta(days=4) + timedelta(days=20)
    assert dated.row(0, named=True)["mode"] == "air"


def test_demo_plans_needs_the_demo_account(cli_database: str) -> None:
    result = CliRunner().invoke(app, ["demo", "plans"])
    assert result.exit_code == 2
    assert "run `aftersales demo owner` first" in result.output
