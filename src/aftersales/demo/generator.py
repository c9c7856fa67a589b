"""Public entry point: generate the demo Amazon report files and their manifest."""

from __future__ import annotations

import gc
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from aftersales.demo import columns
from aftersales.demo.catalog import Store, build_stores
from aftersales.demo.inventory_rows import afn_rows, myi_rows, planning_rows, restock_rows
from aftersales.demo.markets import Marketplace
from aftersales.demo.merchant import simulate_feedback, simulate_merchant_returns
from aftersales.demo.returns import ReturnsYear, simulate_returns
from aftersales.demo.sales import SalesYear, simulate_sales
from aftersales.demo.settlement import build_settlements
from aftersales.demo.stock import StockYear, inventory_history, simulate_stock
from aftersales.demo.tsv import FileFormat, write_report
from aftersales.demo.warehouse import write_stock_files
from aftersales.demo.writers import (
    all_orders_rows,
    fba_return_rows,
    fbm_return_rows,
    feedback_rows,
    fulfilled_shipment_rows,
    reimbursement_rows,
    removal_order_rows,
    removal_shipment_rows,
)

Rows = list[list[str]]


@dataclass(frozen=True)
class ManifestStore:
    """A demo store: one seller account in one Amazon region."""

    name: str
    region: str
    merchant_id: str
    marketplaces: list[str]


@dataclass(frozen=True)
class ManifestFile:
    """One written report file; `marketplace` is what to pass to the importer, if needed."""

    path: str
    store: str
    report_type: str
    marketplace: str | None
    encoding: str
    gzip: bool
    rows: int
    # The day an inventory report was taken (ISO), when it is not the end date.
    snapshot_date: str | None = None


@dataclass(frozen=True)
class ManifestStockFile:
    """Stock outside Amazon or purchase orders, in the product's own import template."""

    path: str
    store: str
    kind: str


@dataclass(frozen=True)
class DefectSku:
    """A SKU whose DEFECTIVE / QUALITY_UNACCEPTABLE returns jump near the end date."""

    store: str
    marketplace: str
    sku: str
    asin: str
    since: str


@dataclass
class Manifest:
    """What `generate` wrote, with a few facts tests and demos can check against."""

    end_date: date
    seed: int
    stores: list[ManifestStore] = field(default_factory=list)
    files: list[ManifestFile] = field(default_factory=list)
    stock_files: list[ManifestStockFile] = field(default_factory=list)
    defect_skus: list[DefectSku] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["end_date"] = self.end_date.isoformat()
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


class _Writer:
    """Writes the files of one store and records them in the manifest."""

    def __init__(self, out_dir: Path, store: Store, manifest: Manifest) -> None:
        self.out_dir = out_dir
        self.store = store
        self.manifest = manifest

    def file_format(self, short_name: str, market: str | None) -> FileFormat:
        spec = self.store.spec
        encoding = spec.encoding
        compressed = False
        if spec.region == "NA" and short_name == "reimbursements" and market == "US":
            encoding = "cp1252"
        if spec.region == "NA" and short_name == "all-orders" and market == "US":
            compressed = True
        if spec.region == "EU" and short_name == "all-orders" and market == "UK":
            encoding = "utf-8-sig"
        quote_all = spec.region == "EU" and short_name == "restock"
        return FileFormat(encoding, spec.newline, compressed, quote_all)

    def write(
        self,
        name: str,
        report_type: str,
        header: tuple[str, ...],
        rows: Rows,
        *,
        market: str | None = None,
        importer_market: str | None = None,
        short_name: str | None = None,
        snapshot_date: date | None = None,
    ) -> None:
        file_format = self.file_format(short_name or name, market)
        relative = f"{self.store.name}/{name}.txt" + (".gz" if file_format.gzip else "")
        count = write_report(self.out_dir / relative, header, rows, file_format)
        self.manifest.files.append(
            ManifestFile(
                path=relative,
                store=self.store.name,
                report_type=report_type,
                marketplace=importer_market,
                encoding=file_format.encoding,
                gzip=file_format.gzip,
                rows=count,
                snapshot_date=snapshot_date.isoformat() if snapshot_date else None,
            )
        )


