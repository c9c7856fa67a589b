"""Benchmark harness: `aftersales import` against baselines of the same run, with PASS/MISS."""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import replenishment  # bench/replenishment.py: recommendations (--only replenishment)
import web  # bench/web.py: the web pages under load (--only web)

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
# One folder per run, so that two runs at once do not delete each other's databases.
WORK_DIR = CACHE_DIR / "work" / str(os.getpid())
RESULTS_FILE = CACHE_DIR / "last-results.md"
DEFAULT_PRODUCT = ROOT / ".venv" / "bin" / "aftersales"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "aftersales_bench"
BENCHMARKS = ("returns-sqlite", "returns-postgres", "orders-memory", "web", "replenishment")

RETURNS_RSS_LIMIT_MIB = 1024
ORDERS_RSS_LIMIT_MIB = 2048


class BenchError(Exception):
    """No valid figure: setup failed, wrong result or missing command."""


@dataclass(frozen=True)
class Run:
    """One child process: wall time, its own peak RSS and its output."""

    seconds: float
    peak_kib: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def peak_mib(self) -> float:
        """Peak resident set size in MiB."""
        return self.peak_kib / 1024

    def tail(self, lines: int = 15) -> str:
        """The last lines of stderr (or stdout when stderr is empty), for error messages."""
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return "\n".join("      | " + line for line in text[-lines:])


@dataclass
class Result:
    """One line of the results table."""

    title: str
    rows: int
    target: str
    ratio_limit: float | None
    rss_limit_mib: int | None
    measured: Run | None = None
    baseline: Run | None = None
    verdict: str = "ERROR"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Measured time over baseline time."""
        if self.measured is None or self.baseline is None or self.baseline.seconds <= 0:
            return None
        return self.measured.seconds / self.baseline.seconds

    def judge(self) -> None:
        """Set the verdict from the ratio and peak-memory targets."""
        ratio = self.ratio
        if self.measured is None:
            self.verdict = "ERROR"
            return
        ok = True
        if self.ratio_limit is not None:
            ok = ok and ratio is not None and ratio <= self.ratio_limit
        if self.rss_limit_mib is not None:
            ok = ok and self.measured.peak_mib < self.rss_limit_mib
        self.verdict = "PASS" if ok else "MISS"


@dataclass
class Context:
    """Command-line settings shared by the benchmarks."""

    returns_rows: int
    orders_rows: int
    repeat: int
    product: Path
    postgres_url: str
    keep_databases: bool
    product_problem: str | None = None
    postgres_version: str | None = None


# --------------------------------------------------------------------------- processes


def run_child(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, *, quiet_disk: bool = False
) -> Run:
    """Run `cmd`; time it and read its own peak RSS with os.wait4 (not RUSAGE_CHILDREN)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if quiet_disk:
            os.sync()  # flush earlier writes before the clock starts, not during the run
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env
        )
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - start
        # Reaped by wait4: record the exit code so that Popen does not try to wait again.
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            peak_kib=usage.ru_maxrss,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def best_of(repeat: int, prepare: Callable[[], None], attempt: Callable[[], Run]) -> Run:
    """Run `prepare` then `attempt` `repeat` times; keep the fastest time, the highest peak."""
    runs: list[Run] = []
    for _ in range(repeat):
        prepare()
        runs.append(attempt())
    fastest = min(runs, key=lambda run: run.seconds)
    return replace(fastest, peak_kib=max(run.peak_kib for run in runs))


def say(message: str) -> None:
    """Print a progress line immediately."""
    print(message, flush=True)


def nothing() -> None:
    """A `prepare` step that does nothing."""


# --------------------------------------------------------------------------- inputs


def generated(kind: str, rows: int) -> Path:
    """Generate (or reuse from bench/.cache) a report file, in a subprocess to keep us small."""
    started = time.perf_counter()
    run = run_child([sys.executable, str(BENCH_DIR / "generate.py"), kind, str(rows)])
    if run.returncode != 0:
        raise BenchError(f"generating the {kind} file failed:\n{run.tail()}")
    path = Path(run.stdout.strip().splitlines()[-1])
    elapsed = time.perf_counter() - started
    size_mib = path.stat().st_size / 2**20
    name = path.relative_to(ROOT)
    say(f"  input     {name}  ({rows:,} rows, {size_mib:,.1f} MiB, ready in {elapsed:.1f} s)")
    with path.open("rb") as handle:  # warm the page cache so no contender pays the first read
        while handle.read(1 << 20):
            pass
    return path


