"""All SQL of the importer: bulk upserts on natural keys (SQLite and PostgreSQL), batches."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from sqlalchemy import Index, Table, func, select, text
from sqlalchemy.orm import Session

from aftersales.imports.targets import ORDER_LINKED, Target
from aftersales.models import ImportBatch

FACT_COLUMNS = ("store_id", "marketplace_id", "natural_key", "import_batch_id", "extra")
# A load at least this big into a table at most BULK_TABLE_RATIO times its size rebuilds the
# secondary indexes once at the end instead of updating them row by row (SQLite only).
BULK_MIN_ROWS = 200_000
BULK_TABLE_RATIO = 4
# What SQLAlchemy's SQLite DateTime type writes, so ORM reads and our bulk writes agree.
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"


def _serialize(frame: pl.DataFrame, dialect: str) -> pl.DataFrame:
    conversions = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            formatted = pl.col(name).dt.strftime(SQLITE_DATETIME)
            if dialect == "postgresql":
                formatted = formatted + pl.lit("+00")
            conversions.append(formatted.alias(name))
        elif dtype == pl.Date:
            conversions.append(pl.col(name).dt.strftime("%Y-%m-%d").alias(name))
    return frame.with_columns(conversions) if conversions else frame


class Upserter:
    """Writes frames into one target table, reporting how many rows were new or changed."""

    def __init__(self, session: Session, target: Target, columns: list[str]) -> None:
        self.session = session
        self.target = target
        self.table: Table = target.table
        self.columns = columns
        self.dialect = session.get_bind().dialect.name
        self._stage: str | None = None
        self._dropped: list[Index] = []

    def prepare_bulk_load(self, expected_rows: int) -> None:
        """Drop the secondary indexes of a big SQLite load; `finish` rebuilds them.

        Both happen inside the import's transaction, so a rejected file leaves the indexes
        as they were. Sorting once is far cheaper than inserting keys in random order.
        """
        if self.dialect != "sqlite" or expected_rows < BULK_MIN_ROWS:
            return
        existing = self.session.execute(select(func.count()).select_from(self.table)).scalar_one()
        if existing > BULK_TABLE_RATIO * expected_rows:
            return
        self._dropped = [index for index in self.table.indexes if not index.unique]
        for index in self._dropped:
            self.session.execute(text(f"DROP INDEX IF EXISTS {index.name}"))

    def finish(self) -> None:
        for index in self._dropped:
            index.create(self.session.connection())
        self._dropped = []

    def _set_clause(self) -> tuple[str, str]:
        """(SET ..., WHERE changed) for the ON CONFLICT branch."""
        conflict = set(self.target.conflict)
        name = self.table.name
        distinct = "IS NOT" if self.dialect == "sqlite" else "IS DISTINCT FROM"
        assignments, changed = [], []
        for column in self.columns:
            if column in conflict:
                continue
            if self.target.fill_only or column == "marketplace_id":
                value = f"COALESCE(excluded.{column}, {name}.{column})"
            else:
                value = f"excluded.{column}"
            assignments.append(f"{column} = {value}")
            if column != "import_batch_id":
                changed.append(f"{name}.{column} {distinct} {value}")
        return ", ".join(assignments), " OR ".join(changed)

    def _count(self, store_id: int) -> int:
        statement = (
            select(func.count()).select_from(self.table).where(self.table.c.store_id == store_id)
        )
        return int(self.session.execute(statement).scalar_one())

    def write(self, frame: pl.DataFrame, store_id: int) -> tuple[int, int]:
        """Upsert `frame` (columns in self.columns order); returns (inserted, updated)."""
        if frame.height == 0:
            return 0, 0
        frame = _serialize(frame.select(self.columns), self.dialect)
        if self.dialect == "sqlite":
            return self._write_sqlite(frame, store_id)
        return self._write_postgres(frame)

    def _write_sqlite(self, frame: pl.DataFrame, store_id: int) -> tuple[int, int]:
        columns = ", ".join(self.columns)
        marks = ", ".join("?" for _ in self.columns)
        assignments, changed = self._set_clause()
        sql = (
            f"INSERT INTO {self.table.name} ({columns}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(self.target.conflict)}) DO UPDATE SET {assignments} "
            f"WHERE {changed}"
        )
        before = self._count(store_id)
        cursor = self.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(sql, frame.iter_rows())
        changes = cursor.rowcount
        cursor.close()
        inserted = self._count(store_id) - before
        return inserted, changes - inserted

    def _write_postgres(self, frame: pl.DataFrame) -> tuple[int, int]:
        connection: Any = self.session.connection().connection.driver_connection
        columns = ", ".join(self.columns)
        if self._stage is None:
            self._stage = f"_stage_{self.table.name}"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {self._stage} AS "
                    f"SELECT {columns} FROM {self.table.name} WITH NO DATA"
                )
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="", quote_style="non_numeric")
        assignments, changed = self._set_clause()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self._stage}")
            with cursor.copy(
                f"COPY {self._stage} ({columns}) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(buffer.getvalue())
            cursor.execute(
                f"WITH written AS (INSERT INTO {self.table.name} ({columns}) "
                f"SELECT {columns} FROM {self._stage} "
                f"ON CONFLICT ({', '.join(self.target.conflict)}) DO UPDATE SET {assignments} "
                f"WHERE {changed} RETURNING (xmax = 0) AS inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
                "FROM written"
            )
            inserted, updated = cursor.fetchone()
        return int(inserted), int(updated)


def fill_marketplaces_from_orders(session: Session, store_id: int) -> None:
    """Rows that name an order but came without a marketplace take the order's."""
    for table, order_column in ORDER_LINKED.items():
        session.execute(
            text(
                f"UPDATE {table} SET marketplace_id = (SELECT o.marketplace_id FROM orders o "
                f"WHERE o.store_id = {table}.store_id AND o.natural_key = {table}.{order_column}) "
                f"WHERE store_id = :store AND marketplace_id IS NULL AND {order_column} IS NOT NULL "
                f"AND EXISTS (SELECT 1 FROM orders o WHERE o.store_id = {table}.store_id "
                f"AND o.natural_key = {table}.{order_column} AND o.marketplace_id IS NOT NULL)"
            ),
            {"store": store_id},
        )


def add_batch(session: Session, batch: ImportBatch) -> ImportBatch:
    session.add(batch)
    session.flush()
    return batch


def earlier_snapshot_date(session: Session, *, store_id: int, sha256: str) -> Any:
    """The snapshot date an earlier import of the very same file used, if any."""
    return session.execute(
        select(ImportBatch.snapshot_date)
        .where(ImportBatch.store_id == store_id, ImportBatch.sha256 == sha256)
        .where(ImportBatch.snapshot_date.is_not(None))
        .order_by(ImportBatch.id)
        .limit(1)
    ).scalar_one_or_none()


def list_batches(session: Session, *, store_ids: list[int] | None, limit: int) -> list[ImportBatch]:
    statement = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    if store_ids is not None:
        statement = statement.where(ImportBatch.store_id.in_(store_ids))
    return list(session.execute(statement).scalars())
