"""The `aftersales` command line: a thin transport over the services (it owns the transaction)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session

from aftersales.config import get_settings
from aftersales.db import migrate
from aftersales.db.session import unit_of_work
from aftersales.exceptions import AppError, NotFound
from aftersales.exports import service as export_service
from aftersales.kit.i18n import N_, normalize, set_locale
from aftersales.kit.i18n import gettext as _
from aftersales.replenishment import repository as replenishment_repository
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.calc import BAND_LABELS, Band
from aftersales.replenishment.stock_files import TemplateKind
from aftersales.stores import service as store_service

if TYPE_CHECKING:
    from aftersales.imports import service as import_service

# The modules of one command or a few are imported by those commands: every command pays
# for what this module imports at its start (`replenishment run` is benchmarked whole).

app = typer.Typer(help="After-sales operations for Amazon sellers.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
stores_app = typer.Typer(
    help="Stores (one seller account per Amazon region).", no_args_is_help=True
)
demo_app = typer.Typer(help="Demo data in real Amazon report formats.", no_args_is_help=True)
users_app = typer.Typer(help="Users and their roles in stores.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(stores_app, name="stores")
app.add_typer(demo_app, name="demo")
replenishment_app = typer.Typer(
    help="Replenishment: daily sales, recommendations, backtests.", no_args_is_help=True
)
app.add_typer(replenishment_app, name="replenishment")


@app.callback()
def _language() -> None:
    """After-sales operations for Amazon sellers."""
    set_locale(cli_locale())


def cli_locale() -> str:
    """AFTERSALES_LANGUAGE, else the terminal's language (LC_ALL, LC_MESSAGES, LANG)."""
    chosen = get_settings().language or next(
        (os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)),
        "",
    )
    return normalize(chosen.split(".", 1)[0])


# Pipes and CI logs get wide tables instead of wrapped columns.
out = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
T = TypeVar("T")


def fail(message: str) -> typer.Exit:
    err.print(f"[red]{_('error:')}[/red] {message}", highlight=False)
    return typer.Exit(code=2)


_current_schemas: set[str] = set()


def _ensure_schema() -> None:
    """The schema brought up to date, checked once per database a process uses (a command
    that opens several units of work, `replenishment run` one per store, checks it once)."""
    url = get_settings().resolved_database_url
    if url not in _current_schemas:
        migrate.ensure_schema()
        _current_schemas.add(url)


@contextmanager
def database() -> Iterator[Session]:
    """A unit of work on an up-to-date schema; business errors become exit code 2."""
    _ensure_schema()
    try:
        with unit_of_work() as session:
            yield session
    except AppError as error:
        raise fail(error.localized()) from error


