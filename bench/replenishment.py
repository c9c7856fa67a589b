"""Replenishment benchmark: recommendations for 20,000 SKUs × 5 marketplaces from a year of
sales, end to end from the database to the stored results, against a plain Polars baseline.

The database is generated directly (not through `aftersales import`): a year of daily sales
per listing as the import keeps them (about 5,000,000 order lines' worth, about 4.9 million
listing-days) with each listing's first day of sales (``first_sales``, as the import keeps
both), five weekly inventory snapshots of every listing (some out of stock) with each
listing's newest figures (``aftersales replenishment rebuild-stock``, what the inventory
import keeps), and nothing else. It is cached in bench/.cache/ (SQLite) or rebuilt into the benchmark database
(PostgreSQL).

measured  `aftersales replenishment run --store bench-eu --as-of DAY` in its own process: reads
          the inputs, computes every listing (velocity, quantities by mode, dates, band, the
          explanation's figures) and replaces the stored results (100,000 rows), one commit.
baseline  a Python process that reads every listing's daily unit sums of the 30 days the
          default velocity looks at, and its latest stock, from the same database into Polars,
          and computes the default weighted velocity (0.5 × 7-day + 0.3 × 14-day + 0.2 ×
          30-day) and the recommended quantity ⌈velocity × lead days⌉ − stock; it writes
          nothing. (Reading the whole year instead took 18.8 s and 1.7 GiB in an earlier,
          busier run.)
target    measured ≤ 2 × baseline, peak RSS < 2 GiB, on SQLite and on PostgreSQL.

    .venv/bin/python bench/run.py --only replenishment --repeat 3   # fastest of 3 each
    .venv/bin/python bench/replenishment.py --skus 2000 --repeat 2   # alone, smaller
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
VENV_BIN = ROOT / ".venv" / "bin"

TITLE = "Replenishment run, 20,000 SKUs × 5 marketplaces, a year of sales"
#: Bump when the content or the build of the cached database changes.
DB_FORMAT_VERSION = 8
STORE = "bench-eu"
MARKETS = (
    ("A1PA6795UKMFR9", "DE"),
    ("A1F83G8C2ARO7P", "UK"),
    ("A13V1IB3VIYZZH", "FR"),
    ("APJ6JRA9NG5V4", "IT"),
    ("A1RKKUPIHCS9HS", "ES"),
)
AS_OF = date(2026, 6, 1)
HISTORY_DAYS = 365
SNAPSHOT_WEEKS = 4  # weekly snapshots before the last day, plus the last day
RATIO_LIMIT = 2.0
RSS_LIMIT_MIB = 2048
# The days the default velocity reads (its longest window).
BASELINE_WINDOW_DAYS = 30
# The baseline's lead days: the default stocking + QC + sea + receiving + cycle + safety.
BASELINE_LEAD_DAYS = 30 + 3 + 35 + 10 + 30 + 14


@dataclass
class Options:
    skus: int = 20_000
    rebuild: bool = False


OPTIONS = Options()


def say(message: str) -> None:
    print(message, flush=True)


class ReplenishmentBenchError(Exception):
    """No valid figure: the build, the product or the baseline failed."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("replenishment benchmark")
    group.add_argument(
        "--replenishment-skus",
        type=lambda text: int(text.replace("_", "")),
        default=Options.skus,
        help="SKUs (each sold in 5 marketplaces)",
    )
    group.add_argument(
        "--replenishment-rebuild", action="store_true", help="rebuild the cached database"
    )


def configure(args: argparse.Namespace) -> None:
    global OPTIONS
    OPTIONS = Options(skus=args.replenishment_skus, rebuild=args.replenishment_rebuild)


# --------------------------------------------------------------------------- data


