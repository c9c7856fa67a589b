"""Web benchmark: dashboard and filtered returns list under load, against a trivial page.

A SQLite database of 1,000,000 FBA returns and 5,000,000 order lines (two stores, five
marketplaces, a year ending today, inventory snapshots) is built once through
`aftersales import` and cached in bench/.cache/. `aftersales serve` runs on it; locust
(one process, 20 users, no think time) signs in and loops over the dashboard and a filtered
returns list. The baseline is GET /login of the same server under the same load.

    .venv/bin/python bench/run.py --only web                              # full size
    .venv/bin/python bench/run.py --only web --web-returns 50000 --web-orders 250000
    .venv/bin/python bench/web.py --web-returns 50000 --web-orders 250000 # same, alone
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import generate

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
LOCUSTFILE = BENCH_DIR / "web_locustfile.py"
VENV_BIN = ROOT / ".venv" / "bin"

TITLE = "Web pages under load (locust, 20 users, loopback)"
#: Bump when the content or the build of the cached database changes.
DB_FORMAT_VERSION = 2

DASHBOARD_P95_MS = 300.0
RETURNS_P95_MS = 100.0
PASSWORD = "bench-password-1"  # a throwaway database on loopback only

# (store, region, catalog seed, marketplaces: (code, sales channel, currency, country, share))
STORES: tuple[tuple[str, str, int, tuple[tuple[str, str, str, str, float], ...]], ...] = (
    (
        "bench-na",
        "NA",
        101,
        (("US", "Amazon.com", "USD", "US", 0.40), ("CA", "Amazon.ca", "CAD", "CA", 0.10)),
    ),
    (
        "bench-eu",
        "EU",
        202,
        (
            ("DE", "Amazon.de", "EUR", "DE", 0.25),
            ("UK", "Amazon.co.uk", "GBP", "GB", 0.15),
            ("FR", "Amazon.fr", "EUR", "FR", 0.10),
        ),
    ),
)
INVENTORY_SKUS = 1500  # per marketplace and snapshot
INVENTORY_WEEKS = 4  # weekly snapshots before the last day, plus the last day


@dataclass
class Options:
    """Command-line settings of the web benchmark."""

    returns: int = 1_000_000
    orders: int = 5_000_000
    users: int = 20
    seconds: int = 60
    baseline_seconds: int = 30
    rebuild: bool = False


OPTIONS = Options()


def say(message: str) -> None:
    """Print a progress line immediately."""
    print(message, flush=True)


class WebBenchError(Exception):
    """No valid figure: the build, the server or the load generator failed."""


# --------------------------------------------------------------------------- options


# One web worker per core, as the README recommends for production.
SERVER_WORKERS = 2


def _positive(text: str) -> int:
    value = int(text.replace("_", "").replace(",", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The web benchmark's options (bench/run.py adds them to its own)."""
    group = parser.add_argument_group("web benchmark")
    group.add_argument(
        "--web-returns", type=_positive, default=Options.returns, help="FBA returns in the DB"
    )
    group.add_argument(
        "--web-orders", type=_positive, default=Options.orders, help="order lines in the DB"
    )
    group.add_argument(
        "--web-users", type=_positive, default=Options.users, help="concurrent locust users"
    )
    group.add_argument(
        "--web-seconds", type=_positive, default=Options.seconds, help="measured load, seconds"
    )
    group.add_argument(
        "--web-baseline-seconds",
        type=_positive,
        default=Options.baseline_seconds,
        help="baseline load (GET /login), seconds",
    )
    group.add_argument("--web-rebuild", action="store_true", help="rebuild the cached database")


def configure(args: argparse.Namespace) -> None:
    """Take the parsed options (bench/run.py calls this after parsing)."""
    global OPTIONS
    OPTIONS = Options(
        returns=args.web_returns,
        orders=args.web_orders,
        users=args.web_users,
        seconds=args.web_seconds,
        baseline_seconds=args.web_baseline_seconds,
        rebuild=args.web_rebuild,
    )


# --------------------------------------------------------------------------- processes