def run(action: Callable[[Session], T]) -> T:
    with database() as session:
        return action(session)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the migrations (a fresh SQLite file is created under ./var)."""
    migrate.upgrade(revision=revision)
    out.print(_("database at revision %(revision)s", revision=migrate.current_revision()))


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    out.print(migrate.current_revision() or _("empty (run `aftersales db upgrade`)"))


@stores_app.command("add")
def stores_add(
    name: str,
    region: Annotated[str, typer.Option(help="NA, EU or FE")],
    merchant_id: Annotated[str | None, typer.Option(help="Seller (merchant) id")] = None,
) -> None:
    """Create a store."""
    store = run(
        lambda s: store_service.add_store(s, name=name, region=region, merchant_id=merchant_id)
    )
    out.print(_("store %(name)s (%(region)s) created", name=repr(store.name), region=store.region))


@stores_app.command("list")
def stores_list() -> None:
    """List the stores."""
    table = Table(_("name"), _("region"), _("merchant id"))
    for store in run(lambda s: store_service.list_stores(s)):
        table.add_row(store.name, store.region, store.merchant_id or "")
    out.print(table)


@app.command("report-types")
def report_types() -> None:
    """List the Amazon report types the importer understands."""
    from aftersales.amazon.reports import ALL_SPECS

    table = Table(_("report type"), _("what it is"), _("also accepted"))
    for spec in ALL_SPECS:
        table.add_row(spec.report_type, spec.title, ", ".join(spec.same_layout))
    out.print(table)


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Report files (.txt, .tsv, .csv, .gz)")],
    store: Annotated[str | None, typer.Option(help="Store name")] = None,
    marketplace: Annotated[
        str | None, typer.Option(help="Marketplace of rows that do not carry one (US, DE, JP, ...)")
    ] = None,
    report_type: Annotated[
        str | None, typer.Option(help="Skip detection, e.g. GET_SELLER_FEEDBACK_DATA")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file on stdout")
    ] = False,
    skip_bad_rows: Annotated[
        bool, typer.Option(help="Import the good rows; record rejected lines in the batch")
    ] = False,
    encoding: Annotated[str | None, typer.Option(help="Override encoding detection")] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Snapshot date for undated inventory reports"),
    ] = None,
) -> None:
    """Import Amazon report files; each file is one transaction, all or nothing."""
    from aftersales.imports import service as import_service

    _ensure_schema()
    options = import_service.ImportOptions(
        store=store,
        marketplace=marketplace,
        report_type=report_type,
        skip_bad_rows=skip_bad_rows,
        encoding=encoding,
        snapshot_date=as_of.date() if as_of else None,
    )
    failed = False
    show_progress = err.is_terminal
    for path in paths:
        try:
            if show_progress:
                with _progress_bar() as bar:
                    task = bar.add_task(
                        path.name, total=path.stat().st_size if path.exists() else None
                    )
                    result = _import_one(path, options, _advance(bar, task))
            else:
                result = _import_one(path, options, None)
        except import_service.ImportRejected as rejected:
            failed = True
            result = rejected.result
            if not as_json:
                err.print(f"[red]{_('rejected')}[/red] {rejected.localized()}", highlight=False)
                _print_errors(result.errors[1:10])
                err.print("  " + _("nothing from this file was written"), highlight=False)
        except AppError as error:
            failed = True
            result = import_service.ImportResult(file=str(path))
            result.errors.append(import_service.RowError(0, None, None, error.message))
            if not as_json:
                err.print(f"[red]{_('error:')}[/red] {path}: {error.localized()}", highlight=False)
        else:
            if not as_json:
                out.print(_imported(path, result), highlight=False)
                _print_errors(result.errors[:10], rejected=True)
        if as_json:
            sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
    if failed:
        raise typer.Exit(code=2)


def _advance(bar: Progress, task: TaskID) -> import_service.Progress:
    return lambda done, total: bar.update(task, completed=done, total=total)


def _imported(path: Path, result: import_service.ImportResult) -> str:
    counts = [
        _(
            "%(rows)s rows, %(inserted)s inserted, %(updated)s updated, %(unchanged)s unchanged",
            rows=result.rows,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    ]
    if result.duplicates:
        counts.append(_("%(count)s duplicate", count=result.duplicates))
    if result.skipped:
        counts.append(_("%(count)s skipped", count=result.skipped))
    if result.rejected:
        counts.append(_("%(count)s rejected", count=result.rejected))
    return _(
        "%(file)s: %(report_type)s → store %(store)s: %(counts)s (%(encoding)s)",
        file=path.name,
        report_type=result.report_type,
        store=repr(result.store),
        counts=", ".join(counts),
        encoding=result.encoding,
    )


def _print_errors(errors: list[import_service.RowError], *, rejected: bool = False) -> None:
    for row_error in errors:
        where = _(
            "line %(line)s column %(column)s value %(value)s",
            line=row_error.line,
            column=repr(row_error.column),
            value=repr(row_error.value),
        )
        prefix = _("rejected") + " " if rejected else ""
        err.print(f"  {prefix}{where}: {row_error.message}", highlight=False)


def _import_one(
    path: Path, options: import_service.ImportOptions, progress: import_service.Progress | None
) -> import_service.ImportResult:
    from aftersales.imports import service as import_service

    with unit_of_work() as session:
        return import_service.import_file(session, path=path, options=options, progress=progress)


@app.command("imports")
def imports_list(
    store: Annotated[str | None, typer.Option(help="Only this store")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Import history: file, report type, counts, rejected lines."""
    from aftersales.imports import service as import_service

    def load(session: Session) -> list[dict[str, Any]]:
        store_ids = [store_service.get_store(session, name=store).id] if store else None
        names = {s.id: s.name for s in store_service.list_stores(session)}
        return [
            {
                "id": b.id,
                "store": names.get(b.store_id),
                "file": b.file_name,
                "report_type": b.report_type,
                "status": b.status,
                "rows": b.rows,
                "inserted": b.inserted,
                "updated": b.updated,
                "unchanged": b.unchanged,
                "rejected": b.rejected,
                "errors": b.errors or [],
                "encoding": b.encoding,
                "started_at": b.started_at.isoformat(),
                "finished_at": b.finished_at.isoformat() if b.finished_at else None,
            }
            for b in import_service.list_imports(session, store_ids=store_ids, limit=limit)
        ]

    batches = run(load)
    if as_json:
        for batch in batches:
            sys.stdout.write(json.dumps(batch, ensure_ascii=False) + "\n")
        return
    table = Table(
        "id",
        _("store"),
        _("file"),
        _("report type"),
        _("status"),
        _("rows"),
        _("new"),
        _("changed"),
        _("same"),
        _("rejected"),
        _("when (UTC)"),
    )
    for b in batches:
        table.add_row(
            str(b["id"]),
            b["store"],
            b["file"],
            b["report_type"],
            b["status"],
            str(b["rows"]),
            str(b["inserted"]),
            str(b["updated"]),
            str(b["unchanged"]),
            str(b["rejected"]),
            b["started_at"][:19].replace("T", " "),
        )
    out.print(table)