def remove_sqlite(db: Path) -> None:
    """Delete a SQLite database and its side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def sqlite_url(db: Path) -> str:
    """SQLAlchemy URL of a SQLite file (absolute path)."""
    return f"sqlite:///{db.resolve()}"


def libpq_url(url: str, database: str | None = None) -> str:
    """Turn a SQLAlchemy URL (`postgresql+psycopg://...`) into a libpq one, maybe for another DB."""
    parts = urlsplit(url)
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit(("postgresql", parts.netloc, path, parts.query, parts.fragment))


def sqlalchemy_url(url: str, database: str) -> str:
    """The same SQLAlchemy URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


# ------------------------------------------------------------------ baseline and product runs


def baseline(
    which: str, path: Path, target: str, rows: int, repeat: int, prepare: Callable[[], None]
) -> Run:
    """Run one baseline of bench/baselines.py in its own process and check it loaded every row."""
    cmd = [sys.executable, str(BENCH_DIR / "baselines.py"), which, str(path), target]

    def attempt() -> Run:
        run = run_child(cmd, quiet_disk=True)
        if run.returncode != 0:
            raise BenchError(f"baseline {which} exited {run.returncode}:\n{run.tail()}")
        loaded = json.loads(run.stdout.strip().splitlines()[-1]).get("rows")
        if loaded != rows:
            raise BenchError(f"baseline {which} loaded {loaded} rows, expected {rows}")
        return run

    return best_of(repeat, prepare, attempt)


def check_product(ctx: Context) -> str | None:
    """Return why the product command cannot be run, or None when `aftersales --help` works."""
    if not (ctx.product.is_file() and os.access(ctx.product, os.X_OK)):
        return (
            f"product command missing: {ctx.product} is not an executable "
            "(install the package into .venv)"
        )
    run = run_child([str(ctx.product), "--help"])
    if run.returncode != 0:
        return f"`{ctx.product} --help` exited {run.returncode}:\n{run.tail()}"
    return None


def product_env(url: str) -> dict[str, str]:
    """Environment for the product, pointing it at `url`."""
    env = dict(os.environ)
    env["AFTERSALES_DATABASE_URL"] = url
    env.setdefault("NO_COLOR", "1")
    return env


def product_setup(ctx: Context, url: str) -> None:
    """Create the schema and the store (not timed)."""
    env = product_env(url)
    for args in (["db", "upgrade"], ["stores", "add", "bench", "--region", "NA"]):
        run = run_child([str(ctx.product), *args], env)
        if run.returncode != 0:
            raise BenchError(
                f"`aftersales {' '.join(args)}` exited {run.returncode}:\n{run.tail()}"
            )


def parse_report(stdout: str) -> dict[str, object] | None:
    """Find the JSON object that `aftersales import --json` printed for the file (the last one)."""
    decoder = json.JSONDecoder()
    found: dict[str, object] | None = None
    offset = 0
    for line in stdout.splitlines(keepends=True):
        if line.startswith(("{", "[")):  # top-level values only, not nested pretty-printed ones
            try:
                value, _ = decoder.raw_decode(stdout, offset)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, list) and value and isinstance(value[-1], dict):
                value = value[-1]
            if isinstance(value, dict):
                found = {str(key): item for key, item in value.items()}
        offset += len(line)
    return found


Expectation = Literal["fresh", "unchanged"]


def product_import(
    ctx: Context,
    path: Path,
    url: str,
    rows: int,
    expect: Expectation,
    prepare: Callable[[], None],
) -> Run:
    """Time `aftersales import FILE`; check its JSON: all rows inserted (fresh) or unchanged."""
    if ctx.product_problem is not None:
        raise BenchError("product command unavailable (see the top of the output)")
    cmd = [str(ctx.product), "import", str(path)]
    cmd += ["--store", "bench", "--marketplace", "US", "--json"]
    env = product_env(url)
    return best_of(
        ctx.repeat,
        prepare,
        lambda: check_report(run_child(cmd, env, quiet_disk=True), rows, expect),
    )


