"""SQLite's memory statistics turned off for the process (``db.sqlite_memory``), checked on
the library the sqlite3 module uses: with them on it counts the bytes a connection
allocates, with them off it counts nothing. Each case runs in a fresh interpreter: the
switch is only safe before any SQLite connection is open."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import ctypes, json, sqlite3, sys
from aftersales.db import sqlite_memory

switched = sqlite_memory.disable_statistics() if sys.argv[1] == "off" else False
library = sqlite_memory._library()
library.sqlite3_memory_used.restype = ctypes.c_int64
connection = sqlite3.connect(":memory:")
connection.execute("CREATE TABLE t (x)")
connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(5000)])
total = connection.execute("SELECT sum(x) FROM t").fetchone()[0]
print(json.dumps({
    "switched": switched,
    "off": sqlite_memory.statistics_off(),
    "again": sqlite_memory.disable_statistics() if switched else None,
    "counted": library.sqlite3_memory_used(),
    "total": total,
}))
"""


def _probe(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_statistics_count_allocations_until_they_are_turned_off() -> None:
    on = _probe("on")
    assert (on["switched"], on["off"], on["total"]) == (False, False, sum(range(5000)))
    assert isinstance(on["counted"], int)
    assert on["counted"] > 10_000
    off = _probe("off")
    assert (off["switched"], off["off"], off["again"]) == (True, True, True)
    # SQLite works as before and keeps no count.
    assert (off["counted"], off["total"]) == (0, sum(range(5000)))