@app.command("export")
def export(
    entity: Annotated[str, typer.Argument(help=", ".join(export_service.ENTITIES))],
    store: Annotated[str | None, typer.Option(help="Only this store")] = None,
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace")] = None,
    fmt: Annotated[
        export_service.ExportFormat, typer.Option("--format")
    ] = export_service.ExportFormat.JSONL,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout)")
    ] = None,
) -> None:
    """Write normalized records as JSON lines or CSV."""
    with database() as session:
        rows = export_service.records(session, entity=entity, store=store, marketplace=marketplace)
        if output is None:
            count = export_service.write(rows, sys.stdout, fmt)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = export_service.write(rows, handle, fmt)
    err.print(
        _("%(count)s %(entity)s record(s) written", count=count, entity=entity), highlight=False
    )


@app.command("summary")
def summary(store: Annotated[str | None, typer.Option(help="Only this store")] = None) -> None:
    """Orders, units, returns and stock per store and marketplace."""
    from aftersales.overview import service as overview_service

    rows = run(lambda s: overview_service.summary(s, store=store))
    table = Table(
        _("store"),
        _("market"),
        _("orders"),
        _("units shipped"),
        _("units returned"),
        _("return rate"),
        _("unsellable returned"),
        _("reimbursed"),
        _("FBA fulfillable"),
    )
    for row in rows:
        reimbursed = ", ".join(
            f"{amount:,.2f} {cur}" for cur, amount in sorted(row.get("reimbursed", {}).items())
        )
        rate = row.get("return_rate")
        table.add_row(
            row["store"],
            row["marketplace"],
            f"{row.get('orders', 0):,}",
            f"{row.get('units_shipped', 0):,}",
            f"{row.get('units_returned', 0):,}",
            f"{rate} %" if rate is not None else "–",
            f"{row.get('unsellable_returned', 0):,}",
            reimbursed or "–",
            f"{row.get('fba_fulfillable', 0):,}",
        )
    out.print(table)


@demo_app.command("generate")
def demo_generate(
    directory: Path,
    end_date: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Last day of data (default: today)"),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed; same seed and end date give the same files")
    ] = 7,
) -> None:
    """Write a year of demo data as real Amazon report files, with a manifest.json."""
    from aftersales.demo.generator import generate

    last_day = end_date.date() if end_date else datetime.now(UTC).date()
    manifest = generate(directory, end_date=last_day, seed=seed)
    files = manifest["files"] if isinstance(manifest, dict) else manifest.files
    out.print(
        _("%(count)s report files written to %(directory)s", count=len(files), directory=directory)
    )