def check_report(run: Run, rows: int, expect: Expectation) -> Run:
    """Fail loudly unless the import exited 0 and its JSON counts are the expected ones."""
    report = parse_report(run.stdout)
    shown = json.dumps(report) if report is not None else repr(run.stdout[-500:])
    if run.returncode != 0:
        raise BenchError(
            f"`aftersales import` exited {run.returncode}; report: {shown}\n{run.tail()}"
        )
    if report is None:
        raise BenchError(f"`aftersales import --json` printed no JSON object:\n{run.tail()}")
    wanted: dict[str, object] = {"rows": rows, "rejected": 0}
    if expect == "fresh":
        wanted.update(inserted=rows, updated=0, unchanged=0)
    else:
        wanted.update(inserted=0, updated=0, unchanged=rows)
    wrong = {key: report.get(key) for key, value in wanted.items() if report.get(key) != value}
    if wrong:
        what = {
            "fresh": "a fresh import must insert every row",
            "unchanged": "a re-import must report every row unchanged",
        }[expect]
        got = ", ".join(f"{key}={value!r}" for key, value in wrong.items())
        expected = ", ".join(f"{key}={wanted[key]!r}" for key in wrong)
        raise BenchError(f"{what}: got {got}; expected {expected}\nreport: {shown}")
    return run


# --------------------------------------------------------------------------- benchmarks


def measure_into(result: Result, label: str, attempt: Callable[[], Run]) -> bool:
    """Fill `result` from `attempt`, judge and print it; False (and ERROR) on a BenchError."""
    error: BenchError | None = None
    try:
        result.measured = attempt()
    except BenchError as exc:
        error = exc
    result.judge()
    show_measured(label, result)
    if error is not None:
        fail([result], error)
        return False
    return True


def bench_returns_sqlite(ctx: Context) -> list[Result]:
    """FBA customer returns into SQLite: import and re-import against csv + sqlite3.executemany."""
    rows = ctx.returns_rows
    first = Result(
        f"FBA returns import, {rows:,} rows, SQLite",
        rows,
        f"≤ 1.0× and < {RETURNS_RSS_LIMIT_MIB} MiB",
        1.0,
        RETURNS_RSS_LIMIT_MIB,
    )
    again = Result(
        f"FBA returns re-import (all unchanged), {rows:,} rows, SQLite",
        rows,
        f"≤ 0.5× and < {RETURNS_RSS_LIMIT_MIB} MiB",
        0.5,
        RETURNS_RSS_LIMIT_MIB,
    )
    base_db = WORK_DIR / "returns-baseline.db"
    product_db = WORK_DIR / "returns-aftersales.db"
    url = sqlite_url(product_db)

    def fresh() -> None:
        remove_sqlite(product_db)
        product_setup(ctx, url)

    try:
        path = generated("returns", rows)
        base = baseline(
            "returns-sqlite", path, str(base_db), rows, ctx.repeat, lambda: remove_sqlite(base_db)
        )
        first.baseline = again.baseline = base
        show_baseline("csv + sqlite3.executemany", base, rows)
        if measure_into(
            first, "aftersales import", lambda: product_import(ctx, path, url, rows, "fresh", fresh)
        ):
            measure_into(
                again,
                "aftersales import, again",
                lambda: product_import(ctx, path, url, rows, "unchanged", nothing),
            )
        else:
            again.note = "not run: the first import failed"
    except BenchError as exc:
        fail([first, again], exc)
    finally:
        if not ctx.keep_databases:
            remove_sqlite(base_db)
            remove_sqlite(product_db)
    return [first, again]


def bench_returns_postgres(ctx: Context) -> list[Result]:
    """FBA customer returns into PostgreSQL: import against psycopg COPY FROM STDIN."""
    rows = ctx.returns_rows
    result = Result(f"FBA returns import, {rows:,} rows, PostgreSQL", rows, "≤ 1.5×", 1.5, None)
    admin = libpq_url(ctx.postgres_url)
    conninfo = libpq_url(ctx.postgres_url, BENCH_DATABASE)
    url = sqlalchemy_url(ctx.postgres_url, BENCH_DATABASE)
    pgadmin = [sys.executable, str(BENCH_DIR / "pgadmin.py")]
    ensured = run_child([*pgadmin, "ensure-db", admin, BENCH_DATABASE])
    if ensured.returncode != 0:
        reason = (ensured.stderr.strip() or ensured.stdout.strip()).splitlines()
        result.verdict = "SKIP"
        result.note = f"PostgreSQL not reachable: {reason[-1] if reason else 'unknown error'}"
        say(f"SKIP postgres: {result.note}")
        return [result]
    ctx.postgres_version = ensured.stdout.strip()
    say(
        f"  server    PostgreSQL {ctx.postgres_version}, database {BENCH_DATABASE} "
        "(schema public reset before each run)"
    )

    def reset() -> None:
        done = run_child([*pgadmin, "reset", conninfo])
        if done.returncode != 0:
            raise BenchError(f"resetting schema public of {BENCH_DATABASE} failed:\n{done.tail()}")

    def fresh() -> None:
        reset()
        product_setup(ctx, url)
        done = run_child([*pgadmin, "checkpoint", conninfo])
        if done.returncode != 0:
            raise BenchError(f"CHECKPOINT failed:\n{done.tail()}")

    try:
        path = generated("returns", rows)
        result.baseline = baseline("returns-postgres", path, conninfo, rows, ctx.repeat, reset)
        show_baseline("psycopg COPY FROM STDIN", result.baseline, rows)
        measure_into(
            result,
            "aftersales import",
            lambda: product_import(ctx, path, url, rows, "fresh", fresh),
        )
    except BenchError as exc:
        fail([result], exc)
    return [result]