def product_env(db: Path, data_dir: Path) -> dict[str, str]:
    """Environment of the product: the benchmark database and a data dir of its own."""
    env = dict(os.environ)
    env["AFTERSALES_DATABASE_URL"] = f"sqlite:///{db.resolve()}"
    env["AFTERSALES_DATA_DIR"] = str(data_dir)
    env.setdefault("NO_COLOR", "1")
    return env


def aftersales(args: Sequence[str], env: dict[str, str]) -> str:
    """Run `aftersales ARGS`; its stdout, or a WebBenchError with the tail of its output."""
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
        raise WebBenchError(f"`aftersales {' '.join(args)}` exited {done.returncode}:\n{tail}")
    return done.stdout


def import_file(path: Path, env: dict[str, str], *options: str) -> dict[str, Any]:
    """`aftersales import --json`; fail unless every row went in (none rejected)."""
    out = aftersales(["import", str(path), "--json", *options], env)
    report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    if report.get("rejected") or report.get("rows") != report.get("inserted"):
        raise WebBenchError(f"import of {path.name} did not insert every row: {report}")
    return report


# --------------------------------------------------------------------------- the database


def _split(total: int, shares: Sequence[float]) -> list[int]:
    """`total` split by `shares` (which add up to 1); the last part takes the rest."""
    parts = [int(total * share) for share in shares[:-1]]
    return [*parts, total - sum(parts)]


def _markets() -> list[tuple[str, int, tuple[str, str, str, str, float]]]:
    return [(store, seed, market) for store, _, seed, markets in STORES for market in markets]


def database_path(options: Options) -> Path:
    """Where the database of these sizes is cached."""
    name = f"web-v{DB_FORMAT_VERSION}-{options.returns}r-{options.orders}o.db"
    return CACHE_DIR / name


def _meta_path(db: Path) -> Path:
    return db.with_suffix(".json")


def migration_revisions() -> list[str]:
    """The product's migration revisions, oldest first (from its Alembic scripts)."""
    code = (
        "from alembic.script import ScriptDirectory\n"
        "from aftersales.db.migrate import alembic_config\n"
        "scripts = ScriptDirectory.from_config(alembic_config())\n"
        "print(' '.join(r.revision for r in reversed(list(scripts.walk_revisions()))))\n"
    )
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise WebBenchError(f"cannot list the migrations:\n{done.stderr.strip()[-2000:]}")
    return done.stdout.split()


def _only_appended(cached: Sequence[str], current: Sequence[str]) -> bool:
    """True when `current` is `cached` plus newer revisions (what `db upgrade` can apply)."""
    return list(current[: len(cached)]) == list(cached)