@demo_app.command("import")
def demo_import(directory: Path) -> None:
    """Create the demo stores and import every file of a generated demo set."""
    from aftersales.imports import service as import_service

    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    _ensure_schema()
    with unit_of_work() as session:
        existing = {s.name for s in store_service.list_stores(session)}
        for store in manifest["stores"]:
            if store["name"] not in existing:
                store_service.add_store(
                    session,
                    name=store["name"],
                    region=store["region"],
                    merchant_id=store.get("merchant_id"),
                )
    failed = False
    for entry in manifest["files"]:
        options = import_service.ImportOptions(
            store=entry["store"],
            marketplace=entry.get("marketplace"),
            report_type=entry.get("report_type"),
            snapshot_date=date.fromisoformat(entry.get("snapshot_date") or manifest["end_date"]),
        )
        try:
            result = _import_one(directory / entry["path"], options, None)
        except AppError as error:
            failed = True
            err.print(f"[red]{_('rejected')}[/red] {error.localized()}", highlight=False)
            continue
        out.print(
            _(
                "%(file)s: %(rows)s rows, %(inserted)s new, %(updated)s changed, "
                "%(unchanged)s unchanged",
                file=entry["path"],
                rows=result.rows,
                inserted=result.inserted,
                updated=result.updated,
                unchanged=result.unchanged,
            ),
            highlight=False,
        )
    if failed:
        raise typer.Exit(code=2)
    _demo_stock_and_plans(directory, manifest)


def _demo_stock_and_plans(directory: Path, manifest: dict[str, Any]) -> None:
    """The demo's stock outside Amazon and purchase orders (the product's own templates),
    then a replenishment run of every store as of the demo's last day."""
    from aftersales.replenishment import stock_service

    with database() as session:
        ids = {s.name: s.id for s in store_service.list_stores(session)}
        for entry in manifest.get("stock_files", []):
            result = stock_service.import_store_file(
                session,
                store_id=ids[entry["store"]],
                kind=TemplateKind(entry["kind"]),
                file_name=Path(entry["path"]).name,
                content=(directory / entry["path"]).read_bytes(),
            )
            out.print(
                _("%(file)s: %(rows)s lines", file=entry["path"], rows=result.rows),
                highlight=False,
            )
    day = date.fromisoformat(manifest["end_date"])
    for store in manifest["stores"]:
        with database() as session:
            summary = replenishment_service.run(
                session, store_id=ids[store["name"]], as_of=day, parallel_reads=True
            )
        out.print(
            _(
                "%(store)s: replenishment for %(listings)s listings as of %(day)s",
                store=store["name"],
                listings=summary.listings,
                day=day,
            ),
            highlight=False,
        )


@users_app.command("add")
def users_add(
    email: str,
    store: Annotated[str, typer.Option(help="Store name (see `aftersales stores list`)")],
    role: Annotated[str, typer.Option(help="owner, manager, agent, planner or viewer")],
    password: Annotated[
        str | None,
        typer.Option(help="For a new user; omitted: asked for, or generated and printed"),
    ] = None,
) -> None:
    """Add a user to a store with a role (creates the user if new; changes the role if not)."""
    from aftersales.accounts import service as account_service

    with database() as session:
        exists = account_service.find_user(session, email=email) is not None
        if not exists and password is None:
            password = _new_password()
        user, created = account_service.add_user_to_store(
            session, email=email, store_name=store, role=role, password=password
        )
    if created:
        done = _("%(email)s created and added to %(store)s as %(role)s", email=user.email,
                 store=store, role=role)  # fmt: skip
    else:
        done = _("%(email)s added to %(store)s as %(role)s", email=user.email, store=store,
                 role=role)  # fmt: skip
    out.print(done, highlight=False)
    if created and password:
        out.print(_("password: %(password)s", password=password), highlight=False)


def _new_password() -> str:
    if sys.stdin.isatty():
        return str(
            typer.prompt(_("Password for the new user"), hide_input=True, confirmation_prompt=True)
        )
    import secrets

    return secrets.token_urlsafe(12)


@users_app.command("list")
def users_list() -> None:
    """Users with their stores and roles."""
    from aftersales.accounts import service as account_service

    with database() as session:
        rows = account_service.list_users_with_roles(session)
    table = Table(_("e-mail"), _("name"), _("stores and roles"), _("last sign-in"))
    for email, name, roles, last in rows:
        table.add_row(email, name or "", roles, last.isoformat(timespec="minutes") if last else "")
    out.print(table)


@demo_app.command("owner")
def demo_owner(
    email: Annotated[
        str, typer.Option(help="E-mail of the demo account")
    ] = "owner@demo.aftersales",
) -> None:
    """Create (or reset) the demo owner account of every store and print its password."""
    import secrets

    from aftersales.accounts import service as account_service

    password = secrets.token_urlsafe(9)
    with database() as session:
        for store in store_service.list_stores(session):
            account_service.add_user_to_store(
                session, email=email, store_name=store.name, role="owner", password=password
            )
    out.print(
        _("Demo owner: %(email)s  password: %(password)s", email=email, password=password),
        highlight=False,
    )


