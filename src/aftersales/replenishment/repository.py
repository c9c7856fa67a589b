"""SQL of a replenishment run: the inputs of every listing of a store read into Polars frames
in a few set-based queries, and the results written back in bulk."""

from __future__ import annotations

import io
import itertools
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from aftersales.inventory.repository import is_latest, latest_days
from aftersales.models import (
    DailySales,
    FbaReturn,
    FirstSale,
    ImportBatch,
    InboundLevel,
    InboundPlan,
    InboundPlanItem,
    InventorySnapshot,
    LatestInventory,
    LocalStock,
    PlanStatus,
    Product,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Refund,
    ReplenishmentResult,
    ReplenishmentRun,
    StockoutSpan,
    Store,
)
from aftersales.models.inventory import INBOUND_COLUMNS, INVENTORY_SOURCE_PREFERENCE
from aftersales.replenishment.inbound_eta import LEVEL_SCHEMA, SHIPPED_SCHEMA
from aftersales.replenishment.inputs import STOCKOUT_SCHEMA
from aftersales.replenishment.sales_repository import day_of

KEY = ["marketplace_id", "sku"]
# The return report's disposition of a unit put back into sellable stock, and the settlement
# fulfilment id of a seller-fulfilled order (its returns never reach an FC).
SELLABLE = "SELLABLE"
MERCHANT_FULFILLED = "MFN"


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _sqlite_value(value: Any) -> Any:
    # As db.types.UTCDateTime and SQLAlchemy's Date store them, so text comparisons hold.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_line(names: list[str], dtypes: list[Any]) -> str:
    """The SQLite expression of one CSV line of the columns ``names``, quoted as SQL quotes
    them (NULL bare). Text, dates and integers go through one printf('%Q'): a quote() and a
    concatenation a value allocated a string each, and took twice as long on big reads.
    Other values keep quote(), which writes a REAL with every digit it needs."""
    formats, arguments = [], []
    for name, dtype in zip(names, dtypes, strict=True):
        if dtype in (pl.String, pl.Date, pl.Datetime) or dtype.is_integer():
            formats.append("%Q")
            arguments.append(name)
        else:
            formats.append("%s")
            arguments.append(f"quote({name})")
    return f"printf('{','.join(formats)}', {', '.join(arguments)})"


def _frame(session: Session, statement: Any, schema: dict[str, Any]) -> pl.DataFrame:
    """Rows of a Core statement as a frame, read by the driver without per-value conversion
    (SQLite: plain cursor rows; PostgreSQL: COPY … TO STDOUT as CSV)."""
    connection = session.connection()
    # render_postcompile: an IN list (a read limited to some SKUs) as plain parameters.
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    read = {name: (pl.String if dtype == pl.Date else dtype) for name, dtype in schema.items()}
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if _dialect(session) == "postgresql":
            buffer = io.BytesIO()
            with cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for block in copy:
                    buffer.write(block)
            if buffer.tell() == 0:
                return pl.DataFrame(schema=schema)
            buffer.seek(0)
            frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=read)
        else:
            values = [_sqlite_value(params[name]) for name in compiled.positiontup or ()]
            # One CSV text built inside SQLite and parsed by Polars: creating a Python tuple
            # per row costs several times more than the query itself on big reads. Handed
            # over as bytes (a BLOB): Polars parses bytes in place, while a str (a TEXT
            # result) was decoded, then read through a text stream, at twice the cost.
            names = [f"c{position}" for position in range(len(schema))]
            line = _csv_line(names, list(schema.values()))
            cursor.execute(
                f"WITH q({', '.join(names)}) AS ({compiled}) "
                f"SELECT CAST(group_concat({line}, char(10)) AS BLOB) FROM q",
                values,
            )
            text = cursor.fetchone()[0]
            if not text:
                return pl.DataFrame(schema=schema)
            frame = pl.read_csv(
                text,
                has_header=False,
                new_columns=list(schema),
                schema=read,
                quote_char="'",
                null_values="NULL",
            )
    finally:
        cursor.close()
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    if dates:
        frame = frame.with_columns(
            pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d") for name in dates
        )
    return frame


def store_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Store.id).order_by(Store.id)))


def store_by_name(session: Session, name: str) -> Store | None:
    return session.scalars(select(Store).where(Store.name == name)).one_or_none()


@dataclass(frozen=True)
class Only:
    """The listings a read is limited to: some SKUs in every marketplace (``skus``), or each
    marketplace's own SKUs (``listings``: (marketplace id, SKUs) pairs). Either way each
    listing is one seek of the (store, marketplace, SKU, day) index, not a scan of the store."""

    skus: tuple[str, ...] = ()
    listings: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def sku(cls, sku: str) -> Only:
        return cls(skus=(sku,))

    @classmethod
    def of(cls, keys: pl.DataFrame) -> Only:
        """The listings of a frame with KEY columns."""
        grouped = keys.group_by("marketplace_id").agg(pl.col("sku").unique().sort())
        return cls(
            listings=tuple(
                (market_id, tuple(skus)) for market_id, skus in sorted(grouped.iter_rows())
            )
        )

    def keys(self) -> pl.DataFrame | None:
        """The listings as a KEY frame (None: every marketplace of the SKUs)."""
        if not self.listings:
            return None
        return pl.DataFrame(
            [(market_id, sku) for market_id, skus in self.listings for sku in skus],
            schema={"marketplace_id": pl.String, "sku": pl.String},
            orient="row",
        )


