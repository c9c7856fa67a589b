"""JSON API for disposition: lots with ranked options, recorded decisions, store cost settings,
removal plan files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from aftersales.disposition import decisions as decisions_service
from aftersales.disposition import service as disposition_service
from aftersales.disposition.schemas import (
    Decision,
    DecisionCreate,
    DecisionList,
    DecisionPlanRequest,
    DispositionList,
    DispositionSettings,
    DispositionSettingsValues,
    RemovalPlanRequest,
)
from aftersales.web.deps import ApiAccess, ApiScope, DbSession
from aftersales.web.exports import ExportFormat, export_response

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


@router.get("/decisions", response_model=DecisionList)
def list_decisions(
    session: DbSession,
    scope: ApiScope,
    latest_only: Annotated[bool, Query(description="Only the decision in force per lot")] = False,
) -> DecisionList:
    return decisions_service.list_decisions(session, scope=scope, latest_only=latest_only)


@router.post("/decisions", response_model=Decision, status_code=201)
def record_decision(
    session: DbSession, access: ApiAccess, body: Annotated[DecisionCreate, Body()]
) -> Decision:
    return decisions_service.record_decision(session, access=access, body=body)


@router.get(
    "/decisions/export.{fmt}",
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
def export_decisions(scope: ApiScope, fmt: ExportFormat) -> Response:
    return export_response(
        columns=decisions_service.EXPORT_COLUMNS,
        rows=lambda s: decisions_service.iter_decisions(s, scope=scope),
        stem="disposition-decisions",
        fmt=fmt,
    )


@router.post(
    "/decisions/removal-plan",
    response_class=Response,
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
def removal_plan_from_decisions(
    session: DbSession, access: ApiAccess, body: Annotated[DecisionPlanRequest, Body()]
) -> Response:
    text = decisions_service.removal_plan_from_decisions(
        session,
        access=access,
        store_id=body.store_id,
        marketplace=body.marketplace,
        as_of=body.as_of or _today(),
    )
    return file_response(text)


def file_response(text: str) -> Response:
    name = f"removal-plan-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt"
    return Response(
        content=text.encode("utf-8"),
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
