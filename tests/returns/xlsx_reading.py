"""Read back the first worksheet of an XLSX file without openpyxl (not installed here)."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

_NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _column(reference: str) -> int:
    index = 0
    for letter in reference.rstrip("0123456789"):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


Cell = tuple[str, str | None, str | None]
EMPTY: Cell = ("", None, None)


def read_cells(data: bytes) -> list[list[Cell]]:
    """Rows of (cell type, style index, text) as stored: "inlineStr" for text, "" for
    numbers; cells not written come back as EMPTY."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "xl/sharedStrings.xml" not in archive.namelist()  # constant_memory: inline
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind("s:sheetData/s:row", _NS):
        cells: list[Cell] = []
        for cell in row.iterfind("s:c", _NS):
            cells.extend([EMPTY] * (_column(cell.get("r", "A")) - len(cells)))
            kind = cell.get("t", "")
            if kind == "inlineStr":
                text = "".join(node.text or "" for node in cell.iterfind("s:is/s:t", _NS))
            else:
                value = cell.find("s:v", _NS)
                text = value.text if value is not None else None
            cells.append((kind, cell.get("s"), text))
        rows.append(cells)
    return rows