def _refund_updates(sales: SalesYear, returns: ReturnsYear) -> dict[str, datetime]:
    """Latest refund per order: refunds move the order's last-updated-date."""
    updated: dict[str, datetime] = {}
    for item in returns.returns:
        if item.refunded is not None:
            order_id = item.line.order.order_id
            updated[order_id] = max(updated.get(order_id, item.refunded), item.refunded)
    return updated


def _facts(sales: SalesYear, returns: ReturnsYear, facts: dict[str, int]) -> None:
    as_of = sales.as_of
    window = (as_of - timedelta(days=120), as_of - timedelta(days=60))

    def add(key: str, value: int) -> None:
        facts[key] = facts.get(key, 0) + value

    add("order_lines", len(sales.lines()))
    items = returns.returns
    add("fba_units_returned", sum(1 for item in items if item.received is not None))
    add("fba_units_refunded", sum(1 for item in items if item.refunded is not None))
    never = [item for item in items if item.never_back and item.refunded is not None]
    add("refunded_never_returned", len(never))
    add(
        "refunded_never_returned_reimbursed",
        sum(1 for item in never if item.reimbursement_id and not item.reimbursement_reversed),
    )
    add(
        "claimable_refunded_not_returned",
        sum(
            1
            for item in never
            if item.refunded is not None
            and window[0] <= item.refunded <= window[1]
            and (not item.reimbursement_id or item.reimbursement_reversed)
        ),
    )
    add(
        "damaged_returns_not_reimbursed",
        sum(1 for item in items if item.disposition == "DAMAGED" and item.status != "Reimbursed"),
    )
    add(
        "switcheroo_returns",
        sum(1 for item in items if item.reason == "SWITCHEROO" and item.received is not None),
    )
    add(
        "reimbursement_reversals",
        sum(1 for paid in returns.reimbursements if paid.reason == "Reimbursement_Reversal"),
    )


def _write_store(
    out_dir: Path, store: Store, seed: int, end_date: date, manifest: Manifest
) -> None:
    sales = simulate_sales(store, seed, end_date)
    returns = simulate_returns(sales, seed)
    stock = simulate_stock(sales, returns, seed)
    merchant_returns = simulate_merchant_returns(sales, seed)
    feedback = simulate_feedback(sales, returns.returns, seed)
    settlements = build_settlements(sales, returns, stock, merchant_returns, seed)
    updated = _refund_updates(sales, returns)
    writer = _Writer(out_dir, store, manifest)
    history = inventory_history(stock, end_date, seed, store.name)
    for marketplace in store.marketplaces:
        for day, positions in history:
            writer.write(
                f"myi-{marketplace.code}-{day.isoformat()}",
                columns.MYI,
                columns.MYI_HEADER,
                myi_rows(positions, marketplace),
                market=marketplace.code,
                importer_market=marketplace.code,
                short_name="myi",
                snapshot_date=day,
            )
        _write_marketplace(writer, marketplace, sales, returns, stock, updated)
        if any(listing.fbm and listing.marketplace is marketplace for listing in store.listings):
            code = marketplace.code
            writer.write(
                f"fbm-returns-{code}",
                columns.FBM_RETURNS,
                columns.FBM_RETURNS_HEADER,
                fbm_return_rows(merchant_returns, marketplace),
                market=code,
                importer_market=code,
                short_name="fbm-returns",
            )
        writer.write(
            f"feedback-{marketplace.code}",
            columns.FEEDBACK,
            marketplace.feedback_header,
            feedback_rows(feedback, marketplace),
            market=marketplace.code,
            importer_market=marketplace.code,
            short_name="feedback",
        )
    writer.write(
        "fulfilled-shipments",
        columns.FULFILLED_SHIPMENTS,
        columns.FULFILLED_SHIPMENTS_HEADER,
        fulfilled_shipment_rows(sales, seed),
    )
    writer.write(
        "inventory-planning",
        columns.INVENTORY_PLANNING,
        columns.PLANNING_HEADER,
        planning_rows(stock.positions, end_date, seed, store.name),
    )
    restock_header = (
        columns.RESTOCK_HEADER_REGION if store.spec.region == "EU" else columns.RESTOCK_HEADER
    )
    writer.write(
        "restock",
        columns.RESTOCK,
        restock_header,
        restock_rows(stock.positions, end_date, seed, store.name),
    )
    for report in settlements:
        code = report.marketplace.code
        writer.write(
            f"settlement-{code}-{report.number:02d}",
            columns.SETTLEMENT,
            columns.SETTLEMENT_HEADER,
            report.rows,
            market=code,
            short_name="settlement",
        )
    for relative in write_stock_files(out_dir, store, seed, end_date):
        kind = relative.rsplit("/", 1)[1].removesuffix(".csv")
        manifest.stock_files.append(ManifestStockFile(path=relative, store=store.name, kind=kind))
    _facts(sales, returns, manifest.facts)