def _in(column: Any, values: Sequence[str]) -> Any:
    return column == values[0] if len(values) == 1 else column.in_(values)


def _only(only: Only | None, model: Any) -> list[Any]:
    """The condition of a read limited to ``only`` (None: the whole store)."""
    if only is None:
        return []
    if not only.listings:
        return [_in(model.sku, only.skus)]
    return [
        or_(
            *(
                and_(model.marketplace_id == market_id, _in(model.sku, skus))
                for market_id, skus in only.listings
            )
        )
    ]


def daily_sales(
    session: Session,
    *,
    store_id: int,
    first: date,
    last: date,
    only: Only | None = None,
) -> pl.DataFrame:
    """(marketplace_id, sku, day, units) of the store's days from ``first`` to ``last`` (of
    one SKU when ``sku`` is given, as in every read below)."""
    statement = select(
        DailySales.marketplace_id, DailySales.sku, DailySales.day, DailySales.units
    ).where(DailySales.store_id == store_id, DailySales.day >= first, DailySales.day <= last)
    statement = statement.where(*_only(only, DailySales))
    schema = {"marketplace_id": pl.String, "sku": pl.String, "day": pl.Date, "units": pl.Int64}
    return _frame(session, statement, schema)


def first_sale_days(session: Session, *, store_id: int, only: Only | None = None) -> pl.DataFrame:
    """(marketplace_id, sku, first_day): the day of each listing's first sale ever, as the
    import keeps it (``first_sales``)."""
    statement = select(FirstSale.marketplace_id, FirstSale.sku, FirstSale.first_day).where(
        FirstSale.store_id == store_id, *_only(only, FirstSale)
    )
    schema = {"marketplace_id": pl.String, "sku": pl.String, "first_day": pl.Date}
    return _frame(session, statement, schema)


def returns_on_the_way(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    window_days: int,
    history_days: int,
    only: Only | None = None,
) -> pl.DataFrame:
    """(marketplace_id, sku, refunded_waiting, sellable_share) per listing: FBA refunds of
    the last ``window_days`` (one unit per order and SKU) with no customer return received
    for that order and SKU yet, and the listing's share of SELLABLE units among its returns
    of the last ``history_days`` (NULL: no returns of its own)."""
    end = datetime.combine(as_of, time(), tzinfo=UTC)
    start = end - timedelta(days=window_days)
    received = (
        select(FbaReturn.id)
        .where(
            FbaReturn.store_id == Refund.store_id,
            FbaReturn.amazon_order_id == Refund.amazon_order_id,
            FbaReturn.sku == Refund.sku,
        )
        .exists()
    )
    waiting = (
        select(
            Refund.marketplace_id,
            Refund.sku,
            func.count(func.distinct(Refund.amazon_order_id)).label("refunded_waiting"),
        )
        .where(
            Refund.store_id == store_id,
            Refund.marketplace_id.is_not(None),
            Refund.amazon_order_id.is_not(None),
            Refund.sku.is_not(None),
            Refund.posted_date >= start,
            Refund.posted_date < end,
            or_(Refund.fulfillment_id.is_(None), Refund.fulfillment_id != MERCHANT_FULFILLED),
            *_only(only, Refund),
            ~received,
        )
        .group_by(Refund.marketplace_id, Refund.sku)
    )
    pending = _frame(
        session,
        waiting,
        {"marketplace_id": pl.String, "sku": pl.String, "refunded_waiting": pl.Int64},
    )
    if pending.height == 0:
        return pending.with_columns(sellable_share=pl.lit(None, dtype=pl.Float64))
    sellable = func.sum(
        case((FbaReturn.detailed_disposition == SELLABLE, FbaReturn.quantity), else_=0)
    )
    history = (
        select(FbaReturn.marketplace_id, FbaReturn.sku, sellable, func.sum(FbaReturn.quantity))
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.marketplace_id.is_not(None),
            FbaReturn.return_date >= end - timedelta(days=history_days),
            FbaReturn.return_date < end,
            *_only(only, FbaReturn),
        )
        .group_by(FbaReturn.marketplace_id, FbaReturn.sku)
    )
    returned = _frame(
        session,
        history,
        {"marketplace_id": pl.String, "sku": pl.String, "sellable": pl.Int64, "units": pl.Int64},
    )
    # A listing without returns of its own takes the store's share.
    store_units = int(returned.get_column("units").sum() or 0)
    store_sellable = int(returned.get_column("sellable").sum() or 0)
    store_share = store_sellable / store_units if store_units else None
    own = returned.filter(pl.col("units") > 0).select(
        *KEY, (pl.col("sellable") / pl.col("units")).alias("own_share")
    )
    return (
        pending.join(own, on=KEY, how="left")
        .with_columns(
            sellable_share=pl.col("own_share").fill_null(pl.lit(store_share, dtype=pl.Float64))
        )
        .drop("own_share")
    )