def listings_frame(skus: int) -> Any:
    """Every listing with its sales rate: skewed (a few fast sellers, a long tail), about
    0.14 order lines a day on average, so ≈ 5,000,000 lines a year over 100,000 listings."""
    import polars as pl

    frame = pl.DataFrame({"sku_index": list(range(skus))}).join(
        pl.DataFrame({"market_index": list(range(len(MARKETS)))}), how="cross"
    )
    uniform = pl.struct("sku_index", "market_index").hash(seed=11).cast(pl.Float64) / 2.0**64
    return frame.with_columns(
        sku=pl.format("BENCH-{}", pl.col("sku_index").cast(pl.String).str.zfill(6)),
        marketplace_id=pl.col("market_index").replace_strict(
            {i: m[0] for i, m in enumerate(MARKETS)}, return_dtype=pl.String
        ),
        rate=0.01 + 0.5 * uniform.pow(3),
    )


def sales_chunks(skus: int, chunk_days: int = 15) -> Any:
    """Daily rows (marketplace_id, sku, day, units, units_shipped, orders), a few weeks at a time."""
    import polars as pl

    listings = listings_frame(skus).select(
        "sku_index", "market_index", "sku", "marketplace_id", "rate"
    )
    first = AS_OF - timedelta(days=HISTORY_DAYS)
    for start in range(0, HISTORY_DAYS, chunk_days):
        days = pl.DataFrame(
            {"day_index": list(range(start, min(start + chunk_days, HISTORY_DAYS)))}
        )
        grid = listings.join(days, how="cross")
        draw = (
            pl.struct("sku_index", "market_index", "day_index").hash(seed=29).cast(pl.Float64)
            / 2.0**64
        )
        grid = grid.with_columns(_u=draw).with_columns(
            orders=(pl.col("_u") < pl.col("rate")).cast(pl.Int64)
            + (pl.col("_u") < pl.col("rate").pow(2) / 2).cast(pl.Int64)
        )
        sold = grid.filter(pl.col("orders") > 0).with_columns(
            units=pl.col("orders") + (pl.col("_u") * 1e6 % 10 < 1).cast(pl.Int64),
            day=pl.lit(first) + pl.duration(days=pl.col("day_index")),
        )
        yield sold.select(
            "marketplace_id",
            "sku",
            "day",
            "units",
            pl.when(pl.col("day") < pl.lit(AS_OF - timedelta(days=3)))
            .then(pl.col("units"))
            .otherwise(0)
            .alias("units_shipped"),
            "orders",
        ).sort("day", "marketplace_id", "sku")


def snapshots_frame(skus: int) -> Any:
    """Weekly MYI snapshots of every listing: about 60 days of stock, 6 % out of stock."""
    import polars as pl

    listings = listings_frame(skus)
    frames = []
    for week in range(SNAPSHOT_WEEKS, -1, -1):
        day = AS_OF - timedelta(days=1 + 7 * week)
        draw = (
            pl.struct("sku_index", "market_index", pl.lit(week).alias("w"))
            .hash(seed=47)
            .cast(pl.Float64)
            / 2.0**64
        )
        frames.append(
            listings.with_columns(_u=draw).select(
                "marketplace_id",
                "sku",
                pl.lit(day).alias("snapshot_date"),
                pl.when(pl.col("_u") < 0.06)
                .then(0)
                .otherwise((pl.col("rate") * (20 + 80 * pl.col("_u"))).ceil().cast(pl.Int64))
                .alias("fulfillable"),
                (pl.col("_u") * 1000 % 3).cast(pl.Int64).alias("reserved"),
                pl.when(pl.col("_u") > 0.8)
                .then((pl.col("rate") * 30).ceil().cast(pl.Int64))
                .otherwise(0)
                .alias("inbound_shipped"),
            )
        )
    frame = pl.concat(frames)
    return frame.with_columns(
        natural_key=pl.format(
            "myi|{}|{}|{}", pl.col("marketplace_id"), pl.col("snapshot_date"), pl.col("sku")
        )
    )


# --------------------------------------------------------------------------- building


