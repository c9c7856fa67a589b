"""Turn a chunk of raw report text into typed columns, and list every value that is wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl

from aftersales.amazon.decode import LINE_COLUMN, RawChunk, field_column
from aftersales.amazon.reports import ColumnMap, Field, Kind
from aftersales.kit.i18n import N_

LINE = "__line"
EXTRA = "__extra"

# Time-zone abbreviations Seller Central downloads use instead of offsets.
_ZONE_ABBREVIATIONS = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "Z": "+00:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "JST": "+09:00",
}
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%d.%m.%Y %H:%M:%S%.f%z",
    "%Y/%m/%d %H:%M:%S%.f%z",
)
EXPECTED = {
    Kind.INT: N_("not a whole number"),
    Kind.DECIMAL: N_("not a number (expected e.g. 15.45 or -6.38)"),
    Kind.DATETIME: N_("not a date-time with time zone (expected e.g. 2026-05-12T09:59:13+00:00)"),
    Kind.DATE: N_("not a date (expected YYYY-MM-DD)"),
    Kind.BOOL: N_("not a yes/no value"),
    Kind.LOCAL_DATE: N_("not a date in this marketplace's format"),
}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str | None
    value: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        """English ``message`` for logs and scripts; ``message_id`` and ``params`` let a
        page show it in the reader's language later (``kit.i18n.localize_error``)."""
        template = getattr(self.message, "template", self.message)
        params = getattr(self.message, "params", None) or {}
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": str(self.message),
            "message_id": template,
            "params": {key: str(value) for key, value in params.items()},
        }


def raw_frame(chunk: RawChunk, columns: ColumnMap) -> pl.DataFrame:
    """Strings by canonical field name, the line numbers, and unmodelled columns as JSON."""
    frame = chunk.frame
    positions: dict[str, int] = {}
    for index, field in enumerate(columns.fields):
        if field is not None and not field.drop:
            positions[field.name] = index  # a field named twice: the later column wins
    selected: list[pl.Expr | pl.Series] = [pl.col(LINE_COLUMN).alias(LINE)]
    selected += [pl.col(field_column(index)).alias(name) for name, index in positions.items()]
    extras = columns.extra_columns()
    if extras:
        names = [columns.header[i] for i in extras]
        values = zip(*(frame.get_column(field_column(i)).to_list() for i in extras), strict=True)
        encoded = [
            json.dumps(
                {name: value for name, value in zip(names, row, strict=True) if value != ""},
                ensure_ascii=False,
            )
            for row in values
        ]
        selected.append(pl.Series(EXTRA, encoded, dtype=pl.String))
    return frame.select(selected)