def daily_returns(
    session: Session,
    *,
    store_id: int,
    first: date,
    last: date,
    only: Only | None = None,
) -> pl.DataFrame:
    """(marketplace_id, sku, day, returns): FBA customer returns per listing and UTC day."""
    dialect = _dialect(session)
    day = day_of(FbaReturn.return_date, dialect).label("day")
    start = datetime.combine(first, time(), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
    statement = (
        select(FbaReturn.marketplace_id, FbaReturn.sku, day, func.sum(FbaReturn.quantity))
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.marketplace_id.is_not(None),
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.marketplace_id, FbaReturn.sku, day)
    )
    statement = statement.where(*_only(only, FbaReturn))
    schema = {"marketplace_id": pl.String, "sku": pl.String, "day": pl.Date, "returns": pl.Float64}
    return _frame(session, statement, schema)


def _preferred_source(
    frame: pl.DataFrame, by: list[str], known: pl.Expr | None = None
) -> pl.DataFrame:
    """The row of one report per ``by`` group (``frame``: one row per group, report and
    ``snapshot_date``): of the rows ``known`` holds for (those giving the figure wanted;
    None: every row), the newest day's, of that day's reports the most complete
    (``source_rank``, as the dashboard chooses), of reports equally complete the first by
    name; sorted by ``by``."""
    ranks = {name: position for position, name in enumerate(INVENTORY_SOURCE_PREFERENCE)}
    if known is not None:
        frame = frame.filter(known)
    return (
        frame.with_columns(
            pl.col("source")
            .replace_strict(ranks, default=len(ranks), return_dtype=pl.Int64)
            .alias("_rank")
        )
        .sort(
            [*by, "snapshot_date", "_rank", "source"],
            descending=[*(False for _ in by), True, False, False],
        )
        .unique(by, keep="first", maintain_order=True)
        .drop("_rank")
    )


def _gives(*names: str) -> pl.Expr:
    """Rows of a report that gives any of the figures ``names`` (a report without such a
    column stores null there: the AFN report has no reserved or inbound units)."""
    return pl.any_horizontal(pl.col(name).is_not_null() for name in names)


# What each read returns (also the empty frames of a read that did not run).
STOCK_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "snapshot_date": pl.Date,
    "fulfillable": pl.Int64,
    "reserved": pl.Int64,
    "inbound_working": pl.Int64,
    "inbound_shipped": pl.Int64,
    "inbound_receiving": pl.Int64,
    # The day of the report the inbound units are from: the newest that gives them, which
    # may be older than ``snapshot_date`` (a newer report without them, such as the AFN one).
    "inbound_date": pl.Date,
}
# Above this many listings a limited read (a marketplace and SKU list: SQLite allows 32,766
# values a statement) gives way to reading every listing.
MAX_LISTINGS_IN_A_READ = 10_000
INBOUND_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "snapshot_date": pl.Date,
    "inbound_working": pl.Int64,
    "inbound_shipped": pl.Int64,
    "inbound_receiving": pl.Int64,
}
_INBOUND_NAMES = list(INBOUND_COLUMNS)
_INBOUND_BUCKETS = tuple(getattr(InventorySnapshot, name) for name in INBOUND_COLUMNS)
_LEVEL_COLUMNS = [getattr(InboundLevel, name) for name in LEVEL_SCHEMA]
LOCAL_SCHEMA = {"sku": pl.String, "local": pl.Int64, "overseas": pl.Int64}
ORDER_SCHEMA = {
    "sku": pl.String,
    "marketplace_id": pl.String,
    "expected_date": pl.Date,
    "quantity": pl.Int64,
}
PACK_SCHEMA = {"sku": pl.String, "case_pack": pl.Int64}
RETURNING_SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "refunded_waiting": pl.Int64,
    "sellable_share": pl.Float64,
}


def kept_latest_stock(session: Session, *, store_id: int, only: Only | None = None) -> pl.DataFrame:
    """The figures ``inventory_latest`` keeps (``STOCK_SCHEMA``), whatever their day."""
    statement = select(*(getattr(LatestInventory, name) for name in STOCK_SCHEMA)).where(
        LatestInventory.store_id == store_id, *_only(only, LatestInventory)
    )
    return _frame(session, statement, STOCK_SCHEMA)


