"""JSON API of the returns explorer: grouped returned and shipped units with return rates
(paged), and a SKU's (or the filtered returns') reason mix against its category's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aftersales.kit.pagination import MAX_PAGE_SIZE, PageRequest
from aftersales.returns_analytics import explorer_mix, explorer_service
from aftersales.returns_analytics.explorer_schemas import CategoryMix, ExplorerPage, GroupBy
from aftersales.returns_analytics.explorer_views import (
    Filters,
    GroupByParam,
    IntervalParam,
    PeriodParam,
    SortParam,
)
from aftersales.web.deps import ApiScope, DbSession

router = APIRouter(prefix="/returns", tags=["returns explorer"])


@router.get("/explorer", response_model=ExplorerPage)
def explorer(
    session: DbSession,
    scope: ApiScope,
    filters: Filters,
    period: PeriodParam,
    group_by: GroupByParam = GroupBy.SKU,
    interval: IntervalParam = None,
    sort: SortParam = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ExplorerPage:
    return explorer_service.explore(
        session,
        scope=scope,
        filters=filters,
        period=period,
        group_by=group_by,
        interval=interval,
        sort=explorer_service.parse_sort(sort, group_by=group_by),
        page=PageRequest(page=page, page_size=page_size),
    )


@router.get("/category-mix", response_model=CategoryMix)
def category_mix(
    session: DbSession,
    scope: ApiScope,
    filters: Filters,
    period: PeriodParam,
    sku: Annotated[
        str | None,
        Query(max_length=80, description="One SKU (default: the returns the filters select)."),
    ] = None,
) -> CategoryMix:
    return explorer_mix.category_mix(
        session, scope=scope, filters=filters, period=period, sku=sku or None
    )