@demo_app.command("plans")
def demo_plans(
    email: Annotated[
        str, typer.Option(help="E-mail of the demo account (see `demo owner`)")
    ] = "owner@demo.aftersales",
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The demo's last day (default: today, UTC)"),
    ] = None,
) -> None:
    """In each store, an inbound plan marked shipped a few days ago (by the demo account),
    then the store's replenishment again, so the demo shows a shipment dating inbound units."""
    from aftersales.accounts import service as account_service
    from aftersales.demo.plans import ship_demo_plans

    day = as_of.date() if as_of else datetime.now(UTC).date()
    with database() as session:
        user = account_service.find_user(session, email=email)
        if user is None:
            raise NotFound(N_("no user %(email)s: run `aftersales demo owner` first"), email=email)
        access = account_service.access_for(session, user=user)
        plans = ship_demo_plans(session, access=access, as_of=day)
    for store_id in sorted({store_id for _plan, store_id in plans}):
        with database() as session:
            replenishment_service.run(session, store_id=store_id, as_of=day, parallel_reads=True)
    out.print(_("%(plans)s inbound plans marked shipped", plans=len(plans)), highlight=False)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    jobs: Annotated[
        int, typer.Option(help="Job threads run inside the server (0: run `aftersales worker`)")
    ] = 2,
    proxy_headers: Annotated[
        bool, typer.Option(help="Trust X-Forwarded-* from the proxy in front (HTTPS)")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Web worker processes (one per core is a good start)")
    ] = 1,
) -> None:
    """Serve the web app and the JSON API (and, by default, the background jobs)."""
    import logging.config

    import uvicorn

    from aftersales.app import create_app
    from aftersales.worker.consumer import embedded_consumer

    _ensure_schema()
    logging.config.dictConfig(_logging_config())
    get_settings().signing_key()  # created once here, not raced by the worker processes
    out.print(
        _("aftersales on %(url)s  (API docs: /api/v1/docs)", url=f"http://{host}:{port}/"),
        highlight=False,
    )
    # Several workers: each process builds its own app; the jobs run once, in this process.
    config = uvicorn.Config(
        "aftersales.app:create_app" if workers > 1 else create_app(),
        factory=workers > 1,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        log_config=_logging_config(),
    )
    if jobs > 0:
        with embedded_consumer(workers=jobs):
            _run_server(config)
    else:
        _run_server(config)


def _run_server(config: Any) -> None:
    import uvicorn

    if config.workers > 1:
        from uvicorn.supervisors.multiprocess import Multiprocess

        socket = config.bind_socket()
        Multiprocess(config, sockets=[socket]).run()
    else:
        uvicorn.Server(config).run()