def _blank_to_null(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars().replace("", None)


def _utc_datetime(value: pl.Expr) -> pl.Expr:
    """Only `YYYY-MM-DDTHH:MM:SS+00:00`, what the SP-API writes, read as a naive date-time
    (several times faster than a format with an offset); anything else is null here."""
    plain = value.str.contains(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")
    naive = value.str.slice(0, 19).str.to_datetime(
        "%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us"
    )
    return pl.when(plain).then(naive.dt.replace_time_zone("UTC"))


def _iso_datetime(value: pl.Expr) -> pl.Expr:
    """The SP-API format with any offset and fraction: one parse."""
    return value.str.to_datetime(
        _DATETIME_FORMATS[0], strict=False, time_unit="us", time_zone="UTC"
    )


def _datetime(value: pl.Expr) -> pl.Expr:
    normalized = value.str.replace(r"\s*Z$", "+00:00")
    for abbreviation, offset in _ZONE_ABBREVIATIONS.items():
        normalized = normalized.str.replace(rf"\s+{abbreviation}$", offset)
    # A bare date counts as midnight UTC (some help-page downloads carry dates only).
    normalized = normalized.str.replace(r"^(\d{4}-\d{2}-\d{2})$", "${1}T00:00:00+00:00")
    parsed = [
        normalized.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
        for fmt in _DATETIME_FORMATS
    ]
    return pl.coalesce(parsed)


def typed_expr(kind: Kind, name: str, local_date_format: str | None, *, tier: int = 2) -> pl.Expr:
    """The typed value of field `name`; null when blank or not readable.

    Date-times and whole numbers have cheaper readings of the common forms (`tier` 0, then
    1 for date-times) that are null for the rest: `convert` asks for the full reading
    (tier 2) only for columns where a cheaper one left a non-blank value unread.
    """
    value = _blank_to_null(name)
    if kind is Kind.TEXT:
        return value
    if kind is Kind.INT:
        if tier == 0:
            return value.cast(pl.Int64, strict=False)
        return value.str.replace(r"^\+", "").str.replace(r"\.0*$", "").cast(pl.Int64, strict=False)
    if kind is Kind.DECIMAL:
        plain = value.str.replace(r"^\+", "")
        comma = plain.str.contains(r"^-?\d+,\d{1,2}$")
        normalized = pl.when(comma).then(plain.str.replace(",", ".")).otherwise(plain)
        return pl.when(normalized.str.contains(r"^-?(\d+(\.\d*)?|\.\d+)$")).then(normalized)
    if kind is Kind.DATETIME:
        return (_utc_datetime, _iso_datetime, _datetime)[tier](value)
    if kind is Kind.DATE:
        as_date = value.str.to_date("%Y-%m-%d", strict=False)
        return pl.coalesce([as_date, _datetime(value).dt.date()])
    if kind is Kind.BOOL:
        lowered = value.str.to_lowercase()
        return (
            pl.when(lowered.is_in(["yes", "y", "true", "t", "1"]))
            .then(True)
            .when(lowered.is_in(["no", "n", "false", "f", "0"]))
            .then(False)
            .otherwise(None)
        )
    if kind is Kind.LOCAL_DATE:
        if local_date_format is None:
            return pl.lit(None, dtype=pl.Date)
        return value.str.to_date(local_date_format, strict=False)
    raise AssertionError(kind)


_TIERS = {Kind.INT: (0, 2), Kind.DATETIME: (0, 1, 2)}


def _blank_counts(raw: pl.DataFrame, fields: list[Field]) -> dict[str, int]:
    """Blank (empty or whitespace) cells of each field, in one pass."""
    if not fields:
        return {}
    counts = raw.select(_blank_to_null(f.name).null_count().alias(f.name) for f in fields)
    return {name: int(counts.item(0, name)) for name in counts.columns}


def convert(
    raw: pl.DataFrame,
    columns: ColumnMap,
    *,
    local_date_format: str | None,
    max_errors: int,
) -> tuple[pl.DataFrame, list[RowError], set[int]]:
    """Typed frame, the errors (at most `max_errors`), and the set of lines with an error."""
    present = [f for f in columns.fields if f is not None and not f.drop]
    tiers = {f.name: _TIERS.get(f.kind, (2,)) for f in present}
    typed = raw.with_columns(
        typed_expr(f.kind, f.name, local_date_format, tier=tiers[f.name][0]).alias(f.name)
        for f in present
    )
    # Every kind reads a blank cell as null, so a column has unreadable values exactly when
    # it has more nulls than blank cells; TEXT is its own blank test.
    blanks = _blank_counts(raw, [f for f in present if f.kind is not Kind.TEXT])
    for field in present:
        if field.kind is Kind.TEXT:
            blanks[field.name] = typed.get_column(field.name).null_count()
    for field in present:
        for tier in tiers[field.name][1:]:
            column = typed.get_column(field.name)
            if column.null_count() == blanks[field.name]:
                break
            # Values read by a cheaper tier keep that reading (the fuller one agrees on them).
            again = raw.select(typed_expr(field.kind, field.name, local_date_format, tier=tier))
            typed = typed.with_columns(column.fill_null(again.to_series()).alias(field.name))
    errors: list[RowError] = []
    bad_lines: set[int] = set()
    for field in present:
        original = pl.col(field.name).str.strip_chars()
        checks: list[tuple[pl.Expr, str, int]] = []
        if field.kind is not Kind.TEXT:
            message = EXPECTED[field.kind]
            if field.kind is Kind.LOCAL_DATE and local_date_format is None:
                message = N_("cannot tell the date format: pass --marketplace")
            unread = typed.get_column(field.name).null_count() - blanks[field.name]
            checks.append((pl.col("__typed").is_null() & (original != ""), message, unread))
        if field.not_empty:
            empty = blanks[field.name]
            checks.append(
                (original.is_null() | (original == ""), N_("required value is empty"), empty)
            )
        if not any(failing for _, _, failing in checks):
            continue
        frame = raw.select(
            pl.col(LINE), pl.col(field.name), typed.get_column(field.name).alias("__typed")
        )
        for mask, message, failing_count in checks:
            if not failing_count:
                continue
            failing = frame.filter(mask)
            bad_lines.update(failing.get_column(LINE).to_list())
            room = max_errors - len(errors)
            for line, value in failing.select(LINE, field.name).head(max(room, 0)).iter_rows():
                errors.append(RowError(line, columns.header_name(field.name), value, message))
    errors.sort(key=lambda e: e.line)
    return typed, errors, bad_lines
