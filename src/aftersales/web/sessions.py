"""Signed session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS.

Starlette's SessionMiddleware fixes the Secure flag at start-up; a self-hosted app is
reached over plain HTTP on localhost and over HTTPS behind a proxy, so the flag follows
the request's scheme (uvicorn's --proxy-headers sets it from X-Forwarded-Proto).
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from typing import Any

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "aftersales_session"


class SessionMiddleware:
    def __init__(self, app: ASGIApp, *, secret_key: str, max_age_seconds: int) -> None:
        self.app = app
        self.signer = itsdangerous.TimestampSigner(secret_key, salt="aftersales.session")
        self.max_age = max_age_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        had_cookie = COOKIE_NAME in connection.cookies
        scope["session"] = self._load(connection.cookies.get(COOKIE_NAME))
        initial = json.dumps(scope["session"], sort_keys=True)
        secure = scope.get("scheme") == "https"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: dict[str, Any] = scope["session"]
                headers = MutableHeaders(scope=message)
                flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                if session:
                    if json.dumps(session, sort_keys=True) != initial or not had_cookie:
                        data = b64encode(json.dumps(session).encode())
                        value = self.signer.sign(data).decode()
                        headers.append(
                            "Set-Cookie",
                            f"{COOKIE_NAME}={value}; Max-Age={self.max_age}{flags}",
                        )
                elif had_cookie:
                    headers.append(
                        "Set-Cookie",
                        f"{COOKIE_NAME}=null; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT{flags}",
                    )
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _load(self, cookie: str | None) -> dict[str, Any]:
        if not cookie:
            return {}
        try:
            data = self.signer.unsign(cookie.encode(), max_age=self.max_age)
            loaded = json.loads(b64decode(data))
        except (BadSignature, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}
