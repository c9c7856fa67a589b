"""JSON API for disposition: lots with ranked options, store cost settings, removal plan file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from aftersales.disposition import service as disposition_service
from aftersales.disposition.schemas import (
    DispositionList,
    DispositionSettings,
    DispositionSettingsValues,
    RemovalPlanRequest,
)
from aftersales.web.deps import ApiAccess, ApiScope, DbSession

router = APIRouter(prefix="/disposition", tags=["disposition"])

AsOf = Annotated[
    date | None, Query(description="Snapshot and fee-table date (default: today, UTC).")
]
StoreId = Annotated[int | None, Query(ge=1, description="Default: the only store you manage.")]


def _today() -> date:
    return datetime.now(UTC).date()


@router.get("", response_model=DispositionList)
def list_lots(session: DbSession, scope: ApiScope, as_of: AsOf = None) -> DispositionList:
    return disposition_service.recommendations(session, scope=scope, as_of=as_of or _today())


@router.get("/settings", response_model=DispositionSettings)
def get_settings(
    session: DbSession, access: ApiAccess, store_id: StoreId = None
) -> DispositionSettings:
    chosen = disposition_service.default_store(access, store_id)
    return disposition_service.get_settings(session, access=access, store_id=chosen)


@router.put("/settings", response_model=DispositionSettings)
def put_settings(
    session: DbSession,
    access: ApiAccess,
    values: Annotated[DispositionSettingsValues, Body()],
    store_id: StoreId = None,
) -> DispositionSettings:
    chosen = disposition_service.default_store(access, store_id)
    return disposition_service.update_settings(
        session, access=access, store_id=chosen, values=values
    )


@router.post(
    "/removal-plan",
    response_class=Response,
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
def removal_plan(
    session: DbSession, access: ApiAccess, body: Annotated[RemovalPlanRequest, Body()]
) -> Response:
    text = disposition_service.removal_plan_csv(
        session, access=access, lots=body.lots, as_of=body.as_of or _today()
    )
    return file_response(text)


def file_response(text: str) -> Response:
    name = f"removal-plan-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt"
    return Response(
        content=text.encode("utf-8"),
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
