"""Engine creation (WAL on SQLite) and the unit of work the transports own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from aftersales.config import get_settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # savepoints and an all-or-nothing import behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Writers queue behind each other (BEGIN IMMEDIATE); a long import holds the lock.
    cursor.execute("PRAGMA busy_timeout=30000")
    # Bulk upserts touch several indexes in key order, not insertion order: with the
    # default 2 MB page cache they thrash. 256 MB is allocated only as pages are used.
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


# SQLite answers SQLITE_BUSY at once (no waiting) to a deferred transaction that first reads
# and then writes when another connection committed in between. BEGIN IMMEDIATE takes the
# write lock up front, so concurrent writers queue on busy_timeout instead of failing.
# Units of work declared read-only (page views) stay deferred and never wait.
READ_ONLY = "aftersales_read_only"


def _sqlite_begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


# Weak: an engine dropped from get_engine's cache (tests clear it) is not kept alive here.
_engines: WeakSet[Engine] = WeakSet()


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    engine = make_engine(url or get_settings().resolved_database_url)
    _engines.add(engine)
    return engine


def dispose_engines() -> None:
    """Close the pooled connections of every engine ``get_engine`` made (a process about to
    exit without its teardown, see ``aftersales.entry``)."""
    for engine in list(_engines):
        engine.dispose()


_read_only_engines: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def _read_only(engine: Engine) -> Engine:
    """The same engine and pool, with connections marked read-only for ``_sqlite_begin``."""
    found = _read_only_engines.get(engine)
    if found is None:
        found = engine.execution_options(**{READ_ONLY: True})
        _read_only_engines[engine] = found
    return found


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


_override: Callable[[], Session] | None = None


def override_sessions(factory: Callable[[], Session] | None) -> None:
    """Make every unit of work use ``factory`` (tests: sessions on one rolled-back connection)."""
    global _override
    _override = factory


@contextmanager
def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> Iterator[Session]:
    """Commit when the block succeeds, roll back when it raises: services never commit.

    ``write=False`` declares a read-only unit of work (see ``_may_write``).
    """
    if _override is not None:
        session = _override()
    else:
        bound = engine or get_engine()
        session = session_factory(bound if write else _read_only(bound))()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
