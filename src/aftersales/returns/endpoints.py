"""JSON API for FBA customer returns: list with filters, one return, CSV / Excel export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from aftersales.kit.pagination import MAX_PAGE_SIZE, PageRequest
from aftersales.returns import service as returns_service
from aftersales.returns.schemas import ReturnFilterOptions, ReturnPage, ReturnRow
from aftersales.returns.views import Filters
from aftersales.web.deps import ApiScope, DbSession, ObjectId
from aftersales.web.exports import ExportFormat, export_response

router = APIRouter(prefix="/returns", tags=["returns"])

SortParam = Annotated[
    str | None,
    Query(max_length=40, description="A column, `-column` for descending (default -return_date)."),
]


@router.get("", response_model=ReturnPage)
def list_returns(
    session: DbSession,
    scope: ApiScope,
    filters: Filters,
    sort: SortParam = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ReturnPage:
    return returns_service.list_returns(
        session,
        scope=scope,
        filters=filters,
        sort=returns_service.parse_sort(sort),
        page=PageRequest(page=page, page_size=page_size),
    )


@router.get("/options", response_model=ReturnFilterOptions)
def filter_options(session: DbSession, scope: ApiScope) -> ReturnFilterOptions:
    return returns_service.filter_options(session, scope=scope)


@router.get(
    "/export.{fmt}",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        }
    },
)
def export(
    scope: ApiScope, filters: Filters, fmt: ExportFormat, sort: SortParam = None
) -> Response:
    sort_request = returns_service.parse_sort(sort)
    return export_response(
        columns=returns_service.EXPORT_COLUMNS,
        rows=lambda s: returns_service.iter_returns(
            s, scope=scope, filters=filters, sort=sort_request
        ),
        stem="returns",
        fmt=fmt,
    )


@router.get("/{return_id}", response_model=ReturnRow)
def get_return(session: DbSession, scope: ApiScope, return_id: ObjectId) -> ReturnRow:
    return returns_service.get_return(session, scope=scope, return_id=return_id)
