"""The lifecycle board page: units per stage, and the three work lists as tabs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from aftersales.returns_analytics import lifecycle as lifecycle_service
from aftersales.returns_analytics.lifecycle_schemas import LifecycleList
from aftersales.web.deps import DbSession, PageContext
from aftersales.web.templating import render

router = APIRouter()


@router.get("/returns/lifecycle", name="returns_lifecycle")
def lifecycle_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    list_name: Annotated[LifecycleList, Query(alias="list")] = (
        LifecycleList.REFUNDED_NOT_RECEIVED
    ),
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    period = lifecycle_service.period_of(date_from=date_from, date_to=date_to, as_of=as_of)
    board = lifecycle_service.board(
        session, scope=page.selection.scope, period=period, lists=(list_name,)
    )
    return render(
        request,
        "returns_analytics/lifecycle.html",
        {"active": "returns", "board": board, "current": list_name, "lists": LifecycleList},
    )