def bench_orders_memory(ctx: Context) -> list[Result]:
    """All-orders report into SQLite: peak memory of the import (time ratio for information)."""
    rows = ctx.orders_rows
    result = Result(
        f"All-orders import, {rows:,} rows, SQLite",
        rows,
        f"< {ORDERS_RSS_LIMIT_MIB} MiB (ratio for information)",
        None,
        ORDERS_RSS_LIMIT_MIB,
    )
    base_db = WORK_DIR / "orders-baseline.db"
    product_db = WORK_DIR / "orders-aftersales.db"
    url = sqlite_url(product_db)

    def fresh() -> None:
        remove_sqlite(product_db)
        product_setup(ctx, url)

    try:
        path = generated("orders", rows)
        result.baseline = baseline(
            "orders-sqlite", path, str(base_db), rows, ctx.repeat, lambda: remove_sqlite(base_db)
        )
        show_baseline("csv + sqlite3.executemany", result.baseline, rows)
        if measure_into(
            result,
            "aftersales import",
            lambda: product_import(ctx, path, url, rows, "fresh", fresh),
        ):
            assert result.measured is not None
            result.title += f" ({rows / result.measured.seconds:,.0f} rows/s)"
    except BenchError as exc:
        fail([result], exc)
    finally:
        if not ctx.keep_databases:
            remove_sqlite(base_db)
            remove_sqlite(product_db)
    return [result]


BENCHMARK_FUNCTIONS: dict[str, tuple[str, Callable[[Context], list[Result]]]] = {
    "returns-sqlite": (
        "FBA customer returns -> SQLite (import and re-import)",
        bench_returns_sqlite,
    ),
    "returns-postgres": ("FBA customer returns -> PostgreSQL", bench_returns_postgres),
    "orders-memory": ("All-orders -> SQLite, peak memory", bench_orders_memory),
    "web": (web.TITLE, web.bench),
    "replenishment": (replenishment.TITLE, replenishment.bench),
}


# --------------------------------------------------------------------------- reporting


def show_baseline(label: str, run: Run, rows: int) -> None:
    """Print a baseline figure."""
    say(
        f"  baseline  {label:<28} {run.seconds:9.2f} s  {rows / run.seconds:>11,.0f} rows/s"
        f"  peak {run.peak_mib:7.0f} MiB"
    )


def show_measured(label: str, result: Result) -> None:
    """Print a measured figure beside its baseline, as a ratio, with the target and verdict."""
    run = result.measured
    if run is None:
        say(f"  measured  {label:<28} {'-':>9}    {'':>11}          {'':>7}      -> ERROR")
        return
    ratio = result.ratio
    ratio_text = f"{ratio:5.2f}×" if ratio is not None else "  -  "
    say(
        f"  measured  {label:<28} {run.seconds:9.2f} s  {result.rows / run.seconds:>11,.0f} rows/s"
        f"  peak {run.peak_mib:7.0f} MiB   ratio {ratio_text}  target {result.target}"
        f"  -> {result.verdict}"
    )


def fail(results: list[Result], exc: BenchError) -> None:
    """Mark results of a benchmark as ERROR (no valid figure) with the reason, and say it loudly."""
    for result in results:
        result.verdict = "ERROR"
        result.measured = None
        result.note = result.note or str(exc).splitlines()[0]
    say("  ERROR     " + str(exc).replace("\n", "\n            "))


def cell(value: float | None, fmt: str) -> str:
    """Format an optional number for the table."""
    return "–" if value is None else format(value, fmt)


