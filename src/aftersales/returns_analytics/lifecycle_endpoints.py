"""JSON API of the per-unit lifecycle: the board with one of its lists, and one unit's
timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from aftersales.returns_analytics import lifecycle as lifecycle_service
from aftersales.returns_analytics.lifecycle_schemas import (
    LifecycleBoard,
    LifecycleList,
    UnitTimeline,
)
from aftersales.web.deps import ApiScope, DbSession

router = APIRouter(prefix="/returns/lifecycle", tags=["returns lifecycle"])


@router.get("", response_model=LifecycleBoard)
def lifecycle_board(
    session: DbSession,
    scope: ApiScope,
    list_name: Annotated[
        LifecycleList | None,
        Query(alias="list", description="The list whose items to include (default: none)."),
    ] = None,
    date_from: Annotated[
        date | None, Query(description="First UTC day (default: 90 days before date_to).")
    ] = None,
    date_to: Annotated[date | None, Query(description="Last UTC day (default: as_of).")] = None,
    as_of: Annotated[
        date | None, Query(description="Day ages are counted to (default: today).")
    ] = None,
) -> LifecycleBoard:
    period = lifecycle_service.period_of(date_from=date_from, date_to=date_to, as_of=as_of)
    return lifecycle_service.board(
        session, scope=scope, period=period, lists=(list_name,) if list_name else ()
    )


@router.get("/{amazon_order_id}/{sku:path}", response_model=UnitTimeline)
def unit_timeline(
    session: DbSession, scope: ApiScope, amazon_order_id: str, sku: str
) -> UnitTimeline:
    return lifecycle_service.unit_timeline(
        session, scope=scope, amazon_order_id=amazon_order_id, sku=sku
    )
