"""Import one report file: detect, decode, validate every value, upsert on natural keys.

The caller owns the transaction (services never commit): a rejected file raises
ImportRejected after nothing but the caller's rollback is left to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.amazon.decode import ReportFileError, ReportReader, sniff
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
        for chunk in reader.chunks(self.settings.import_chunk_rows):
            if first_chunk and chunk.height >= self.settings.import_chunk_rows:
                read = max(reader.bytes_read(), 1)
                expected = chunk.height * total_size // read
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
            for position, (target, writer) in enumerate(writers):
                frame = typed.filter(target.where) if target.where is not None else typed
                if position == 0:
                    result.skipped += typed.height - frame.height
                frame = self._shape(frame, target, store.id)
                if position == 0:
                    deduplicated = frame.unique(
                        subset=list(target.conflict), keep="last", maintain_order=True
                    )
                    result.duplicates += frame.height - deduplicated.height
                    frame = deduplicated
                else:
                    frame = frame.unique(
                        subset=list(target.conflict), keep="last", maintain_order=True
                    )
                inserted, updated = writer.write(frame, store.id)
                if position == 0:
                    result.inserted += inserted
                    result.updated += updated
            if progress:
                progress(min(reader.bytes_read(), total_size), total_size)

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
