"""Orders pages: the filtered, sorted, paginated list, its exports, one order with its items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from aftersales.kit.pagination import PageRequest
from aftersales.orders import service as orders_service
from aftersales.orders.schemas import OrderFilters
from aftersales.web.deps import DbSession, ObjectId, PageContext, validated
from aftersales.web.exports import ExportFormat, export_response
from aftersales.web.templating import render

router = APIRouter()

PAGE_SIZE = 50


def filters_from_query(
    date_from: Annotated[str | None, Query()] = None,
    date_to: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=80)] = None,
    order_status: Annotated[str | None, Query(max_length=40)] = None,
    fulfillment_channel: Annotated[str | None, Query(max_length=20)] = None,
) -> OrderFilters:
    # Empty form fields arrive as "": a blank date means no bound.
    return validated(
        OrderFilters,
        {
            "date_from": date_from or None,
            "date_to": date_to or None,
            "q": q,
            "order_status": order_status,
            "fulfillment_channel": fulfillment_channel,
        },
    )


Filters = Annotated[OrderFilters, Depends(filters_from_query)]


@router.get("/orders", name="orders")
def orders_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    filters: Filters,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    scope = page.selection.scope
    sort_request = orders_service.parse_sort(sort)
    result = orders_service.list_orders(
        session,
        scope=scope,
        filters=filters,
        sort=sort_request,
        page=PageRequest(page=page_number, page_size=PAGE_SIZE),
    )
    template = "orders/rows.html" if request.headers.get("hx-request") else "orders/list.html"
    return render(
        request,
        template,
        {
            "active": "orders",
            "result": result,
            "filters": filters,
            "sort": sort_request,
            "options": orders_service.filter_options(session, scope=scope),
        },
    )


@router.get("/orders/export.{fmt}", name="orders_export")
def orders_export(
    page: PageContext,
    filters: Filters,
    fmt: ExportFormat,
    sort: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    scope = page.selection.scope
    sort_request = orders_service.parse_sort(sort)
    return export_response(
        columns=orders_service.EXPORT_COLUMNS,
        rows=lambda s: orders_service.iter_orders(
            s, scope=scope, filters=filters, sort=sort_request
        ),
        stem="orders",
        fmt=fmt,
    )


@router.get("/orders/{order_id}", name="order_detail")
def order_detail(
    request: Request, session: DbSession, page: PageContext, order_id: ObjectId
) -> Response:
    row = orders_service.get_order(session, scope=page.access.scope(), order_id=order_id)
    return render(request, "orders/detail.html", {"active": "orders", "order": row})
