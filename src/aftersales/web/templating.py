"""Jinja2 environment: gettext from the Babel catalogs, locale-aware formatting filters."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, select_autoescape
from markupsafe import Markup

from aftersales.amazon import marketplaces
from aftersales.kit import i18n

TEMPLATES = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    # Templates ship with the package: no need to stat every file on every render.
    auto_reload=bool(os.environ.get("AFTERSALES_TEMPLATE_RELOAD")),
    undefined=StrictUndefined if os.environ.get("AFTERSALES_STRICT_TEMPLATES") else Undefined,
)
environment.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
templates = Jinja2Templates(env=environment)


@lru_cache(maxsize=64)
def _zone(code: str | None) -> ZoneInfo | None:
    found = marketplaces.by_code(code) if code else None
    return ZoneInfo(found.time_zone) if found else None


def _date(value: date | datetime | None, marketplace: str | None = None) -> str:
    return i18n.format_date(value, _zone(marketplace))


def _datetime(value: datetime | None, marketplace: str | None = None) -> str:
    return i18n.format_datetime(value, _zone(marketplace))


def _tojson(value: Any) -> Markup:
    def default(item: Any) -> Any:
        if isinstance(item, date | datetime):
            return item.isoformat()
        if isinstance(item, Decimal):
            return str(item)
        raise TypeError(type(item).__name__)

    text = json.dumps(value, default=default, ensure_ascii=False)
    # Safe inside <script>: no closing tags, no HTML comments.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = {k: v for k, v in request.query_params.multi_items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def _rate_percent(value: float | None) -> float | None:
    """A fraction as a percentage with two decimals, for charts (None stays a gap)."""
    return None if value is None else round(value * 100, 2)


environment.filters.update(
    rate_percent=_rate_percent,
    number=i18n.format_number,
    decimal=i18n.format_decimal,
    percent=i18n.format_percent,
    money=i18n.format_money,
    date=_date,
    datetime=_datetime,
    tojson=_tojson,
)
environment.globals.update(
    LOCALES=i18n.LOCALES,
    localize_error=i18n.localize_error,
    current_locale=i18n.current_locale,
    query=_query,
)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    page: dict[str, Any] = {"request": request, "flashes": [], "active": None}
    if "session" in request.scope:
        from aftersales.web.deps import csrf_token

        page["csrf_token"] = csrf_token(request)
    page.update(getattr(request.state, "page_context", {}))
    page.update(context or {})
    response: HTMLResponse = templates.TemplateResponse(request, template, page, status_code=status)
    return response
