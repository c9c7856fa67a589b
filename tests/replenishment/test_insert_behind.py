"""SQLite's bulk insert fed by a thread of its own (``repository._insert_behind``): every
row of every frame written in order, several rows a statement within the library's limit of
bound values, and a failure on either side raised in the caller's thread with nothing left
running or waiting."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import polars as pl
import pytest

from aftersales.replenishment.repository import _insert_behind

COLUMNS = ["n", "label"]


def _database() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT NOT NULL)")
    return connection


def _frames(parts: int, rows: int = 1000) -> Iterator[pl.DataFrame]:
    for part in range(parts):
        first = part * rows
        yield pl.DataFrame(
            {
                "n": range(first, first + rows),
                "label": [f"row {n}" for n in range(first, first + rows)],
            }
        )


def _writers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "aftersales-insert"]


def test_every_row_of_every_frame_is_written() -> None:
    connection = _database()
    _insert_behind(connection.cursor(), "t", COLUMNS, _frames(25))
    assert connection.execute("SELECT count(*), min(n), max(n) FROM t").fetchone() == (
        25_000,
        0,
        24_999,
    )
    assert connection.execute("SELECT label FROM t WHERE n = 12345").fetchone() == ("row 12345",)
    assert _writers() == []


@pytest.mark.parametrize(("bound", "rows"), [(5, 2), (2, 1), (999, 7), (32766, 7)])
def test_rows_beyond_whole_statements_are_written_too(bound: int, rows: int) -> None:
    """With room for two rows a statement (5 values of 2 columns), or one, or 100 (the
    default), every row arrives whatever is left after the whole statements."""
    connection = _database()
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, bound)
    frames = [*_frames(3, rows=101), *_frames(1, rows=rows)]
    frames[-1] = frames[-1].with_columns(pl.col("n") + 303)
    _insert_behind(connection.cursor(), "t", COLUMNS, iter(frames))
    stored = connection.execute("SELECT n, label FROM t ORDER BY n").fetchall()
    assert stored == [(n, f"row {n - 303 if n >= 303 else n}") for n in range(303 + rows)]


def test_a_failed_insert_is_raised_and_stops_the_frames() -> None:
    connection = _database()
    made: list[int] = []

    def frames() -> Iterator[pl.DataFrame]:
        for number, frame in enumerate(_frames(40)):
            made.append(number)
            # The third frame repeats the first one's keys.
            yield frame if number != 2 else frame.with_columns(pl.col("n") - 2000)

    with pytest.raises(sqlite3.IntegrityError):
        _insert_behind(connection.cursor(), "t", COLUMNS, frames())
    assert len(made) < 40
    assert _writers() == []


def test_a_failed_frame_is_raised_and_ends_the_insert() -> None:
    connection = _database()

    def frames() -> Iterator[pl.DataFrame]:
        yield from _frames(3)
        raise ValueError("no fourth frame")

    with pytest.raises(ValueError, match="no fourth frame"):
        _insert_behind(connection.cursor(), "t", COLUMNS, frames())
    assert _writers() == []
    # What came before the failure was inserted; the caller's transaction decides.
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (3000,)
