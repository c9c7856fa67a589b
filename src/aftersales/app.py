"""create_app(): the web pages, the JSON API under /api/v1, static files, error handlers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from aftersales import __version__
from aftersales.accounts import endpoints as account_endpoints
from aftersales.accounts import views as account_views
from aftersales.alerts import endpoints as alert_endpoints
from aftersales.alerts import views as alert_views
from aftersales.claims import endpoints as claim_endpoints
from aftersales.claims import views as claim_views
from aftersales.config import Settings, get_settings
from aftersales.dashboard import endpoints as dashboard_endpoints
from aftersales.dashboard import views as dashboard_views
from aftersales.disposition import endpoints as disposition_endpoints
from aftersales.disposition import views as disposition_views
from aftersales.imports import endpoints as import_endpoints
from aftersales.imports import views as import_views
from aftersales.inbound import endpoints as inbound_endpoints
from aftersales.inbound import views as inbound_views
from aftersales.orders import endpoints as order_endpoints
from aftersales.orders import views as order_views
from aftersales.replenishment import endpoints as replenishment_endpoints
from aftersales.replenishment import settings_views as replenishment_settings_views
from aftersales.replenishment import stock_views as replenishment_stock_views
from aftersales.replenishment import views as replenishment_views
from aftersales.returns import endpoints as return_endpoints
from aftersales.returns import views as return_views
from aftersales.returns_analytics import endpoints as returns_analytics_endpoints
from aftersales.returns_analytics import (
    explorer_endpoints,
    explorer_views,
    lifecycle_endpoints,
    lifecycle_views,
)
from aftersales.returns_analytics import views as returns_analytics_views
from aftersales.web import errors
from aftersales.web.deps import csrf_protect
from aftersales.web.middleware import RequestContextMiddleware
from aftersales.web.sessions import SessionMiddleware

STATIC = Path(__file__).resolve().parent / "web" / "static"
API_PREFIX = "/api/v1"
GC_YOUNG_THRESHOLD = 20_000


def create_api() -> FastAPI:
    api = FastAPI(
        title="aftersales API",
        version=__version__,
        description=(
            "JSON API of aftersales. Authenticate with a personal access token created in "
            "Settings: `Authorization: Bearer <token>`. Every route sees only the stores the "
            "token's user is a member of; another store's objects answer 404. Errors are "
            '`{"code", "message"}` with a 4xx status.'
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    for module in (
        account_endpoints,
        dashboard_endpoints,
        # Before the returns routes: "/returns/lifecycle" is not a return id.
        lifecycle_endpoints,
        explorer_endpoints,
        return_endpoints,
        returns_analytics_endpoints,
        order_endpoints,
        import_endpoints,
        claim_endpoints,
        alert_endpoints,
        disposition_endpoints,
        inbound_endpoints,
        replenishment_endpoints,
    ):
        api.include_router(module.router)

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=API_PREFIX + "/openapi.json",
            title="aftersales API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    errors.install(api)
    return api


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Everything loaded at start-up (modules, templates, catalogs) lives as long as the
    # process: keep it out of the garbage collector's full passes, which otherwise walk
    # it again and again and stall requests under load.
    gc.collect()
    gc.freeze()
    # A request allocates tens of thousands of short-lived objects (rows, models, template
    # output): collect the young generation less often, and the old ones rarely.
    gc.set_threshold(GC_YOUNG_THRESHOLD, 50, 100)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="aftersales",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    pages = APIRouter(dependencies=[Depends(csrf_protect)])
    for module in (
        account_views,
        dashboard_views,
        # Before the returns routes: "/returns/lifecycle" is not a return id.
        lifecycle_views,
        explorer_views,
        return_views,
        returns_analytics_views,
        order_views,
        import_views,
        claim_views,
        alert_views,
        disposition_views,
        inbound_views,
        replenishment_settings_views,
        replenishment_stock_views,
        replenishment_views,
    ):
        pages.include_router(module.router)
    app.include_router(pages)
    app.mount(API_PREFIX, create_api())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.signing_key(),
        max_age_seconds=settings.session_days * 86400,
    )
    return app
