"""SQL of the returns explorer: returned and shipped units summed in the database, grouped
by one attribute (or by day), over several date windows in one pass; each SKU's category
from its newest inventory planning row.

Shipped units are All Orders lines with item status Shipped, dated by the UTC day of their
purchase date, as on the dashboard and the SKU profile, read from the daily-sales table the
orders import keeps (``daily_sales.units_shipped``, see replenishment/sales_repository.py)
rather than summed over the order lines; returned units are FBA returns dated by the day the
fulfilment centre processed them. See ``shipped`` for where the two sources differ.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Date,
    Row,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from aftersales.kit.query import dialect_of, in_scope, starts_with
from aftersales.kit.scope import Scope
from aftersales.models import DailySales, FbaReturn, InventorySnapshot, MarketplaceRow, Product

ResultRow: TypeAlias = Row[*tuple[Any, ...]]

SHIPPED = "Shipped"
# The source name the importer gives GET_FBA_INVENTORY_PLANNING_DATA rows (imports/targets.py),
# whose unmodelled "product-group" column is kept in ``extra``.
PLANNING_SOURCE = "planning"
PRODUCT_GROUP = "product-group"

# Keys a grouping may use, on the returns side and on the shipped side. Categories are
# not joined in SQL (SQLite re-evaluated the ranked planning rows for every order line):
# group by (store_id, sku) and map them (explorer_service), or filter on SKU lists.
RETURN_KEYS = ("store_id", "sku", "asin", "fc", "reason", "disposition", "marketplace", "day")
SHIPPED_KEYS = ("store_id", "sku", "asin", "marketplace", "day")


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC; ``name`` labels its sum in the result rows."""

    name: str
    start: datetime
    end: datetime


# Per store: SKUs, and whether they are the ones to leave out (NOT IN) or to keep (IN).
SkuLists = dict[int, tuple[tuple[str, ...], bool]]


