"""Error rendering: JSON ``{"code", "message"}`` on the API, a flash or an error page on
HTML; never a stack trace; 500s logged with the request id."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from aftersales.exceptions import AppError
from aftersales.kit.i18n import gettext as _
from aftersales.web.deps import CsrfFailed, SignInRequired, error_payload, flash
from aftersales.web.templating import render

log = logging.getLogger("aftersales.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_input",
    429: "too_many_requests",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _same_site_referer(request: Request) -> str:
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return "/"
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def _html_error(request: Request, status: int, message: str, *, page: bool = False) -> Response:
    """HTMX: the message into the flash area. A failed form: back where it came from, with
    the message as a flash. Otherwise (and for 401 / 404, or ``page``): an error page."""
    if _is_htmx(request):
        response = render(
            request,
            "partials/flash.html",
            {"flashes": [{"level": "error", "text": message}]},
            status=status,
        )
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    if request.method != "GET" and status not in (404, 401) and not page:
        flash(request, message, "error")
        return RedirectResponse(_same_site_referer(request), status_code=303)
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "request_id": request.state.request_id},
        status=status,
    )


async def app_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AppError)
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if error.status_code == 401 else None
        return JSONResponse(error_payload(error), status_code=error.status_code, headers=headers)
    if isinstance(error, SignInRequired):
        target = "/login?next=" + quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
        if _is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    # A forged or stale form gets a page of its own: bouncing it back could loop.
    return _html_error(
        request, error.status_code, error.localized(), page=isinstance(error, CsrfFailed)
    )


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    code = _HTTP_CODES.get(error.status_code, "error")
    message = error.detail if isinstance(error.detail, str) else code
    if error.status_code == 404:
        message = "not found"
    if _is_api(request):
        return JSONResponse(
            {"code": code, "message": message}, status_code=error.status_code, headers=error.headers
        )
    return _html_error(request, error.status_code, _(message))


async def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems: list[dict[str, Any]] = [
        {"field": ".".join(str(p) for p in item.get("loc", ())[1:]), "message": item.get("msg", "")}
        for item in error.errors()
    ]
    first = problems[0] if problems else {"field": "", "message": "invalid input"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    if _is_api(request):
        return JSONResponse(
            {"code": "invalid_input", "message": message, "errors": problems}, status_code=422
        )
    return _html_error(request, 422, message)


async def server_error(request: Request, error: Exception) -> Response:
    # Runs in Starlette's outermost middleware, outside ours: set the request id header here.
    rid = getattr(request.state, "request_id", "-")
    log.error("request failed", exc_info=error, extra={"request_id": rid, "path": request.url.path})
    response: Response
    if _is_api(request):
        message = f"internal error (request id {rid}); it has been logged"
        response = JSONResponse(
            {"code": "internal_error", "message": message, "request_id": rid}, status_code=500
        )
    else:
        response = render(
            request,
            "error.html",
            {"status": 500, "message": _("Something went wrong on our side."), "request_id": rid},
            status=500,
        )
    response.headers["X-Request-ID"] = rid
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
