"""PostgreSQL housekeeping for the benchmarks, run as a subprocess to keep the harness small."""

from __future__ import annotations

import argparse
import contextlib
import sys

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow


def ensure_database(admin_conninfo: str, name: str) -> str:
    """Create database `name` if missing (through `admin_conninfo`); return the server version."""
    with psycopg.connect(admin_conninfo, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def reset_schema(conninfo: str) -> None:
    """Empty the database (drop and recreate schema public), then CHECKPOINT."""
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        checkpoint(conn)


def checkpoint(conn: psycopg.Connection[TupleRow]) -> None:
    """Flush dirty buffers, so a timed run does not pay for earlier writes (needs superuser)."""
    with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
        conn.execute("CHECKPOINT")


def empty_tables(conninfo: str, tables: list[str]) -> None:
    """Delete every row of ``tables`` and vacuum them (autovacuum may be off), then
    CHECKPOINT: the tables as a first run finds them."""
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
        for table in tables:
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
        checkpoint(conn)


def main(argv: list[str] | None = None) -> int:
    """Run one housekeeping action; print the server version for `ensure-db`."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    ensure = sub.add_parser("ensure-db", help="create the benchmark database if missing")
    ensure.add_argument("admin_conninfo")
    ensure.add_argument("name")
    reset = sub.add_parser("reset", help="drop and recreate schema public, then CHECKPOINT")
    reset.add_argument("conninfo")
    check = sub.add_parser("checkpoint", help="CHECKPOINT")
    check.add_argument("conninfo")
    empty = sub.add_parser("empty", help="delete every row of tables, vacuum, CHECKPOINT")
    empty.add_argument("conninfo")
    empty.add_argument("tables", nargs="+")
    args = parser.parse_args(argv)
    try:
        if args.action == "ensure-db":
            print(ensure_database(args.admin_conninfo, args.name))
        elif args.action == "reset":
            reset_schema(args.conninfo)
        elif args.action == "empty":
            empty_tables(args.conninfo, args.tables)
        else:
            with psycopg.connect(args.conninfo, autocommit=True, connect_timeout=5) as conn:
                checkpoint(conn)
    except psycopg.Error as exc:
        print(f"{type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