def product_env(url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["AFTERSALES_DATABASE_URL"] = url
    env["AFTERSALES_DATA_DIR"] = str(data_dir)
    env.setdefault("NO_COLOR", "1")
    return env


def aftersales(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "aftersales"), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join((done.stderr.strip() or done.stdout.strip()).splitlines()[-10:])
        raise ReplenishmentBenchError(
            f"`aftersales {' '.join(args)}` exited {done.returncode}:\n{tail}"
        )
    return done.stdout


def sqlite_path(options: Options) -> Path:
    return CACHE_DIR / f"replenishment-v{DB_FORMAT_VERSION}-{options.skus}x{len(MARKETS)}.db"


def _store_id_sqlite(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT id FROM stores WHERE name = ?", (STORE,)).fetchone()
    return int(row[0])


# What replenishment/sales_repository.refresh_first_days keeps after a full rebuild.
FIRST_SALES_SQL = (
    "INSERT INTO first_sales (store_id, marketplace_id, sku, first_day) "
    "SELECT store_id, marketplace_id, sku, MIN(day) FROM daily_sales WHERE store_id = ? "
    "GROUP BY store_id, marketplace_id, sku"
)


def fill_sqlite(db: Path, skus: int) -> int:
    """Write the sales and snapshots into a migrated SQLite file; the listing-days written."""
    import polars as pl

    store_id = _store_id_sqlite(db)
    conn = sqlite3.connect(db, isolation_level=None)
    written = 0
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        for chunk in sales_chunks(skus):
            rows = chunk.select(
                [
                    pl.lit(store_id).alias("store_id"),
                    "marketplace_id",
                    "sku",
                    pl.col("day").dt.strftime("%Y-%m-%d"),
                    "units",
                    "units_shipped",
                    "orders",
                ]
            )
            conn.executemany(
                "INSERT INTO daily_sales (store_id, marketplace_id, sku, day, units, "
                "units_shipped, orders) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows.iter_rows(),
            )
            written += rows.height
        conn.execute(FIRST_SALES_SQL, (store_id,))
        snapshots = snapshots_frame(skus)
        conn.executemany(
            "INSERT INTO inventory_snapshots (store_id, marketplace_id, natural_key, source, "
            "snapshot_date, sku, fulfillable, reserved, inbound_working, inbound_shipped, "
            "inbound_receiving) VALUES (?, ?, ?, 'myi', ?, ?, ?, ?, 0, ?, 0)",
            snapshots.select(
                pl.lit(store_id),
                "marketplace_id",
                "natural_key",
                pl.col("snapshot_date").dt.strftime("%Y-%m-%d"),
                "sku",
                "fulfillable",
                "reserved",
                "inbound_shipped",
            ).iter_rows(),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    return written


def build_sqlite(options: Options) -> Path:
    db = sqlite_path(options)
    meta = db.with_suffix(".json")
    if db.exists() and meta.exists() and not options.rebuild:
        say(f"  database  {db.relative_to(ROOT)} (cached)")
        return db
    work = CACHE_DIR / "replenishment" / f"build-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    building = work / "replenishment.db"
    env = product_env(f"sqlite:///{building.resolve()}", work / "data")
    started = time.perf_counter()
    say(f"  building  {db.relative_to(ROOT)}: {options.skus:,} SKUs × {len(MARKETS)} marketplaces")
    aftersales(["db", "upgrade"], env)
    aftersales(["stores", "add", STORE, "--region", "EU"], env)
    days = fill_sqlite(building, options.skus)
    aftersales(["replenishment", "rebuild-stock", "--store", STORE], env)
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    building.replace(db)
    meta.write_text(json.dumps({"listing_days": days, "as_of": AS_OF.isoformat()}) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    say(f"  built in {time.perf_counter() - started:.0f} s: {days:,} listing-days")
    return db


def fill_postgres(url: str, skus: int) -> int:
    import polars as pl
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    written = 0
    with psycopg.connect(conninfo) as conn:
        store_id = conn.execute("SELECT id FROM stores WHERE name = %s", (STORE,)).fetchone()[0]
        with conn.cursor() as cursor:
            for chunk in sales_chunks(skus):
                buffer = io.BytesIO()
                chunk.select(pl.lit(store_id).alias("store_id"), pl.all()).write_csv(
                    buffer, include_header=False
                )
                with cursor.copy(
                    "COPY daily_sales (store_id, marketplace_id, sku, day, units, units_shipped, "
                    "orders) FROM STDIN WITH (FORMAT csv)"
                ) as copy:
                    copy.write(buffer.getvalue())
                written += chunk.height
            cursor.execute(FIRST_SALES_SQL.replace("?", "%s"), (store_id,))
            buffer = io.BytesIO()
            snapshots_frame(skus).select(
                pl.lit(store_id).alias("store_id"),
                "marketplace_id",
                "natural_key",
                pl.lit("myi").alias("source"),
                "snapshot_date",
                "sku",
                "fulfillable",
                "reserved",
                pl.lit(0).alias("inbound_working"),
                "inbound_shipped",
                pl.lit(0).alias("inbound_receiving"),
            ).write_csv(buffer, include_header=False)
            with cursor.copy(
                "COPY inventory_snapshots (store_id, marketplace_id, natural_key, source, "
                "snapshot_date, sku, fulfillable, reserved, inbound_working, inbound_shipped, "
                "inbound_receiving) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(buffer.getvalue())
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE daily_sales")
        conn.execute("VACUUM ANALYZE inventory_snapshots")
        conn.execute("VACUUM ANALYZE first_sales")
    return written


# --------------------------------------------------------------------------- the baseline


def baseline(target: str, as_of: date) -> dict[str, Any]:
    """Read every listing's daily unit sums and latest stock into Polars; default velocity and
    quantity. ``target``: a SQLite file or a libpq URL."""
    import polars as pl

    first = (as_of - timedelta(days=BASELINE_WINDOW_DAYS)).isoformat()
    sales_sql = (
        "SELECT marketplace_id, sku, day, units FROM daily_sales WHERE store_id = {store} "
        f"AND day >= '{first}' AND day < '{as_of.isoformat()}'"
    )
    stock_sql = (
        "SELECT s.marketplace_id, s.sku, s.fulfillable + s.reserved + s.inbound_shipped "
        "FROM inventory_snapshots s JOIN (SELECT marketplace_id, sku, max(snapshot_date) AS d "
        "FROM inventory_snapshots WHERE store_id = {store} GROUP BY marketplace_id, sku) l "
        "ON l.marketplace_id = s.marketplace_id AND l.sku = s.sku AND l.d = s.snapshot_date "
        "WHERE s.store_id = {store}"
    )
    schema = {"marketplace_id": pl.String, "sku": pl.String, "day": pl.String, "units": pl.Int64}
    stock_schema = {"marketplace_id": pl.String, "sku": pl.String, "stock": pl.Int64}
    if target.startswith("postgresql"):
        import psycopg

        with psycopg.connect(target) as conn:
            store = conn.execute("SELECT id FROM stores WHERE name = %s", (STORE,)).fetchone()[0]

            def copy(query: str, names: dict[str, Any]) -> pl.DataFrame:
                buffer = io.BytesIO()
                with conn.cursor().copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as out:
                    for block in out:
                        buffer.write(block)
                buffer.seek(0)
                return pl.read_csv(buffer, has_header=False, new_columns=list(names), schema=names)

            sales = copy(sales_sql.format(store=store), schema)
            stock = copy(stock_sql.format(store=store), stock_schema)
    else:
        with sqlite3.connect(target) as conn:
            store = conn.execute("SELECT id FROM stores WHERE name = ?", (STORE,)).fetchone()[0]
            sales = pl.DataFrame(
                conn.execute(sales_sql.format(store=store)).fetchall(), schema=schema, orient="row"
            )
            stock = pl.DataFrame(
                conn.execute(stock_sql.format(store=store)).fetchall(),
                schema=stock_schema,
                orient="row",
            )
    sales = sales.with_columns(pl.col("day").str.slice(0, 10).str.to_date())
    windows = ((7, 0.5), (14, 0.3), (30, 0.2))
    velocity = sales.group_by("marketplace_id", "sku").agg(
        sum(
            pl.col("units").filter(pl.col("day") >= as_of - timedelta(days=days)).sum()
            / days
            * weight
            for days, weight in windows
        ).alias("velocity")
    )
    result = velocity.join(
        stock, on=["marketplace_id", "sku"], how="full", coalesce=True
    ).with_columns(
        quantity=(pl.col("velocity").fill_null(0) * BASELINE_LEAD_DAYS).ceil().cast(pl.Int64)
        - pl.col("stock").fill_null(0)
    )
    return {
        "listing_days": sales.height,
        "listings": result.height,
        "to_send": int(result.get_column("quantity").clip(lower_bound=0).sum()),
    }


# --------------------------------------------------------------------------- measuring


def measure_backend(
    harness: Any,
    label: str,
    url: str,
    target: str,
    data_dir: Path,
    *,
    repeat: int = 1,
    prepare: Any = None,
) -> Any:
    """One line of results: the product run against the baseline on one database, each the
    fastest of ``repeat`` runs (``prepare`` before each product run puts the database back
    as it was: no stored results)."""
    rows = OPTIONS.skus * len(MARKETS)
    result = harness.Result(
        f"Replenishment run, {OPTIONS.skus:,} SKUs × {len(MARKETS)} marketplaces, {label}",
        rows,
        f"≤ {RATIO_LIMIT:g}× and < {RSS_LIMIT_MIB} MiB",
        RATIO_LIMIT,
        RSS_LIMIT_MIB,
    )
    base_cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "baseline",
        target,
        AS_OF.isoformat(),
    ]

    def base_attempt() -> Any:
        run = harness.run_child(base_cmd, quiet_disk=True)
        if run.returncode != 0:
            raise ReplenishmentBenchError(f"baseline exited {run.returncode}:\n{run.tail()}")
        facts = json.loads(run.stdout.strip().splitlines()[-1])
        if facts["listings"] != rows:
            raise ReplenishmentBenchError(
                f"baseline saw {facts['listings']} listings, expected {rows}"
            )
        return run

    base = harness.best_of(repeat, harness.nothing, base_attempt)
    result.baseline = base
    harness.show_baseline("Polars velocity + quantity", base, rows)
    env = product_env(url, data_dir)
    cmd = [
        str(VENV_BIN / "aftersales"),
        "replenishment",
        "run",
        "--store",
        STORE,
        "--as-of",
        AS_OF.isoformat(),
        "--json",
    ]

    def attempt() -> Any:
        run = harness.run_child(cmd, env, quiet_disk=True)
        if run.returncode != 0:
            raise ReplenishmentBenchError(
                f"`aftersales replenishment run` exited {run.returncode}:\n{run.tail()}"
            )
        report = json.loads(run.stdout.strip().splitlines()[-1])
        if report.get("listings") != rows:
            raise ReplenishmentBenchError(
                f"the run stored {report.get('listings')} listings, expected {rows}"
            )
        return run

    run = harness.best_of(repeat, prepare or harness.nothing, attempt)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    result.measured = run
    result.judge()
    harness.show_measured("aftersales replenishment run", result)
    bands = ", ".join(f"{band} {count:,}" for band, count in sorted(report["bands"].items()))
    say(f"            bands: {bands}; one by one: {report.get('one_by_one')}")
    return result


def bench(ctx: Any = None) -> list[Any]:
    """bench/run.py's entry: SQLite, then PostgreSQL when reachable."""
    import run as harness  # bench/run.py; imported here, it also imports this module

    results = []
    data_dir = CACHE_DIR / "replenishment" / "data"
    try:
        db = build_sqlite(OPTIONS)
        with tempfile.TemporaryDirectory(prefix="aftersales-replenishment-") as tmp:
            # A copy per run: the stored results never touch the cache.
            run_db = Path(tmp) / "run.db"

            def fresh_copy() -> None:
                harness.remove_sqlite(run_db)
                shutil.copyfile(db, run_db)

            fresh_copy()
            results.append(
                measure_backend(
                    harness,
                    "SQLite",
                    harness.sqlite_url(run_db),
                    str(run_db),
                    data_dir,
                    repeat=_repeat(ctx),
                    prepare=fresh_copy,
                )
            )
    except ReplenishmentBenchError as exc:
        failed = harness.Result("Replenishment run, SQLite", 0, "≤ 2×", RATIO_LIMIT, RSS_LIMIT_MIB)
        harness.fail([failed], harness.BenchError(str(exc)))
        results.append(failed)
    results.append(_postgres(harness, ctx, data_dir))
    return results


# What a run writes: emptied before each run of the PostgreSQL database.
RESULT_TABLES = ("replenishment_results", "replenishment_runs")


def _repeat(ctx: Any) -> int:
    return int(getattr(ctx, "repeat", 1) or 1)


def _postgres(harness: Any, ctx: Any, data_dir: Path) -> Any:
    postgres_url = getattr(ctx, "postgres_url", None) or harness.DEFAULT_POSTGRES_URL
    admin = harness.libpq_url(postgres_url)
    conninfo = harness.libpq_url(postgres_url, harness.BENCH_DATABASE)
    url = harness.sqlalchemy_url(postgres_url, harness.BENCH_DATABASE)
    pgadmin = [sys.executable, str(BENCH_DIR / "pgadmin.py")]
    ensured = harness.run_child([*pgadmin, "ensure-db", admin, harness.BENCH_DATABASE])
    if ensured.returncode != 0:
        skipped = harness.Result("Replenishment run, PostgreSQL", 0, "≤ 2×", RATIO_LIMIT, None)
        skipped.verdict = "SKIP"
        skipped.note = "PostgreSQL not reachable"
        say("SKIP postgres: not reachable")
        return skipped
    try:
        done = harness.run_child([*pgadmin, "reset", conninfo])
        if done.returncode != 0:
            raise ReplenishmentBenchError(
                f"resetting {harness.BENCH_DATABASE} failed:\n{done.tail()}"
            )
        env = product_env(url, data_dir)
        started = time.perf_counter()
        aftersales(["db", "upgrade"], env)
        aftersales(["stores", "add", STORE, "--region", "EU"], env)
        days = fill_postgres(url, OPTIONS.skus)
        aftersales(["replenishment", "rebuild-stock", "--store", STORE], env)
        say(f"  loaded    PostgreSQL {harness.BENCH_DATABASE}: {days:,} listing-days in "
            f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        harness.run_child([*pgadmin, "checkpoint", conninfo])

        def no_results() -> None:
            done = harness.run_child([*pgadmin, "empty", conninfo, *RESULT_TABLES])
            if done.returncode != 0:
                raise ReplenishmentBenchError(f"emptying the results failed:\n{done.tail()}")

        return measure_backend(
            harness, "PostgreSQL", url, conninfo, data_dir, repeat=_repeat(ctx), prepare=no_results
        )
    except ReplenishmentBenchError as exc:
        failed = harness.Result("Replenishment run, PostgreSQL", 0, "≤ 2×", RATIO_LIMIT, None)
        harness.fail([failed], harness.BenchError(str(exc)))
        return failed


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "baseline":
        print(json.dumps(baseline(argv[1], date.fromisoformat(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=Options.skus)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each figure, fastest kept")
    args = parser.parse_args(argv)
    global OPTIONS
    OPTIONS = Options(skus=args.skus, rebuild=args.rebuild)
    sys.path.insert(0, str(BENCH_DIR))
    say(f"== replenishment: {TITLE}")
    rows = bench(argparse.Namespace(repeat=args.repeat))
    verdicts = [row.verdict for row in rows]
    say("Verdicts: " + ", ".join(f"{verdicts.count(v)} {v}" for v in sorted(set(verdicts))))
    return 1 if "ERROR" in verdicts else 0


if __name__ == "__main__":
    sys.exit(main())
