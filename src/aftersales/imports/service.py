"""Import one report file: detect, decode, validate every value, upsert on natural keys.

The caller owns the transaction (services never commit): a rejected file raises
ImportRejected after nothing but the caller's rollback is left to do.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.amazon.decode import RawChunk, ReportFileError, ReportReader, sniff
from aftersales.amazon.reports import ColumnMap, HeaderError, Kind, MarketplaceSource, detect
from aftersales.config import get_settings
from aftersales.exceptions import AppError, InvalidInput
from aftersales.imports import repository as import_repository
from aftersales.imports.convert import EXTRA, RowError, convert, raw_frame
from aftersales.imports.targets import (
    MARKETPLACE_CODE,
    MARKETPLACE_CURRENCY,
    MARKETPLACE_ID,
    SNAPSHOT_DATE,
    Target,
    targets_for,
)
from aftersales.kit.i18n import N_
from aftersales.models import ImportBatch, ImportStatus, Store
from aftersales.replenishment import latest_stock
from aftersales.replenishment import sales as sales_service

__all__ = ["ImportOptions", "ImportRejected", "ImportResult", "RowError", "import_file"]
from aftersales.stores import service as store_service

Progress = Callable[[int, int], None]

_NULL_TYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.DECIMAL: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.DATETIME: pl.Datetime("us", "UTC"),
    Kind.DATE: pl.Date(),
    Kind.LOCAL_DATE: pl.Date(),
    Kind.BOOL: pl.Boolean(),
}


@dataclass(frozen=True, slots=True)
class ImportOptions:
    store: str | None = None
    marketplace: str | None = None
    report_type: str | None = None
    skip_bad_rows: bool = False
    encoding: str | None = None
    snapshot_date: date | None = None


@dataclass(slots=True)
class ImportResult:
    file: str
    report_type: str | None = None
    store: str | None = None
    encoding: str | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None
    status: str = "rejected"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "report_type": self.report_type,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "store": self.store,
            "encoding": self.encoding,
            "batch_id": self.batch_id,
            "status": self.status,
        }


class ImportRejected(AppError):
    """The file was not imported; nothing of it may be kept (the caller rolls back)."""

    code = "import_rejected"
    status_code = 422

    def __init__(self, result: ImportResult) -> None:
        first = result.errors[0] if result.errors else None
        where = ""
        if first is not None:
            where = f" line {first.line}" if first.line else ""
            where += f", column {first.column!r}" if first.column else ""
            where += f", value {first.value!r}" if first.value is not None else ""
        message = f"{result.file}:{where}: {first.message if first else 'rejected'}"
        if len(result.errors) > 1:
            message += f" (and {len(result.errors) - 1} more error(s))"
        super().__init__(message)
        self.result = result


def _resolve_marketplace(code: str | None) -> marketplaces.Marketplace | None:
    if not code:
        return None
    found = marketplaces.resolve(code)
    if found is None:
        raise InvalidInput(f"unknown marketplace {code!r}: use a code such as US, UK, DE, JP")
    return found


def _marketplace_expr(columns: ColumnMap, fallback: marketplaces.Marketplace | None) -> pl.Expr:
    spec = columns.spec
    fallback_code = pl.lit(fallback.code if fallback else None, dtype=pl.String)
    present = columns.present()
    row: pl.Expr | None = None
    if spec.marketplace_field and spec.marketplace_field in present:
        value = pl.col(spec.marketplace_field).str.strip_chars()
        if spec.marketplace_source is MarketplaceSource.SALES_CHANNEL:
            row = value.str.to_lowercase().replace_strict(
                marketplaces.sales_channel_to_code(), default=None, return_dtype=pl.String
            )
        elif spec.marketplace_source is MarketplaceSource.COUNTRY:
            codes = {m.code: m.code for m in marketplaces.all_marketplaces()} | {"GB": "UK"}
            row = value.str.to_uppercase().replace_strict(
                codes, default=None, return_dtype=pl.String
            )
    elif (
        spec.marketplace_source is MarketplaceSource.HEADER_LANGUAGE and columns.header_marketplace
    ):
        row = pl.lit(columns.header_marketplace, dtype=pl.String)
    return pl.coalesce(row, fallback_code) if row is not None else fallback_code


def _local_date_format(
    columns: ColumnMap, fallback: marketplaces.Marketplace | None, sample: pl.DataFrame
) -> str | None:
    """The marketplace's short-date format; inferred from the values when they are unambiguous."""
    # A translated header is evidence from the file itself; --marketplace only fills gaps.
    chosen = (
        marketplaces.by_code(columns.header_marketplace) if columns.header_marketplace else None
    ) or fallback
    if chosen:
        return chosen.feedback_date_format
    date_fields = [f.name for f in columns.spec.fields if f.kind is Kind.LOCAL_DATE]
    if not date_fields or date_fields[0] not in sample.columns:
        return None
    values = sample.get_column(date_fields[0]).str.strip_chars()
    values = values.filter(values.is_not_null() & (values != ""))
    readings: dict[str, list[Any]] = {}
    for fmt in {m.feedback_date_format for m in marketplaces.all_marketplaces()}:
        parsed = values.str.to_date(fmt, strict=False)
        if parsed.null_count() == 0:
            readings[fmt] = parsed.to_list()
    distinct = {tuple(v) for v in readings.values()}
    return next(iter(readings)) if len(distinct) == 1 else None


