"""Write one report file the way Amazon delivers it: tab-separated, encoded, maybe gzipped."""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileFormat:
    """Byte-level shape of a report file."""

    encoding: str
    newline: str = "\n"
    gzip: bool = False
    quote_all: bool = False


def _line(cells: Sequence[str], width: int, quote_all: bool) -> str:
    if len(cells) != width:
        raise ValueError(f"row has {len(cells)} cells, header has {width}: {cells!r}")
    if quote_all:
        cells = ['"' + value.replace('"', '""') + '"' for value in cells]
    line = "\t".join(cells)
    # A tab or line break inside a cell would silently shift or split the row.
    if line.count("\t") != width - 1 or "\n" in line or "\r" in line:
        raise ValueError(f"report cell contains a tab or line break: {cells!r}")
    return line


def render(header: Sequence[str], rows: Sequence[Sequence[str]], file_format: FileFormat) -> bytes:
    """Encode a header and rows; raises if a character does not exist in the encoding."""
    width = len(header)
    quote_all = file_format.quote_all
    lines = [_line(header, width, quote_all)]
    lines.extend(_line(row, width, quote_all) for row in rows)
    text = file_format.newline.join(lines) + file_format.newline
    data = text.encode(file_format.encoding)
    if not file_format.gzip:
        return data
    buffer = io.BytesIO()
    # mtime=0 and no file name keep the archive byte-identical between runs.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as archive:
        archive.write(data)
    return buffer.getvalue()


def write_report(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], file_format: FileFormat
) -> int:
    """Write the file and return its number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(header, rows, file_format))
    return len(rows)
