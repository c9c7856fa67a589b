"""JSON API for orders: list with filters, one order with its items, CSV / Excel export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from aftersales.kit.pagination import MAX_PAGE_SIZE, PageRequest
from aftersales.orders import service as orders_service
from aftersales.orders.schemas import OrderDetail, OrderFilterOptions, OrderPage
from aftersales.orders.views import Filters
from aftersales.web.deps import ApiScope, DbSession, ObjectId
from aftersales.web.exports import ExportFormat, export_response

router = APIRouter(prefix="/orders", tags=["orders"])

SortParam = Annotated[
    str | None,
    Query(
        max_length=40, description="A column, `-column` for descending (default -purchase_date)."
    ),
]


@router.get("", response_model=OrderPage)
def list_orders(
    session: DbSession,
    scope: ApiScope,
    filters: Filters,
    sort: SortParam = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> OrderPage:
    return orders_service.list_orders(
        session,
        scope=scope,
        filters=filters,
        sort=orders_service.parse_sort(sort),
        page=PageRequest(page=page, page_size=page_size),
    )


@router.get("/options", response_model=OrderFilterOptions)
def filter_options(session: DbSession, scope: ApiScope) -> OrderFilterOptions:
    return orders_service.filter_options(session, scope=scope)


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
    sort_request = orders_service.parse_sort(sort)
    return export_response(
        columns=orders_service.EXPORT_COLUMNS,
        rows=lambda s: orders_service.iter_orders(
            s, scope=scope, filters=filters, sort=sort_request
        ),
        stem="orders",
        fmt=fmt,
    )


@router.get("/{order_id}", response_model=OrderDetail)
def get_order(session: DbSession, scope: ApiScope, order_id: ObjectId) -> OrderDetail:
    return orders_service.get_order(session, scope=scope, order_id=order_id)
