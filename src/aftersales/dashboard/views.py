"""The dashboard page: figures, trend chart, top returned SKUs and inventory health."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from aftersales.dashboard import service as dashboard_service
from aftersales.replenishment import results_service as replenishment_results
from aftersales.replenishment.calc import BAND_LABELS
from aftersales.web.deps import DbSession, PageContext
from aftersales.web.templating import render

router = APIRouter()

WINDOWS = (7, 30, 90)


@router.get("/", name="dashboard")
def dashboard_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    window: Annotated[int, Query()] = 30,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    chosen = window if window in WINDOWS else 30
    figures = dashboard_service.get_dashboard(
        session, scope=page.selection.scope, as_of=as_of or datetime.now(UTC).date()
    )
    current = next(w for w in figures.windows if w.days == chosen)
    return render(
        request,
        "dashboard.html",
        {
            "active": "dashboard",
            "figures": figures,
            "window": current,
            "windows": WINDOWS,
            "replenishment_bands": replenishment_results.dashboard_counts(
                session, scope=page.selection.scope
            ),
            "band_labels": BAND_LABELS,
        },
    )