@dataclass(frozen=True)
class Where:
    """Which units count. ``reasons_by_store`` (from a responsibility filter) keeps, per
    store, the listed reason codes and, when its flag is set, returns without a reason.
    ``skus_by_store`` (from a category filter) keeps, per store, the listed SKUs or all but
    them; a store it does not name is left out. The returns-only terms (fc, reason,
    disposition, reasons_by_store) are ignored for shipped units."""

    scope: Scope
    q: str | None = None
    sku: str | None = None
    # Only these SKUs (the rows of one page).
    skus: tuple[str, ...] | None = None
    fc: str | None = None
    reason: str | None = None
    disposition: str | None = None
    reasons_by_store: dict[int, tuple[tuple[str, ...], bool]] | None = None
    skus_by_store: SkuLists | None = None


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, as ``date`` or ISO text (SQLite)."""
    if dialect_of(session) == "sqlite":
        # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS...": the day is the prefix.
        return func.substr(column, 1, 10)
    return cast(func.timezone("UTC", column), Date)


def category_rows(session: Session, *, scope: Scope) -> Sequence[ResultRow]:
    """(store_id, sku, category, snapshot_date, id): the product group of each SKU's newest
    planning row that has one (the latest imported on a tie), per store. SKUs without such a
    row are absent."""
    group = InventorySnapshot.extra[PRODUCT_GROUP].as_string()
    ranked = (
        select(
            InventorySnapshot.store_id,
            InventorySnapshot.sku,
            group.label("category"),
            InventorySnapshot.snapshot_date,
            InventorySnapshot.id,
            func.row_number()
            .over(
                partition_by=(InventorySnapshot.store_id, InventorySnapshot.sku),
                order_by=(InventorySnapshot.snapshot_date.desc(), InventorySnapshot.id.desc()),
            )
            .label("newest"),
        )
        .where(
            InventorySnapshot.store_id.in_(scope.store_ids),
            InventorySnapshot.source == PLANNING_SOURCE,
            group.is_not(None),
            group != "",
        )
        .subquery("ranked_categories")
    )
    statement = select(
        ranked.c.store_id,
        ranked.c.sku,
        ranked.c.category,
        ranked.c.snapshot_date,
        ranked.c.id,
    ).where(ranked.c.newest == 1)
    return session.execute(statement).all()


def _sku_condition(model: Any, lists: SkuLists) -> ColumnElement[bool]:
    per_store: list[ColumnElement[bool]] = []
    for store_id, (skus, leave_out) in lists.items():
        if leave_out:
            kept = model.sku.not_in(skus) if skus else true()
            per_store.append(and_(model.store_id == store_id, kept))
        elif skus:
            per_store.append(and_(model.store_id == store_id, model.sku.in_(skus)))
    return or_(*per_store) if per_store else false()


def _prefix(sku: Any, asin: Any, q: str, dialect: str) -> ColumnElement[bool]:
    return or_(
        starts_with(sku, q, dialect),
        # ASINs are upper case: "b00" finds B00...
        starts_with(asin, q.upper(), dialect),
    )


def _identifier_conditions(
    sku: Any, asin: Any, where: Where, dialect: str
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.sku is not None:
        conditions.append(sku == where.sku)
    if where.skus is not None:
        conditions.append(sku.in_(where.skus) if where.skus else false())
    if where.q is not None:
        conditions.append(_prefix(sku, asin, where.q, dialect))
    return conditions


def _return_conditions(where: Where, dialect: str) -> list[ColumnElement[bool]]:
    conditions = [
        in_scope(FbaReturn, where.scope),
        *_identifier_conditions(FbaReturn.sku, FbaReturn.asin, where, dialect),
    ]
    if where.skus_by_store is not None:
        conditions.append(_sku_condition(FbaReturn, where.skus_by_store))
    if where.fc is not None:
        conditions.append(FbaReturn.fulfillment_center_id == where.fc)
    if where.reason is not None:
        conditions.append(FbaReturn.reason == where.reason)
    if where.disposition is not None:
        conditions.append(FbaReturn.detailed_disposition == where.disposition)
    if where.reasons_by_store is not None:
        per_store: list[ColumnElement[bool]] = []
        for store_id, (codes, without_reason) in where.reasons_by_store.items():
            reason_terms: list[ColumnElement[bool]] = []
            if codes:
                reason_terms.append(FbaReturn.reason.in_(codes))
            if without_reason:
                reason_terms.append(FbaReturn.reason.is_(None))
            if reason_terms:
                per_store.append(and_(FbaReturn.store_id == store_id, or_(*reason_terms)))
        conditions.append(or_(*per_store) if per_store else false())
    return conditions


# A window's name and its [start, end) bounds in the type of the column it bounds.
Bounds: TypeAlias = tuple[str, Any, Any]


def _moments(windows: Sequence[Window]) -> list[Bounds]:
    return [(w.name, w.start, w.end) for w in windows]


def _window_sums(date_column: Any, units: Any, bounds: Sequence[Bounds]) -> list[Any]:
    if len(bounds) == 1:
        return [func.sum(units).label(bounds[0][0])]
    return [
        func.sum(case((and_(date_column >= start, date_column < end), units), else_=0)).label(name)
        for name, start, end in bounds
    ]


def _span(date_column: Any, bounds: Sequence[Bounds]) -> list[ColumnElement[bool]]:
    return [
        date_column >= min(start for _, start, _ in bounds),
        date_column < max(end for _, _, end in bounds),
    ]


def returned(
    session: Session, *, where: Where, keys: Sequence[str], windows: Sequence[Window]
) -> Sequence[ResultRow]:
    """Returned units per combination of ``keys`` (from RETURN_KEYS), one sum per window,
    over the returns matching ``where``. Only combinations with a return in the windows'
    span come back."""
    columns: dict[str, Any] = {
        "store_id": FbaReturn.store_id,
        "sku": FbaReturn.sku,
        "asin": FbaReturn.asin,
        "fc": FbaReturn.fulfillment_center_id,
        "reason": FbaReturn.reason,
        "disposition": FbaReturn.detailed_disposition,
        "marketplace": FbaReturn.marketplace_id,
        "day": _utc_day(session, FbaReturn.return_date),
    }
    grouped = [columns[key] for key in keys]
    statement = select(
        *(column.label(key) for key, column in zip(keys, grouped, strict=True)),
        *_window_sums(FbaReturn.return_date, FbaReturn.quantity, _moments(windows)),
    ).where(
        *_return_conditions(where, dialect_of(session)),
        *_span(FbaReturn.return_date, _moments(windows)),
    )
    if grouped:
        statement = statement.group_by(*grouped)
    return session.execute(statement).all()


def _day_of(moment: datetime) -> date:
    """A window bound as the daily-sales day it starts; the explorer's windows are whole UTC
    days (explorer_filters.window), which daily sales cannot split."""
    utc = moment.astimezone(UTC)
    if utc.time() != time.min:
        raise ValueError(f"a window bound must be a UTC midnight, not {moment.isoformat()}")
    return utc.date()


def _inline(day: date) -> Any:
    """A day written into the SQL text rather than bound. PostgreSQL then plans each span
    for itself: bound, a pooled connection's prepared statement turns to a generic plan
    after a few 90-day loads, which walks the primary key over a year several times slower
    than the scan a year needs."""
    return bindparam(None, day, type_=Date, literal_execute=True)


def shipped(
    session: Session, *, where: Where, keys: Sequence[str], windows: Sequence[Window]
) -> Sequence[ResultRow]:
    """Shipped units per combination of ``keys`` (from SHIPPED_KEYS), one sum per window,
    over the daily sales matching ``where``'s stores, marketplaces, SKUs and ASINs.

    Read from ``daily_sales`` (a row per store, marketplace, SKU and day; every orders
    import rebuilds the days it touched, see replenishment/sales.py), not from the order
    lines: fewer rows (a listing's lines of a day are one), read by (store, day), without
    a status to filter. The figures are those of the order lines with item status Shipped
    summed per UTC purchase day, except:

    - Lines without a marketplace (multi-channel "Non-Amazon" orders) are not in daily
      sales. They belong to no marketplace, so with a marketplace scope they never counted;
      without one, totals and the SKU, ASIN, category, week and month rows no longer count
      them either (the dashboard, which reads the order lines, still does): the rates are
      returns per unit sold on the store's marketplaces. Grouped by marketplace, the "not
      given" row (returns without a marketplace) has no shipped units, hence no rate, where
      it used to be divided by the multi-channel units.
    - Lines of an order whose status is Cancelled are not in daily sales, even if the line
      itself says Shipped (its lines are normally Cancelled too).
    - The ASIN is the SKU's product's (``products``, by store and SKU, filled by the
      imports from the same report lines) rather than each line's own: a SKU whose lines
      named several ASINs counts under its product's one; a SKU without a product row, or
      whose product has no ASIN, has none (the "not given" ASIN row), and the ``q`` prefix
      then matches its SKU only.

    Windows must be whole UTC days (``explorer_filters.window``): ``ValueError`` otherwise.
    """
    columns: dict[str, Any] = {
        "store_id": DailySales.store_id,
        "sku": DailySales.sku,
        "marketplace": DailySales.marketplace_id,
        "day": DailySales.day,
    }
    dialect = dialect_of(session)
    days = [(w.name, _day_of(w.start), _day_of(w.end)) for w in windows]
    conditions = [
        in_scope(DailySales, where.scope),
        *_identifier_conditions(DailySales.sku, None, dataclasses.replace(where, q=None), dialect),
        DailySales.day >= _inline(min(start for _, start, _ in days)),
        DailySales.day < _inline(max(end for _, _, end in days)),
    ]
    if where.skus_by_store is not None:
        conditions.append(_sku_condition(DailySales, where.skus_by_store))
    if where.q is not None:
        # The SKUs whose product's ASIN matches, as one list: joined to every daily row
        # instead, SQLite took 0.5 s over a year of 1.5M order lines, against 0.1 s.
        by_asin = select(Product.store_id, Product.sku).where(
            Product.store_id.in_(where.scope.store_ids),
            starts_with(Product.asin, where.q.upper(), dialect),
        )
        conditions.append(
            or_(
                starts_with(DailySales.sku, where.q, dialect),
                tuple_(DailySales.store_id, DailySales.sku).in_(by_asin),
            )
        )
    sums = _window_sums(DailySales.day, DailySales.units_shipped, days)
    if "asin" not in keys:
        grouped = [columns[key] for key in keys]
        statement = select(
            *(column.label(key) for key, column in zip(keys, grouped, strict=True)), *sums
        ).where(*conditions)
        if grouped:
            statement = statement.group_by(*grouped)
        return session.execute(statement).all()
    # By ASIN: each listing's sums first, then its product's ASIN; joined row by row,
    # SQLite looked a product up for every day of every listing (a year of 1.5M order
    # lines: 2.3 s against 0.9 s).
    inner_keys = list(dict.fromkeys(["sku", "store_id", *(k for k in keys if k != "asin")]))
    listings = (
        select(*(columns[key].label(key) for key in inner_keys), *sums)
        .where(*conditions)
        .group_by(*(columns[key] for key in inner_keys))
        .subquery("listings")
    )
    outer: dict[str, Any] = {key: listings.c[key] for key in inner_keys} | {"asin": Product.asin}
    grouped = [outer[key] for key in keys]
    statement = (
        select(
            *(column.label(key) for key, column in zip(keys, grouped, strict=True)),
            *(func.sum(listings.c[name]).label(name) for name, _, _ in days),
        )
        # Outer: a SKU without a product keeps its units, without an ASIN.
        .select_from(
            listings.outerjoin(
                Product,
                and_(Product.store_id == listings.c.store_id, Product.sku == listings.c.sku),
            )
        )
        .group_by(*grouped)
    )
    return session.execute(statement).all()


def marketplace_codes(session: Session, *, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    statement = select(MarketplaceRow.id, MarketplaceRow.code).where(MarketplaceRow.id.in_(ids))
    return {row.id: row.code for row in session.execute(statement)}
