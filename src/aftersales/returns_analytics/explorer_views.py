"""Returns explorer pages: grouped figures with filters, charts, a sortable paged table and
its CSV / Excel export; the reason mix of a SKU (or of the filtered returns) against its
category's. The query parameters are shared with the JSON API (explorer_endpoints.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from aftersales.amazon.return_reasons import RESPONSIBLE_LABELS, Responsible
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.pagination import PageRequest
from aftersales.kit.scope import Scope
from aftersales.returns import service as returns_service
from aftersales.returns_analytics import explorer_filters, explorer_mix, explorer_service
from aftersales.returns_analytics.explorer_schemas import (
    NO_CATEGORY,
    ExplorerFilters,
    GroupBy,
    Interval,
    Period,
)
from aftersales.web.deps import DbSession, Page, PageContext, marketplace_ids, validated
from aftersales.web.exports import ExportFormat, export_response
from aftersales.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


def filters_from_query(
    date_from: Annotated[
        str | None,
        Query(description="First UTC day, YYYY-MM-DD (default: 90 days before date_to)."),
    ] = None,
    date_to: Annotated[
        str | None, Query(description="Last UTC day, YYYY-MM-DD (default: today).")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=80, description="Prefix of the SKU or of the ASIN.")
    ] = None,
    fc: Annotated[
        str | None, Query(max_length=10, description="Fulfilment centre that processed the return.")
    ] = None,
    reason: Annotated[str | None, Query(max_length=60, description="Return reason code.")] = None,
    disposition: Annotated[
        str | None, Query(max_length=40, description="Detailed disposition code.")
    ] = None,
    responsibility: Annotated[
        str | None, Query(max_length=20, description="Who the reason map holds responsible.")
    ] = None,
    category: Annotated[
        str | None,
        Query(max_length=200, description=f"Product group, or {NO_CATEGORY} for SKUs without one."),
    ] = None,
) -> ExplorerFilters:
    # Empty form fields arrive as "": a blank field means no filter.
    return validated(
        ExplorerFilters,
        {
            "date_from": date_from or None,
            "date_to": date_to or None,
            "q": q,
            "fc": fc,
            "reason": reason,
            "disposition": disposition,
            "responsibility": responsibility or None,
            "category": category,
        },
    )


Filters = Annotated[ExplorerFilters, Depends(filters_from_query)]


def period_from_query(
    filters: Filters,
    days: Annotated[
        int | None,
        Query(
            ge=1,
            le=explorer_filters.MAX_DAYS,
            description="Length of the period up to date_to, in days (wins over date_from).",
        ),
    ] = None,
) -> Period:
    return explorer_filters.period_of(
        date_from=filters.date_from,
        date_to=filters.date_to,
        days=days,
        today=explorer_filters.today(),
    )


PeriodParam = Annotated[Period, Depends(period_from_query)]
GroupByParam = Annotated[GroupBy, Query(description="What one row of the table is.")]
IntervalParam = Annotated[
    Interval | None,
    Query(description="Trend buckets (default: weekly up to half a year, else monthly)."),
]
SortParam = Annotated[
    str | None,
    Query(
        max_length=40,
        description="A column, `-column` for descending (default -units_returned; key for weeks and months).",
    ),
]


def _page_scope(page: Page, store: str | None, marketplace: str | None) -> Scope:
    """The switcher's stores and marketplaces, or the ones the filter names (the viewer's
    own only: another store is a 404)."""
    store_ids: tuple[int, ...] = ()
    if store:
        if not store.isdigit() or len(store) > 18:
            raise InvalidInput(N_("unknown store %(store)s"), store=store, field="store")
        store_ids = (int(store),)
    elif page.selection.store_id is not None:
        store_ids = (page.selection.store_id,)
    markets = (
        marketplace_ids([marketplace]) if marketplace else page.selection.scope.marketplace_ids
    )
    return page.access.scope(store_ids=store_ids, marketplace_ids=markets)


@dataclass(frozen=True)
class PageScope:
    scope: Scope
    store: str | None
    marketplace: str | None


def page_scope(
    page: PageContext,
    store: Annotated[str | None, Query(max_length=20)] = None,
    marketplace: Annotated[str | None, Query(max_length=10)] = None,
) -> PageScope:
    return PageScope(_page_scope(page, store, marketplace), store or None, marketplace or None)


ScopeParam = Annotated[PageScope, Depends(page_scope)]


def _options(session: DbSession, scope: Scope) -> dict[str, object]:
    return {
        "returns_options": returns_service.filter_options(session, scope=scope),
        "categories": explorer_mix.category_names(session, scope=scope),
        "no_category": NO_CATEGORY,
        "responsibilities": [(r.value, RESPONSIBLE_LABELS[r]) for r in Responsible],
        "group_choices": [(g.value, explorer_service.GROUP_LABELS[g]) for g in GroupBy],
        "presets": explorer_filters.PRESET_DAYS,
        "today": explorer_filters.today(),
    }


@router.get("/returns/explorer", name="returns_explorer")
def explorer_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    chosen: ScopeParam,
    filters: Filters,
    period: PeriodParam,
    group_by: GroupByParam = GroupBy.SKU,
    interval: IntervalParam = None,
    sort: SortParam = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    sort_request = explorer_service.parse_sort(sort, group_by=group_by)
    result = explorer_service.explore(
        session,
        scope=chosen.scope,
        filters=filters,
        period=period,
        group_by=group_by,
        interval=interval,
        sort=sort_request,
        page=PageRequest(page=page_number, page_size=PAGE_SIZE),
    )
    context: dict[str, object] = {
        "active": "returns/explorer",
        "result": result,
        "filters": filters,
        "chosen": chosen,
        "sort": sort_request,
        "group_label": explorer_service.GROUP_LABELS[group_by],
    }
    if request.headers.get("hx-request"):
        return render(request, "returns_analytics/explorer_rows.html", context)
    mix = explorer_mix.category_mix(session, scope=chosen.scope, filters=filters, period=period)
    return render(
        request,
        "returns_analytics/explorer.html",
        {**context, **_options(session, chosen.scope), "mix": mix},
    )


@router.get("/returns/explorer/export.{fmt}", name="returns_explorer_export")
def explorer_export(
    chosen: ScopeParam,
    filters: Filters,
    period: PeriodParam,
    fmt: ExportFormat,
    group_by: GroupByParam = GroupBy.SKU,
    sort: SortParam = None,
) -> Response:
    return export_response(
        columns=explorer_service.EXPORT_COLUMNS,
        rows=explorer_service.export_source(
            scope=chosen.scope,
            filters=filters,
            period=period,
            group_by=group_by,
            sort=explorer_service.parse_sort(sort, group_by=group_by),
        ),
        stem="returns-explorer",
        fmt=fmt,
    )


@router.get("/returns/explorer/category-mix", name="returns_category_mix")
def category_mix_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    chosen: ScopeParam,
    filters: Filters,
    period: PeriodParam,
    sku: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    mix = explorer_mix.category_mix(
        session, scope=chosen.scope, filters=filters, period=period, sku=sku or None
    )
    return render(
        request,
        "returns_analytics/explorer_mix.html",
        {
            "active": "returns/explorer",
            "mix": mix,
            "filters": filters,
            "chosen": chosen,
            "presets": explorer_filters.PRESET_DAYS,
            "no_category": NO_CATEGORY,
        },
    )