def _logging_config() -> dict[str, Any]:
    """uvicorn's logging plus ours: every line of ours carries the request id, so a 500's
    id leads to its traceback. uvicorn applies it in each worker process too."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["request_id"] = {
        "()": "aftersales.web.middleware.RequestIdFilter"
    }
    config["formatters"]["aftersales"] = {
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    }
    config["handlers"]["aftersales"] = {
        "class": "logging.StreamHandler",
        "formatter": "aftersales",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["aftersales"] = {
        "handlers": ["aftersales"],
        "level": "INFO",
        "propagate": False,
    }
    return config


@app.command("worker")
def worker(
    threads: Annotated[int, typer.Option(help="Worker threads")] = 2,
) -> None:
    """Run the background job consumer (Huey; Redis when AFTERSALES_REDIS_URL is set)."""
    from aftersales.worker.consumer import run_consumer

    _ensure_schema()
    run_consumer(workers=threads)


# --- replenishment ------------------------------------------------------------------------------


def _replenishment_stores(session: Session, store: str | None) -> list[tuple[int, str]]:
    if store is None:
        return [(s.id, s.name) for s in store_service.list_stores(session)]
    found = replenishment_repository.store_by_name(session, store)
    if found is None:
        raise fail(_("no store named %(store)s (see `aftersales stores list`)", store=repr(store)))
    return [(found.id, found.name)]


@replenishment_app.command("run")
def replenishment_run(
    store: Annotated[str | None, typer.Option(help="Only this store")] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Plan as of this day (default: today, UTC)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per store")] = False,
) -> None:
    """Compute and store the recommendations of every listing (each store one transaction)."""
    day = as_of.date() if as_of else datetime.now(UTC).date()
    with database() as session:
        stores = _replenishment_stores(session, store)
    for store_id, name in stores:
        with database() as session:
            if err.is_terminal and not as_json:
                with Progress(
                    TextColumn("{task.description}"), BarColumn(), console=err, transient=True
                ) as bar:
                    task = bar.add_task(name, total=replenishment_service.STEPS)
                    summary = replenishment_service.run(
                        session,
                        store_id=store_id,
                        as_of=day,
                        progress=_advance(bar, task),
                        parallel_reads=True,
                    )
            else:
                summary = replenishment_service.run(
                    session, store_id=store_id, as_of=day, parallel_reads=True
                )
        if as_json:
            sys.stdout.write(
                json.dumps(
                    {
                        "store": name,
                        "run_id": summary.run_id,
                        "as_of": day.isoformat(),
                        "listings": summary.listings,
                        "one_by_one": summary.one_by_one,
                        "bands": summary.counts,
                    }
                )
                + "\n"
            )
        else:
            bands = ", ".join(
                f"{_(BAND_LABELS[Band(band)])} {count}"
                for band, count in sorted(summary.counts.items())
            )
            out.print(
                _(
                    "%(store)s: %(listings)s listings as of %(day)s (run %(run)s); %(bands)s",
                    store=name,
                    listings=summary.listings,
                    day=day,
                    run=summary.run_id,
                    bands=bands,
                ),
                highlight=False,
            )


@replenishment_app.command("import-stock")
def replenishment_import_stock(
    path: Annotated[Path, typer.Argument(help="A filled-in template (.csv or .xlsx)")],
    kind: Annotated[
        TemplateKind, typer.Option(help="local-stock or purchase-orders")
    ] = TemplateKind.LOCAL_STOCK,
    store: Annotated[str | None, typer.Option(help="Store (needed when there are several)")] = None,
) -> None:
    """Import local / 3PL stock or purchase orders from the product's template; all or nothing."""
    from aftersales.replenishment import stock_service

    try:
        content = path.read_bytes()
    except OSError as error:
        raise fail(f"{path}: {error.strerror or error}") from error
    try:
        with database() as session:
            stores = _replenishment_stores(session, store)
            if len(stores) != 1:
                raise fail(_("several stores: choose one with --store"))
            result = stock_service.import_store_file(
                session, store_id=stores[0][0], kind=kind, file_name=path.name, content=content
            )
    except typer.Exit:
        errors = getattr(sys.exc_info()[1], "__cause__", None)
        details = getattr(errors, "details", {}) or {}
        for line in details.get("errors", [])[1:10]:
            where = _(
                "line %(line)s column %(column)s", line=line["line"], column=repr(line["column"])
            )
            err.print(f"  {where}: {line['message']}", highlight=False)
        raise
    out.print(
        _(
            "%(file)s: %(rows)s lines, %(inserted)s new, %(updated)s updated",
            file=path.name,
            rows=result.rows,
            inserted=result.inserted,
            updated=result.updated,
        ),
        highlight=False,
    )


@replenishment_app.command("rebuild-sales")
def replenishment_rebuild_sales(
    store: Annotated[str | None, typer.Option(help="Only this store")] = None,
) -> None:
    """Rebuild the daily-sales table from the imported order lines (imports keep it current)."""
    from aftersales.replenishment import sales as sales_service

    with database() as session:
        stores = _replenishment_stores(session, store)
        written = sales_service.rebuild_stores(session, store_ids=[sid for sid, _ in stores])
    for store_id, name in stores:
        out.print(
            _("%(store)s: %(days)s listing-days", store=name, days=written[store_id]),
            highlight=False,
        )