def latest_stock(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    only: Only | None = None,
) -> pl.DataFrame:
    """FBA buckets per listing from its newest snapshot on or before ``as_of`` (on a tie of
    dates, the most complete report; a report's condition lines are added up), as
    ``inventory_latest`` keeps them. The listings it has newer than ``as_of`` (a run for a
    past day) are computed from their snapshots: each one, or the whole store when they are
    most of it."""
    kept = kept_latest_stock(session, store_id=store_id, only=only)
    later = kept.filter(pl.col("snapshot_date") > as_of)
    if later.height == 0:
        return kept
    if later.height > kept.height // 2:
        return computed_latest_stock(session, store_id=store_id, as_of=as_of, only=only).drop(
            "source"
        )
    parts = [kept.filter(pl.col("snapshot_date") <= as_of)]
    for start in range(0, later.height, MAX_LISTINGS_IN_A_READ):
        chunk = Only.of(later.slice(start, MAX_LISTINGS_IN_A_READ))
        found = computed_latest_stock(session, store_id=store_id, as_of=as_of, only=chunk)
        parts.append(found.drop("source"))
    return pl.concat(parts)


def computed_latest_stock(
    session: Session,
    *,
    store_id: int,
    as_of: date | None,
    only: Only | None = None,
) -> pl.DataFrame:
    """``latest_stock`` from the snapshots themselves (``as_of`` None: the newest of all),
    with the ``source`` report chosen: what ``inventory_latest`` keeps."""
    where = [
        InventorySnapshot.store_id == store_id,
        InventorySnapshot.marketplace_id.is_not(None),
    ]
    if as_of is not None:
        where.append(InventorySnapshot.snapshot_date <= as_of)
    where += _only(only, InventorySnapshot)
    latest = latest_days(*where)
    figures = [name for name in STOCK_SCHEMA if name not in (*KEY, "snapshot_date", "inbound_date")]
    statement = (
        select(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.snapshot_date,
            # Null where the report gives no such figure (see ``_gives``).
            *(func.sum(getattr(InventorySnapshot, name)) for name in figures),
            InventorySnapshot.source,
        )
        .join(latest, is_latest(latest))
        .group_by(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
        )
    )
    read = {
        "marketplace_id": pl.String,
        "sku": pl.String,
        "snapshot_date": pl.Date,
        **{name: pl.Int64 for name in figures},
        "source": pl.String,
    }
    frame = _frame(session, statement, read)
    if frame.height == 0:
        return pl.DataFrame(schema={**STOCK_SCHEMA, "source": pl.String})
    # Each figure from the newest report that gives it (each report's newest day).
    on_hand = _preferred_source(frame, KEY).select(
        *KEY, "snapshot_date", "source", pl.col("fulfillable").fill_null(0)
    )
    reserved = _preferred_source(frame, KEY, _gives("reserved")).select(*KEY, "reserved")
    inbound = _preferred_source(frame, KEY, _gives(*_INBOUND_NAMES)).select(
        *KEY,
        pl.col("snapshot_date").alias("inbound_date"),
        *(pl.col(name).fill_null(0) for name in _INBOUND_NAMES),
    )
    return (
        on_hand.join(reserved, on=KEY, how="left")
        .join(inbound, on=KEY, how="left")
        .with_columns(pl.col(name).fill_null(0) for name in ("reserved", *_INBOUND_NAMES))
        .select(*STOCK_SCHEMA, "source")
    )


def batch_listings(session: Session, *, batch_id: int) -> pl.DataFrame:
    """(marketplace_id, sku, first_day, last_day) of the snapshot rows an import batch wrote
    or changed: each listing with the first and the last snapshot day the batch touched."""
    statement = (
        select(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            func.min(InventorySnapshot.snapshot_date),
            func.max(InventorySnapshot.snapshot_date),
        )
        .where(
            InventorySnapshot.import_batch_id == batch_id,
            InventorySnapshot.marketplace_id.is_not(None),
        )
        .group_by(InventorySnapshot.marketplace_id, InventorySnapshot.sku)
    )
    schema = {
        "marketplace_id": pl.String,
        "sku": pl.String,
        "first_day": pl.Date,
        "last_day": pl.Date,
    }
    return _frame(session, statement, schema)


def _delete_kept(
    session: Session,
    model: Any,
    *,
    store_id: int,
    only: Only | None,
    day: Any = None,
    first: date | None = None,
    last: date | None = None,
) -> None:
    """Delete the rows of ``model``'s per-listing table of the listings ``only`` names (None:
    the whole store); with its ``day`` column, those from ``first`` to ``last`` (None:
    unbounded)."""
    where = [model.store_id == store_id, *_only(only, model)]
    if first is not None:
        where.append(day >= first)
    if last is not None:
        where.append(day <= last)
    session.execute(delete(model).where(*where))


def _insert_kept(
    session: Session, model: Any, columns: Sequence[str], *, store_id: int, rows: pl.DataFrame
) -> None:
    """Write ``rows`` (their ``columns``) of the store into ``model``'s table."""
    if rows.height:
        _bulk_insert(
            session,
            model.__tablename__,
            rows.with_columns(store_id=pl.lit(store_id)).select("store_id", *columns),
        )