def build_database(options: Options) -> tuple[Path, dict[str, Any]]:
    """The cached database, built through `aftersales import` when missing."""
    db = database_path(options)
    meta_path = _meta_path(db)
    revisions = migration_revisions()
    if db.exists() and meta_path.exists() and not options.rebuild:
        meta: dict[str, Any] = json.loads(meta_path.read_text("utf-8"))
        if set(meta.get("revisions", [])) <= set(revisions) and _only_appended(
            meta.get("revisions", []), revisions
        ):
            say(f"  database  {db.relative_to(ROOT)} (cached; data up to {meta['end']})")
            return db, meta
        # A migration was inserted before the cached one's head: `db upgrade` would skip
        # it (its indexes would be missing), so the database is built again.
        say("  database  the migrations changed below the cached database's head: rebuilding")
    end = datetime.now(UTC).date()
    markets = _markets()
    shares = [market[4] for _, _, market in markets]
    returns = _split(options.returns, shares)
    orders = _split(options.orders, shares)
    work = CACHE_DIR / "web" / f"build-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    building = work / "web.db"
    env = product_env(building, work / "data")
    say(
        f"  building  {db.relative_to(ROOT)}: {options.returns:,} returns, "
        f"{options.orders:,} order lines, 2 stores, {len(markets)} marketplaces, up to {end}"
    )
    started = time.perf_counter()
    aftersales(["db", "upgrade"], env)
    for store, region, _, _ in STORES:
        aftersales(["stores", "add", store, "--region", region], env)
    # Files are generated one ahead of the import that needs them (1 helper process).
    with ProcessPoolExecutor(max_workers=1) as pool:
        jobs: list[tuple[str, str, list[str], Future[Path]]] = []
        for (store, seed, market), rows in zip(markets, returns, strict=True):
            code = market[0]
            future = pool.submit(
                generate.web_returns_file,
                rows,
                market=code,
                seed=seed * 7 + len(jobs),
                catalog_seed=seed,
                end=end,
            )
            jobs.append((f"returns {code}", store, ["--marketplace", code], future))
        for (store, seed, market), rows in zip(markets, orders, strict=True):
            code, channel, currency, country, _ = market
            future = pool.submit(
                generate.web_orders_file,
                rows,
                market=code,
                sales_channel=channel,
                currency=currency,
                country=country,
                seed=seed * 11 + len(jobs),
                catalog_seed=seed,
                end=end,
            )
            jobs.append((f"orders {code}", store, [], future))
        for store, seed, market in markets:
            for week in range(INVENTORY_WEEKS, -1, -1):
                day = end - timedelta(days=7 * week)
                future = pool.submit(
                    generate.web_inventory_file,
                    INVENTORY_SKUS,
                    market=market[0],
                    day=day,
                    catalog_seed=seed,
                )
                options_ = ["--marketplace", market[0], "--as-of", day.isoformat()]
                jobs.append((f"inventory {market[0]} {day}", store, options_, future))
        for label, store, extra, future in jobs:
            path = future.result()
            step = time.perf_counter()
            report = import_file(path, env, "--store", store, *extra)
            if not label.startswith("inventory"):
                say(
                    f"    {label:<10} {report['rows']:>10,} rows into {store} "
                    f"in {time.perf_counter() - step:6.1f} s"
                )
            path.unlink()  # the database is what is cached, not the files
    meta = {
        "end": end.isoformat(),
        "returns": options.returns,
        "orders": options.orders,
        "stores": [store for store, *_ in STORES],
        "markets": [market[0] for _, _, market in markets],
        "built_in_seconds": round(time.perf_counter() - started, 1),
        "revisions": revisions,
    }
    # One file (no -wal side file) before it moves into the cache.
    subprocess.run(
        [sys.executable, "-c", _CHECKPOINT, str(building)], check=True, stdin=subprocess.DEVNULL
    )
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    building.replace(db)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    say(f"  built in {meta['built_in_seconds']:.0f} s ({db.stat().st_size / 2**30:.2f} GiB)")
    return db, meta


