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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl

from aftersales.kit.i18n import N_, Message

GZIP_MAGIC = b"\x1f\x8b"
_FIELD_COUNT = N_("line has %(count)s fields but the header has %(width)s")
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
            raise ReportFileError(
                Message(N_("unknown encoding %(encoding)s"), encoding=encoding)
            ) from error
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
        raise ReportFileError(
            Message(N_("cannot read the file: %(error)s"), error=str(error))
        ) from error

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
        Message(
            N_(
                "the file is neither UTF-8, cp1252 (Windows Western) nor cp932 (Shift_JIS); "
                "pass --encoding if you know it"
            )
        )
    )


@dataclass(slots=True)
class RawChunk:
    """Up to N data rows: `frame` holds the physical line each starts on (LINE_COLUMN) and
    one string column per header position (`field_column(i)`), empty cells as ""."""

    frame: pl.DataFrame
    # Lines whose field count does not match the header: (line, message).
    broken: list[tuple[int, str]]

    @property
    def height(self) -> int:
        return self.frame.height


LINE_COLUMN = "__line"
# Decoded text handed to the parser at a time (whole lines only).
BLOCK_CHARS = 8 << 20
_EOL = re.compile(r"\r\n|\r|\n")


def field_column(index: int) -> str:
    return f"__{index}"