@replenishment_app.command("rebuild-stock")
def replenishment_rebuild_stock(
    store: Annotated[str | None, typer.Option(help="Only this store")] = None,
) -> None:
    """Recompute each listing's newest inventory figures, out-of-stock spans and inbound
    levels from the imported inventory reports (imports keep them current)."""
    from aftersales.replenishment import latest_stock

    with database() as session:
        stores = _replenishment_stores(session, store)
        kept = {sid: latest_stock.refresh(session, store_id=sid) for sid, _ in stores}
    for store_id, name in stores:
        out.print(
            _("%(store)s: %(listings)s listings", store=name, listings=kept[store_id]),
            highlight=False,
        )


@replenishment_app.command("backtest")
def replenishment_backtest(
    rules: Annotated[
        list[Path], typer.Option("--rules", help="Rule set JSON file (repeat to compare)")
    ],
    store: Annotated[str | None, typer.Option(help="Store (needed when there are several)")] = None,
    start: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="First replayed day (default: end − 90 days)"),
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Day after the last replayed one (default: today)"),
    ] = None,
    per_sku: Annotated[bool, typer.Option(help="Also print every listing's figures")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The results as JSON")] = False,
) -> None:
    """Replay the store's history under each rule set: stock-out days, lost sales, average
    inventory and storage cost, per listing and in total."""
    from aftersales.replenishment import backtest_service

    last = end.date() if end else datetime.now(UTC).date()
    first = start.date() if start else last - timedelta(days=90)
    files = []
    for path in rules:
        try:
            files.append((path.name, path.read_text(encoding="utf-8")))
        except OSError as error:
            raise fail(f"{path}: {error.strerror or error}") from error
    with database() as session:
        stores = _replenishment_stores(session, store)
        if len(stores) != 1:
            raise fail(_("several stores: choose one with --store"))
        results = backtest_service.compare(
            session, store_id=stores[0][0], files=files, start=first, end=last
        )
    if as_json:
        sys.stdout.write(
            json.dumps([_backtest_json(result, per_sku) for result in results], default=str) + "\n"
        )
        return
    table = Table(
        _("rule set"), _("listings"), _("stock-out days"), _("lost sales (units)"),
        _("average inventory"), _("storage cost"), _("orders"), _("units ordered"),
        title=_("%(store)s: %(first)s to %(last)s", store=stores[0][1], first=first, last=last),
    )  # fmt: skip
    for result in results:
        totals = result.totals
        costs = ", ".join(
            f"{amount} {currency}" for currency, amount in totals.storage_cost.items()
        )
        table.add_row(
            result.rule_set.name, str(totals.skus), str(totals.stockout_days),
            f"{totals.lost_sales:,.1f}", f"{totals.average_inventory:,.1f}",
            costs + (" " + _("(%(count)s unknown)", count=totals.storage_unknown)
                     if totals.storage_unknown else ""),
            str(totals.orders), str(totals.units_ordered),
        )  # fmt: skip
    out.print(table)
    if per_sku:
        detail = Table(_("rule set"), _("marketplace"), "SKU", _("stock-out days"), _("lost sales"),
                       _("average inventory"), _("storage cost"))  # fmt: skip
        for result in results:
            for item in result.outcomes:
                detail.add_row(
                    result.rule_set.name, item.marketplace, item.sku, str(item.stockout_days),
                    f"{item.lost_sales:,.1f}", f"{item.average_inventory:,.1f}",
                    f"{item.storage_cost} {item.currency}" if item.storage_cost is not None else "",
                )  # fmt: skip
        out.print(detail)


def _backtest_json(result: Any, per_sku: bool) -> dict[str, Any]:
    totals = result.totals
    document: dict[str, Any] = {
        "rule_set": result.rule_set.name,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "totals": {
            "listings": totals.skus,
            "stockout_days": totals.stockout_days,
            "lost_sales": totals.lost_sales,
            "unmet_units": totals.unmet_units,
            "average_inventory": totals.average_inventory,
            "storage_cost": {k: str(v) for k, v in totals.storage_cost.items()},
            "storage_unknown": totals.storage_unknown,
            "orders": totals.orders,
            "units_ordered": totals.units_ordered,
        },
    }
    if per_sku:
        document["listings"] = [
            {
                "marketplace": item.marketplace,
                "sku": item.sku,
                "stockout_days": item.stockout_days,
                "lost_sales": item.lost_sales,
                "average_inventory": item.average_inventory,
                "storage_cost": str(item.storage_cost) if item.storage_cost is not None else None,
                "currency": item.currency,
            }
            for item in result.outcomes
        ]
    return document


def main() -> None:
    app()