_CHECKPOINT = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("ANALYZE")
c.commit()
c.execute("PRAGMA journal_mode=DELETE")
c.close()
"""


def add_user(env: dict[str, str]) -> tuple[str, str]:
    """An owner of both stores; every locust user signs in as this one (own session each)."""
    email = "bench@example.com"
    for store, *_ in STORES:
        aftersales(
            ["users", "add", email, "--store", store, "--role", "owner", "--password", PASSWORD],
            env,
        )
    return email, PASSWORD


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`aftersales serve --jobs 0` on the database, in its own process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "aftersales"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--jobs",
                "0",
                "--workers",
                str(SERVER_WORKERS),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.peak_kib = 0

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise WebBenchError(
                    f"the server exited {self.proc.returncode}; see {self.log.name}"
                )
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise WebBenchError(f"the server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:  # uvicorn waits for requests still running; do not wait for ever
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc.returncode is None:
            _, _, usage = os.wait4(self.proc.pid, 0)
            self.peak_kib = usage.ru_maxrss
            self.proc.returncode = 0
        else:  # reaped by wait(): the peak of our reaped children is the best we have
            self.peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.log.close()


# --------------------------------------------------------------------------- the load


@dataclass
class Figures:
    """One request group of a locust run, from its stats CSV (times in ms)."""

    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    max: float
    rps: float


def run_locust(
    url: str, mode: str, seconds: int, users: int, env_extra: dict[str, str], prefix: Path
) -> dict[str, Figures]:
    """Run locust headless (one process); the figures of each request group."""
    env = dict(os.environ)
    env.update(
        env_extra,
        BENCH_WEB_MODE=mode,
        BENCH_WEB_USER_COUNT=str(users),
        BENCH_WEB_SECONDS=str(seconds),
    )
    # Pages mode: the window is timed from the last sign-in; -t only bounds the whole run.
    limit = seconds if mode != "pages" else seconds + 30 + 3 * users
    cmd = [
        str(VENV_BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{limit}s",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    done = subprocess.run(
        cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    stats = prefix.with_name(prefix.name + "_stats.csv")
    if not stats.exists():
        tail = "\n".join((done.stderr.strip() or done.stdout.strip()).splitlines()[-15:])
        raise WebBenchError(f"locust exited {done.returncode} without stats:\n{tail}")
    figures = {}
    with stats.open(newline="") as handle:
        for row in csv.DictReader(handle):
            figures[row["Name"]] = Figures(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=_number(row["50%"]),
                p95=_number(row["95%"]),
                max=_number(row["Max Response Time"]),
                rps=_number(row["Requests/s"]),
            )
    return figures


def _number(text: str) -> float:
    """A figure of locust's CSV ("N/A" for a group without requests)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _months(end: date) -> list[tuple[str, str]]:
    """The twelve whole months before the month of `end`, as (first day, last day)."""
    months = []
    first = end.replace(day=1)
    for _ in range(12):
        last = first - timedelta(days=1)
        first = last.replace(day=1)
        months.append((first.isoformat(), last.isoformat()))
    return months


def _reasons() -> list[tuple[str, int]]:
    return list(zip(generate._REASONS, generate._REASON_WEIGHTS, strict=True))


@dataclass
class WebResult:
    """A line of the web table."""

    label: str
    figures: Figures | None
    baseline: Figures | None
    limit_ms: float | None

    @property
    def ratio(self) -> float | None:
        if self.figures is None or self.baseline is None or self.baseline.p95 <= 0:
            return None
        return self.figures.p95 / self.baseline.p95

    @property
    def verdict(self) -> str:
        if self.figures is None or self.figures.requests == 0 or self.figures.failures:
            return "ERROR"
        if self.limit_ms is None:
            return "INFO"
        return "PASS" if self.figures.p95 < self.limit_ms else "MISS"

    @property
    def target(self) -> str:
        return f"p95 < {self.limit_ms:.0f} ms" if self.limit_ms is not None else "-"


def show(result: WebResult) -> None:
    """One line in the style of bench/run.py."""
    f = result.figures
    if f is None:
        say(f"  measured  {result.label:<22} -> ERROR")
        return
    ratio = f"{result.ratio:6.2f}×" if result.ratio is not None else "   -   "
    say(
        f"  measured  {result.label:<22} p50 {f.p50:6.0f} ms  p95 {f.p95:6.0f} ms  "
        f"max {f.max:6.0f} ms  {f.rps:7.1f} req/s  n {f.requests:>6}  fail {f.failures}"
        f"   ratio {ratio}  target {result.target}  -> {result.verdict}"
    )


