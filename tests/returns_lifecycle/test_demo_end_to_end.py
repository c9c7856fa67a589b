"""End to end over the demo data: the "refunded but not yet received" list the service
computes equals the one read straight from the raw settlement and returns files."""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from aftersales.demo.generator import ManifestFile, generate
from aftersales.imports import service as import_service
from aftersales.kit.scope import Scope
from aftersales.returns_analytics import lifecycle as lifecycle_service
from aftersales.returns_analytics.lifecycle_schemas import LifecycleList
from aftersales.stores import service as store_service

END = date(2026, 5, 31)
SETTLEMENT = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"


def _rows(directory: Path, entry: ManifestFile) -> list[dict[str, str]]:
    raw = (directory / entry.path).read_bytes()
    if entry.gzip:
        raw = gzip.decompress(raw)
    text = raw.decode(entry.encoding)
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def _expected(directory: Path, files: list[ManifestFile]) -> dict[str, dict[tuple[str, str], date]]:
    """Per store: (order, SKU) of FBA refunds with no returned unit, and the first refund day."""
    refunded: dict[str, dict[tuple[str, str], datetime]] = defaultdict(dict)
    returned: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for entry in files:
        for row in _rows(directory, entry):
            if entry.report_type == RETURNS:
                returned[entry.store].add((row["order-id"], row["sku"]))
            elif (
                row.get("transaction-type") == "Refund"
                and row.get("order-id")
                and row.get("sku")
                and row.get("fulfillment-id") != "MFN"
            ):
                key = (row["order-id"], row["sku"])
                posted = datetime.fromisoformat(row["posted-date-time"])
                known = refunded[entry.store].get(key)
                refunded[entry.store][key] = min(posted, known) if known else posted
    return {
        store: {key: posted.date() for key, posted in keys.items() if key not in returned[store]}
        for store, keys in refunded.items()
    }


def test_refunded_not_received_matches_the_raw_reports(session: Session, tmp_path: Path) -> None:
    manifest = generate(tmp_path, end_date=END, seed=7)
    stores = {
        spec.name: store_service.add_store(
            session, name=spec.name, region=spec.region, merchant_id=spec.merchant_id
        )
        for spec in manifest.stores
    }
    files = [entry for entry in manifest.files if entry.report_type in (SETTLEMENT, RETURNS)]
    for entry in files:
        import_service.import_file(
            session,
            path=tmp_path / entry.path,
            options=import_service.ImportOptions(
                store=entry.store, marketplace=entry.marketplace, report_type=entry.report_type
            ),
        )
    expected = _expected(tmp_path, files)
    period = lifecycle_service.period_of(date_from=date(2000, 1, 1), date_to=END, as_of=END)
    for name, store in stores.items():
        board = lifecycle_service.board(session, scope=Scope(store_ids=(store.id,)), period=period)
        found = {
            (item.unit.amazon_order_id, item.unit.sku): item.unit.refunded_at.date()
            for item in board.refunded_not_received or []
            if item.unit.refunded_at is not None
        }
        assert board.totals[LifecycleList.REFUNDED_NOT_RECEIVED] == len(expected.get(name, {}))
        assert expected.get(name), name
        # The board shows at most LIST_LIMIT items: those must be the oldest expected ones.
        assert found.items() <= expected[name].items(), name
        assert len(found) == min(len(expected[name]), lifecycle_service.LIST_LIMIT)
