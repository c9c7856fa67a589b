"""The reason mix of a SKU, or of the filtered returns, next to the mix of every return
of its categories: each reason's share of the units, and the reasons over-represented."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.scope import Scope
from aftersales.returns_analytics import explorer_calc as calc
from aftersales.returns_analytics import explorer_repository as repository
from aftersales.returns_analytics import repository as analytics_repository
from aftersales.returns_analytics.explorer_filters import category_map, where_of, window
from aftersales.returns_analytics.explorer_repository import ResultRow, Where
from aftersales.returns_analytics.explorer_schemas import (
    NO_CATEGORY,
    CategoryMix,
    ExplorerFilters,
    MixReason,
    Period,
)
from aftersales.returns_analytics.service import SkuNotFound


def _reason_units(rows: Sequence[ResultRow]) -> dict[str | None, int]:
    units: dict[str | None, int] = defaultdict(int)
    for row in rows:
        units[row.reason] += int(row.units or 0)
    return units


def category_mix(
    session: Session,
    *,
    scope: Scope,
    filters: ExplorerFilters,
    period: Period,
    sku: str | None = None,
) -> CategoryMix:
    """The reason mix of ``sku`` (404 when the scope has neither a return nor an order line
    of it), or of the filtered returns, against every return of the same categories in the
    scope and period."""
    span = [window("units", period.date_from, period.date_to)]
    where = where_of(session, scope=scope, filters=filters)
    known = category_map(session, scope=scope)
    if sku is not None:
        if not analytics_repository.sku_exists(session, scope=scope, sku=sku):
            raise SkuNotFound(N_("no returns or orders of SKU %(sku)s"), sku=sku)
        where = dataclasses.replace(where, sku=sku, q=None, skus_by_store=None)
        categories = {known.newest_of_sku(sku)}
    else:
        categories = {
            known.of(row.store_id, row.sku)
            for row in repository.returned(
                session, where=where, keys=["store_id", "sku"], windows=span
            )
        }
    subject = _reason_units(
        repository.returned(session, where=where, keys=["reason"], windows=span)
    )
    reference = _reason_units(
        repository.returned(
            session,
            where=Where(scope=scope, skus_by_store=known.sku_lists(scope, categories)),
            keys=["reason"],
            windows=span,
        )
        if categories
        else []
    )
    lines = calc.mix(subject, reference)
    return CategoryMix(
        period=period,
        sku=sku,
        categories=sorted(
            {category if category is not None else NO_CATEGORY for category in categories}
        ),
        units=sum(subject.values()),
        category_units=sum(reference.values()),
        reasons=[
            MixReason(
                reason=line.key,
                label=vocabulary.reason_label(line.key) or gettext(N_("no reason given")),
                units=line.units,
                share=line.share,
                category_units=line.category_units,
                category_share=line.category_share,
                over_represented=line.over_represented,
            )
            for line in lines
        ],
    )


def category_names(session: Session, *, scope: Scope) -> list[str]:
    return category_map(session, scope=scope).names()