def _snapshot_date(session: Session, store: Store, sha256: str, given: date | None) -> date:
    if given:
        return given
    earlier = import_repository.earlier_snapshot_date(session, store_id=store.id, sha256=sha256)
    return earlier if isinstance(earlier, date) else datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class _Written:
    inserted: int
    updated: int


def _last_of_each_key(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The last row of each key (a later line of the file wins); most chunks have none twice."""
    # Every row carries the import's store: the other key columns tell the rows apart.
    varying = [column for column in key if column != "store_id"] or key
    if len(varying) == 1:
        distinct = frame.get_column(varying[0]).n_unique()
    else:
        distinct = frame.select(pl.struct(varying).n_unique()).item()
    if distinct == frame.height:
        return frame
    return frame.unique(subset=key, keep="last", maintain_order=True)


def _read_ahead(reader: ReportReader, size: int) -> Generator[tuple[RawChunk, int]]:
    """The chunks of `reader` with how far into the file each ends, the next one read on a
    background thread while this one is checked and written (reading is the longest step).

    Closing the generator waits for that read, so the caller may close the reader then.
    """
    chunks = reader.chunks(size)

    def read_next() -> tuple[RawChunk | None, int]:
        chunk = next(chunks, None)
        return chunk, reader.bytes_read()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-read") as pool:
        pending = pool.submit(read_next)
        while True:
            chunk, bytes_read = pending.result()
            if chunk is None:
                return
            pending = pool.submit(read_next)
            yield chunk, bytes_read


class _WriteBehind:
    """Runs the chunk writes on one background thread, in order, while the import's own
    thread reads and checks the next chunks: the database work and the parsing overlap.

    Only that thread uses the session while a write is queued; leaving the `with` block
    waits for it, even on an error, so the caller's rollback never runs beside a write.
    """

    DEPTH = 2  # writes queued or running: bounds the chunks held in memory

    def __init__(self, session: Session) -> None:
        url = session.get_bind().engine.url
        # An in-memory SQLite database is one connection that only its own thread may use.
        in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
        self._pool = (
            None
            if in_memory
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-write")
        )
        self._queued: deque[Future[_Written]] = deque()
        self._failed = False

    def __enter__(self) -> _WriteBehind:
        return self

    def __exit__(self, *_: object) -> None:
        for future in self._queued:
            future.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def submit(self, write: Callable[[], _Written]) -> list[_Written]:
        """Queue `write`; returns the writes finished so far, raising the first error."""
        if self._pool is None:
            return [write()]
        finished = []
        while len(self._queued) >= self.DEPTH or (self._queued and self._queued[0].done()):
            finished.append(self._queued.popleft().result())
        self._queued.append(self._pool.submit(self._unless_failed, write))
        return finished

    def _unless_failed(self, write: Callable[[], _Written]) -> _Written:
        """Run `write` unless one before it failed (its error is the one the caller sees)."""
        if self._failed:
            raise RuntimeError("an earlier write failed")
        try:
            return write()
        except BaseException:
            self._failed = True
            raise

    def drain(self) -> list[_Written]:
        """Wait for every queued write."""
        finished = []
        while self._queued:
            finished.append(self._queued.popleft().result())
        return finished


class _FileImport:
    """The state of one file's import while its chunks stream through."""

    def __init__(self, session: Session, path: Path, options: ImportOptions) -> None:
        self.session = session
        self.path = path
        self.options = options
        self.settings = get_settings()
        self.result = ImportResult(file=str(path))
        self.fallback = _resolve_marketplace(options.marketplace)

    def run(self, progress: Progress | None) -> ImportResult:
        result = self.result
        try:
            facts = sniff(
                self.path,
                encoding=self.options.encoding,
                japanese_marketplace=bool(self.fallback and self.fallback.code == "JP"),
            )
            result.encoding = facts.encoding
            reader = ReportReader(self.path, facts)
        except ReportFileError as error:
            result.errors.append(RowError(error.line or 0, None, None, error.message))
            raise ImportRejected(result) from error
        try:
            return self._run(reader, facts.sha256, progress)
        except ReportFileError as error:
            result.errors.append(RowError(error.line or 0, None, None, error.message))
            raise ImportRejected(result) from error
        finally:
            reader.close()

    def _run(self, reader: ReportReader, sha256: str, progress: Progress | None) -> ImportResult:
        result = self.result
        try:
            columns = detect(reader.header, self.options.report_type)
        except HeaderError as error:
            result.errors.append(
                RowError(reader.header_line_number, error.column, None, error.message)
            )
            raise ImportRejected(result) from error
        spec = columns.spec
        result.report_type = columns.report_type
        store = store_service.store_for_import(
            self.session,
            name=self.options.store,
            region_hint=self.fallback.region if self.fallback else None,
        )
        result.store = store.name
        batch = import_repository.add_batch(
            self.session,
            ImportBatch(
                store_id=store.id,
                file_name=self.path.name,
                sha256=sha256,
                report_type=columns.report_type,
                encoding=reader.facts.encoding,
                marketplace_id=self.fallback.id if self.fallback else None,
                snapshot_date=(
                    _snapshot_date(self.session, store, sha256, self.options.snapshot_date)
                    if spec.needs_snapshot_date
                    else None
                ),
                status="running",
                started_at=datetime.now(UTC),
            ),
        )
        targets = targets_for(spec)
        context = self._context_columns(columns, batch)
        writers: list[tuple[Target, import_repository.Upserter]] = []
        for target in targets:
            names = list(target.columns) + (
                list(import_repository.FACT_COLUMNS) if target.is_fact else ["store_id"]
            )
            writers.append((target, import_repository.Upserter(self.session, target, names)))
        local_format: str | None = None
        format_settled = not any(f.kind is Kind.LOCAL_DATE for f in spec.fields)
        rejected_lines: set[int] = set()
        total_size = self.path.stat().st_size

        first_chunk = True
        chunks = _read_ahead(reader, self.settings.import_chunk_rows)
        with _WriteBehind(self.session) as writes, closing(chunks):
            for chunk, bytes_read in chunks:
                if first_chunk and chunk.height >= self.settings.import_chunk_rows:
                    expected = chunk.height * total_size // max(bytes_read, 1)
                    for _, writer in writers:
                        writer.prepare_bulk_load(expected)
                first_chunk = False
                result.rows += chunk.height + len(chunk.broken)
                for line, message in chunk.broken:
                    rejected_lines.add(line)
                    self._error(RowError(line, None, None, message))
                raw = raw_frame(chunk, columns)
                if spec.row_filter is not None and spec.row_filter[0] in raw.columns:
                    column, wanted = spec.row_filter
                    keep = pl.col(column).str.strip_chars().str.to_lowercase().is_in(sorted(wanted))
                    before = raw.height
                    raw = raw.filter(keep)
                    result.skipped += before - raw.height
                if not format_settled:
                    local_format = _local_date_format(columns, self.fallback, raw)
                    format_settled = True
                typed, errors, bad = convert(
                    raw,
                    columns,
                    local_date_format=local_format,
                    max_errors=max(self.settings.import_max_errors - len(result.errors), 0),
                )
                rejected_lines |= bad
                for row_error in errors:
                    self._error(row_error)
                if rejected_lines and not self.options.skip_bad_rows:
                    if len(result.errors) >= self.settings.import_max_errors:
                        break
                    continue  # keep validating to report every error, but write nothing more
                if bad:
                    typed = typed.filter(~pl.col("__line").is_in(sorted(bad)))
                typed = self._complete(typed, columns, context)
                frames = self._prepare(typed, writers, store.id)
                self._count(writes.submit(partial(self._write, frames, writers, store.id)))
                if progress:
                    progress(min(bytes_read, total_size), total_size)
            self._count(writes.drain())

        result.rejected = len(rejected_lines)
        result.errors.sort(key=lambda e: e.line)
        if rejected_lines and not self.options.skip_bad_rows:
            raise ImportRejected(result)
        for _, writer in writers:
            writer.finish()
        result.unchanged = (
            result.rows
            - result.skipped
            - result.rejected
            - result.duplicates
            - result.inserted
            - result.updated
        )
        import_repository.fill_marketplaces_from_orders(self.session, store.id)
        sales_service.after_import(
            self.session, store_id=store.id, batch_id=batch.id, report_type=spec.report_type
        )
        latest_stock.after_import(
            self.session, store_id=store.id, batch_id=batch.id, report_type=spec.report_type
        )
        result.status = (
            ImportStatus.COMPLETED_WITH_REJECTIONS if result.rejected else ImportStatus.COMPLETED
        ).value
        result.batch_id = batch.id
        for name in (
            "rows",
            "inserted",
            "updated",
            "unchanged",
            "duplicates",
            "skipped",
            "rejected",
        ):
            setattr(batch, name, getattr(result, name))
        batch.status = result.status
        batch.errors = [e.as_dict() for e in result.errors] or None
        batch.finished_at = datetime.now(UTC)
        self.session.flush()
        return result

    def _prepare(
        self,
        typed: pl.DataFrame,
        writers: list[tuple[Target, import_repository.Upserter]],
        store_id: int,
    ) -> list[pl.DataFrame]:
        """The frame each target gets from one chunk (no database work: it runs beside the
        write of the chunk before); counts the main target's skipped and duplicate rows."""
        frames = []
        for position, (target, writer) in enumerate(writers):
            frame = typed.filter(target.where) if target.where is not None else typed
            frame = self._shape(frame, target, store_id)
            deduplicated = _last_of_each_key(frame, list(target.conflict))
            if position == 0:
                self.result.skipped += typed.height - frame.height
                self.result.duplicates += frame.height - deduplicated.height
            frames.append(writer.prepare(deduplicated))
        return frames

    @staticmethod
    def _write(
        frames: list[pl.DataFrame],
        writers: list[tuple[Target, import_repository.Upserter]],
        store_id: int,
    ) -> _Written:
        """Write one chunk into every target; the counts are the first (main) target's."""
        counts = [
            writer.write(frame, store_id)
            for (_, writer), frame in zip(writers, frames, strict=True)
        ]
        return _Written(*counts[0])

    def _count(self, written: list[_Written]) -> None:
        for counts in written:
            self.result.inserted += counts.inserted
            self.result.updated += counts.updated

    def _error(self, error: RowError) -> None:
        if len(self.result.errors) < self.settings.import_max_errors:
            self.result.errors.append(error)

    def _context_columns(self, columns: ColumnMap, batch: ImportBatch) -> dict[str, pl.Expr]:
        ids = {m.code: m.id for m in marketplaces.all_marketplaces()}
        currencies = {m.code: m.currency for m in marketplaces.all_marketplaces()}
        code = pl.col(MARKETPLACE_CODE)
        return {
            MARKETPLACE_CODE: _marketplace_expr(columns, self.fallback),
            MARKETPLACE_ID: code.replace_strict(ids, default=None, return_dtype=pl.String),
            MARKETPLACE_CURRENCY: code.replace_strict(
                currencies, default=None, return_dtype=pl.String
            ),
            SNAPSHOT_DATE: pl.lit(batch.snapshot_date, dtype=pl.Date),
            "import_batch_id": pl.lit(batch.id, dtype=pl.Int64),
        }

    @staticmethod
    def _complete(
        typed: pl.DataFrame, columns: ColumnMap, context: dict[str, pl.Expr]
    ) -> pl.DataFrame:
        """Add absent optional fields as typed nulls, then the per-row context columns."""
        missing = [
            pl.lit(None, dtype=_NULL_TYPES[f.kind]).alias(f.name)
            for f in columns.spec.fields
            if f.name not in typed.columns
        ]
        if EXTRA not in typed.columns:
            missing.append(pl.lit(None, dtype=pl.String).alias(EXTRA))
        if missing:
            typed = typed.with_columns(missing)
        typed = typed.with_columns(context[MARKETPLACE_CODE].alias(MARKETPLACE_CODE))
        return typed.with_columns(
            [expr.alias(name) for name, expr in context.items() if name != MARKETPLACE_CODE]
        )

    @staticmethod
    def _shape(frame: pl.DataFrame, target: Target, store_id: int) -> pl.DataFrame:
        exprs = [expr.alias(name) for name, expr in target.columns.items()]
        exprs.append(pl.lit(store_id, dtype=pl.Int64).alias("store_id"))
        if target.is_fact and target.key is not None:
            exprs += [
                pl.col(MARKETPLACE_ID).alias("marketplace_id"),
                target.key.alias("natural_key"),
                pl.col("import_batch_id"),
                pl.col(EXTRA).alias("extra"),
            ]
        return frame.select(exprs)


def import_file(
    session: Session, *, path: Path, options: ImportOptions, progress: Progress | None = None
) -> ImportResult:
    """Import one report file inside the caller's transaction; raises ImportRejected."""
    if not path.is_file():
        result = ImportResult(file=str(path))
        result.errors.append(RowError(0, None, None, N_("no such file")))
        raise ImportRejected(result)
    return _FileImport(session, path, options).run(progress)


def list_imports(
    session: Session, *, store_ids: list[int] | None = None, limit: int = 50
) -> list[ImportBatch]:
    return import_repository.list_batches(session, store_ids=store_ids, limit=limit)


def errors_as_json(result: ImportResult) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False)


def data_version(session: Session, *, store_ids: Sequence[int]) -> int:
    """Changes whenever an import may have changed these stores' data (the newest batch id):
    results computed from the data can be cached under it."""
    return import_repository.newest_batch_id(session, store_ids=store_ids)