def replace_latest_stock(
    session: Session, *, store_id: int, only: Only | None, rows: pl.DataFrame
) -> int:
    """Replace the kept figures of the listings ``only`` names (None: the whole store) with
    ``rows`` (``computed_latest_stock``'s)."""
    _delete_kept(session, LatestInventory, store_id=store_id, only=only)
    _insert_kept(session, LatestInventory, [*STOCK_SCHEMA, "source"], store_id=store_id, rows=rows)
    return rows.height


def snapshot_days(
    session: Session,
    *,
    store_id: int,
    first: date | None = None,
    last: date | None = None,
    only: Only | None = None,
) -> pl.DataFrame:
    """(marketplace_id, sku, snapshot_date, fulfillable, inbound_working, inbound_shipped,
    inbound_receiving) of every snapshot day of the listings in the range (None: unbounded),
    one report per day and figure (the most complete that gives it: the inbound units null on
    a day no report gave them), its condition lines added up: what ``inputs.stockout_spans``
    and ``inbound_eta.levels`` read."""
    where = [
        InventorySnapshot.store_id == store_id,
        InventorySnapshot.marketplace_id.is_not(None),
        *_only(only, InventorySnapshot),
    ]
    if first is not None:
        where.append(InventorySnapshot.snapshot_date >= first)
    if last is not None:
        where.append(InventorySnapshot.snapshot_date <= last)
    statement = (
        select(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
            func.sum(func.coalesce(InventorySnapshot.fulfillable, 0)),
            *(func.sum(bucket) for bucket in _INBOUND_BUCKETS),  # null: not in the report
        )
        .where(*where)
        .group_by(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            InventorySnapshot.source,
            InventorySnapshot.snapshot_date,
        )
    )
    schema = {
        "marketplace_id": pl.String,
        "sku": pl.String,
        "source": pl.String,
        "snapshot_date": pl.Date,
        "fulfillable": pl.Int64,
        **{name: pl.Int64 for name in _INBOUND_NAMES},
    }
    frame = _frame(session, statement, schema)
    if frame.height == 0:
        return frame.drop("source")
    day = [*KEY, "snapshot_date"]
    inbound = _preferred_source(frame, day, _gives(*_INBOUND_NAMES)).select(
        *day, *(pl.col(name).fill_null(0) for name in _INBOUND_NAMES)
    )
    return (
        _preferred_source(frame, day)
        .select(*day, "fulfillable")
        .join(inbound, on=day, how="left")
        .sort(day)
    )


def stockout_spans(
    session: Session, *, store_id: int, first: date, last: date, only: Only | None = None
) -> pl.DataFrame:
    """The kept ``stockout_spans`` (``inputs.STOCKOUT_SCHEMA``) with a day from ``first``
    to ``last``."""
    statement = select(
        StockoutSpan.marketplace_id,
        StockoutSpan.sku,
        StockoutSpan.first_day,
        StockoutSpan.last_day,
    ).where(
        StockoutSpan.store_id == store_id,
        StockoutSpan.last_day >= first,
        StockoutSpan.first_day <= last,
        *_only(only, StockoutSpan),
    )
    return _frame(session, statement, STOCKOUT_SCHEMA)


def advance_stockout_spans(
    session: Session, *, store_id: int, only: Only, day: date, empty: pl.DataFrame, reach: int
) -> None:
    """The spans of the listings ``only`` names after a report of ``day``, their newest
    snapshot day: a span reaching ``day`` now ends the day before, a span of ``day`` from an
    earlier import of it goes, and ``empty`` (KEY columns: those ``day`` showed out of stock)
    get one of ``reach`` + 1 days."""
    mine = [StockoutSpan.store_id == store_id, *_only(only, StockoutSpan)]
    session.execute(delete(StockoutSpan).where(*mine, StockoutSpan.first_day == day))
    session.execute(
        update(StockoutSpan)
        .where(*mine, StockoutSpan.first_day < day, StockoutSpan.last_day >= day)
        .values(last_day=day - timedelta(days=1))
    )
    if empty.height:
        _bulk_insert(
            session,
            "stockout_spans",
            empty.select(
                pl.lit(store_id).alias("store_id"),
                *KEY,
                pl.lit(day).alias("first_day"),
                pl.lit(day + timedelta(days=reach)).alias("last_day"),
            ),
        )


def replace_stockout_spans(
    session: Session,
    *,
    store_id: int,
    only: Only | None,
    rows: pl.DataFrame,
    first: date | None = None,
    last: date | None = None,
) -> int:
    """Replace the kept spans of the listings ``only`` names (None: the whole store) that
    start from ``first`` to ``last`` (None: unbounded) with ``rows``
    (``inputs.stockout_spans``' in that range)."""
    _delete_kept(
        session,
        StockoutSpan,
        store_id=store_id,
        only=only,
        day=StockoutSpan.first_day,
        first=first,
        last=last,
    )
    _insert_kept(session, StockoutSpan, list(STOCKOUT_SCHEMA), store_id=store_id, rows=rows)
    return rows.height