def markdown(results: list[Result], header: str) -> str:
    """The results as a Markdown table ready for the README."""
    lines = [
        header,
        "",
        "| benchmark | measured s | baseline s | ratio | target | peak MiB | verdict |",
        "| --- | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for r in results:
        note = r.note if len(r.note) <= 120 else r.note[:117] + "..."
        verdict = f"{r.verdict} ({note.replace('|', '/')})" if note else r.verdict
        lines.append(
            f"| {r.title} | {cell(r.measured.seconds if r.measured else None, '.2f')} "
            f"| {cell(r.baseline.seconds if r.baseline else None, '.2f')} | {cell(r.ratio, '.2f')} "
            f"| {r.target} | {cell(r.measured.peak_mib if r.measured else None, '.0f')} "
            f"| {verdict} |"
        )
    return "\n".join(lines) + "\n"


def machine_line(ctx: Context, floor_mib: float) -> str:
    """One line describing where and when the figures were measured."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    parts = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"commit {commit or 'uncommitted'}",
        f"{os.cpu_count()} cores, {memory_gib:.0f} GiB",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
    ]
    if ctx.postgres_version:
        parts.append(f"PostgreSQL {ctx.postgres_version}")
    parts.append(f"best of {ctx.repeat}" if ctx.repeat > 1 else "single run")
    parts.append(f"peak RSS floor inherited from the harness {floor_mib:.0f} MiB")
    return "; ".join(parts) + "."


# --------------------------------------------------------------------------- main


def positive(text: str) -> int:
    """argparse type: a positive integer, underscores allowed (1_000_000)."""
    value = int(text.replace("_", "").replace(",", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Run the aftersales benchmarks against baselines measured in the same run.",
        epilog="Quick run: python bench/run.py --returns-rows 20000 --orders-rows 50000",
    )
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated benchmarks to run (default: all): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--returns-rows", type=positive, default=1_000_000, help="rows of the returns file"
    )
    parser.add_argument(
        "--orders-rows", type=positive, default=5_000_000, help="rows of the all-orders file"
    )
    parser.add_argument(
        "--repeat", type=positive, default=1, help="runs of each figure; the fastest is kept"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("AFTERSALES_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help=f"SQLAlchemy URL of a database from which `{BENCH_DATABASE}` is created "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--aftersales",
        type=Path,
        default=DEFAULT_PRODUCT,
        help="product command (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-databases",
        action="store_true",
        help="keep the SQLite files in bench/.cache/work/<pid>/",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on a MISS too, not only on an ERROR"
    )
    web.add_arguments(parser)
    replenishment.add_arguments(parser)
    args = parser.parse_args(argv)
    web.configure(args)
    replenishment.configure(args)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown or not chosen:
        parser.error(
            f"--only: unknown benchmark(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(BENCHMARKS)}"
        )
    args.only = [name for name in BENCHMARKS if name in chosen]
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks, print the table and write bench/.cache/last-results.md."""
    args = parse_args(argv)
    ctx = Context(
        returns_rows=args.returns_rows,
        orders_rows=args.orders_rows,
        repeat=args.repeat,
        product=args.aftersales,
        postgres_url=args.postgres_url,
        keep_databases=args.keep_databases,
    )
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    # The product as installed: a package's modules are compiled when it is installed (or
    # when first imported), which an environment with PYTHONDONTWRITEBYTECODE never does;
    # compiling every module at each start cost the commands about 0.15 s.
    compileall.compile_dir(ROOT / "src" / "aftersales", quiet=1)
    # A child's ru_maxrss starts from the harness's own peak: measure that floor.
    floor = run_child(["/bin/true"]).peak_mib
    ctx.product_problem = check_product(ctx)
    if ctx.product_problem:
        say(f"ERROR {ctx.product_problem}")
        say("      (the baselines still run; every product figure will be ERROR)")
    results: list[Result] = []
    try:
        for name in args.only:
            title, function = BENCHMARK_FUNCTIONS[name]
            say(f"\n== {name}: {title}")
            results.extend(function(ctx))
    finally:
        if not ctx.keep_databases:
            shutil.rmtree(WORK_DIR, ignore_errors=True)
    table = markdown(results, machine_line(ctx, floor))
    RESULTS_FILE.write_text(table, encoding="utf-8")
    say("\n" + table)
    say(f"(written to {RESULTS_FILE.relative_to(ROOT)})")
    verdicts = [result.verdict for result in results]
    counts = [
        f"{verdicts.count(v)} {v}" for v in ("PASS", "MISS", "ERROR", "SKIP") if v in verdicts
    ]
    say("Verdicts: " + ", ".join(counts))
    if "ERROR" in verdicts or (args.strict and "MISS" in verdicts):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
