"""The CSV / Excel templates for local stock and purchase orders, and reading them back:
every line checked, every error named by line and column, nothing returned half-read."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_, Message
from aftersales.models.replenishment import PurchaseOrderStatus, WarehouseKind

MAX_ROWS = 50_000
MAX_ERRORS = 50


class TemplateKind(StrEnum):
    LOCAL_STOCK = "local-stock"
    PURCHASE_ORDERS = "purchase-orders"


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    required: bool
    example: str


COLUMNS: dict[TemplateKind, tuple[TemplateColumn, ...]] = {
    TemplateKind.LOCAL_STOCK: (
        TemplateColumn("sku", True, "LM-KT-0042-BLK"),
        TemplateColumn("warehouse_kind", True, "local"),
        TemplateColumn("warehouse_name", False, "Shenzhen"),
        TemplateColumn("quantity", True, "240"),
        TemplateColumn("as_of", False, "2026-11-20"),
    ),
    TemplateKind.PURCHASE_ORDERS: (
        TemplateColumn("reference", False, "PO-2026-118"),
        TemplateColumn("sku", True, "LM-KT-0042-BLK"),
        TemplateColumn("marketplace", False, "US"),
        TemplateColumn("quantity", True, "500"),
        TemplateColumn("expected_date", True, "2026-12-15"),
        TemplateColumn("status", False, "open"),
    ),
}


class StockFileRejected(InvalidInput):
    """The file was not imported; ``details['errors']`` lists every problem found."""

    code = "stock_file_rejected"


@dataclass(frozen=True)
class LineError:
    line: int
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


# --- templates ---------------------------------------------------------------------------------


def template_csv(kind: TemplateKind) -> bytes:
    columns = COLUMNS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    writer.writerow([column.example for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(kind: TemplateKind) -> bytes:
    import xlsxwriter  # here: the command line imports this module, rarely for a template

    columns = COLUMNS[kind]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(kind.value)
    bold = workbook.add_format({"bold": True})
    for position, column in enumerate(columns):
        sheet.write_string(0, position, column.name, bold)
        sheet.write_string(1, position, column.example)
        sheet.set_column(position, position, max(14, len(column.name) + 2))
    workbook.close()
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" in the ANSI code page (GBK).
        return content.decode("gb18030")


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = _decode(content)
    dialect: type[csv.Dialect] = csv.excel_tab if "\t" in text.split("\n", 1)[0] else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # only Excel uploads

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise StockFileRejected(N_("not a readable Excel (.xlsx) file")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def rows_of(file_name: str, content: bytes) -> Iterator[list[Any]]:
    """The file's rows (header first), from CSV / TSV or the first sheet of an .xlsx."""
    if not content:
        raise StockFileRejected(N_("the file is empty"))
    if file_name.lower().endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    return _csv_rows(content)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _integer(value: Any, *, minimum: int) -> int:
    text = _text(value).replace(",", "")
    try:
        number = int(text)
    except ValueError as error:
        raise ValueError(N_("not a whole number")) from error
    if number < minimum:
        raise ValueError(N_("must be 1 or more") if minimum else N_("must be 0 or more"))
    if number > 100_000_000:
        raise ValueError(N_("too large"))
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(N_("not a date (YYYY-MM-DD)")) from error


@dataclass(frozen=True)
class LocalStockLine:
    line: int
    sku: str
    warehouse_kind: WarehouseKind
    warehouse_name: str
    quantity: int
    as_of: date | None


@dataclass(frozen=True)
class PurchaseOrderLineIn:
    line: int
    reference: str | None
    sku: str
    marketplace_id: str | None
    quantity: int
    expected_date: date
    status: PurchaseOrderStatus


def _parse_value(kind: TemplateKind, name: str, raw: Any) -> Any:
    """One cell as its typed value; ValueError with a catalog message when it is wrong."""
    text = _text(raw)
    if name == "sku":
        if len(text) > 80:
            raise ValueError(N_("longer than 80 characters"))
        return text
    if name == "warehouse_kind":
        try:
            return WarehouseKind(text.lower())
        except ValueError as error:
            raise ValueError(N_("use local or overseas_3pl")) from error
    if name in ("warehouse_name", "reference"):
        if len(text) > 80:
            raise ValueError(N_("longer than 80 characters"))
        return text
    if name == "quantity":
        return _integer(raw, minimum=0 if kind is TemplateKind.LOCAL_STOCK else 1)
    if name in ("as_of", "expected_date"):
        return _date(raw)
    if name == "marketplace":
        found = marketplaces.resolve(text)
        if found is None:
            raise ValueError(N_("unknown marketplace; use a code such as US, DE, JP"))
        return found.id
    if name == "status":
        try:
            return PurchaseOrderStatus(text.lower())
        except ValueError as error:
            raise ValueError(N_("use open, received or cancelled")) from error
    raise AssertionError(name)


def _reject(errors: Sequence[LineError]) -> StockFileRejected:
    first = errors[0]
    return StockFileRejected(
        N_("line %(line)s, column %(column)s: %(problem)s (%(count)s error(s); nothing imported)"),
        line=first.line,
        column=first.column or "-",
        problem=Message(first.message),
        count=len(errors),
        errors=[error.as_dict() for error in errors],
    )


def parse(kind: TemplateKind, file_name: str, content: bytes) -> list[dict[str, Any]]:
    """Every data line of the file as {column: typed value, "line": n}; StockFileRejected
    (listing up to MAX_ERRORS problems) when any line or the header is wrong."""
    rows = rows_of(file_name, content)
    columns = COLUMNS[kind]
    header = next(rows, None)
    if header is None:
        raise StockFileRejected(N_("the file is empty"))
    names = [_text(cell).lower().lstrip("\ufeff") for cell in header]
    errors: list[LineError] = []
    positions: dict[str, int] = {}
    for column in columns:
        if column.name in names:
            positions[column.name] = names.index(column.name)
        elif column.required:
            errors.append(LineError(1, column.name, N_("required column missing")))
    unknown = [name for name in names if name and name not in {c.name for c in columns}]
    for name in unknown:
        errors.append(LineError(1, name, N_("unknown column")))
    if errors:
        raise _reject(errors)
    parsed: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=2):
        if not any(_text(cell) for cell in row):
            continue  # blank lines (Excel often keeps a few)
        if len(parsed) >= MAX_ROWS:
            errors.append(LineError(number, None, N_("too many lines (at most 50,000)")))
            break
        values: dict[str, Any] = {"line": number}
        for column in columns:
            position = positions.get(column.name)
            raw = row[position] if position is not None and position < len(row) else None
            if not _text(raw):
                if column.required:
                    errors.append(LineError(number, column.name, N_("value missing")))
                values[column.name] = None
                continue
            try:
                values[column.name] = _parse_value(kind, column.name, raw)
            except ValueError as error:
                errors.append(LineError(number, column.name, str(error)))
        parsed.append(values)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise _reject(errors)
    if not parsed:
        raise StockFileRejected(N_("the file has a header but no lines"))
    return parsed