def _may_have_inbound(by: date) -> Any:
    """Condition on ``inbound_levels`` rows: of a listing whose kept newest figures show
    inbound units, or are newer than ``by`` (a run for a past day computes its own)."""
    kept = LatestInventory
    return (
        select(kept.sku)
        .where(
            kept.store_id == InboundLevel.store_id,
            kept.marketplace_id == InboundLevel.marketplace_id,
            kept.sku == InboundLevel.sku,
            or_(
                kept.inbound_working + kept.inbound_shipped + kept.inbound_receiving > 0,
                kept.snapshot_date > by,
            ),
        )
        .exists()
    )


def levels_in_effect(
    session: Session,
    *,
    store_id: int,
    on: date,
    only: Only | None = None,
    inbound_by: date | None = None,
) -> pl.DataFrame:
    """The kept ``inbound_levels`` row in effect on ``on`` (its newest on or before it) of
    each listing with one (``inbound_eta.LEVEL_SCHEMA``); with ``inbound_by``, of the
    listings that may have inbound units then (``_may_have_inbound``) only."""
    newest = func.row_number().over(
        partition_by=(InboundLevel.marketplace_id, InboundLevel.sku),
        order_by=InboundLevel.day.desc(),
    )
    where = [InboundLevel.store_id == store_id, InboundLevel.day <= on, *_only(only, InboundLevel)]
    if inbound_by is not None:
        where.append(_may_have_inbound(inbound_by))
    ranked = select(*_LEVEL_COLUMNS, newest.label("newest")).where(*where).subquery()
    statement = select(*(ranked.c[name] for name in LEVEL_SCHEMA)).where(ranked.c.newest == 1)
    return _frame(session, statement, LEVEL_SCHEMA)


def inbound_history(
    session: Session, *, store_id: int, first: date, last: date, only: Only | None = None
) -> pl.DataFrame:
    """(marketplace_id, sku, snapshot_date, inbound_working, inbound_shipped,
    inbound_receiving): the inbound units from ``first`` to ``last`` of the listings that
    may have some on ``last`` (``_may_have_inbound``; the caller keeps those that have), as
    the kept ``inbound_levels`` give them, what ``inbound_eta.lots`` dates the units with:
    the level in effect on ``first`` dated ``first`` (the units it holds were there by
    then), then each change after it."""
    start = levels_in_effect(
        session, store_id=store_id, on=first, only=only, inbound_by=last
    ).with_columns(day=pl.lit(first))
    statement = select(*_LEVEL_COLUMNS).where(
        InboundLevel.store_id == store_id,
        InboundLevel.day > first,
        InboundLevel.day <= last,
        *_only(only, InboundLevel),
        _may_have_inbound(last),
    )
    changes = _frame(session, statement, LEVEL_SCHEMA)
    return pl.concat([start, changes]).rename({"day": "snapshot_date"})


def next_inbound_days(session: Session, *, store_id: int, after: date, only: Only) -> pl.DataFrame:
    """(marketplace_id, sku, day): each listing's first snapshot day after ``after`` with a
    report that gives inbound units (the next one ``inbound_eta.levels`` counts)."""
    statement = (
        select(
            InventorySnapshot.marketplace_id,
            InventorySnapshot.sku,
            func.min(InventorySnapshot.snapshot_date),
        )
        .where(
            InventorySnapshot.store_id == store_id,
            InventorySnapshot.snapshot_date > after,
            or_(*(bucket.is_not(None) for bucket in _INBOUND_BUCKETS)),
            *_only(only, InventorySnapshot),
        )
        .group_by(InventorySnapshot.marketplace_id, InventorySnapshot.sku)
    )
    return _frame(
        session, statement, {"marketplace_id": pl.String, "sku": pl.String, "day": pl.Date}
    )


def add_inbound_levels(session: Session, *, store_id: int, rows: pl.DataFrame) -> None:
    """Keep ``rows`` (``inbound_eta.levels``') of listings with no kept level on their days."""
    _insert_kept(session, InboundLevel, list(LEVEL_SCHEMA), store_id=store_id, rows=rows)


def replace_inbound_levels(
    session: Session,
    *,
    store_id: int,
    only: Only | None,
    rows: pl.DataFrame,
    first: date | None = None,
    last: date | None = None,
) -> int:
    """Replace the kept levels of the listings ``only`` names (None: the whole store) from
    ``first`` to ``last`` (None: unbounded) with ``rows`` (``inbound_eta.levels``' in that
    range)."""
    _delete_kept(
        session,
        InboundLevel,
        store_id=store_id,
        only=only,
        day=InboundLevel.day,
        first=first,
        last=last,
    )
    add_inbound_levels(session, store_id=store_id, rows=rows)
    return rows.height


