"""Open a report file: gzip or plain, find its encoding, hash it, and stream its rows.

Encoding rule (FORMATS.md section 1): a BOM wins; then strict UTF-8 over the whole file;
then cp932 when the bytes read as Japanese text, cp1252 otherwise. Nothing is decoded
leniently: a byte the chosen codec cannot read is an error naming the line.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

GZIP_MAGIC = b"\x1f\x8b"
READ_BLOCK = 1 << 20
SAMPLE_LIMIT = 1 << 20


class ReportFileError(Exception):
    """The file cannot be read as a report; `line` is set when a line is to blame."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class FileFacts:
    sha256: str
    gzip: bool
    encoding: str


def _open_binary(path: Path, gzipped: bool) -> IO[bytes]:
    if gzipped:
        return gzip.GzipFile(filename=path, mode="rb")  # type: ignore[return-value]
    return path.open("rb")


def _kana_share(text: str) -> float:
    """Share of non-ASCII characters that are hiragana or katakana.

    Japanese titles and comments are full of kana; Western text misread as cp932 turns into
    rare kanji and private-use characters, almost never kana (their lead bytes 0x82/0x83
    are the rare `‚` and `ƒ` in cp1252).
    """
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    kana = sum(1 for c in non_ascii if 0x3040 <= ord(c) <= 0x30FF)
    return kana / len(non_ascii)


def _decodes(sample: bytes, encoding: str) -> str | None:
    try:
        return sample.decode(encoding)
    except UnicodeDecodeError as error:
        # The sample may end inside a multi-byte character: accept a failure at its very end.
        if error.start >= len(sample) - 2:
            return sample[: error.start].decode(encoding, errors="strict")
        return None


def sniff(
    path: Path, *, encoding: str | None = None, japanese_marketplace: bool = False
) -> FileFacts:
    """Hash the file and settle its encoding before a single row is parsed."""
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        for block in iter(lambda: raw.read(READ_BLOCK), b""):
            digest.update(block)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise ReportFileError(f"unknown encoding {encoding!r}") from error
        return FileFacts(digest.hexdigest(), gzipped, encoding)

    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    sample = bytearray()
    head = b""
    try:
        with _open_binary(path, gzipped) as stream:
            for block in iter(lambda: stream.read(READ_BLOCK), b""):
                if not head:
                    head = block[:4]
                if block.isascii():
                    continue
                if len(sample) < SAMPLE_LIMIT:
                    sample += block[: SAMPLE_LIMIT - len(sample)]
                if utf8_ok:
                    try:
                        utf8.decode(block)
                    except UnicodeDecodeError:
                        utf8_ok = False
    except (OSError, EOFError) as error:
        raise ReportFileError(f"cannot read the file: {error}") from error

    if head.startswith(codecs.BOM_UTF8):
        return FileFacts(digest.hexdigest(), gzipped, "utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FileFacts(digest.hexdigest(), gzipped, "utf-16")
    if utf8_ok:
        return FileFacts(digest.hexdigest(), gzipped, "utf-8")

    as_japanese = _decodes(bytes(sample), "cp932")
    if as_japanese is not None and _kana_share(as_japanese) >= 0.1:
        return FileFacts(digest.hexdigest(), gzipped, "cp932")
    as_western = _decodes(bytes(sample), "cp1252")
    if as_japanese is not None and (japanese_marketplace or as_western is None):
        return FileFacts(digest.hexdigest(), gzipped, "cp932")
    if as_western is not None:
        return FileFacts(digest.hexdigest(), gzipped, "cp1252")
    if as_japanese is not None:
        return FileFacts(digest.hexdigest(), gzipped, "cp932")
    raise ReportFileError(
        "the file is neither UTF-8, cp1252 (Windows Western) nor cp932 (Shift_JIS); "
        "pass --encoding if you know it"
    )


@dataclass(slots=True)
class RawChunk:
    """Up to N data rows with the physical line number each starts on."""

    lines: list[int]
    rows: list[list[str]]
    # Lines whose field count does not match the header: (line, message).
    broken: list[tuple[int, str]]


class ReportReader:
    """Header and chunks of rows of one report file (tab-separated, or quoted, or CSV)."""

    def __init__(self, path: Path, facts: FileFacts) -> None:
        self.path = path
        self.facts = facts
        self._raw = path.open("rb")
        binary: IO[bytes] = (
            gzip.GzipFile(fileobj=self._raw, mode="rb") if facts.gzip else self._raw  # type: ignore[assignment]
        )
        self._text = io.TextIOWrapper(binary, encoding=facts.encoding, errors="strict", newline="")
        self._line = 0
        first = self._readline()
        while first is not None and not first.strip():
            first = self._readline()
        if first is None:
            raise ReportFileError("the file is empty: no header line")
        header_line = first.rstrip("\r\n").lstrip("\ufeff")
        self.delimiter = "\t" if "\t" in header_line else ("," if "," in header_line else "\t")
        self.quoted = header_line.startswith('"') or self.delimiter == ","
        self.header_line_number = self._line
        if self.quoted:
            self.header = next(csv.reader([header_line], delimiter=self.delimiter))
        else:
            self.header = header_line.split(self.delimiter)

    def close(self) -> None:
        self._text.close()
        self._raw.close()

    def bytes_read(self) -> int:
        """How far into the file on disk reading has gone (for progress bars)."""
        return self._raw.tell()

    def _readline(self) -> str | None:
        try:
            line = self._text.readline()
        except UnicodeDecodeError as error:
            raise ReportFileError(
                f"byte {error.object[error.start : error.end]!r} is not valid {self.facts.encoding}",
                line=self._line + 1,
            ) from error
        if not line:
            return None
        self._line += 1
        return line

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        if not self.quoted:
            while (line := self._readline()) is not None:
                stripped = line.rstrip("\r\n")
                if stripped:
                    yield self._line, stripped.split(self.delimiter)
            return
        buffered = iter(lambda: self._readline() or "", "")
        reader = csv.reader(buffered, delimiter=self.delimiter, quotechar='"', strict=True)
        start = self._line + 1
        try:
            for record in reader:
                if record and any(value for value in record):
                    yield start, record
                start = self._line + 1
        except csv.Error as error:
            raise ReportFileError(f"malformed quoting: {error}", line=start) from error

    def chunks(self, size: int) -> Iterator[RawChunk]:
        width = len(self.header)
        chunk = RawChunk([], [], [])
        for line, fields in self._records():
            if len(fields) != width:
                if len(fields) > width and not any(fields[width:]):
                    fields = fields[:width]
                elif len(fields) < width:
                    # Editors drop trailing empty cells; the missing ones are empty.
                    fields = fields + [""] * (width - len(fields))
                else:
                    chunk.broken.append(
                        (line, f"line has {len(fields)} fields but the header has {width}")
                    )
                    continue
            chunk.lines.append(line)
            chunk.rows.append(fields)
            if len(chunk.rows) >= size:
                yield chunk
                chunk = RawChunk([], [], [])
        if chunk.rows or chunk.broken:
            yield chunk
