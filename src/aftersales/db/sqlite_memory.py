"""SQLite's memory statistics off for the whole process (``SQLITE_CONFIG_MEMSTATUS``), so
that connections in different threads stop waiting on each other at every allocation.

Unless it is compiled with ``SQLITE_DEFAULT_MEMSTATUS=0`` (which SQLite's documentation
recommends, and which Debian's and most distributions' builds do not set), SQLite counts
every allocation under one process-wide mutex. Two connections reading at once then spend
their time queueing on it: two big reads of the replenishment benchmark's database took
1.0 s side by side against 0.74 s one after the other; with the statistics off, 0.43-0.47 s
side by side (and 0.70 s one after the other). Nothing in this program reads the statistics
(``sqlite3_memory_used``, a soft heap limit).

Python's ``sqlite3`` module has no ``sqlite3_config()``, and the setting can only change
while SQLite is shut down, so ``disable_statistics`` calls the library the module itself is
linked with (through ctypes): ``sqlite3_shutdown``, ``sqlite3_config``,
``sqlite3_initialize``. That is safe only while the process has no SQLite connection open:
the console script calls it first thing (``aftersales.entry``), before anything can open one.
Where the library cannot be reached that way (a build that hides its symbols, another
platform), nothing changes and ``statistics_off`` stays false."""

from __future__ import annotations

import ctypes
import sqlite3

_SQLITE_OK = 0
_SQLITE_CONFIG_MEMSTATUS = 9

_off = False


def _library() -> ctypes.CDLL | None:
    """The SQLite library the sqlite3 module calls: symbols looked up from the module's own
    extension find the copy it is linked with (a shared libsqlite3 or one built in)."""
    try:
        import _sqlite3

        library = ctypes.CDLL(_sqlite3.__file__)
        library.sqlite3_libversion_number.restype = ctypes.c_int
        for name in ("sqlite3_shutdown", "sqlite3_config", "sqlite3_initialize"):
            getattr(library, name).restype = ctypes.c_int
    except (ImportError, OSError, AttributeError):
        return None
    major, minor, patch = sqlite3.sqlite_version_info
    if library.sqlite3_libversion_number() != major * 1_000_000 + minor * 1_000 + patch:
        return None
    return library


def disable_statistics() -> bool:
    """Turn SQLite's memory statistics off; call only while no SQLite connection is open in
    the process. True when they are off (now or from an earlier call)."""
    global _off
    if _off:
        return True
    library = _library()
    if library is None or library.sqlite3_shutdown() != _SQLITE_OK:
        return False
    configured = library.sqlite3_config(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == _SQLITE_OK
    if library.sqlite3_initialize() != _SQLITE_OK:
        raise sqlite3.OperationalError("SQLite did not initialise again after its shutdown")
    _off = bool(configured)
    return _off


def statistics_off() -> bool:
    """Whether ``disable_statistics`` turned the statistics off in this process: SQLite
    connections in different threads then work side by side."""
    return _off