def measure(options: Options) -> tuple[list[WebResult], dict[str, Any], int]:
    """Build or reuse the database, serve it, load it; the results and the server's peak."""
    db, meta = build_database(options)
    end = date.fromisoformat(meta["end"])
    today = datetime.now(UTC).date()
    dashboard = "/" if end == today else f"/?as_of={end.isoformat()}"
    with tempfile.TemporaryDirectory(prefix="aftersales-web-") as tmp:
        work = Path(tmp)
        # A copy per run: sign-ins and the users written now never touch the cache.
        run_db = work / "web.db"
        shutil.copyfile(db, run_db)
        env = product_env(run_db, work / "data")
        aftersales(["db", "upgrade"], env)  # migrations newer than the cached build
        accounts = [add_user(env)]
        server = Server(env, work / "server.log")
        try:
            server.wait_ready()
            say(f"  server    aftersales serve --jobs 0 on {server.url} (pid {server.proc.pid})")
            with run_db.open("rb") as handle:  # page cache warm: the first user pays no I/O
                while handle.read(1 << 22):
                    pass
            shared = {
                "BENCH_WEB_USERS": json.dumps(accounts),
                "BENCH_WEB_DASHBOARD": dashboard,
                "BENCH_WEB_MONTHS": json.dumps(_months(end)),
                "BENCH_WEB_MARKETS": json.dumps(meta["markets"]),
                "BENCH_WEB_REASONS": json.dumps(_reasons()),
            }
            say(f"  warm-up   20 s, {options.users} users (not counted)")
            run_locust(server.url, "pages", 20, options.users, shared, work / "warmup")
            say(
                f"  baseline  GET /login signed out, {options.users} users, "
                f"{options.baseline_seconds} s"
            )
            base = run_locust(
                server.url,
                "baseline",
                options.baseline_seconds,
                options.users,
                shared,
                work / "baseline",
            ).get("baseline")
            say(
                f"  load      {options.users} users, {options.seconds} s: dashboard {dashboard} "
                "and /returns (a month, a reason, a marketplace)"
            )
            figures = run_locust(
                server.url, "pages", options.seconds, options.users, shared, work / "pages"
            )
            for keep in ("pages_stats.csv", "pages_failures.csv", "baseline_stats.csv"):
                shutil.copyfile(work / keep, CACHE_DIR / f"web-{keep}")
        finally:
            server.stop()
            shutil.copyfile(work / "server.log", CACHE_DIR / "web-server.log")
    results = [
        WebResult("baseline GET /login", base, base, None),
        WebResult("dashboard", figures.get("dashboard"), base, DASHBOARD_P95_MS),
        WebResult("returns-filtered", figures.get("returns-filtered"), base, RETURNS_P95_MS),
        WebResult("scope (switcher POST)", figures.get("scope"), base, None),
    ]
    aggregated = figures.get("Aggregated")
    if aggregated is not None:
        meta["total_rps"] = aggregated.rps
    return results, meta, server.peak_kib


def bench(ctx: Any = None) -> list[Any]:
    """bench/run.py's entry: run the web benchmark, return lines for its results table."""
    import run as harness  # bench/run.py; imported here, it also imports this module

    options = OPTIONS
    try:
        results, meta, peak_kib = measure(options)
    except WebBenchError as exc:
        say("  ERROR     " + str(exc).replace("\n", "\n            "))
        failed = harness.Result(
            f"Web pages, {options.users} users", options.returns, "p95 targets", None, None
        )
        failed.note = str(exc).splitlines()[0]
        return [failed]
    for result in results:
        show(result)
    say(
        f"  total     {meta.get('total_rps', 0):.1f} req/s over all groups; server peak RSS "
        f"{peak_kib / 1024:.0f} MiB"
    )
    rows = []
    size = f"{options.returns / 1e6:g}M returns, {options.orders / 1e6:g}M order lines"
    for result in results[1:3]:
        f, b = result.figures, result.baseline
        title = f"Web {result.label}, {size}, {options.users} users"
        if f is not None:
            title += (
                f": p50 {f.p50:.0f} ms, p95 {f.p95:.0f} ms, max {f.max:.0f} ms, {f.rps:.1f} req/s"
            )
        if b is not None:
            title += f" (baseline GET /login p95 {b.p95:.0f} ms, {b.rps:.0f} req/s)"
        line = harness.Result(title, options.returns, result.target, None, None)
        if f is not None and b is not None:
            line.measured = harness.Run(f.p95 / 1000, peak_kib, 0, "", "")
            line.baseline = harness.Run(b.p95 / 1000, 0, 0, "", "")
        line.verdict = result.verdict
        rows.append(line)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    configure(parser.parse_args(argv))
    say(f"== web: {TITLE}")
    rows = bench()
    verdicts = [row.verdict for row in rows]
    say("Verdicts: " + ", ".join(f"{verdicts.count(v)} {v}" for v in sorted(set(verdicts))))
    return 1 if "ERROR" in verdicts else 0


if __name__ == "__main__":
    sys.exit(main())