def shipped_plan_lines(session: Session, *, store_id: int) -> pl.DataFrame:
    """The lines of the store's inbound plans marked shipped (``inbound_eta.SHIPPED_SCHEMA``;
    ``shipment``: Amazon's shipment ID, else the plan's name)."""
    statement = (
        select(
            InboundPlan.marketplace_id,
            InboundPlanItem.sku,
            InboundPlan.id,
            func.coalesce(InboundPlan.shipment_id, InboundPlan.name),
            InboundPlan.shipped_on,
            InboundPlan.shipping_mode,
            InboundPlanItem.quantity,
        )
        .join(InboundPlanItem, InboundPlanItem.plan_id == InboundPlan.id)
        .where(
            InboundPlan.store_id == store_id,
            InboundPlan.status == PlanStatus.SHIPPED.value,
            InboundPlan.shipped_on.is_not(None),
            InboundPlanItem.quantity > 0,
        )
    )
    return _frame(session, statement, SHIPPED_SCHEMA)


def local_stock(session: Session, *, store_id: int) -> pl.DataFrame:
    """(sku, local, overseas): units in the seller's own and 3PL warehouses."""
    statement = (
        select(LocalStock.sku, LocalStock.warehouse_kind, func.sum(LocalStock.quantity))
        .where(LocalStock.store_id == store_id)
        .group_by(LocalStock.sku, LocalStock.warehouse_kind)
    )
    frame = _frame(session, statement, {"sku": pl.String, "kind": pl.String, "quantity": pl.Int64})
    return frame.group_by("sku").agg(
        pl.col("quantity").filter(pl.col("kind") == "local").sum().alias("local"),
        pl.col("quantity").filter(pl.col("kind") == "overseas_3pl").sum().alias("overseas"),
    )


def open_purchase_orders(session: Session, *, store_id: int) -> pl.DataFrame:
    """(sku, marketplace_id or null, expected_date, quantity) of the open lines."""
    statement = select(
        PurchaseOrderLine.sku,
        PurchaseOrderLine.marketplace_id,
        PurchaseOrderLine.expected_date,
        PurchaseOrderLine.quantity,
    ).where(
        PurchaseOrderLine.store_id == store_id,
        PurchaseOrderLine.status == PurchaseOrderStatus.OPEN.value,
    )
    return _frame(session, statement, ORDER_SCHEMA)


def case_packs(session: Session, *, store_id: int) -> pl.DataFrame:
    statement = select(Product.sku, Product.case_pack).where(
        Product.store_id == store_id, Product.case_pack.is_not(None)
    )
    return _frame(session, statement, PACK_SCHEMA)


# --- writing --------------------------------------------------------------------------------------


def add_run(session: Session, run: ReplenishmentRun) -> ReplenishmentRun:
    session.add(run)
    session.flush()
    return run


RESULT_COLUMNS = (
    "run_id",
    "store_id",
    "marketplace_id",
    "sku",
    "velocity",
    "fba_stock",
    "inbound_stock",
    "other_stock",
    "days_of_supply_fba",
    "days_of_supply_inbound",
    "days_of_supply_all",
    "stockout_date",
    "ship_by",
    "purchase_by",
    "send_quantity",
    "buy_quantity",
    "transfer_quantity",
    "cap_applied",
    "band",
    "explanation",
)


def replace_results(session: Session, *, store_id: int, results: Iterable[pl.DataFrame]) -> int:
    """Replace the store's stored results with ``results`` (RESULT_COLUMNS; ``explanation``
    already JSON text) in one bulk write: frames made one after another (a generator) while
    the database takes the ones before."""
    session.execute(delete(ReplenishmentResult).where(ReplenishmentResult.store_id == store_id))
    return _bulk_insert(
        session, "replenishment_results", (chunk.select(RESULT_COLUMNS) for chunk in results)
    )


def _bulk_insert(
    session: Session, table: str, frames: pl.DataFrame | Iterable[pl.DataFrame]
) -> int:
    """Write the rows of ``frames`` (the same columns, by name) into ``table`` in one go, and
    count them: COPY on PostgreSQL, an executemany of plain values on SQLite (dates as ISO
    text, booleans as 0 / 1, as SQLAlchemy stores them). Row by row through the ORM took
    several times longer. Each frame is written while the next is made: on PostgreSQL a
    thread of psycopg's sends it (the server's half of a run's 100,000-row COPY overlaps the
    making of the rows), on SQLite a thread of ours inserts it (``_insert_behind``: the run's
    write took 0.51-0.63 s so, against 0.67-0.87 s in turn)."""
    chunks = iter([frames] if isinstance(frames, pl.DataFrame) else frames)
    first = next(chunks, None)
    if first is None:
        return 0
    columns = ", ".join(first.columns)
    written = 0

    def prepared() -> Iterator[pl.DataFrame]:
        nonlocal written
        for frame in itertools.chain([first], chunks):
            written += frame.height
            yield frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))

    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if _dialect(session) == "postgresql":
            from psycopg.copy import QueuedLibpqWriter

            statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
            with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
                for frame in prepared():
                    buffer = io.BytesIO()
                    frame.write_csv(buffer, include_header=False, null_value="")
                    copy.write(buffer.getvalue())
        else:
            _insert_behind(
                cursor,
                table,
                first.columns,
                (frame.with_columns(pl.col(pl.Boolean).cast(pl.Int64)) for frame in prepared()),
            )
    finally:
        cursor.close()
    return written


