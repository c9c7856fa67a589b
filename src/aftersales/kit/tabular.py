"""Streaming CSV and XLSX writers for list exports: columns declared once, rows never held in memory."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, BinaryIO

import xlsxwriter

from aftersales.kit.i18n import gettext

# Rows are flushed to the caller in blocks of about this many bytes.
_CSV_CHUNK_BYTES = 64 * 1024
_XLSX_DATE_FORMAT = "yyyy-mm-dd"
_XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# Excel shows at most 32,767 characters in a cell and rejects longer strings.
_XLSX_MAX_TEXT = 32_767


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: ``key`` reads the row (attribute or mapping key); ``label`` is
    an untranslated message id (mark it with ``N_``), translated when the file is written."""

    key: str
    label: str


def _value(row: Any, key: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    return getattr(row, key, None)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def iter_csv(columns: Iterable[Column], rows: Iterable[Any]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte order mark (so Excel opens Chinese text), in chunks of bytes.

    The header is translated with gettext when the first chunk is produced, so the caller's
    locale applies even when the response streams the chunks later in the same context.
    """
    columns = tuple(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([gettext(column.label) for column in columns])
    yield codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([_csv_text(_value(row, column.key)) for column in columns])
        if buffer.tell() >= _CSV_CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(
    columns: Iterable[Column], rows: Iterable[Any], target: BinaryIO, *, sheet_name: str = "Sheet1"
) -> None:
    """Write one worksheet to ``target``: dates as dates, numbers as numbers.

    ``constant_memory`` makes XlsxWriter flush each row to a temporary file once the next
    row starts, so the workbook's size does not depend on memory.
    """
    columns = tuple(columns)
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "in_memory": False, "strings_to_numbers": False},
    )
    try:
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": _XLSX_DATE_FORMAT})
        datetime_format = workbook.add_format({"num_format": _XLSX_DATETIME_FORMAT})
        sheet = workbook.add_worksheet(sheet_name[:31])
        for index, column in enumerate(columns):
            sheet.write_string(0, index, gettext(column.label), bold)
        sheet.freeze_panes(1, 0)
        for row_number, row in enumerate(rows, start=1):
            for index, column in enumerate(columns):
                value = _value(row, column.key)
                if value is None:
                    continue
                if isinstance(value, Enum):
                    value = value.value
                if isinstance(value, bool):
                    sheet.write_boolean(row_number, index, value)
                elif isinstance(value, datetime):
                    # Excel has no time zones: write the UTC wall time the app shows.
                    if value.tzinfo is not None:
                        value = value.astimezone(UTC).replace(tzinfo=None)
                    sheet.write_datetime(row_number, index, value, datetime_format)
                elif isinstance(value, date):
                    sheet.write_datetime(row_number, index, value, date_format)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(row_number, index, float(value))
                else:
                    sheet.write_string(row_number, index, str(value)[:_XLSX_MAX_TEXT])
    finally:
        workbook.close()
