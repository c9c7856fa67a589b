"""Queries behind the replenishment pages: stored results filtered, ordered to act on first,
counted by band; always within the viewer's stores and marketplaces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from aftersales.kit.scope import Scope
from aftersales.models import ReplenishmentResult, ReplenishmentRun
from aftersales.replenishment.calc import BAND_ORDER


@dataclass(frozen=True)
class ResultFilter:
    scope: Scope
    store_id: int | None = None  # must be one of the scope's stores
    marketplace_ids: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    sku_prefix: str = ""
    sku: str | None = None  # exactly this SKU


def _escaped(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _stores(filters: ResultFilter) -> tuple[int, ...]:
    stores = filters.scope.store_ids
    if filters.store_id is not None:
        stores = tuple(s for s in stores if s == filters.store_id)
    return tuple(stores)


def _where(statement: Select[Any], filters: ResultFilter) -> Select[Any]:
    result = ReplenishmentResult
    statement = statement.where(result.store_id.in_(_stores(filters) or (-1,)))
    markets = filters.scope.marketplace_ids
    if filters.marketplace_ids:
        markets = tuple(m for m in filters.marketplace_ids if not markets or m in markets) or ("-",)
    if markets:
        statement = statement.where(result.marketplace_id.in_(markets))
    if filters.bands:
        statement = statement.where(result.band.in_(filters.bands))
    if filters.sku_prefix:
        statement = statement.where(
            result.sku.ilike(_escaped(filters.sku_prefix) + "%", escape="\\")
        )
    if filters.sku is not None:
        statement = statement.where(result.sku == filters.sku)
    return statement


_BAND_RANK = case(
    {band.value: rank for rank, band in enumerate(BAND_ORDER)},
    value=ReplenishmentResult.band,
    else_=len(BAND_ORDER),
)


def _ordered(statement: Select[Any]) -> Select[Any]:
    result = ReplenishmentResult
    # Act first on the worst band, then on what runs out soonest (no stock-out date last).
    return statement.order_by(
        _BAND_RANK,
        case((result.stockout_date.is_(None), 1), else_=0),
        result.stockout_date,
        result.sku,
        result.marketplace_id,
        result.store_id,
    )


def page(
    session: Session, *, filters: ResultFilter, offset: int, limit: int
) -> Sequence[ReplenishmentResult]:
    statement = _ordered(_where(select(ReplenishmentResult), filters))
    return session.scalars(statement.offset(offset).limit(limit)).all()


def iterate(session: Session, *, filters: ResultFilter) -> Iterator[ReplenishmentResult]:
    statement = _ordered(_where(select(ReplenishmentResult), filters))
    yield from session.scalars(statement.execution_options(yield_per=2000))


def band_counts(session: Session, *, filters: ResultFilter) -> dict[str, int]:
    """Results by band. Of whole stores, the counts their last runs made (a run replaces
    its store's results and counts them in the same transaction); else counted here."""
    if _whole_stores(filters):
        return _counts_of_last_runs(session, _stores(filters))
    statement = (
        _where(select(ReplenishmentResult), filters)
        .with_only_columns(ReplenishmentResult.band, func.count())
        .group_by(ReplenishmentResult.band)
    )
    return {str(band): int(number) for band, number in session.execute(statement).all()}


def _whole_stores(filters: ResultFilter) -> bool:
    return not (
        filters.scope.marketplace_ids
        or filters.marketplace_ids
        or filters.bands
        or filters.sku_prefix
        or filters.sku is not None
    )


def _counts_of_last_runs(session: Session, store_ids: Sequence[int]) -> dict[str, int]:
    last = (
        select(func.max(ReplenishmentRun.id))
        .where(ReplenishmentRun.store_id.in_(store_ids or (-1,)))
        .group_by(ReplenishmentRun.store_id)
    )
    totals: Counter[str] = Counter()
    for counts in session.scalars(
        select(ReplenishmentRun.counts).where(ReplenishmentRun.id.in_(last))
    ):
        totals.update({str(band): int(number) for band, number in (counts or {}).items()})
    return dict(totals)


def stores_with(session: Session, *, filters: ResultFilter) -> list[int]:
    """Stores (of the filter's scope) holding a result that matches."""
    statement = (
        _where(select(ReplenishmentResult), filters)
        .with_only_columns(ReplenishmentResult.store_id)
        .distinct()
        .order_by(ReplenishmentResult.store_id)
    )
    return [int(store_id) for store_id in session.scalars(statement)]


def listings_of_sku(session: Session, *, filters: ResultFilter) -> list[tuple[int, str]]:
    """(store id, marketplace id) of the stored results matching, the one to act on first
    first."""
    statement = _ordered(
        cast(
            "Select[Any]",
            _where(select(ReplenishmentResult), filters).with_only_columns(
                ReplenishmentResult.store_id, ReplenishmentResult.marketplace_id
            ),
        )
    )
    return [(int(store_id), str(market)) for store_id, market in session.execute(statement)]
