"""All SQL of the importer: bulk upserts on natural keys (SQLite and PostgreSQL), batches."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
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
HASH_COLUMN = "row_hash"
HASH_SEED = 0x5EED_0001
INDEX = "__index"
EXISTS = "__exists"
STORED_HASH = "__stored_hash"
# SQLite: a re-imported file lists its stored rows in about the order they were inserted.
# Up to WINDOW_SAMPLE keys of a chunk (first and last included) are looked up; when they
# lie within WINDOW_SPREAD times the chunk's height of ids, the (natural_key, row_hash) of
# that id range are read in one sequential scan and compared in memory, which costs a
# fraction of one index lookup a row. Keys not found there are still looked up one by one.
WINDOW_SAMPLE = 16
WINDOW_SPREAD = 2
# Separates the keys inside one group_concat; a key holding it shows up as a count mismatch.
KEY_SEPARATOR = "\x1f"
# The page cache (256 MB, see db.session) while scanning: pages read once need no keeping.
SCAN_CACHE_KIB = 8192


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
    """Writes frames into one target table, reporting how many rows were new or changed.

    Fact targets carry a row hash (HASH_COLUMN) of the values they compare: a row whose
    stored hash equals the incoming one is unchanged and is not written at all; every other
    existing row goes through the exact column-by-column comparison, so a hash that is
    stale or unknown (NULL, another Polars build) costs time, never a wrong count.
    """

    def __init__(self, session: Session, target: Target, columns: list[str]) -> None:
        self.session = session
        self.target = target
        self.table: Table = target.table
        self.columns = columns
        self.dialect = session.get_bind().dialect.name
        self.hashed = target.is_fact
        conflict = set(target.conflict)
        self.compared = [c for c in columns if c not in conflict and c != "import_batch_id"]
        self.written = [*columns, HASH_COLUMN] if self.hashed else list(columns)
        self._stage: str | None = None
        self._stage_analyzed = False
        self._dropped: list[Index] = []
        self._bulk_expected = 0
        # SQLite: whether the next chunk is expected to be mostly new rows (insert first,
        # look up the rest) or mostly known ones (look up first); None: not decided yet.
        self._expect_new: bool | None = None

    def prepare_bulk_load(self, expected_rows: int) -> None:
        """Note a big SQLite load: `_after_first_chunk` may drop the secondary indexes and
        `finish` rebuilds them.

        Both happen inside the import's transaction, so a rejected file leaves the indexes
        as they were. Sorting once is far cheaper than inserting keys in random order; but
        a re-import that inserts nothing keeps them (the decision waits for the first chunk).
        """
        if self.dialect != "sqlite" or expected_rows < BULK_MIN_ROWS:
            return
        self._bulk_expected = expected_rows

    def _after_first_chunk(self, inserted: int, height: int) -> None:
        expected, self._bulk_expected = self._bulk_expected, 0
        if not expected or height == 0:
            return
        new_rows = expected * inserted // height
        if new_rows < BULK_MIN_ROWS:
            return
        existing = self.session.execute(select(func.count()).select_from(self.table)).scalar_one()
        if existing > BULK_TABLE_RATIO * new_rows:
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
        name = self.table.name
        distinct = "IS NOT" if self.dialect == "sqlite" else "IS DISTINCT FROM"
        assignments, changed = [], []
        for column in self.columns:
            if column in self.target.conflict:
                continue
            if self.target.fill_only or column == "marketplace_id":
                value = f"COALESCE(excluded.{column}, {name}.{column})"
            else:
                value = f"excluded.{column}"
            assignments.append(f"{column} = {value}")
            if column in self.compared:
                changed.append(f"{name}.{column} {distinct} {value}")
        if self.hashed:
            assignments.append(f"{HASH_COLUMN} = excluded.{HASH_COLUMN}")
        return ", ".join(assignments), " OR ".join(changed)

    def _upsert_sql(self) -> str:
        assignments, changed = self._set_clause()
        return (
            f"INSERT INTO {self.table.name} ({', '.join(self.written)}) "
            f"VALUES ({', '.join('?' for _ in self.written)}) "
            f"ON CONFLICT ({', '.join(self.target.conflict)}) DO UPDATE SET {assignments} "
            f"WHERE {changed}"
        )

    def _count(self, store_id: int) -> int:
        statement = (
            select(func.count()).select_from(self.table).where(self.table.c.store_id == store_id)
        )
        return int(self.session.execute(statement).scalar_one())

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows of `frame` as `write` takes them: the written columns, with the row hash.

        Touches no database, so that it may run beside a `write` of an earlier chunk.
        """
        frame = frame.select(self.columns)
        if self.hashed:
            frame = frame.with_columns(row_hash(frame, self.compared))
        return frame

    def write(self, frame: pl.DataFrame, store_id: int) -> tuple[int, int]:
        """Upsert a frame from `prepare`; returns (inserted, updated)."""
        if frame.height == 0:
            return 0, 0
        if self.dialect != "sqlite":
            return self._write_postgres(_serialize(frame, self.dialect))
        first = self._expect_new is None
        if not self.hashed:
            inserted, updated = self._write_sqlite_counted(frame, store_id)
        else:
            inserted, updated = self._write_sqlite_hashed(frame, store_id)
        if first:
            self._after_first_chunk(inserted, frame.height)
        self._expect_new = inserted * 2 >= frame.height
        return inserted, updated

    def _cursor(self) -> Any:
        return self.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]

    def _write_sqlite_counted(self, frame: pl.DataFrame, store_id: int) -> tuple[int, int]:
        """Targets without a row hash (products: few rows a chunk): one upsert, counted."""
        before = self._count(store_id)
        cursor = self._cursor()
        cursor.executemany(self._upsert_sql(), _serialize(frame, "sqlite").iter_rows())
        changes = cursor.rowcount
        cursor.close()
        inserted = self._count(store_id) - before
        return inserted, changes - inserted

    def _write_sqlite_hashed(self, frame: pl.DataFrame, store_id: int) -> tuple[int, int]:
        if self._expect_new is None:
            self._expect_new = not self._has_rows(store_id)
        cursor = self._cursor()
        try:
            if self._expect_new:
                # Keys already stored are skipped here and looked at just below.
                cursor.executemany(
                    self._insert_sql(" ON CONFLICT DO NOTHING"),
                    _serialize(frame, "sqlite").iter_rows(),
                )
                inserted = cursor.rowcount
                if inserted == frame.height:
                    return inserted, 0
                # The rows just inserted carry the incoming hash: they are not pending.
                pending = self._pending(cursor, frame, store_id)
            else:
                pending = self._pending_by_window(cursor, frame, store_id)
                new = self._rows(frame, pending.filter(~pl.col(EXISTS)))
                cursor.executemany(self._insert_sql(""), new.iter_rows())
                inserted = new.height
            differing = self._rows(frame, pending.filter(pl.col(EXISTS)))
            return inserted, self._update_changed(cursor, differing)
        finally:
            cursor.close()

    def _insert_sql(self, suffix: str) -> str:
        return (
            f"INSERT INTO {self.table.name} ({', '.join(self.written)}) "
            f"VALUES ({', '.join('?' for _ in self.written)}){suffix}"
        )

    def _has_rows(self, store_id: int) -> bool:
        statement = select(self.table.c.id).where(self.table.c.store_id == store_id).limit(1)
        return self.session.execute(statement).first() is not None

    def _pending(self, cursor: Any, frame: pl.DataFrame, store_id: int) -> pl.DataFrame:
        """The rows of `frame` not stored with the same hash: (INDEX: position in `frame`,
        EXISTS: whether the key is stored). One index lookup a row, inside SQLite."""
        keys = frame.select(pl.col("natural_key").alias("k"), pl.col(HASH_COLUMN).alias("h"))
        cursor.execute(
            f"SELECT s.key, t.id IS NOT NULL FROM json_each(?) AS s "
            f"LEFT JOIN {self.table.name} AS t ON t.store_id = ? "
            f"AND t.natural_key = json_extract(s.value, '$.k') "
            f"WHERE t.id IS NULL OR t.{HASH_COLUMN} IS NOT json_extract(s.value, '$.h')",
            (keys.write_json(), store_id),
        )
        return pl.DataFrame(
            cursor.fetchall(), schema={INDEX: pl.Int64, EXISTS: pl.Boolean}, orient="row"
        )

    def _pending_by_window(self, cursor: Any, frame: pl.DataFrame, store_id: int) -> pl.DataFrame:
        """As `_pending`, comparing in memory with the stored pairs of the chunk's id range
        (see WINDOW_SAMPLE); the keys not in that range are looked up one by one."""
        window = self._window(cursor, frame, store_id)
        stored = self._stored_pairs(cursor, store_id, *window) if window else None
        if stored is None:
            return self._pending(cursor, frame, store_id)
        probe = frame.select("natural_key", HASH_COLUMN).with_row_index(INDEX)
        found = probe.join(stored, on="natural_key", how="inner")
        differing = found.filter(pl.col(STORED_HASH).ne_missing(pl.col(HASH_COLUMN)))
        pending = differing.select(pl.col(INDEX).cast(pl.Int64), pl.lit(True).alias(EXISTS))
        elsewhere = probe.filter(~pl.col(INDEX).is_in(found.get_column(INDEX).implode()))
        if elsewhere.height:
            positions = elsewhere.get_column(INDEX).cast(pl.Int64)
            looked_up = self._pending(cursor, frame[positions], store_id)
            looked_up = looked_up.with_columns(positions.gather(looked_up.get_column(INDEX)))
            pending = pl.concat([pending, looked_up])
        return pending.sort(INDEX)

    def _window(self, cursor: Any, frame: pl.DataFrame, store_id: int) -> tuple[int, int] | None:
        """The id range holding the chunk's stored rows, judged from a sample of its keys;
        None when they are mostly new or spread over the table."""
        step = max((frame.height - 1) / (WINDOW_SAMPLE - 1), 1)
        positions = sorted({min(round(n * step), frame.height - 1) for n in range(WINDOW_SAMPLE)})
        keys = frame.get_column("natural_key").gather(positions).to_list()
        # CROSS JOIN keeps the few keys as the outer loop (else SQLite may scan the table).
        cursor.execute(
            f"SELECT count(*), min(t.id), max(t.id) FROM json_each(?) AS s "
            f"CROSS JOIN {self.table.name} AS t ON t.store_id = ? AND t.natural_key = s.value",
            (json.dumps(keys), store_id),
        )
        found, low, high = cursor.fetchone()
        if found * 2 < len(keys) or high - low >= WINDOW_SPREAD * frame.height:
            return None
        return int(low), int(high)

    def _stored_pairs(self, cursor: Any, store_id: int, low: int, high: int) -> pl.DataFrame | None:
        """(natural_key, STORED_HASH) of the store's rows with ids low..high, read as two
        strings (group_concat) that Polars splits: as Python tuples they would cost more
        than the scan. None when a key holds the separator."""
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SCAN_CACHE_KIB}")
        try:
            cursor.execute(
                f"SELECT count(*), group_concat(natural_key, ?), "
                f"group_concat(coalesce({HASH_COLUMN}, ''), ',') FROM {self.table.name} "
                f"WHERE +store_id = ? AND id BETWEEN ? AND ?",
                (KEY_SEPARATOR, store_id, low, high),
            )
            count, keys, hashes = cursor.fetchone()
        finally:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")
        if not count:
            return None
        natural_keys = pl.Series("natural_key", [keys]).str.split(KEY_SEPARATOR).explode()
        if natural_keys.len() != count:
            return None
        # NULL (or anything but an integer) reads as null: compared column by column.
        stored_hashes = (
            pl.Series(STORED_HASH, [hashes]).str.split(",").explode().cast(pl.Int64, strict=False)
        )
        return pl.DataFrame([natural_keys, stored_hashes])

    def _rows(self, frame: pl.DataFrame, pending: pl.DataFrame) -> pl.DataFrame:
        """The rows of `frame` at the positions in `pending`, ready for SQLite."""
        if pending.height == 0:
            return frame.clear()
        return _serialize(frame[pending.get_column(INDEX)], "sqlite")

    def _update_changed(self, cursor: Any, differing: pl.DataFrame) -> int:
        """Compare stored rows whose hash differs column by column; returns rows updated."""
        if differing.height == 0:
            return 0
        cursor.executemany(self._upsert_sql(), differing.iter_rows())
        updated = int(cursor.rowcount)
        if updated < differing.height:
            # Same values under another hash (a row from before hashes, another build):
            # record the hash so that the next import skips them.
            cursor.executemany(
                f"UPDATE {self.table.name} SET {HASH_COLUMN} = ? WHERE store_id = ? "
                f"AND natural_key = ? AND {HASH_COLUMN} IS NOT ?",
                differing.select(
                    HASH_COLUMN, "store_id", "natural_key", pl.col(HASH_COLUMN).alias("__again")
                ).iter_rows(),
            )
        return updated

    def _write_postgres(self, frame: pl.DataFrame) -> tuple[int, int]:
        connection: Any = self.session.connection().connection.driver_connection
        columns = ", ".join(self.written)
        table = self.table.name
        if self._stage is None:
            self._stage = f"_stage_{table}"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {self._stage} AS "
                    f"SELECT {columns} FROM {table} WITH NO DATA"
                )
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="", quote_style="non_numeric")
        assignments, changed = self._set_clause()
        conflict = ", ".join(self.target.conflict)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {self._stage}")
            with cursor.copy(
                f"COPY {self._stage} ({columns}) FROM STDIN WITH (FORMAT csv)"
            ) as copy:
                copy.write(buffer.getvalue())
            staged = frame.height
            if self.hashed:
                if not self._stage_analyzed:
                    # Once, on the join columns: later chunks keep the row density it
                    # records (the planner scales it by the current size). Every chunk, on
                    # all columns, it cost ~0.3 s a chunk.
                    cursor.execute(f"ANALYZE {self._stage} (store_id, natural_key, {HASH_COLUMN})")
                    self._stage_analyzed = True
                # Stored rows with the very same hash are unchanged: nothing to write.
                cursor.execute(
                    f"DELETE FROM {self._stage} AS s USING {table} AS t "
                    f"WHERE t.store_id = s.store_id AND t.natural_key = s.natural_key "
                    f"AND t.{HASH_COLUMN} = s.{HASH_COLUMN}"
                )
                staged -= cursor.rowcount
                if staged == 0:
                    return 0, 0
            cursor.execute(
                f"WITH written AS (INSERT INTO {table} ({columns}) "
                f"SELECT {columns} FROM {self._stage} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments} "
                f"WHERE {changed} RETURNING (xmax = 0) AS inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
                "FROM written"
            )
            inserted, updated = (int(n) for n in cursor.fetchone())
            if self.hashed and inserted + updated < staged:
                # Same values under another hash: record it for the next import.
                cursor.execute(
                    f"UPDATE {table} AS t SET {HASH_COLUMN} = s.{HASH_COLUMN} "
                    f"FROM {self._stage} AS s WHERE t.store_id = s.store_id "
                    f"AND t.natural_key = s.natural_key "
                    f"AND t.{HASH_COLUMN} IS DISTINCT FROM s.{HASH_COLUMN}"
                )
        return inserted, updated


def row_hash(frame: pl.DataFrame, columns: list[str]) -> pl.Series:
    """A 64-bit hash of each row's `columns` (typed values), as a signed integer.

    Stable for one Polars build; another build may hash differently, which only sends
    rows through the exact comparison once (see Upserter).
    """
    hashed = frame.select(columns).hash_rows(seed=HASH_SEED)
    return hashed.reinterpret(signed=True).alias(HASH_COLUMN)


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


def newest_batch_id(session: Session, *, store_ids: Sequence[int]) -> int:
    newest = session.execute(
        select(func.max(ImportBatch.id)).where(ImportBatch.store_id.in_(store_ids))
    ).scalar_one()
    return int(newest or 0)