def _terminators(text: str) -> int:
    if "\r" not in text:
        return text.count("\n")
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _rows_frame(lines: list[int], rows: list[list[str]], width: int) -> pl.DataFrame:
    """The frame of rows split in Python (quoted files)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * width
    data: dict[str, Any] = {LINE_COLUMN: lines}
    data.update({field_column(i): list(values) for i, values in enumerate(columns)})
    schema = {name: (pl.Int64 if name == LINE_COLUMN else pl.String) for name in data}
    return pl.DataFrame(data, schema=schema)


def _fast_block(text: str, first_line: int, width: int) -> pl.DataFrame | None:
    """Rows of a block of tab-separated lines when every line is plainly well-formed.

    Exact when it answers: no CR, at least two columns, (width - 1) tabs per line in total,
    and the parser (which refuses any line with more fields than the schema) read one row
    per line; so every line has exactly width - 1 tabs, hence `width` fields and no line is
    empty. None sends the block to `_general_block`.
    """
    if width < 2 or "\r" in text:
        return None
    count = text.count("\n")
    if count == 0 or text.count("\t") != count * (width - 1):
        return None
    names = [field_column(i) for i in range(width)]
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            separator="\t",
            quote_char=None,
            schema=dict.fromkeys(names, pl.String),
            comment_prefix=None,
            null_values=None,
            empty_string_is_null=False,
            truncate_ragged_lines=False,
            extra_columns="raise",
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if frame.height != count:
        return None
    return frame.select(
        pl.int_range(first_line, first_line + count, dtype=pl.Int64).alias(LINE_COLUMN),
        *(pl.col(name).fill_null("") for name in names),
    )


def _general_block(
    text: str, first_line: int, width: int, delimiter: str
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Any block of whole lines: blank lines skipped, short lines padded, lines with
    surplus empty cells cut, lines with surplus values reported as broken."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    frame = pl.DataFrame(
        {
            LINE_COLUMN: pl.int_range(
                first_line, first_line + len(lines), dtype=pl.Int64, eager=True
            ),
            "__text": pl.Series(lines, dtype=pl.String),
        }
    ).filter(pl.col("__text") != "")
    fields = pl.col("__text").str.count_matches(delimiter, literal=True) + 1
    kept = (
        pl.col("__text").str.strip_chars_end(delimiter).str.count_matches(delimiter, literal=True)
        + 1
    )
    frame = frame.with_columns(fields.alias("__fields"), (kept > width).alias("__broken"))
    bad = frame.filter(pl.col("__broken"))
    broken: list[tuple[int, str]] = [
        (line, Message(_FIELD_COUNT, count=count, width=width))
        for line, count in bad.select(LINE_COLUMN, "__fields").iter_rows()
    ]
    parts = pl.col("__text").str.split(delimiter)
    good = frame.filter(~pl.col("__broken")).select(
        pl.col(LINE_COLUMN),
        *(
            parts.list.get(i, null_on_oob=True).fill_null("").alias(field_column(i))
            for i in range(width)
        ),
    )
    return good, broken


class ReportReader:
    """Header and chunks of rows of one report file (tab-separated, or quoted, or CSV).

    Lines end at LF, CRLF or a lone CR (as a text file opened with newline=""); text is
    decoded strictly, a block at a time, and an undecodable byte names its line.
    """

    def __init__(self, path: Path, facts: FileFacts) -> None:
        self.path = path
        self.facts = facts
        self._raw = path.open("rb")
        self._binary: IO[bytes] = (
            gzip.GzipFile(fileobj=self._raw, mode="rb") if facts.gzip else self._raw  # type: ignore[assignment]
        )
        self._decoder = codecs.getincrementaldecoder(facts.encoding)(errors="strict")
        self._text = ""  # decoded, not yet handed out from self._pos on
        self._pos = 0
        self._eof = False
        self._line = 0
        first = self._readline()
        while first is not None and not first.strip():
            first = self._readline()
        if first is None:
            raise ReportFileError(Message(N_("the file is empty: no header line")))
        header_line = first.rstrip("\r\n").lstrip("\ufeff")
        self.delimiter = "\t" if "\t" in header_line else ("," if "," in header_line else "\t")
        self.quoted = header_line.startswith('"') or self.delimiter == ","
        self.header_line_number = self._line
        if self.quoted:
            self.header = next(csv.reader([header_line], delimiter=self.delimiter))
        else:
            self.header = header_line.split(self.delimiter)

    def close(self) -> None:
        self._binary.close()
        self._raw.close()

    def bytes_read(self) -> int:
        """How far into the file on disk reading has gone (for progress bars)."""
        return self._raw.tell()

    def _fill(self) -> bool:
        """Decode the next block onto the pending text; False at the end of the file."""
        if self._eof:
            return False
        try:
            data = self._binary.read(READ_BLOCK)
        except (OSError, EOFError) as error:
            raise ReportFileError(
                Message(N_("cannot read the file: %(error)s"), error=str(error))
            ) from error
        try:
            decoded = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            valid = error.object[: error.start].decode(self.facts.encoding, errors="replace")
            line = self._line + _terminators(self._text[self._pos :] + valid) + 1
            raise ReportFileError(
                Message(
                    N_("byte %(byte)s is not valid %(encoding)s"),
                    byte=repr(error.object[error.start : error.end]),
                    encoding=self.facts.encoding,
                ),
                line=line,
            ) from error
        if not data:
            self._eof = True
        if self._pos:
            self._text = self._text[self._pos :]
            self._pos = 0
        self._text += decoded
        return True

    def _readline(self) -> str | None:
        """The next line with its line end (the last line may have none); None at the end."""
        while True:
            found = _EOL.search(self._text, self._pos)
            # A CR at the very end may be the first half of a CRLF still unread.
            if found and not (
                found.group() == "\r" and found.end() == len(self._text) and not self._eof
            ):
                line = self._text[self._pos : found.end()]
                self._pos = found.end()
                self._line += 1
                return line
            if not self._fill():
                if self._pos >= len(self._text):
                    return None
                line = self._text[self._pos :]
                self._pos = len(self._text)
                self._line += 1
                return line

    def _blocks(self) -> Iterator[tuple[int, str]]:
        """(number of its first line, text of whole lines, each ending in a line end)."""
        while True:
            while len(self._text) - self._pos < BLOCK_CHARS and self._fill():
                pass
            text = self._text
            if self._pos >= len(text):
                return
            if self._eof:
                cut = len(text)
            else:
                # After the last LF, or after a CR that is not the last character.
                cut = (
                    max(text.rfind("\n", self._pos), text.rfind("\r", self._pos, len(text) - 1)) + 1
                )
                if cut <= self._pos:  # no whole line yet: read on
                    self._fill()
                    continue
            block = text[self._pos : cut]
            self._pos = cut
            if not block.endswith(("\n", "\r")):
                block += "\n"
            first = self._line + 1
            self._line += _terminators(block)
            yield first, block

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Records of a quoted file, by the line each starts on."""
        buffered = iter(lambda: self._readline() or "", "")
        reader = csv.reader(buffered, delimiter=self.delimiter, quotechar='"', strict=True)
        start = self._line + 1
        try:
            for record in reader:
                if record and any(value for value in record):
                    yield start, record
                start = self._line + 1
        except csv.Error as error:
            raise ReportFileError(
                Message(N_("malformed quoting: %(error)s"), error=str(error)), line=start
            ) from error

    def chunks(self, size: int) -> Iterator[RawChunk]:
        if self.quoted:
            yield from self._quoted_chunks(size)
        else:
            yield from self._plain_chunks(size)

    def _quoted_chunks(self, size: int) -> Iterator[RawChunk]:
        width = len(self.header)
        lines: list[int] = []
        rows: list[list[str]] = []
        broken: list[tuple[int, str]] = []
        for line, fields in self._records():
            if len(fields) != width:
                if len(fields) > width and not any(fields[width:]):
                    fields = fields[:width]
                elif len(fields) < width:
                    # Editors drop trailing empty cells; the missing ones are empty.
                    fields = fields + [""] * (width - len(fields))
                else:
                    broken.append((line, Message(_FIELD_COUNT, count=len(fields), width=width)))
                    continue
            lines.append(line)
            rows.append(fields)
            if len(rows) >= size:
                yield RawChunk(_rows_frame(lines, rows, width), broken)
                lines, rows, broken = [], [], []
        if rows or broken:
            yield RawChunk(_rows_frame(lines, rows, width), broken)

    def _plain_chunks(self, size: int) -> Iterator[RawChunk]:
        """Chunks of `size` rows; a broken line travels with the chunk of the next good row
        after it (or the last chunk), as when rows are gathered one at a time."""
        width = len(self.header)
        pending: list[pl.DataFrame] = []
        held = 0
        broken: list[tuple[int, str]] = []
        for first, text in self._blocks():
            frame = _fast_block(text, first, width) if self.delimiter == "\t" else None
            if frame is None:
                frame, block_broken = _general_block(text, first, width, self.delimiter)
                broken += block_broken
            if frame.height:
                pending.append(frame)
                held += frame.height
            while held >= size:
                joined = pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]
                chunk, rest = joined.slice(0, size), joined.slice(size)
                last = chunk.item(size - 1, LINE_COLUMN)
                mine = [item for item in broken if item[0] < last]
                broken = [item for item in broken if item[0] >= last]
                yield RawChunk(chunk, mine)
                pending = [rest] if rest.height else []
                held = rest.height
        if held or broken:
            joined = pl.concat(pending, rechunk=True) if pending else _rows_frame([], [], width)
            yield RawChunk(joined, broken)
