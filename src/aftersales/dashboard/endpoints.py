"""JSON API for the dashboard figures of the chosen stores and marketplaces."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from aftersales.dashboard import service as dashboard_service
from aftersales.dashboard.schemas import Dashboard
from aftersales.web.deps import ApiScope, DbSession

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", response_model=Dashboard)
def dashboard(
    session: DbSession,
    scope: ApiScope,
    as_of: Annotated[
        date | None, Query(description="Last day of the windows (UTC); default today.")
    ] = None,
) -> Dashboard:
    return dashboard_service.get_dashboard(
        session, scope=scope, as_of=as_of or datetime.now(UTC).date()
    )
