"""Returns pages: the filtered, sorted, paginated list, its exports, one return."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from aftersales.kit.pagination import PageRequest
from aftersales.returns import service as returns_service
from aftersales.returns.schemas import ReturnFilters
from aftersales.web.deps import DbSession, ObjectId, PageContext, validated
from aftersales.web.exports import ExportFormat, export_response
from aftersales.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


def filters_from_query(
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=80)] = None,
    reason: Annotated[str | None, Query(max_length=60)] = None,
    disposition: Annotated[str | None, Query(max_length=40)] = None,
) -> ReturnFilters:
    # Empty form fields arrive as "": a blank date means no bound.
    return validated(
        ReturnFilters,
        {
            "date_from": date_from or None,
            "date_to": date_to or None,
            "q": q,
            "reason": reason,
            "disposition": disposition,
        },
    )


Filters = Annotated[ReturnFilters, Depends(filters_from_query)]


@router.get("/returns", name="returns")
def returns_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    filters: Filters,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    scope = page.selection.scope
    sort_request = returns_service.parse_sort(sort)
    result = returns_service.list_returns(
        session,
        scope=scope,
        filters=filters,
        sort=sort_request,
        page=PageRequest(page=page_number, page_size=PAGE_SIZE),
    )
    template = "returns/rows.html" if request.headers.get("hx-request") else "returns/list.html"
    return render(
        request,
        template,
        {
            "active": "returns",
            "result": result,
            "filters": filters,
            "sort": sort_request,
            "options": returns_service.filter_options(session, scope=scope),
        },
    )


@router.get("/returns/export.{fmt}", name="returns_export")
def returns_export(
    page: PageContext,
    filters: Filters,
    fmt: ExportFormat,
    sort: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    scope = page.selection.scope
    sort_request = returns_service.parse_sort(sort)
    return export_response(
        columns=returns_service.EXPORT_COLUMNS,
        rows=lambda s: returns_service.iter_returns(
            s, scope=scope, filters=filters, sort=sort_request
        ),
        stem="returns",
        fmt=fmt,
    )


@router.get("/returns/{return_id}", name="return_detail")
def return_detail(
    request: Request, session: DbSession, page: PageContext, return_id: ObjectId
) -> Response:
    row = returns_service.get_return(session, scope=page.access.scope(), return_id=return_id)
    return render(request, "returns/detail.html", {"active": "returns", "row": row})
