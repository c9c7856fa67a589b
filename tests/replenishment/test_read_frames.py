"""The replenishment reads' frames (``repository._frame``): every value arrives as stored,
whatever it holds (separators, quotes, NULL, big integers, every digit of a REAL), on
SQLite (one CSV text built by SQLite) and PostgreSQL (COPY)."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.orm import Session

from aftersales.replenishment import repository as run_repository

ROWS = [
    ("plain", 1, 0.1, date(2026, 5, 1)),
    ("a,b", -5, 1 / 3, date(2026, 5, 2)),
    ('it\'s "quoted"', 2**62, 1e-300, date(2026, 5, 3)),
    ("中文 SKU", 0, 123456789.123456789, None),
    (None, None, None, date(2026, 5, 4)),
]
SCHEMA = {"sku": pl.String, "units": pl.Int64, "share": pl.Float64, "day": pl.Date}


def _table(session: Session) -> Table:
    """A temporary table holding ROWS (gone with the test's transaction)."""
    table = Table(
        "read_frame_values",
        MetaData(),
        Column("position", Integer, primary_key=True),
        Column("sku", String),
        Column("units", BigInteger),
        Column("share", Double),
        Column("day", Date),
        prefixes=["TEMPORARY"],
    )
    table.create(session.connection())
    session.execute(
        insert(table),
        [dict(zip(["position", *SCHEMA], [n, *row], strict=True)) for n, row in enumerate(ROWS)],
    )
    return table


def test_values_arrive_as_stored(session: Session) -> None:
    table = _table(session)
    statement = select(table.c.sku, table.c.units, table.c.share, table.c.day).order_by(
        table.c.position
    )
    read = run_repository._frame(session, statement, SCHEMA)
    assert read.schema == pl.Schema(SCHEMA)
    assert read.rows() == ROWS


def test_no_rows_is_an_empty_frame(session: Session) -> None:
    table = _table(session)
    statement = select(table.c.sku, table.c.units).where(table.c.units > 2**62)
    read = run_repository._frame(session, statement, {"sku": pl.String, "units": pl.Int64})
    assert (read.height, read.columns) == (0, ["sku", "units"])
