"""Delivery to a real local SMTP server and a real local HTTP receiver, in each chat
service's payload format; a failing channel is recorded and does not stop the others."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.accounts.service import Access
from aftersales.alerts import service as alerts_service
from aftersales.claims import service as claims_service
from aftersales.config import get_settings
from aftersales.models import Alert, Store
from tests.claims.builders import add_refund
from tests.web.conftest import make_user


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AFTERSALES_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AFTERSALES_SMTP_PORT", str(port))
    monkeypatch.setenv("AFTERSALES_SMTP_FROM", "alerts@seller.test")
    monkeypatch.setenv("AFTERSALES_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    try:
        yield inbox
    finally:
        controller.stop()
        get_settings.cache_clear()


# Answers of the receiver per path: (status, body).
ANSWERS = {
    "/slack": (200, b"ok"),
    "/dingtalk": (200, b'{"errcode":0,"errmsg":"ok"}'),
    "/feishu": (200, b'{"code":0,"msg":"success"}'),
    "/wecom": (200, b'{"errcode":0,"errmsg":"ok"}'),
    "/broken": (500, b"boom"),
    "/refused": (200, b'{"errcode":310000,"errmsg":"keywords not in content"}'),
}


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    received: list[tuple[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append((self.path, json.loads(self.rfile.read(length))))
            status, body = ANSWERS.get(self.path, (404, b"no"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def _owner_access(session: Session, store: Store) -> Access:
    owner = make_user(session, "owner@acme.test", store)
    return account_service.access_for(session, user=owner)


def _expiring_alert(session: Session, store: Store) -> Alert:
    add_refund(session, store, on=date(2026, 1, 5), order_id="111-0000001-0000001")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    [alert] = alerts_service.evaluate(session, store_id=store.id, as_of=date(2026, 5, 1))
    return alert


def test_every_channel_gets_its_format_and_failures_are_recorded(
    session: Session,
    store: Store,
    smtp_server: _Inbox,
    receiver: tuple[str, list[tuple[str, Any]]],
) -> None:
    base, received = receiver
    access = _owner_access(session, store)
    targets = [
        ("email", "ops@seller.test"),
        ("slack", f"{base}/slack"),
        ("dingtalk", f"{base}/dingtalk"),
        ("broken", None),
        ("feishu", f"{base}/feishu"),
        ("wecom", f"{base}/wecom"),
        ("refused", None),
    ]
    ids: dict[str, int] = {}
    for name, target in targets:
        kind = name if target else "slack"
        channel = alerts_service.create_channel(
            session,
            access=access,
            store_id=store.id,
            kind=kind,
            target=target or f"{base}/{name}",
            enabled=True,
        )
        ids[name] = channel.id
    alerts_service.create_channel(
        session,
        access=access,
        store_id=store.id,
        kind="wecom",
        target=f"{base}/disabled",
        enabled=False,
    )
    alert = _expiring_alert(session, store)

    deliveries = alerts_service.deliver(session, alert_ids=[alert.id])

    outcome = {d.channel_id: (d.status, d.error) for d in deliveries}
    assert outcome[ids["broken"]][0] == "failed"
    assert "500" in (outcome[ids["broken"]][1] or "")
    assert outcome[ids["refused"]][0] == "failed"
    assert "310000" in (outcome[ids["refused"]][1] or "")
    for name in ("email", "slack", "dingtalk", "feishu", "wecom"):
        assert outcome[ids[name]] == ("sent", None), name
    assert len(deliveries) == 7  # the disabled channel is not tried

    by_path = dict(received)
    text = f"{alert.title}\n{alert.body}"
    assert by_path["/slack"] == {"text": text}
    assert by_path["/dingtalk"] == {"msgtype": "text", "text": {"content": text}}
    assert by_path["/feishu"] == {"msg_type": "text", "content": {"text": text}}
    assert by_path["/wecom"] == {"msgtype": "text", "text": {"content": text}}
    assert "/disabled" not in by_path

    [(sender, recipients, raw)] = smtp_server.messages
    assert (sender, recipients) == ("alerts@seller.test", ["ops@seller.test"])
    mail = message_from_bytes(raw)
    assert mail["Subject"] == f"[aftersales] {alert.title}"
    assert "111-0000001-0000001" in mail.get_payload(decode=True).decode()  # type: ignore[union-attr]

    listed = alerts_service.list_alerts(session, scope=access.scope())
    assert {d.status for d in listed.items[0].deliveries} == {"sent", "failed"}


def test_email_without_smtp_settings_fails_readably(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERSALES_SMTP_HOST", "")
    get_settings.cache_clear()
    access = _owner_access(session, store)
    channel = alerts_service.create_channel(
        session,
        access=access,
        store_id=store.id,
        kind="email",
        target="ops@seller.test",
        enabled=True,
    )
    result = alerts_service.test_channel(session, access=access, channel_id=channel.id)
    assert result.status == "failed"
    assert "SMTP" in (result.error or "")


def test_test_message_reaches_the_webhook(
    session: Session, store: Store, receiver: tuple[str, list[tuple[str, Any]]]
) -> None:
    base, received = receiver
    access = _owner_access(session, store)
    channel = alerts_service.create_channel(
        session,
        access=access,
        store_id=store.id,
        kind="feishu",
        target=f"{base}/feishu",
        enabled=True,
    )
    result = alerts_service.test_channel(session, access=access, channel_id=channel.id)
    assert (result.status, result.error) == ("sent", None)
    [(path, body)] = received
    assert path == "/feishu"
    assert body["msg_type"] == "text"
    assert "Test message" in body["content"]["text"]
