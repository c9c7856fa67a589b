"""Plain-library baseline loaders that `aftersales import` is compared with, one per process."""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from pathlib import Path

RETURNS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("return_date", "TEXT"),
    ("order_id", "TEXT"),
    ("sku", "TEXT"),
    ("asin", "TEXT"),
    ("fnsku", "TEXT"),
    ("product_name", "TEXT"),
    ("quantity", "INTEGER"),
    ("fulfillment_center_id", "TEXT"),
    ("detailed_disposition", "TEXT"),
    ("reason", "TEXT"),
    ("status", "TEXT"),
    ("license_plate_number", "TEXT"),
    ("customer_comments", "TEXT"),
)
RETURNS_UNIQUE = ("license_plate_number", "order_id", "sku")

_ORDERS_INTEGER = {"quantity"}
_ORDERS_REAL = {
    "item_price", "item_tax", "shipping_price", "shipping_tax", "gift_wrap_price", "gift_wrap_tax",
    "item_promotion_discount", "ship_promotion_discount",
}  # fmt: skip
_ORDERS_NAMES = (
    "amazon_order_id", "merchant_order_id", "purchase_date", "last_updated_date", "order_status",
    "fulfillment_channel", "sales_channel", "order_channel", "ship_service_level", "product_name",
    "sku", "asin", "item_status", "quantity", "currency", "item_price", "item_tax",
    "shipping_price", "shipping_tax", "gift_wrap_price", "gift_wrap_tax",
    "item_promotion_discount", "ship_promotion_discount", "ship_city", "ship_state",
    "ship_postal_code", "ship_country", "promotion_ids", "cpf", "is_business_order",
    "purchase_order_number", "price_designation", "signature_confirmation_recommended",
)  # fmt: skip
ORDERS_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (name, "INTEGER" if name in _ORDERS_INTEGER else "REAL" if name in _ORDERS_REAL else "TEXT")
    for name in _ORDERS_NAMES
)
ORDERS_UNIQUE = ("amazon_order_id", "sku")


def _sqlite_load(
    path: Path, db: Path, table: str, columns: tuple[tuple[str, str], ...], unique: tuple[str, ...]
) -> int:
    """Load a tab-separated report into a fresh SQLite file: csv + executemany, one transaction."""
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            f"CREATE TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)})"
        )
        conn.execute(f"CREATE UNIQUE INDEX {table}_key ON {table} ({', '.join(unique)})")
        placeholders = ", ".join("?" for _ in columns)
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            if len(header) != len(columns):
                raise SystemExit(
                    f"{path}: {len(header)} columns in the header, expected {len(columns)}"
                )
            conn.execute("BEGIN")
            cursor = conn.executemany(f"INSERT INTO {table} VALUES ({placeholders})", reader)
            rows = cursor.rowcount
            conn.execute("COMMIT")
    finally:
        conn.close()
    return rows


def returns_sqlite(path: Path, db: Path) -> int:
    """Baseline 1: customer returns into SQLite."""
    return _sqlite_load(path, db, "fba_baseline", RETURNS_COLUMNS, RETURNS_UNIQUE)


def orders_sqlite(path: Path, db: Path) -> int:
    """Baseline 3: all-orders lines into SQLite."""
    return _sqlite_load(path, db, "orders_baseline", ORDERS_COLUMNS, ORDERS_UNIQUE)


def returns_postgres(path: Path, conninfo: str) -> int:
    """Baseline 2: customer returns into PostgreSQL, lines streamed to COPY FROM STDIN."""
    import psycopg  # only this baseline needs it

    names = ", ".join(name for name, _ in RETURNS_COLUMNS)
    with psycopg.connect(conninfo) as conn:
        with conn.transaction():
            conn.execute("DROP TABLE IF EXISTS fba_baseline")
            definitions = ", ".join(f"{name} {kind}" for name, kind in RETURNS_COLUMNS)
            conn.execute(
                f"CREATE TABLE fba_baseline ({definitions}, UNIQUE ({', '.join(RETURNS_UNIQUE)}))"
            )
        with conn.transaction(), conn.cursor() as cur:
            with path.open("rb") as handle:
                handle.readline()  # header
                with cur.copy(f"COPY fba_baseline ({names}) FROM STDIN") as copy:
                    for line in handle:
                        copy.write(line)
            rows = cur.rowcount
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run one baseline and print `{"rows": N}` as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=("returns-sqlite", "returns-postgres", "orders-sqlite"))
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "target", help="SQLite database file, or a libpq conninfo/URL for PostgreSQL"
    )
    args = parser.parse_args(argv)
    if args.which == "returns-sqlite":
        rows = returns_sqlite(args.file, Path(args.target))
    elif args.which == "orders-sqlite":
        rows = orders_sqlite(args.file, Path(args.target))
    else:
        rows = returns_postgres(args.file, args.target)
    print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
