"""Stock outside Amazon for the demo: the seller's own warehouse in Shenzhen, an overseas
3PL in the store's region, and open purchase orders at the factory, written in the product's
own import templates (replenishment/stock_files.py) so that the demo imports them the way a
seller would."""

from __future__ import annotations

import csv
import io
import math
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from aftersales.demo.catalog import Store
from aftersales.replenishment.stock_files import COLUMNS, TemplateKind

LOCAL_WAREHOUSE = "Shenzhen"
OVERSEAS_3PL = {"NA": "Ontario CA 3PL", "EU": "Duisburg 3PL", "FE": "Chiba 3PL"}


def _demand(store: Store) -> dict[str, float]:
    """Expected FBA units a day per SKU, over all its marketplaces."""
    rates: dict[str, float] = defaultdict(float)
    for listing in store.listings:
        if not listing.fbm:
            rates[listing.sku] += listing.daily_rate
    return dict(sorted(rates.items()))


def _csv(kind: TemplateKind, rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    names = [column.name for column in COLUMNS[kind]]
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def local_stock_rows(store: Store, seed: int, end_date: date) -> list[dict[str, object]]:
    """Most SKUs have some cartons in Shenzhen; about a third also sit in a 3PL abroad."""
    rng = random.Random(f"{seed}-{store.name}-local-stock")
    rows: list[dict[str, object]] = []
    for sku, rate in _demand(store).items():
        if rng.random() < 0.65:
            rows.append(
                {
                    "sku": sku,
                    "warehouse_kind": "local",
                    "warehouse_name": LOCAL_WAREHOUSE,
                    "quantity": max(1, round(rate * rng.uniform(15, 60))),
                    "as_of": end_date.isoformat(),
                }
            )
        if rng.random() < 0.35:
            rows.append(
                {
                    "sku": sku,
                    "warehouse_kind": "overseas_3pl",
                    "warehouse_name": OVERSEAS_3PL[store.spec.region],
                    "quantity": max(1, round(rate * rng.uniform(10, 40))),
                    "as_of": end_date.isoformat(),
                }
            )
    return rows


def purchase_order_rows(store: Store, seed: int, end_date: date) -> list[dict[str, object]]:
    """Open factory orders for about a quarter of the SKUs, due in two to seven weeks."""
    rng = random.Random(f"{seed}-{store.name}-purchase-orders")
    rows: list[dict[str, object]] = []
    number = 0
    for sku, rate in _demand(store).items():
        if rng.random() >= 0.25:
            continue
        number += 1
        rows.append(
            {
                "reference": f"PO-{end_date.year}-{store.spec.region}-{number:03d}",
                "sku": sku,
                "marketplace": "",
                "quantity": max(50, math.ceil(rate * rng.uniform(30, 75) / 50) * 50),
                "expected_date": (end_date + timedelta(days=rng.randint(14, 49))).isoformat(),
                "status": "open",
            }
        )
    return rows


def write_stock_files(out_dir: Path, store: Store, seed: int, end_date: date) -> list[str]:
    """Write the store's two template files; returns their paths relative to ``out_dir``."""
    written = []
    for kind, rows in (
        (TemplateKind.LOCAL_STOCK, local_stock_rows(store, seed, end_date)),
        (TemplateKind.PURCHASE_ORDERS, purchase_order_rows(store, seed, end_date)),
    ):
        relative = f"{store.name}/{kind.value}.csv"
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_csv(kind, rows), encoding="utf-8")
        written.append(relative)
    return written