def _write_marketplace(
    writer: _Writer,
    marketplace: Marketplace,
    sales: SalesYear,
    returns: ReturnsYear,
    stock: StockYear,
    updated: dict[str, datetime],
) -> None:
    code = marketplace.code
    plan: list[tuple[str, str, tuple[str, ...], Rows, str | None]] = [
        (
            "all-orders",
            columns.ALL_ORDERS,
            columns.ALL_ORDERS_HEADER,
            all_orders_rows(sales, marketplace, updated),
            None,
        ),
        (
            "fba-returns",
            columns.FBA_RETURNS,
            columns.FBA_RETURNS_HEADER,
            fba_return_rows(returns.returns, marketplace),
            code,
        ),
        (
            "reimbursements",
            columns.REIMBURSEMENTS,
            columns.REIMBURSEMENTS_HEADER,
            reimbursement_rows(returns.reimbursements, marketplace),
            code,
        ),
        (
            "removal-orders",
            columns.REMOVAL_ORDERS,
            columns.REMOVAL_ORDERS_HEADER,
            removal_order_rows(stock.removals, marketplace),
            code,
        ),
        (
            "removal-shipments",
            columns.REMOVAL_SHIPMENTS,
            columns.REMOVAL_SHIPMENTS_HEADER,
            removal_shipment_rows(stock.removals, marketplace),
            code,
        ),
        ("myi", columns.MYI, columns.MYI_HEADER, myi_rows(stock.positions, marketplace), code),
        (
            "afn-inventory",
            columns.AFN_INVENTORY,
            columns.AFN_HEADER,
            afn_rows(stock.positions, marketplace),
            code,
        ),
    ]
    for short_name, report_type, header, rows, importer_market in plan:
        writer.write(
            f"{short_name}-{code}",
            report_type,
            header,
            rows,
            market=code,
            importer_market=importer_market,
            short_name=short_name,
        )


def generate(out_dir: Path, *, end_date: date, seed: int = 7) -> Manifest:
    """Write a year of demo Amazon reports ending on `end_date` into `out_dir`.

    The same seed and end date always produce byte-identical files. The manifest is
    returned and also written to `out_dir/manifest.json`.
    """
    # Hundreds of thousands of small objects live until the end: the cyclic collector
    # would rescan them over and over for nothing, so it is paused while generating.
    collecting = gc.isenabled()
    gc.disable()
    try:
        manifest = _generate(out_dir, end_date=end_date, seed=seed)
    finally:
        if collecting:
            gc.enable()
    (out_dir / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _generate(out_dir: Path, *, end_date: date, seed: int) -> Manifest:
    start = end_date - timedelta(days=364)
    stores = build_stores(seed, start, end_date)
    manifest = Manifest(end_date=end_date, seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for store in stores:
        manifest.stores.append(
            ManifestStore(
                name=store.name,
                region=store.spec.region,
                merchant_id=store.merchant_id,
                marketplaces=[marketplace.code for marketplace in store.marketplaces],
            )
        )
        for listing in store.listings:
            if listing.defect_since is not None:
                manifest.defect_skus.append(
                    DefectSku(
                        store=store.name,
                        marketplace=listing.marketplace.code,
                        sku=listing.sku,
                        asin=listing.product.asin,
                        since=listing.defect_since.isoformat(),
                    )
                )
        _write_store(out_dir, store, seed, end_date, manifest)
    return manifest
