"""CSV and Excel responses for lists: exactly the filtered rows, streamed from a fresh session.

The request's own transaction ends before a streamed body is sent, so a CSV reads its rows
in a session of its own; an Excel file is written to a temporary file first (XlsxWriter
needs to finish the zip before the first byte can go out).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response, StreamingResponse

from aftersales.db.session import unit_of_work
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.tabular import Column, iter_csv, write_xlsx

# Excel's sheet holds 1,048,576 rows including the header.
EXCEL_MAX_ROWS = 1_048_575

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


RowSource = Callable[[Session], Iterable[Any]]


def _file_name(stem: str, extension: str) -> str:
    return f"{stem}-{datetime.now(UTC):%Y%m%d-%H%M%S}.{extension}"


def _within_excel(rows: Iterable[Any]) -> Iterator[Any]:
    for number, row in enumerate(rows, start=1):
        if number > EXCEL_MAX_ROWS:
            raise InvalidInput(
                N_(
                    "more than %(limit)s rows do not fit in one Excel sheet; "
                    "narrow the filter or export CSV"
                ),
                limit=EXCEL_MAX_ROWS,
            )
        yield row


def export_response(
    *, columns: tuple[Column, ...], rows: RowSource, stem: str, fmt: ExportFormat
) -> Response:
    if fmt == ExportFormat.CSV:

        def body() -> Iterator[bytes]:
            with unit_of_work(write=False) as session:
                yield from iter_csv(columns, rows(session))

        return StreamingResponse(
            body(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{_file_name(stem, "csv")}"'},
        )
    descriptor, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(descriptor)
    try:
        with open(path, "wb") as target, unit_of_work(write=False) as session:
            write_xlsx(columns, _within_excel(rows(session)), target, sheet_name=stem)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path,
        media_type=XLSX_MEDIA_TYPE,
        filename=_file_name(stem, "xlsx"),
        background=BackgroundTask(os.unlink, path),
    )