# Rows an INSERT statement takes on SQLite: one statement of many rows binds the same values
# with a fraction of the per-statement work (a run's 100,000 results: 0.35 s against 0.47 s
# one row a statement; more rows a statement gained nothing more). Fewer where the library
# allows fewer bound values (999 before SQLite 3.32).
ROWS_PER_INSERT = 100


def _insert_behind(
    cursor: Any, table: str, columns: Sequence[str], frames: Iterator[pl.DataFrame]
) -> None:
    """Insert the rows of ``frames`` (``columns`` in order) into ``table``, several rows a
    statement, on a thread of its own while this one makes the next frame: SQLite inserts
    without holding the GIL, and Polars makes frames without it, so the two overlap. Nothing
    is left running: a failed insert stops the frames, a failed frame ends the insert, and
    either error is raised."""
    width = len(columns)
    bound = cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(ROWS_PER_INSERT, bound // width))
    row = f"({', '.join('?' * width)})"

    def statement(rows: int) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)}"

    handoff: queue.Queue[pl.DataFrame | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []
    ended = threading.Event()

    def received() -> Iterator[pl.DataFrame]:
        while (frame := handoff.get()) is not None:
            yield frame
        ended.set()

    def insert() -> None:
        rows = itertools.chain.from_iterable(frame.iter_rows() for frame in received())
        rest: tuple[Any, ...] = ()

        def groups() -> Iterator[tuple[Any, ...]]:
            """The values of ``per_statement`` rows at a time; the last few kept in ``rest``."""
            nonlocal rest
            while True:
                values = tuple(itertools.chain.from_iterable(itertools.islice(rows, per_statement)))
                if len(values) < per_statement * width:
                    rest = values
                    return
                yield values

        try:
            cursor.executemany(statement(per_statement), groups())
            if rest:
                cursor.execute(statement(len(rest) // width), rest)
        except BaseException as error:  # handed to the caller's thread
            failed.append(error)
            while not ended.is_set() and handoff.get() is not None:
                pass  # let the frames still coming be put, until the end mark

    writer = threading.Thread(target=insert, name="aftersales-insert", daemon=True)
    writer.start()
    try:
        for frame in frames:
            if failed:
                break
            handoff.put(frame)
    finally:
        handoff.put(None)
        writer.join()
    if failed:
        raise failed[0]


def results(
    session: Session, *, store_ids: Sequence[int], marketplace_ids: Sequence[str] = ()
) -> Sequence[ReplenishmentResult]:
    statement = select(ReplenishmentResult).where(ReplenishmentResult.store_id.in_(store_ids))
    if marketplace_ids:
        statement = statement.where(ReplenishmentResult.marketplace_id.in_(marketplace_ids))
    return session.scalars(statement).all()


def stores_imported_since_last_run(session: Session) -> list[int]:
    """Stores with an import that finished after their last run started (or never run)."""
    last_import = (
        select(ImportBatch.store_id, func.max(ImportBatch.finished_at).label("imported"))
        .where(ImportBatch.finished_at.is_not(None))
        .group_by(ImportBatch.store_id)
        .subquery()
    )
    last_run = (
        select(ReplenishmentRun.store_id, func.max(ReplenishmentRun.started_at).label("ran"))
        .group_by(ReplenishmentRun.store_id)
        .subquery()
    )
    statement = (
        select(last_import.c.store_id)
        .outerjoin(last_run, last_run.c.store_id == last_import.c.store_id)
        .where((last_run.c.ran.is_(None)) | (last_import.c.imported > last_run.c.ran))
        .order_by(last_import.c.store_id)
    )
    return [int(store_id) for store_id in session.scalars(statement)]


def result_for(
    session: Session, *, store_id: int, marketplace_id: str, sku: str
) -> ReplenishmentResult | None:
    return session.scalars(
        select(ReplenishmentResult).where(
            ReplenishmentResult.store_id == store_id,
            ReplenishmentResult.marketplace_id == marketplace_id,
            ReplenishmentResult.sku == sku,
        )
    ).one_or_none()


def latest_run(session: Session, *, store_id: int) -> ReplenishmentRun | None:
    return session.scalars(
        select(ReplenishmentRun)
        .where(ReplenishmentRun.store_id == store_id)
        .order_by(ReplenishmentRun.id.desc())
        .limit(1)
    ).first()
