"""Sending one alert to one channel: e-mail over SMTP, or a chat webhook in the payload
format each service documents. Failures raise ``SendFailed`` with a readable reason."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any

from aftersales.config import Settings, get_settings
from aftersales.models import ChannelKind

TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """The channel did not accept the message; the text says why."""


def payload(kind: ChannelKind, text: str) -> dict[str, Any]:
    """The JSON body of a text message for each webhook kind."""
    if kind is ChannelKind.SLACK:
        return {"text": text}
    if kind is ChannelKind.FEISHU:
        return {"msg_type": "text", "content": {"text": text}}
    if kind in (ChannelKind.DINGTALK, ChannelKind.WECOM):
        return {"msgtype": "text", "text": {"content": text}}
    raise ValueError(f"{kind} is not a webhook channel")


def send(
    kind: ChannelKind, target: str, *, title: str, body: str, settings: Settings | None = None
) -> None:
    if kind is ChannelKind.EMAIL:
        _send_email(target, title=title, body=body, settings=settings or get_settings())
    else:
        _post_webhook(target, payload(kind, f"{title}\n{body}"))


def _send_email(address: str, *, title: str, body: str, settings: Settings) -> None:
    if not settings.smtp_host:
        raise SendFailed("SMTP is not configured (AFTERSALES_SMTP_HOST)")
    message = EmailMessage()
    message["Subject"] = f"[aftersales] {title}"
    message["From"] = settings.smtp_from
    message["To"] = address
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"SMTP: {error}") from error


def _post_webhook(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        # The URL was checked to be http(s) when the channel was saved.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}: {error.reason}") from error
    except (OSError, ValueError) as error:
        raise SendFailed(f"webhook: {error}") from error
    _check_answer(answer)


def _check_answer(answer: bytes) -> None:
    """DingTalk, WeCom and Feishu answer 200 with an error code in the body."""
    try:
        parsed = json.loads(answer)
    except ValueError:
        return  # Slack answers "ok" as plain text
    if not isinstance(parsed, dict):
        return
    code = parsed.get("errcode", parsed.get("code", parsed.get("StatusCode", 0)))
    if code not in (0, None):
        message = parsed.get("errmsg") or parsed.get("msg") or parsed.get("StatusMessage")
        raise SendFailed(f"webhook refused: {code} {message or ''}".rstrip())
